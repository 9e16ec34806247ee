"""The printable quarterly review report: one self-contained HTML page (charts embedded as
PNG images) with the headline figures, the quarterly chart, what needs attention and the
department-wide goals; and the same page printed to PDF by the OS Chromium.

Every value from data is HTML-escaped. The figures are those of 总览 (monitor.rules.headline).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from monitor.errors import NotFound, Refused
from monitor.fmt import money, number
from monitor.i18n import t
from monitor.review.charts import quarterly_chart
from monitor.rules.disbursement import reason_text, status_label, threshold_params
from monitor.rules.headline import attention, headline, previous_quarter_end, review_figures
from monitor.rules.indicators import status_word
from monitor.settings import settings
from monitor.store.db import Run

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #222; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 18px; border-bottom: 2px solid #1f5fa8; padding-bottom: 4px; }
.meta { color: #666; } .figures { display: flex; flex-wrap: wrap; gap: 12px; }
.figure { border: 1px solid #ccc; border-radius: 6px; padding: 10px 14px; min-width: 180px; }
.figure .label { color: #555; font-size: 13px; } .figure .value { font-size: 28px; } .figure .delta { color: #666; font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { border: 1px solid #bbb; padding: 4px 6px; text-align: left; }
th { background: #dce6f1; } td:first-child { white-space: nowrap; }
.red { background: #f8cfca; } .amber { background: #ffe9b3; } .green { background: #d7f0df; } .grey { background: #ececec; }
img { max-width: 100%; } @media print { body { margin: 0; } h2 { break-after: avoid; } }
"""


def build_html(run: Run, year: int, dept: str | None, as_of: dt.date, unit: str = "万元", lang: str = "zh") -> str:
    """The report for `dept` (None = all units) at the end of `as_of`."""
    now = headline(run, year, dept, as_of)
    if now is None:
        raise NotFound("err_report_no_projects", year=year, dept=dept or t("all_depts", lang))
    before = headline(run, year, dept, previous_quarter_end(as_of))
    e = html.escape
    since = t("since", lang, date=before.as_of.isoformat())
    figures = review_figures(now, before, unit, lang)
    boxes = "".join(
        f'<div class="figure"><div class="label">{e(f.label)}</div><div class="value">{e(f.value)}</div>'
        + (f'<div class="delta">{e(f.delta)} {e(since)}</div>' if f.delta else "")
        + (f'<div class="delta">{e(f.detail)}</div>' if f.detail else "")
        + "</div>"
        for f in figures
    )
    quarters = run("quarterly_totals", year=year, dept=dept, as_of=as_of)
    chart = quarterly_chart(quarters, unit, lang, t("chart_quarterly", lang, scope=t("scope_all", lang)))
    image = base64.b64encode(chart.to_image(format="png", width=1000, height=520, scale=2)).decode()
    return f"""<!DOCTYPE html>
<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8"><title>{e(t("review_report_title", lang))}</title>
<style>{STYLE}</style></head><body>
<h1>{e(t("review_report_title", lang))}</h1>
<p class="meta">{e(t("report_as_of", lang, as_of=as_of.isoformat()))} · {e(str(year))} · {e(_scope(run, year, dept, lang))}</p>
<div class="figures">{boxes}</div>
<h2>{e(t("chart_quarterly", lang, scope=t("scope_all", lang)))}</h2>
<img alt="{e(t("chart_quarterly", lang, scope=t("scope_all", lang)))}" src="data:image/png;base64,{image}">
<h2>{e(t("projects_status", lang))}</h2>{_projects_table(run, year, dept, as_of, unit, lang)}
<h2>{e(t("attention", lang))}</h2>{_attention(run, year, dept, as_of, lang)}
<h2>{e(t("dept_goals", lang))}</h2>{_dept_goals(run, year, dept, as_of, lang)}
</body></html>"""


def _scope(run: Run, year: int, dept: str | None, lang: str) -> str:
    if dept is None:
        return t("all_depts", lang)
    goals = run("dept_goals", year=year, dept=dept)
    return f"{dept} {goals.iloc[0]['dept_name']}" if not goals.empty else dept


def _table(headers: list[str], rows: list[tuple[str, list[str]]]) -> str:
    """An HTML table of escaped text; each row carries a CSS class (status colour) or ''."""
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join(f'<tr class="{css}">' + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>" for css, cells in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _projects_table(run: Run, year: int, dept: str | None, as_of: dt.date, unit: str, lang: str) -> str:
    status = run("project_status", year=year, dept=dept, as_of=as_of, limit=None, **threshold_params())
    rows = [
        (
            p.status,
            [
                status_label(p.status, p.status_reason, lang),
                p.name,
                money(p.budget, unit),
                money(p.planned_cumulative, unit),
                money(p.actual_cumulative, unit),
                f"{p.execution_rate * 100:.2f}%",
                reason_text(p.status_reason, p.gap_pp, p.actual_cumulative - p.budget, lang),
            ],
        )
        for p in status[status["project_code"].notna()].itertuples()
    ]
    headers = [
        t(k, lang, unit=unit) for k in ("col_status", "col_project", "col_budget", "col_planned", "col_actual", "col_rate", "col_reason")
    ]
    return _table(headers, rows)


def _attention(run: Run, year: int, dept: str | None, as_of: dt.date, lang: str) -> str:
    items = attention(run, year, dept, as_of, settings().limits.attention_rows, lang)
    if not items:
        return f"<p>{html.escape(t('all_on_track', lang))}</p>"
    rows = [(item.severity, [item.badge, item.scope, item.text]) for item in items]
    return _table([t(k, lang) for k in ("col_status", "col_project", "col_attention")], rows)


def _dept_goals(run: Run, year: int, dept: str | None, as_of: dt.date, lang: str) -> str:
    rows = run("indicator_status", year=year, dept=dept, as_of=as_of, project="", level1=None, status=None, off_only=False, limit=None)
    css = {"达标": "green", "未达标": "red"}
    return _table(
        [t(k, lang) for k in ("col_status", "col_dept_indicator", "col_target", "col_latest", "col_likelihood")],
        [
            (
                css.get(r.status, ""),
                [
                    status_word(r.status, lang),
                    r.description,
                    r.target_text,
                    number(r.latest_actual) if pd.notna(r.latest_actual) else (r.actual_text or ""),
                    r.likelihood or "",
                ],
            )
            for r in rows.itertuples()
        ],
    )


def html_to_pdf(page: str) -> bytes:
    """Print the report with the OS Chromium (installed by the set-up scripts), A4 landscape-free."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise Refused("err_pdf_needs_chromium")
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "report.html", Path(folder) / "report.pdf"
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--no-pdf-header-footer",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return target.read_bytes()
