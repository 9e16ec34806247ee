"""支出进度通报 as people read it: the ranked table with its 合计 row, the red and yellow lists and
the paragraph of facts, worded in the reader's language, for the page and as a Word document
(python-docx: A4 landscape, title, 文号 placeholder, date) or an xlsx workbook. Figures come from
monitor.rules.bulletin (one named query); this module only arranges and words them.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from monitor.fmt import MONEY_UNITS
from monitor.i18n import t
from monitor.review.export import neutral_text
from monitor.rules.bulletin import Bulletin
from monitor.rules.disbursement import reason_text, status_label

Kind = Literal["rank", "text", "count", "money", "rate", "pp"]


@dataclass(frozen=True)
class Column:
    key: str  # a column of the frame `table` returns
    label: str
    kind: Kind


def columns(b: Bulletin, unit: str, lang: str) -> list[Column]:
    """The table's columns in their order; the previous-year pair only when the database holds that year."""
    spec: list[tuple[str, str, Kind]] = [
        ("rank", "bul_col_rank", "rank"),
        ("name", "bul_col_unit", "text"),
        ("parent_name", "bul_col_parent", "text"),
        ("projects", "bul_col_projects", "count"),
        ("budget", "bul_col_budget", "money"),
        ("planned", "bul_col_planned", "money"),
        ("actual", "bul_col_actual", "money"),
        ("planned_rate", "bul_col_planned_rate", "rate"),
        ("execution_rate", "bul_col_rate", "rate"),
        ("gap_pp", "bul_col_gap_pp", "pp"),
        ("time_gap_pp", "bul_col_time_gap_pp", "pp"),
        ("prev_rate", "bul_col_prev_rate", "rate"),
        ("change_pp", "bul_col_change_pp", "pp"),
        ("prev_rank", "bul_col_prev_rank", "rank"),
    ]
    if b.has_last_year:
        spec += [("last_year_rate", "bul_col_last_year_rate", "rate"), ("last_year_change_pp", "bul_col_last_year_change_pp", "pp")]
    if b.has_outlook:
        spec.append(("forecast_rate", "bul_col_forecast", "rate"))
    spec.append(("status", "bul_col_status", "text"))
    return [
        Column(key, t(label, lang, unit=unit, prev=b.prev_as_of.isoformat(), last=b.last_year_as_of.isoformat()), kind)
        for key, label, kind in spec
    ]


def table(b: Bulletin, unit: str, lang: str) -> pd.DataFrame:
    """The units ranked, then the 合计 row: money in `unit`, rates in %, gaps in percentage points,
    each rounded to 2 decimals as shown and exported; the status in words (the total: its units' counts)."""
    rows = pd.concat([b.units, b.total.to_frame().T], ignore_index=True)
    out = pd.DataFrame(index=rows.index)
    divisor = float(MONEY_UNITS[unit])
    for c in columns(b, unit, lang):
        values = rows[c.key]
        if c.kind == "money":
            out[c.key] = (values.astype(float) / divisor).round(2)
        elif c.kind == "rate":
            out[c.key] = (values.astype(float) * 100).round(2)
        elif c.kind == "pp":
            out[c.key] = values.astype(float).round(2)
        elif c.kind in ("rank", "count"):
            out[c.key] = values.astype("Int64")
        else:
            out[c.key] = values.astype(object)
    last = len(rows) - 1
    out["status"] = [status_label(s, r, lang) for s, r in zip(b.units["status"], b.units["status_reason"])] + [unit_counts(b, lang)]
    out.loc[last, "name"] = t("bul_total", lang)
    out.loc[last, "parent_name"] = ""
    return out


def unit_counts(b: Bulletin, lang: str) -> str:
    """The total row's status: how many units are red, yellow and green (never one word for all)."""
    counts = (
        ("bul_red_units", b.total["red_units"]),
        ("bul_yellow_units", b.total["amber_units"]),
        ("bul_green_units", b.total["green_units"]),
    )
    return " · ".join(t(key, lang, n=int(n)) for key, n in counts)


def listed(b: Bulletin, frame: pd.DataFrame, unit: str, lang: str) -> pd.DataFrame:
    """A red or yellow list: rank, unit, execution rate, gap to plan and the reason in words."""
    over = (frame["actual"] - frame["budget"]).astype(float) / float(MONEY_UNITS[unit])
    return pd.DataFrame(
        {
            t("bul_col_rank", lang): frame["rank"].astype(int).to_list(),
            t("bul_col_unit", lang): frame["name"].to_list(),
            t("bul_col_rate", lang): (frame["execution_rate"].astype(float) * 100).round(2).to_list(),
            t("bul_col_gap_pp", lang): frame["gap_pp"].astype(float).round(2).to_list(),
            t("bul_col_reason", lang): [
                reason_text(r, g, o, lang) for r, g, o in zip(frame["status_reason"], frame["gap_pp"].astype(float), over)
            ],
        }
    )


