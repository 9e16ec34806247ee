"""Blank import workbooks for the payment ledger 支付流水, the indicator actuals 指标完成值 and the
year-end forecasts 全年预计执行数 (the targets template is monitor.ingest.targets.blank_template_xlsx): the
table to fill on the first sheet (the importers read the first sheet) and a 说明 sheet with every
column (required or not, its unit and the forms accepted) and an example row. Filled with its
example rows, each imports cleanly (tests/test_template.py). The headers are those the importers
read (the COLUMNS of monitor.ingest.payments, actuals and forecasts): Chinese in zh, the data
model's names in en; the examples of 偏差原因 and 完成目标可能性 are the stored Chinese codes in both (the
importers read their English words as well, and the 说明 sheet lists both in en).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from monitor.i18n import t
from monitor.ingest import actuals, forecasts, payments
from monitor.store.vocabulary import LIKELIHOOD_KEYS, LIKELIHOODS, REASON_KEYS, REASONS, choices

EXAMPLE_PROJECT = "13052923P00584011181P"  # 科普专项经费 of the published seed document (the demo's targets)


@dataclass(frozen=True)
class Column:
    name: str  # the data model's name (the English header)
    zh: str  # the Chinese header the importer reads
    required: bool
    note: str  # key of its explanation
    example: object


PAYMENT_COLUMNS = (
    Column("project_code", payments.COLUMNS["project_code"][0], True, "tpl_project_code", EXAMPLE_PROJECT),
    Column("paid_on", payments.COLUMNS["paid_on"][0], True, "tpl_paid_on", "2023-10-12"),
    Column("amount (元)", "金额（元）", True, "tpl_amount", 1250.5),
    Column("voucher_no", payments.COLUMNS["voucher_no"][0], False, "tpl_voucher", "PZ-2023-1012-01"),
    Column("summary", payments.COLUMNS["summary"][0], False, "tpl_summary", "科普宣传资料印制费"),
    Column("fund_source", payments.COLUMNS["fund_source"][0], False, "tpl_fund_source", "一般公共预算"),
    Column("payee", payments.COLUMNS["payee"][0], False, "tpl_payee", "巨鹿县某印刷厂"),
)
ACTUAL_COLUMNS = (
    Column("project_code", actuals.COLUMNS["project_code"][0], True, "tpl_actual_project", EXAMPLE_PROJECT),
    Column("indicator_id", actuals.COLUMNS["indicator_id"][0], False, "tpl_indicator_id", ""),
    Column("level2", actuals.COLUMNS["level2"][0], False, "tpl_level2", ""),
    Column("level3", actuals.COLUMNS["level3"][0], True, "tpl_level3", "科普活动参与率"),
    Column("period_end", actuals.COLUMNS["period_end"][0], True, "tpl_period_end", "2023-12-31"),
    Column("actual", actuals.COLUMNS["actual"][0], True, "tpl_actual", "97%"),
    Column("reason", actuals.COLUMNS["reason"][0], False, "tpl_reason", ""),
    Column("reason_detail", actuals.COLUMNS["reason_detail"][0], False, "tpl_reason_detail", ""),
    Column("likelihood", actuals.COLUMNS["likelihood"][0], False, "tpl_likelihood", "确定能"),
    Column("corrective_action", actuals.COLUMNS["corrective_action"][0], False, "tpl_action", ""),
)
FORECAST_COLUMNS = (
    Column("project_code", forecasts.COLUMNS["project_code"][0], True, "tpl_project_code", EXAMPLE_PROJECT),
    Column("entered_on", forecasts.COLUMNS["entered_on"][0], True, "tpl_entered_on", "2023-10-15"),
    Column("forecast (元)", "全年预计执行数（元）", True, "tpl_forecast", 860000),
    Column("reason", forecasts.COLUMNS["reason"][0], False, "tpl_reason", "经费保障"),
    Column("reason_detail", forecasts.COLUMNS["reason_detail"][0], False, "tpl_reason_detail", "部分活动经费结余"),
)
KINDS = {"payments": PAYMENT_COLUMNS, "actuals": ACTUAL_COLUMNS, "forecasts": FORECAST_COLUMNS}
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def headers(kind: str, lang: str) -> list[str]:
    return [c.zh if lang == "zh" else c.name for c in KINDS[kind]]


def examples(kind: str) -> list[list[object]]:
    """The example rows of a template, as the 说明 sheet shows them."""
    return [[c.example for c in KINDS[kind]]]


def blank_workbook(kind: str, lang: str = "zh") -> bytes:
    """The blank workbook of `kind` (payments, actuals) with its 说明 sheet, in `lang`."""
    columns = KINDS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = t(f"tpl_sheet_{kind}", lang)
    sheet.append(headers(kind, lang))
    for n, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=n)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        sheet.column_dimensions[get_column_letter(n)].width = 24 if column.required else 18
        for row in range(2, 502):  # codes and dates as text: Excel would turn 20230315 or a long code into a number
            sheet.cell(row=row, column=n).number_format = "0.00" if column.name.endswith("(元)") else "@"
    sheet.freeze_panes = "A2"

    likelihoods, reasons = choices(LIKELIHOODS, LIKELIHOOD_KEYS), choices(REASONS, REASON_KEYS)
    notes = book.create_sheet(t("tpl_notes_sheet", lang))
    notes.append([t(f"tpl_title_{kind}", lang)])
    notes["A1"].font = Font(bold=True, size=14)
    for line in ("tpl_how", "tpl_dates", f"tpl_extra_{kind}"):
        notes.append([t(line, lang, likelihoods=likelihoods, reasons=reasons)])
    notes.append([])
    notes.append([t("tpl_col_column", lang), t("tpl_col_required", lang), t("tpl_col_note", lang)])
    heading = notes.max_row
    for column, header in zip(columns, headers(kind, lang)):
        note = t(column.note, lang, likelihoods=likelihoods, reasons=reasons)
        notes.append([header, t("tpl_required" if column.required else "tpl_optional", lang), note])
    notes.append([])
    notes.append([t("tpl_example", lang)])
    notes.append(headers(kind, lang))
    example_head = notes.max_row
    for row in examples(kind):
        notes.append(row)
    for row in (heading, example_head):
        for cell in notes[row]:
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for letter, width in zip("ABCDEFGHIJ", (26, 12, 90, 18, 18, 18, 18, 18, 18, 18)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
