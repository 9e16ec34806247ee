"""The 绩效运行监控表 as an Excel workbook in the official layout: a summary sheet for the
department and one 项目支出绩效目标执行监控表 sheet per project (monitor.review.forms).

Figures come from the same named queries as the pages (`run` as in monitor.rules.headline); money is
written in 万元, the unit of the published tables, with the decimals of the money rule. Every sheet
prints on A4 landscape fitted to the width, its header rows repeated on each page, numbered
"第 N 页 共 M 页" and closed by the signature block. Labels are in `lang`; text from data is
neutralised so that no cell becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from monitor.fmt import excel_money_format, unit_word
from monitor.i18n import t
from monitor.review.export import neutral_text
from monitor.review.forms import ProjectForm, actual_heading, project_forms, scope_name
from monitor.rules.disbursement import reason_text, status_counts, status_label, threshold_params
from monitor.rules.indicators import NO_FILTERS
from monitor.rules.words import grade_word
from monitor.store.db import Run

UNIT = "万元"
WAN = Decimal(10000)
RATE = "0.00%"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER = "DCE6F1"  # header cells
STATUS_FILL = {"green": "D7F0DF", "amber": "FFE9B3", "red": "F8CFCA"}
SUMMARY_COLUMNS = (  # key of the heading, width
    ("sum_seq", 6),
    ("col_project_code", 24),
    ("col_project", 26),
    ("form_budget", 12),
    ("form_actual", 12),
    ("col_rate", 10),
    ("sum_time_progress", 10),
    ("sum_status", 10),
    ("sum_status_text", 22),
    ("form_forecast", 14),
    ("sum_off_target", 12),
    ("sum_score", 10),
    ("col_grade", 8),
)
INDICATOR_COLUMNS = (  # key of the heading, width; 实际完成值 is headed with its period
    ("col_level1", 14),
    ("col_level2", 18),
    ("col_level3", 24),
    ("col_target", 14),
    ("col_latest", 18),
    ("form_forecast_text", 20),
    ("form_reason", 14),
    ("col_likelihood", 14),
    ("form_detail", 40),
)
LAST = len(INDICATOR_COLUMNS)


def build_workbook(run: Run, year: int, dept: str | None, as_of: dt.date, lang: str = "zh") -> bytes:
    """The workbook for `dept` (None = all units) at the end of `as_of`, as xlsx bytes. `run` may
    also serve a monitoring round's frozen snapshot (monitor.rounds.tasks.Snapshot.query)."""
    return saved(workbook(run, year, dept, as_of, lang)[0])


def saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workbook(run: Run, year: int, dept: str | None, as_of: dt.date, lang: str = "zh") -> tuple[Workbook, list[ProjectForm]]:
    """The workbook and the forms of its project sheets (the second sheet on, in order)."""
    status = run("project_status", year=year, dept=dept, as_of=as_of, limit=None, **threshold_params())
    indicators = run("indicator_status", year=year, dept=dept, as_of=as_of, **NO_FILTERS)
    scores = run("project_scores", year=year, dept=dept, as_of=as_of).set_index("project_code", drop=False)
    forms = project_forms(run, year, dept, as_of, lang)
    scope = scope_name(forms, dept, lang)

    book = Workbook()
    _summary(book.active, year, as_of, status, indicators, scores, scope, lang)
    for n, form in enumerate(forms, start=1):
        _project_sheet(book.create_sheet(_sheet_name(n, form.name)), year, as_of, form, lang)
    return book, forms


def _score(value) -> tuple[float | None, str]:
    """A score cell: empty while there is none (nothing reported yet)."""
    return (None if pd.isna(value) else round(float(value), 1)), "0.0"


def _sheet_name(number_: int, name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)
    return f"{number_}.{cleaned}"[:31]


def _wan(value) -> float | None:
    return None if value is None or pd.isna(value) else float(Decimal(str(value)) / WAN)


def _cell(sheet: Worksheet, row: int, column: int, value, fmt: str | None = None, bold: bool = False, fill: str | None = None):
    cell = sheet.cell(row=row, column=column, value=neutral_text(value) if isinstance(value, str) else value)
    cell.border = BORDER
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="left" if isinstance(value, str) else "right")
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    return cell