def day_text(day: dt.date, lang: str) -> str:
    """A date as an official document writes it: 2024年9月30日 (2024-09-30 in English)."""
    return t("bul_date", lang, year=day.year, month=day.month, day=day.day)


def scope_text(b: Bulletin, lang: str) -> str:
    return b.scope_name if b.scope_name else t("bul_scope_all", lang)


def title(b: Bulletin, lang: str) -> str:
    return t("bul_title", lang, scope=scope_text(b, lang), year=b.year)


def paragraph(b: Bulletin, unit: str, lang: str) -> str:
    """The facts in a few sentences: totals and their yardsticks, the change since the previous
    month end and against last year, how many units are behind, the highest and lowest, the largest gaps."""
    total, units = b.total, b.units
    money = float(MONEY_UNITS[unit])
    parts = [
        t(
            "bul_para_total",
            lang,
            date=day_text(b.as_of, lang),
            scope=scope_text(b, lang),
            units=f"{len(units):,}",
            projects=f"{int(total['projects']):,}",
            budget=f"{float(total['budget']) / money:,.2f}",
            actual=f"{float(total['actual']) / money:,.2f}",
            unit=unit,
            rate=f"{float(total['execution_rate']):.2%}",
            plan=f"{float(total['planned_rate']):.2%}",
            gap=f"{float(total['gap_pp']):+.2f}",
            time=f"{float(total['time_progress']):.2%}",
            time_gap=f"{float(total['time_gap_pp']):+.2f}",
        )
    ]
    if b.has_previous_month:
        parts.append(t("bul_para_month", lang, prev=day_text(b.prev_as_of, lang), change=f"{float(total['change_pp']):+.2f}"))
    if b.has_last_year:
        parts.append(
            t(
                "bul_para_last_year",
                lang,
                last=day_text(b.last_year_as_of, lang),
                rate=f"{float(total['last_year_rate']):.2%}",
                change=f"{float(total['last_year_change_pp']):+.2f}",
            )
        )
    parts.append(
        t(
            "bul_para_lists",
            lang,
            red=int(total["red_units"]),
            yellow=int(total["amber_units"]),
            green=int(total["green_units"]),
            red_pp=f"{b.red_pp:g}",
            amber_pp=f"{b.amber_pp:g}",
        )
    )
    first, last = units.iloc[0], units.iloc[-1]
    if len(units) > 1:
        parts.append(
            t(
                "bul_para_range",
                lang,
                top=first["name"],
                top_rate=f"{float(first['execution_rate']):.2%}",
                bottom=last["name"],
                bottom_rate=f"{float(last['execution_rate']):.2%}",
            )
        )
    behind = units[units["gap_pp"] < 0].sort_values(["gap_pp", "dept_code"]).head(3)
    if not behind.empty:
        sep = "、" if lang == "zh" else ", "
        worst = sep.join(t("bul_para_gap_item", lang, name=r.name, gap=f"{float(r.gap_pp):+.2f}") for r in behind.itertuples())
        parts.append(t("bul_para_worst", lang, units=worst))
    parts.append(outlook_sentence(b, lang))
    return ("" if lang == "zh" else " ").join(parts)


def outlook_sentence(b: Bulletin, lang: str) -> str:
    """The year-end outlook in one sentence: the forecast rate with its 80% interval and how many units
    are expected to end below the threshold; or, without an earlier year to learn from, that there is none."""
    if not b.has_outlook:
        return t("bul_para_no_outlook", lang)
    total = b.total
    return t(
        "bul_para_outlook",
        lang,
        rate=f"{float(total['forecast_rate']):.2%}",
        low=f"{float(total['forecast_low']):.2%}",
        high=f"{float(total['forecast_high']):.2%}",
        n=len(b.below),
        below=f"{b.flag_below:.0%}",
    )


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _cell(value: object, kind: Kind) -> str:
    """A table cell as the Word document prints it."""
    if _missing(value):
        return "—"
    if kind == "money":
        return f"{float(value):,.2f}"
    if kind == "rate":
        return f"{float(value):.2f}%"
    if kind == "pp":
        return f"{float(value):+.2f}"
    return str(value)


def _font(run_or_style, size: float | None = None, bold: bool | None = None) -> None:
    """Song for Chinese, Times New Roman for Latin text and figures."""
    run_or_style.font.name = "Times New Roman"
    run_or_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    if size is not None:
        run_or_style.font.size = Pt(size)
    if bold is not None:
        run_or_style.font.bold = bold


