"""The 填报版 of the 绩效运行监控表: the official workbook (monitor.review.workbook) of one unit made
for filling in Excel and importing back (monitor.ingest.form, `monitor import form`).

Its project sheets keep the official layout and add what an import needs (monitor.store.form_layout):
the hidden column of markers and 指标编号, and a very hidden sheet with the year, unit, period end and
round. The cells to fill are unlocked and the rest protected (without a password: the protection
guides, the import checks): per indicator 实际完成值, 全年预计完成情况, 偏差原因分析, 完成目标可能性 and
原因说明; per project 全年预计执行数 with its 偏差原因分析 and 原因说明 (the funds block's 执行情况说明
column split in two for them). 偏差原因 and 完成目标可能性 are drop-down lists. A cell holds a value
only when it was reported for this very period; an older one is shown in the cell's comment, so a row
left as it is adds nothing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from monitor.errors import Refused
from monitor.fmt import number, unit_word
from monitor.i18n import t
from monitor.review.forms import ProjectForm, actual_heading
from monitor.review.workbook import HEADER, LAST, STATUS_FILL, UNIT, _cell, _wan, saved, workbook
from monitor.rules.words import likelihood_word, reason_word
from monitor.store import form_layout as layout
from monitor.store.db import Run
from monitor.store.vocabulary import LIKELIHOODS, OPEN_ROUND_STATES, REASONS

ID_COLUMN = LAST + 1  # the hidden column of markers and 指标编号
FIRST_INDICATOR_ROW = 11
FILL = "FFF9DB"  # the cells to fill
UNLOCKED = Protection(locked=False)


def build_fill_form(run: Run, year: int, dept: str | None, as_of: dt.date, lang: str = "zh", task_id: int | None = None) -> bytes:
    """The 填报版 of unit `dept` at the end of `as_of` (for monitoring round `task_id`, if any), as xlsx bytes."""
    if not dept:
        raise Refused("err_fill_one_unit")
    task_id = form_round(run, year, dept, as_of, task_id)
    book, forms = workbook(run, year, dept, as_of, lang)
    summary = book.worksheets[0]
    summary.protection.sheet = True
    for sheet, form in zip(book.worksheets[1:], forms, strict=True):
        _fillable(sheet, form, as_of, lang)
    info = book.create_sheet(layout.INFO_SHEET)
    for key, value in {
        "format": layout.FORMAT,
        "year": year,
        "dept": dept,
        "period_end": as_of.isoformat(),
        "task": task_id or "",
        "lang": lang,
        "projects": ",".join(f.code for f in forms),
    }.items():
        info.append([key, value])
    info.sheet_state = "veryHidden"
    info.protection.sheet = True
    return saved(book)


def form_round(run: Run, year: int, dept: str, as_of: dt.date, task_id: int | None) -> int | None:
    """The round a form is for: `task_id` when it is open for the unit at `as_of` (else Refused), or,
    when None, the unit's one open round of that period end, if there is exactly one."""
    rounds = run("round_status", year=year, dept=dept, today=dt.date.today())
    rounds = rounds[(rounds["dept_code"] == dept) & rounds["state"].isin(OPEN_ROUND_STATES)]
    rounds = rounds[pd.to_datetime(rounds["period_end"]).dt.date == as_of]
    if task_id is None:
        return int(rounds["task_id"].iloc[0]) if len(rounds) == 1 else None
    if task_id not in set(rounds["task_id"]):
        raise Refused("err_fill_round", task=task_id, dept=dept, period=as_of.isoformat())
    return task_id


def choices(values: tuple[str, ...], word, lang: str) -> list[str]:
    """A drop-down's entries: the stored values worded in the form's language."""
    return [word(v, lang) for v in values]


def _list(sheet: Worksheet, entries: list[str], lang: str) -> DataValidation:
    shown = "、".join(entries)
    check = DataValidation(type="list", formula1='"' + ",".join(entries) + '"', allow_blank=True, showErrorMessage=True)
    check.errorTitle = t("fill_list_error_title", lang)
    check.error = t("fill_list_error", lang, allowed=shown)
    sheet.add_data_validation(check)
    return check