def _merge(sheet: Worksheet, row: int, first: int, last: int, value, **style) -> None:
    for column in range(first, last + 1):
        _cell(sheet, row, column, value if column == first else None, **style)
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _title(sheet: Worksheet, title: str, subtitle: str, columns: int) -> None:
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=16)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    sheet.cell(row=2, column=1, value=neutral_text(subtitle)).alignment = Alignment(horizontal="center")


def _print_setup(sheet: Worksheet, title_rows: str, last_row: int, columns: int, lang: str) -> None:
    """A4 landscape fitted to the width, `title_rows` repeated on every page, numbered pages."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    sheet.print_area = f"A1:{get_column_letter(columns)}{last_row}"
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = t("page_of", lang, page="&P", pages="&N")


def _signature(sheet: Worksheet, row: int, columns: int, unit_name: str, lang: str) -> int:
    """制表单位, 制表人, 审核人 and 日期 under a table (the last two to be signed by hand); its last row."""
    row += 1
    half = max(1, columns // 2)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=half)
    sheet.cell(row=row, column=1, value=neutral_text(t("sign_unit", lang, unit=unit_name)))
    sheet.merge_cells(start_row=row, start_column=half + 1, end_row=row, end_column=columns)
    sheet.cell(row=row, column=half + 1, value=t("sign_date", lang, date=""))
    row += 1
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=half)
    sheet.cell(row=row, column=1, value=t("sign_preparer", lang))
    sheet.merge_cells(start_row=row, start_column=half + 1, end_row=row, end_column=columns)
    sheet.cell(row=row, column=half + 1, value=t("sign_reviewer", lang))
    for r in (row - 1, row):
        sheet.row_dimensions[r].height = 24
    return row


def _summary(
    sheet: Worksheet,
    year: int,
    as_of: dt.date,
    status: pd.DataFrame,
    indicators: pd.DataFrame,
    scores: pd.DataFrame,
    scope: str,
    lang: str,
) -> None:
    sheet.title = t("form_summary_sheet", lang)
    projects = status[status["project_code"].notna()]
    total = status[status["project_code"].isna()]
    money = {c: excel_money_format(status[c], UNIT) for c in ("budget", "actual_cumulative", "forecast")}
    headings = [t(key, lang) for key, _ in SUMMARY_COLUMNS]
    if scores["estimate"].any():
        headings[11] = t("sum_score_estimate", lang)
    subtitle = t("form_summary_subtitle", lang, unit=scope, year=year, as_of=as_of.isoformat(), money=unit_word(UNIT, lang))
    _title(sheet, t("form_summary_title", lang), subtitle, len(headings))
    for column, heading in enumerate(headings, start=1):
        _cell(sheet, 3, column, heading, bold=True, fill=HEADER)
    off = indicators[indicators["project_code"].notna()].groupby("project_code")["off_target"].sum()
    row = 3
    for row, p in enumerate(projects.itertuples(), start=4):
        values = [
            row - 3,
            p.project_code,
            p.name,
            (_wan(p.budget), money["budget"]),
            (_wan(p.actual_cumulative), money["actual_cumulative"]),
            (p.execution_rate, RATE),
            (p.time_progress, RATE),
            status_label(p.status, p.status_reason, lang),
            reason_text(p.status_reason, p.gap_pp, p.actual_cumulative - p.budget, lang),
            (_wan(p.forecast), money["forecast"]),
            int(off.get(p.project_code, 0)),
            _score(scores.loc[p.project_code, "score"]),
            grade_word(scores.loc[p.project_code, "grade"], lang),
        ]
        for column, value in enumerate(values, start=1):
            value, fmt = value if isinstance(value, tuple) else (value, None)
            _cell(sheet, row, column, value, fmt, fill=STATUS_FILL[p.status] if column == 8 else None)
    if not total.empty:
        total_row = total.iloc[0]
        department = scores[scores["project_code"].isna()].iloc[0]
        row += 1
        _merge(sheet, row, 1, 3, t("form_total", lang), bold=True)
        totals = [
            (_wan(total_row["budget"]), money["budget"]),
            (_wan(total_row["actual_cumulative"]), money["actual_cumulative"]),
            (total_row["execution_rate"], RATE),
            (total_row["time_progress"], RATE),
            status_counts(total_row, lang),  # the counts of its projects, never one status word
            "",
            (_wan(total_row["forecast"]), money["forecast"]),
            int(indicators["off_target"].sum()),
            _score(department["score"]),
            grade_word(department["grade"], lang),
        ]
        for column, value in enumerate(totals, start=4):
            value, fmt = value if isinstance(value, tuple) else (value, None)
            _cell(sheet, row, column, value, fmt, bold=True)
    for column, (_, width) in enumerate(SUMMARY_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "D4"
    last = _signature(sheet, row + 1, len(SUMMARY_COLUMNS), scope, lang)
    _print_setup(sheet, "1:3", last, len(SUMMARY_COLUMNS), lang)


def _project_sheet(sheet: Worksheet, year: int, as_of: dt.date, form: ProjectForm, lang: str) -> None:
    _title(sheet, t("form_project_title", lang), t("form_year_as_of", lang, year=year, as_of=as_of.isoformat()), LAST)
    _cell(sheet, 3, 1, t("form_project_name", lang), bold=True)
    _merge(sheet, 3, 2, 5, form.name)
    _cell(sheet, 3, 6, t("col_project_code", lang), bold=True)
    _merge(sheet, 3, 7, LAST, form.code)
    _cell(sheet, 4, 1, t("form_supervisor", lang), bold=True)
    _merge(sheet, 4, 2, 5, form.supervisor)
    _cell(sheet, 4, 6, t("form_unit", lang), bold=True)
    _merge(sheet, 4, 7, LAST, form.unit_name)

    _merge(sheet, 5, 1, 2, t("form_funds", lang, unit=unit_word(UNIT, lang)), bold=True, fill=HEADER)
    for column, key in enumerate(["form_budget", "form_actual", "col_rate", "form_forecast", "form_forecast_rate"], start=3):
        _cell(sheet, 5, column, t(key, lang), bold=True, fill=HEADER)
    _merge(sheet, 5, 8, LAST, t("form_funds_note", lang), bold=True, fill=HEADER)
    money = excel_money_format([v for line in form.funds for v in (line.budget, line.actual, line.forecast)], UNIT)
    for row, line in enumerate(form.funds, start=6):
        first = row == 6
        _merge(sheet, row, 1, 2, line.label, bold=first)
        _cell(sheet, row, 3, _wan(line.budget), money)
        _cell(sheet, row, 4, _wan(line.actual), money)
        _cell(sheet, row, 5, line.rate, RATE)
        _cell(sheet, row, 6, _wan(line.forecast), money)
        _cell(sheet, row, 7, line.forecast_rate, RATE)
        _merge(sheet, row, 8, LAST, form.status_text if first else None, fill=STATUS_FILL[form.status] if first else None)

    _cell(sheet, 9, 1, t("form_goals", lang), bold=True)
    _merge(sheet, 9, 2, LAST, "\n".join(f"{n}. {goal}" for n, goal in enumerate(form.goals, start=1)))
    sheet.row_dimensions[9].height = 18 * max(1, len(form.goals))
    for column, (key, _) in enumerate(INDICATOR_COLUMNS, start=1):
        heading = actual_heading(form.period, lang) if key == "col_latest" else t(key, lang)
        _cell(sheet, 10, column, heading, bold=True, fill=HEADER)
    for row, i in enumerate(form.indicators, start=11):
        detail = t("list_sep", lang).join(x for x in (i.detail, i.action) if x)
        values = [i.level1, i.level2, i.level3, i.target, i.actual, i.forecast_text, i.reason, i.likelihood, detail]
        for column, value in enumerate(values, start=1):
            _cell(sheet, row, column, value, fill="F8CFCA" if column == 5 and i.off_target else None)
    _merge_runs(sheet, 11, len(form.indicators), 1)
    _merge_runs(sheet, 11, len(form.indicators), 2)
    for column, (_, width) in enumerate(INDICATOR_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A11"
    last = _signature(sheet, 10 + len(form.indicators) + 1, LAST, form.unit_name, lang)
    _print_setup(sheet, "10:10", last, LAST, lang)


def _merge_runs(sheet: Worksheet, first_row: int, count: int, column: int) -> None:
    """Merge runs of equal values down a column (一级/二级指标 as in the published tables)."""
    start = first_row
    for row in range(first_row + 1, first_row + count + 1):
        if row == first_row + count or sheet.cell(row=row, column=column).value != sheet.cell(row=start, column=column).value:
            if row - 1 > start:
                sheet.merge_cells(start_row=start, start_column=column, end_row=row - 1, end_column=column)
            start = row