def to_docx(b: Bulletin, unit: str, lang: str, issued: dt.date) -> bytes:
    """The 通报 as a Word document: A4 landscape, title, 文号 placeholder, the dates, the paragraph,
    the table with its 合计 row, the red and yellow lists and the rules it applies."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    section.top_margin = section.bottom_margin = Cm(2.0)
    _font(doc.styles["Normal"], 10.5)

    def centred(text: str, size: float, bold: bool = False) -> None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), size, bold)

    centred(title(b, lang), 18, bold=True)
    centred(t("bul_doc_number", lang, year=b.year), 12)
    centred(t("bul_doc_dates", lang, as_of=day_text(b.as_of, lang), issued=day_text(issued, lang)), 10.5)
    doc.add_paragraph(paragraph(b, unit, lang))

    def grid(frame: pd.DataFrame, kinds: list[Kind], bold_last: bool) -> None:
        tbl = doc.add_table(rows=1, cols=len(frame.columns))
        tbl.style = "Table Grid"
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, label in zip(tbl.rows[0].cells, frame.columns):
            _font(cell.paragraphs[0].add_run(str(label)), 8, bold=True)
        for i, row in enumerate(frame.itertuples(index=False)):
            cells = tbl.add_row().cells
            for cell, value, kind in zip(cells, row, kinds):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT if kind not in ("text",) else WD_ALIGN_PARAGRAPH.LEFT
                _font(cell.paragraphs[0].add_run(_cell(value, kind)), 8, bold=bold_last and i == len(frame) - 1)

    cols = columns(b, unit, lang)
    shown = table(b, unit, lang)
    doc.add_heading(t("bul_table_heading", lang, unit=unit), level=2)
    grid(shown.set_axis([c.label for c in cols], axis=1), [c.kind for c in cols], bold_last=True)
    list_kinds: list[Kind] = ["rank", "text", "rate", "pp", "text"]
    for heading, frame in (("bul_red_list", b.red), ("bul_yellow_list", b.yellow)):
        doc.add_heading(t(heading, lang, n=len(frame)), level=2)
        if frame.empty:
            doc.add_paragraph(t("bul_list_empty", lang))
        else:
            grid(listed(b, frame, unit, lang), list_kinds, bold_last=False)
    doc.add_paragraph(t("bul_rules", lang, amber=f"{b.amber_pp:g}", red=f"{b.red_pp:g}"))
    _font(doc.styles["Heading 2"], 12, bold=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


FORMATS = {"money": "#,##0.00", "rate": '0.00"%"', "pp": "+0.00;-0.00;0.00", "rank": "0", "count": "0"}
TABLE_SHEET, RED_SHEET, YELLOW_SHEET, NOTES_SHEET = "通报", "红色名单", "黄色名单", "说明"


def to_xlsx(b: Bulletin, unit: str, lang: str, issued: dt.date) -> bytes:
    """The 通报 as a workbook: sheet 通报 (the table, header in row 1, the 合计 row last), 红色名单,
    黄色名单 and 说明 (title, dates, the paragraph, the rules). Numbers stay numbers; text from data
    that starts like a formula is neutralised."""
    wb = Workbook()

    def sheet(ws, frame: pd.DataFrame, kinds: list[Kind]) -> None:
        ws.append([neutral_text(c) for c in frame.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            ws.append([None if _missing(v) else neutral_text(v) if isinstance(v, str) else v for v in row])
        for i, kind in enumerate(kinds, start=1):
            letter = ws.cell(row=1, column=i).column_letter
            ws.column_dimensions[letter].width = 30 if kind == "text" else 14
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                if kind in FORMATS:
                    cell.number_format = FORMATS[kind]
        ws.freeze_panes = "C2"

    cols = columns(b, unit, lang)
    ws = wb.active
    ws.title = TABLE_SHEET
    sheet(ws, table(b, unit, lang).set_axis([c.label for c in cols], axis=1), [c.kind for c in cols])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    list_kinds: list[Kind] = ["rank", "text", "rate", "pp", "text"]
    for name, frame in ((RED_SHEET, b.red), (YELLOW_SHEET, b.yellow)):
        sheet(wb.create_sheet(name), listed(b, frame, unit, lang), list_kinds)
    notes = wb.create_sheet(NOTES_SHEET)
    for line in (
        title(b, lang),
        t("bul_doc_dates", lang, as_of=day_text(b.as_of, lang), issued=day_text(issued, lang)),
        paragraph(b, unit, lang),
        t("bul_rules", lang, amber=f"{b.amber_pp:g}", red=f"{b.red_pp:g}"),
    ):
        notes.append([neutral_text(line)])
    notes.column_dimensions["A"].width = 120
    for (cell,) in notes.iter_rows():
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
