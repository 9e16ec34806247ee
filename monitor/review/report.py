"""The quarterly review report in the official form: one self-contained HTML page (the chart embedded
as a PNG image) that prints as a document to file — A4 portrait summary pages (header block, the
headline figures, the quarterly chart, the projects with a 合计 row, what needs attention, the
department-wide goals, the signature block) followed by one A4 landscape page per project in the
layout of the 项目支出绩效目标执行监控表 (monitor.review.forms), "第 N 页 共 M 页" on every page —
and the same page printed to PDF by the OS Chromium (monitor.review.browser).

Every value from data is HTML-escaped. The figures are those of 总览 (monitor.rules.headline).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Sequence

import pandas as pd

from monitor.errors import NotFound
from monitor.fmt import money, money_decimals, number, percent, shown_text, unit_word
from monitor.i18n import t
from monitor.review import browser
from monitor.review.charts import quarterly_chart
from monitor.review.forms import ProjectForm, actual_heading, project_forms, scope_name
from monitor.rules.disbursement import reason_text, status_counts, status_label, threshold_params
from monitor.rules.headline import attention, chart_scope, headline, previous_quarter_end, review_figures
from monitor.rules.indicators import status_word
from monitor.rules.words import likelihood_word
from monitor.settings import settings
from monitor.store.db import Run

html_to_pdf = browser.html_to_pdf  # the report's PDF: printed by the browser that drew its chart

CHART_SIZE = (1000, 440)  # px of the quarterly chart; printed at 2× for a sharp image

STYLE = """
@page { size: A4 portrait; margin: 16mm 14mm 18mm;
        @bottom-center { content: PAGE_COUNTER; font-size: 9pt; color: #444; font-family: "Noto Sans CJK SC", sans-serif; } }
@page form { size: A4 landscape; margin: 12mm 12mm 16mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; color: #222; font-size: 10pt; }
@media screen { body { max-width: 1060px; margin: 24px auto; } .form { border-top: 3px double #888; margin-top: 40px; padding-top: 8px; } }
h1 { font-size: 20pt; text-align: center; margin: 0 0 10px; }
h2 { font-size: 13pt; border-bottom: 2px solid #1f5fa8; padding-bottom: 3px; margin: 16px 0 6px; break-after: avoid; }
.form h2 { text-align: center; border: none; font-size: 15pt; margin: 0; }
.subtitle { text-align: center; margin: 2px 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0; }
th, td { border: 1px solid #999; padding: 3px 5px; vertical-align: middle; text-align: left; }
th { background: #dce6f1; font-weight: bold; }
thead { display: table-header-group; } tr { break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.word, th.word { white-space: nowrap; } td.name, td.text { min-width: 8em; } tr.total td { white-space: normal; }
td.level1 { background: #fff; }
tr.total td { font-weight: bold; border-top: 2px solid #555; }
table.head td { border: none; padding: 2px 8px 2px 0; } table.head td.label { color: #555; white-space: nowrap; width: 1%; }
.note { color: #555; font-size: 9pt; margin: 2px 0; }
.figures td.value { font-size: 13pt; font-weight: bold; white-space: nowrap; }
figure { margin: 4px 0; break-inside: avoid; } figure img { width: 100%; }
figcaption { font-weight: bold; margin-bottom: 2px; }
.red { background: #f8cfca; } .amber { background: #ffe9b3; } .green { background: #d7f0df; } .grey { background: #ececec; }
.signature { display: grid; grid-template-columns: 1fr 1fr; gap: 10px 40px; margin-top: 18px; break-inside: avoid; }
.signature div { border-bottom: 1px solid #666; padding: 6px 0 2px; min-height: 16px; }
.form { page: form; break-before: page; font-size: 9pt; }
.form .goals { white-space: pre-line; }
"""


def build_html(run: Run, year: int, dept: str | None, as_of: dt.date, unit: str = "万元", lang: str = "zh") -> str:
    """The report for `dept` (None = all units) at the end of `as_of`, money in `unit`, words in `lang`."""
    now = headline(run, year, dept, as_of)
    if now is None:
        raise NotFound("err_report_no_projects", year=year, dept=dept or t("all_depts", lang))
    before = headline(run, year, dept, previous_quarter_end(as_of))
    capped = now.projects > settings().limits.report_projects
    forms = [] if capped else project_forms(run, year, dept, as_of, lang)
    scope = scope_name(forms, dept, lang) if forms else (dept or t("all_depts", lang))
    e = html.escape
    title = t("review_report_title", lang)
    header = [
        (t("header_unit", lang), scope),
        (t("header_year", lang), str(year)),
        (t("header_as_of", lang), as_of.isoformat()),
        (t("header_money", lang), unit_word(unit, lang)),
    ]
    head = "".join(f'<td class="label">{e(label)}</td><td>{e(value)}</td>' for label, value in header)
    chart_title = t("chart_quarterly", lang, scope=chart_scope(run, dept, lang))
    chart = _chart(run, year, dept, as_of, unit, lang)
    pages = "".join(_project_page(form, year, as_of, unit, lang) for form in forms)
    if capped:
        pages = f'<p class="note">{e(t("report_projects_capped", lang, n=now.projects, limit=settings().limits.report_projects))}</p>'
    return f"""<!DOCTYPE html>
<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>{STYLE.replace("PAGE_COUNTER", _page_counter(lang))}</style></head><body>
<h1>{e(title)}</h1>
<table class="head"><tr>{head}</tr></table>
<h2>{e(t("report_figures", lang))}</h2>{_figures(now, before, unit, lang)}
<figure><figcaption>{e(chart_title)}</figcaption><img alt="{e(chart_title)}" src="data:image/png;base64,{chart}"></figure>
<h2>{e(t("projects_status", lang))}</h2>{_projects_table(run, year, dept, as_of, unit, lang)}
<h2>{e(t("attention", lang))}</h2>{_attention(run, year, dept, as_of, lang)}
<h2>{e(t("dept_goals", lang))}</h2>{_dept_goals(run, year, dept, as_of, lang)}
{_signature(scope, lang)}
{pages}
</body></html>"""


def _page_counter(lang: str) -> str:
    """The CSS `content` of "第 N 页 共 M 页" in `lang`: the words as strings, the numbers as counters."""
    words = t("page_of", lang, page="\0page\0", pages="\0pages\0").split("\0")
    parts = [("counter(page)" if w == "page" else "counter(pages)") if i % 2 else _css_string(w) for i, w in enumerate(words)]
    return " ".join(p for p in parts if p != '""')


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _chart(run: Run, year: int, dept: str | None, as_of: dt.date, unit: str, lang: str) -> str:
    """The quarterly chart as base64 PNG, without a title of its own (its caption is the title)."""
    quarters = run("quarterly_totals", year=year, dept=dept, as_of=as_of)
    figure = quarterly_chart(quarters, unit, lang, "").update_layout(title=None, margin={"t": 16}, plot_bgcolor="white")
    figure.update_yaxes(gridcolor="#dddddd")
    return base64.b64encode(browser.chart_png(figure, *CHART_SIZE)).decode()


Column = tuple[str, str]  # (heading, kind): "num" right-aligned figures, "word" a status kept on one line, "text" wraps


def _table(headers: Sequence[Column], rows: list[tuple[str, list[str]]], total: list[str] | None = None, css: str = "") -> str:
    """An HTML table of escaped text; each row carries a CSS class (status colour) or ''; `total` is
    its 合计 row. Figures are right-aligned."""
    e = html.escape
    kinds = [kind for _, kind in headers]
    head = "".join(f'<th class="{kind}">{e(h)}</th>' for h, kind in headers)

    def cells(values: list[str]) -> str:
        return "".join(f'<td class="{kind}">{e(v)}</td>' for v, kind in zip(values, kinds))

    body = "".join(f'<tr class="{row_css}">{cells(values)}</tr>' for row_css, values in rows)
    if total is not None:
        body += f'<tr class="total">{cells(total)}</tr>'
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _figures(now, before, unit: str, lang: str) -> str:
    # the date once in the heading, not after every change (the cells wrapped "+17.31 较 2023-06-30")
    rows = [("", [f.label, f.value, f.delta or "", f.detail or ""]) for f in review_figures(now, before, unit, lang)]
    headings = [
        (t("report_figure", lang), False),
        (t("report_value", lang), True),
        (t("report_change", lang, date=before.as_of.isoformat()), True),
        (t("report_detail", lang), False),
    ]
    table = _table(headings, rows)
    return table.replace("<table>", '<table class="figures">', 1).replace('<td class="num">', '<td class="num value">', 1)


def _projects_table(run: Run, year: int, dept: str | None, as_of: dt.date, unit: str, lang: str) -> str:
    status = run("project_status", year=year, dept=dept, as_of=as_of, limit=None, **threshold_params())
    projects, total = status[status["project_code"].notna()], status[status["project_code"].isna()]
    columns = ("budget", "planned_cumulative", "actual_cumulative", "forecast")
    decimals = {c: money_decimals(status[c], unit) for c in columns}

    def amounts(p) -> list[str]:
        return [money(p[c], unit, decimals[c]) for c in columns]

    rows = [
        (
            p["status"],
            [
                str(n),
                p["name"],
                status_label(p["status"], p["status_reason"], lang),
                *amounts(p),
                percent(p["execution_rate"]),
                f"{p['gap_pp']:+.1f}",
                reason_text(p["status_reason"], p["gap_pp"], p["actual_cumulative"] - p["budget"], lang),
            ],
        )
        for n, (_, p) in enumerate(projects.iterrows(), start=1)
    ]
    headers = [
        (t("sum_seq", lang), "num"),
        (t("col_project", lang), "name"),
        (t("col_status", lang), "word"),
        *((t(key, lang), "num") for key in ("th_budget", "th_planned", "th_actual", "th_forecast", "col_rate", "col_gap_pp")),
        (t("col_reason", lang), "text"),
    ]
    summed = None
    if not total.empty:
        p = total.iloc[0]
        summed = ["", t("form_total", lang), status_counts(p, lang), *amounts(p), percent(p["execution_rate"]), f"{p['gap_pp']:+.1f}", ""]
    note = f'<p class="note">{html.escape(t("money_unit_note", lang, unit=unit_word(unit, lang)))}</p>'
    return note + _table(headers, rows, summed, css="projects")


def _attention(run: Run, year: int, dept: str | None, as_of: dt.date, lang: str) -> str:
    items = attention(run, year, dept, as_of, settings().limits.attention_rows, lang)
    if not items:
        return f"<p>{html.escape(t('all_on_track', lang))}</p>"
    rows = [(item.severity, [item.badge, item.scope, item.text]) for item in items]
    return _table([(t("col_status", lang), "word"), (t("col_project", lang), "name"), (t("col_attention", lang), "text")], rows)


def _dept_goals(run: Run, year: int, dept: str | None, as_of: dt.date, lang: str) -> str:
    rows = run("indicator_status", year=year, dept=dept, as_of=as_of, project="", level1=None, status=None, off_only=False, limit=None)
    css = {"达标": "green", "未达标": "red"}
    return _table(
        [
            (t("col_status", lang), "word"),
            *((t(k, lang), "text") for k in ("col_dept_indicator", "col_target")),
            (t("col_latest", lang), "word"),
            (t("col_likelihood", lang), "word"),
        ],
        [
            (
                css.get(r.status, ""),
                [
                    status_word(r.status, lang),
                    r.description,
                    r.target_text,
                    _value(r.latest_actual, r.actual_text, r.unit),
                    likelihood_word(r.likelihood, lang),
                ],
            )
            for r in rows.itertuples()
        ],
    )


def _value(value, text, unit) -> str:
    return number(value) + shown_text(unit) if pd.notna(value) else shown_text(text)


def _signature(unit_name: str, lang: str) -> str:
    """制表单位, 制表人, 审核人, 日期: the unit printed, the rest to be signed by hand."""
    e = html.escape
    cells = [t("sign_unit", lang, unit=unit_name), t("sign_date", lang, date=""), t("sign_preparer", lang), t("sign_reviewer", lang)]
    return '<div class="signature">' + "".join(f"<div>{e(c)}</div>" for c in cells) + "</div>"


def _indicator_table(form: ProjectForm, lang: str) -> str:
    """The form's indicators, the cells of a run of equal 一级指标 merged as in the published tables."""
    e = html.escape
    keys = ["col_level1", "col_level2", "col_level3", "col_target", "", "form_reason", "col_likelihood", "form_detail", "form_action"]
    head = "".join(f"<th>{e(actual_heading(form.period, lang) if not key else t(key, lang))}</th>" for key in keys)
    rows, lines = [], form.indicators
    for n, i in enumerate(lines):
        first = n == 0 or lines[n - 1].level1 != i.level1
        span = next((k for k in range(n + 1, len(lines)) if lines[k].level1 != i.level1), len(lines)) - n
        level1 = f'<td class="level1" rowspan="{span}">{e(i.level1)}</td>' if first else ""
        cells = "".join(f"<td>{e(v)}</td>" for v in (i.level2, i.level3, i.target, i.actual, i.reason, i.likelihood, i.detail, i.action))
        rows.append(f'<tr class="{"red" if i.off_target else ""}">{level1}{cells}</tr>')
    return f'<table class="indicators"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _project_page(form: ProjectForm, year: int, as_of: dt.date, unit: str, lang: str) -> str:
    """One project's 项目支出绩效目标执行监控表 on a landscape page of its own."""
    e = html.escape
    head = (
        f'<table class="head"><tr><td class="label">{e(t("form_project_name", lang))}</td><td>{e(form.name)}</td>'
        f'<td class="label">{e(t("col_project_code", lang))}</td><td>{e(form.code)}</td></tr>'
        f'<tr><td class="label">{e(t("form_supervisor", lang))}</td><td>{e(form.supervisor)}</td>'
        f'<td class="label">{e(t("form_unit", lang))}</td><td>{e(form.unit_name)}</td></tr></table>'
    )
    amounts = [v for line in form.funds for v in (line.budget, line.actual, line.forecast)]
    places = money_decimals(amounts, unit)
    funds = _table(
        [(t("form_funds", lang, unit=unit_word(unit, lang)), "word")]
        + [(t(k, lang), "num") for k in ("form_budget", "form_actual", "col_rate", "form_forecast", "form_forecast_rate")]
        + [(t("form_funds_note", lang), "text")],
        [
            (
                "",
                [
                    line.label,
                    money(line.budget, unit, places),
                    money(line.actual, unit, places),
                    percent(line.rate) if line.rate is not None else "",
                    money(line.forecast, unit, places) if line.forecast is not None else "",
                    percent(line.forecast_rate) if line.forecast_rate is not None else "",
                    form.status_text if first else "",
                ],
            )
            for first, line in ((n == 0, line) for n, line in enumerate(form.funds))
        ],
    )
    goals = "\n".join(f"{n}. {goal}" for n, goal in enumerate(form.goals, start=1))
    indicators = _indicator_table(form, lang)
    return f"""<section class="form">
<h2>{e(t("form_project_title", lang))}</h2>
<p class="subtitle">{e(t("form_year_as_of", lang, year=year, as_of=as_of.isoformat()))}</p>
{head}{funds}
<table><tr><th>{e(t("form_goals", lang))}</th><td class="goals">{e(goals)}</td></tr></table>
{indicators}
{_signature(form.unit_name, lang)}
</section>"""