def _open(sheet: Worksheet, row: int, column: int, value, fmt: str | None = None) -> None:
    """An unlocked cell to fill, shaded so that people see where to write."""
    cell = _cell(sheet, row, column, value, fmt, fill=FILL)
    if value is None:  # an empty cell to fill, whatever the official form showed there
        cell.value = None
    cell.protection = UNLOCKED


def _fillable(sheet: Worksheet, form: ProjectForm, as_of: dt.date, lang: str) -> None:
    marker = ID_COLUMN
    sheet.cell(row=3, column=marker, value=layout.PROJECT + form.code)
    reasons = _list(sheet, choices(REASONS, reason_word, lang), lang)
    likelihoods = _list(sheet, choices(LIKELIHOODS, likelihood_word, lang), lang)

    # Funds: 全年预计执行数 with its 偏差原因分析 and 原因说明 on the 年度资金总额 line; the status below them.
    for row in (5, 6, 7, 8):
        sheet.unmerge_cells(start_row=row, start_column=8, end_row=row, end_column=LAST)
    sheet.cell(row=5, column=marker, value=layout.FUNDS)
    _cell(sheet, 5, 8, t("form_reason", lang), bold=True, fill=HEADER)
    _cell(sheet, 5, LAST, t("form_detail", lang), bold=True, fill=HEADER)
    sheet.cell(row=6, column=marker, value=layout.FORECAST)
    entered = form.forecast_entered or {}
    _open(sheet, 6, 6, _wan(entered.get("forecast")), sheet.cell(row=6, column=6).number_format)
    sheet.cell(row=6, column=6).comment = Comment(
        t("fill_forecast_note", lang, amount=number(_wan(form.funds[0].forecast)), unit=unit_word(UNIT, lang)), "monitor"
    )
    sheet.cell(row=6, column=7, value='=IF(OR(F6="",C6=0),"",F6/C6)')  # the rate follows the figure entered
    _open(sheet, 6, 8, reason_word(entered.get("reason"), lang) or None)
    _open(sheet, 6, LAST, entered.get("reason_detail") or None)
    reasons.add(sheet.cell(row=6, column=8))
    status = sheet.cell(row=7, column=8, value=form.status_text)
    status.fill = PatternFill("solid", fgColor=STATUS_FILL[form.status])
    sheet.merge_cells(start_row=7, start_column=8, end_row=8, end_column=LAST)

    # Indicators: the value for this period and what staff wrote with it, each row marked by its 指标编号.
    sheet.cell(row=10, column=marker, value=layout.HEADER)
    _cell(sheet, 10, 5, actual_heading(as_of, lang), bold=True, fill=HEADER)
    for row, line in enumerate(form.indicators, start=FIRST_INDICATOR_ROW):
        sheet.cell(row=row, column=marker, value=line.indicator_id)
        current = line.reported == as_of
        written = line.written if current and line.written else {}
        _open(sheet, row, 5, line.entered if current and line.entered else None, "@")  # text: 95% stays 95%
        _open(sheet, row, 6, written.get("forecast_text") or None)
        _open(sheet, row, 7, reason_word(written.get("reason"), lang) or None)
        _open(sheet, row, 8, likelihood_word(written.get("likelihood"), lang) or None)
        _open(sheet, row, LAST, written.get("reason_detail") or None)
        if line.entered and not current:
            period = line.reported.isoformat() if line.reported else ""
            earlier = t("fill_earlier", lang, value=line.actual.removesuffix(t("in_brackets", lang, text=period)), period=period)
            sheet.cell(row=row, column=5).comment = Comment(earlier, "monitor")
        reasons.add(sheet.cell(row=row, column=7))
        likelihoods.add(sheet.cell(row=row, column=8))
    hidden = sheet.column_dimensions[get_column_letter(marker)]
    hidden.width, hidden.hidden = 2, True
    sheet.cell(row=2, column=1).font = Font(color="404040")
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people may widen columns and rows to read
    sheet.protection.formatRows = False
