"""The 绩效运行监控表 as an Excel workbook in the official layout: a summary sheet for the
department and one 项目支出绩效目标执行监控表 sheet per project.

Figures come from the same named queries as the pages (`run` as in monitor.rules.headline); money is
written in 万元, the unit of the published tables. Text from data is neutralised so that no
cell becomes a formula.
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

from monitor.fmt import number
from monitor.review.export import neutral_text
from monitor.rules.disbursement import reason_text, status_counts, status_label, threshold_params
from monitor.rules.indicators import NO_FILTERS
from monitor.store.db import Run

WAN = Decimal(10000)
MONEY = "#,##0.00"
RATE = "0.00%"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER = "DCE6F1"  # header cells
STATUS_FILL = {"green": "D7F0DF", "amber": "FFE9B3", "red": "F8CFCA"}
LIKELIHOOD_NOTE = {"确定能": "预计能完成年度目标", "有可能": "完成年度目标存在风险", "完全不可能": "预计无法完成年度目标"}
INDICATOR_COLUMNS = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "全年预计完成情况",
    "偏差原因分析",
    "完成目标可能性",
    "原因说明",
]
WIDTHS = [14, 18, 24, 14, 16, 20, 14, 14, 40]


def build_workbook(run: Run, year: int, dept: str | None, as_of: dt.date) -> bytes:
    """The workbook for `dept` (None = all units) at the end of `as_of`, as xlsx bytes. `run` may
    also serve a monitoring round's frozen snapshot (monitor.rounds.tasks.Snapshot.query)."""
    status = run("project_status", year=year, dept=dept, as_of=as_of, limit=None, **threshold_params())
    funds = run("project_funds", year=year, dept=dept, as_of=as_of).set_index("project_code")
    indicators = run("indicator_status", year=year, dept=dept, as_of=as_of, **NO_FILTERS)
    scores = run("project_scores", year=year, dept=dept, as_of=as_of).set_index("project_code", drop=False)
    projects = status[status["project_code"].notna()].set_index("project_code", drop=False)

    book = Workbook()
    _summary(book.active, year, as_of, projects, status[status["project_code"].isna()], indicators, scores)
    for number_, code in enumerate(funds.index, start=1):
        goals = run("project_goals", year=year, project=code)
        sheet = book.create_sheet(_sheet_name(number_, funds.loc[code, "name"]))
        _project_sheet(
            sheet,
            year,
            as_of,
            funds.loc[code],
            projects.loc[code],
            goals,
            indicators[indicators["project_code"] == code].sort_values("seq"),
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _score(value) -> tuple[float | None, str]:
    """A score cell: empty while there is none (nothing reported yet)."""
    return (None if pd.isna(value) else round(float(value), 1)), "0.0"


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _sheet_name(number_: int, name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)
    return f"{number_}.{cleaned}"[:31]


def _wan(value) -> float:
    return float(Decimal(str(value)) / WAN)


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
    sheet.cell(row=2, column=1, value=subtitle).alignment = Alignment(horizontal="center")
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _summary(
    sheet: Worksheet, year: int, as_of: dt.date, projects: pd.DataFrame, total: pd.DataFrame, indicators: pd.DataFrame, scores: pd.DataFrame
) -> None:
    sheet.title = "汇总"
    headers = [
        "序号",
        "项目编码",
        "项目名称",
        "年度预算数",
        "执行数",
        "执行率",
        "序时进度",
        "执行状态",
        "状态说明",
        "全年预计执行数",
        "偏离目标指标数",
        "自评得分（预估）" if scores["estimate"].any() else "自评得分",
        "等级",
    ]
    _title(sheet, "绩效运行监控汇总表", f"{year} 年度，截至 {as_of.isoformat()}　　金额单位：万元", len(headers))
    for column, header in enumerate(headers, start=1):
        _cell(sheet, 3, column, header, bold=True, fill=HEADER)
    off = indicators[indicators["project_code"].notna()].groupby("project_code")["off_target"].sum()
    row = 4
    for row, p in enumerate(projects.itertuples(), start=4):
        values = [
            row - 3,
            p.project_code,
            p.name,
            (_wan(p.budget), MONEY),
            (_wan(p.actual_cumulative), MONEY),
            (p.execution_rate, RATE),
            (p.time_progress, RATE),
            status_label(p.status, p.status_reason),
            reason_text(p.status_reason, p.gap_pp, p.actual_cumulative - p.budget),
            (_wan(p.forecast), MONEY),
            int(off.get(p.project_code, 0)),
            _score(scores.loc[p.project_code, "score"]),
            _text(scores.loc[p.project_code, "grade"]),
        ]
        for column, value in enumerate(values, start=1):
            value, fmt = value if isinstance(value, tuple) else (value, None)
            _cell(sheet, row, column, value, fmt, fill=STATUS_FILL[p.status] if column == 8 else None)
    if not total.empty:
        t = total.iloc[0]
        department = scores[scores["project_code"].isna()].iloc[0]
        row += 1
        _merge(sheet, row, 1, 3, "合计", bold=True)
        totals = [
            (_wan(t["budget"]), MONEY),
            (_wan(t["actual_cumulative"]), MONEY),
            (t["execution_rate"], RATE),
            (t["time_progress"], RATE),
            status_counts(t),
            "",
            (_wan(t["forecast"]), MONEY),
            int(indicators["off_target"].sum()),
            _score(department["score"]),
            _text(department["grade"]),
        ]
        for column, value in enumerate(totals, start=4):
            value, fmt = value if isinstance(value, tuple) else (value, None)
            _cell(sheet, row, column, value, fmt, bold=True)
    for column, width in enumerate([6, 24, 26, 12, 12, 10, 10, 10, 22, 14, 12, 10, 8], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "D4"


def _project_sheet(
    sheet: Worksheet, year: int, as_of: dt.date, funds: pd.Series, status: pd.Series, goals: pd.DataFrame, indicators: pd.DataFrame
) -> None:
    _title(sheet, "项目支出绩效目标执行监控表", f"（{year} 年度，截至 {as_of.isoformat()}）", 9)
    _cell(sheet, 3, 1, "项目名称", bold=True)
    _merge(sheet, 3, 2, 5, funds["name"])
    _cell(sheet, 3, 6, "项目编码", bold=True)
    _merge(sheet, 3, 7, 9, funds.name)
    _cell(sheet, 4, 1, "主管部门", bold=True)
    _merge(sheet, 4, 2, 5, funds["supervisor_name"])
    _cell(sheet, 4, 6, "实施单位", bold=True)
    _merge(sheet, 4, 7, 9, funds["dept_name"])

    _merge(sheet, 5, 1, 2, "项目资金（万元）", bold=True, fill=HEADER)
    for column, header in enumerate(["年度预算数", "执行数", "执行率", "全年预计执行数", "全年预计执行率"], start=3):
        _cell(sheet, 5, column, header, bold=True, fill=HEADER)
    _merge(sheet, 5, 8, 9, "执行情况说明", bold=True, fill=HEADER)
    forecast = float(status["forecast"])
    lines = [
        ("年度资金总额", funds["budget"], funds["actual"], forecast),
        ("其中：财政资金", funds["fiscal_funds"], funds["fiscal_actual"], None),
        ("其他资金", funds["other_funds"], funds["other_actual"], None),
    ]
    reason = reason_text(status["status_reason"], status["gap_pp"], status["actual_cumulative"] - status["budget"])
    note = f"{status_label(status['status'], status['status_reason'])}：{reason}"
    for row, (label, budget, actual, expected) in enumerate(lines, start=6):
        _merge(sheet, row, 1, 2, label, bold=row == 6)
        _cell(sheet, row, 3, _wan(budget), MONEY)
        _cell(sheet, row, 4, _wan(actual), MONEY)
        _cell(sheet, row, 5, float(actual) / float(budget) if budget else None, RATE)
        _cell(sheet, row, 6, _wan(expected) if expected is not None else None, MONEY)
        _cell(sheet, row, 7, expected / float(budget) if expected is not None and budget else None, RATE)
        _merge(sheet, row, 8, 9, note if row == 6 else None, fill=STATUS_FILL[status["status"]] if row == 6 else None)

    _cell(sheet, 9, 1, "年度总体目标", bold=True)
    _merge(sheet, 9, 2, 9, "\n".join(f"{g.seq}. {g.goal}" for g in goals.itertuples()))
    sheet.row_dimensions[9].height = 18 * max(1, len(goals))
    for column, header in enumerate(INDICATOR_COLUMNS, start=1):
        _cell(sheet, 10, column, header.replace("实际完成值", f"实际完成值（截至 {as_of:%m-%d}）"), bold=True, fill=HEADER)
    for row, i in enumerate(indicators.itertuples(), start=11):
        actual = number(i.latest_actual) + (i.unit or "") if pd.notna(i.latest_actual) else (i.actual_text or "未填报")
        detail = "；".join(x for x in (i.reason_detail, i.corrective_action) if isinstance(x, str))
        for column, value in enumerate(
            [
                i.level1,
                i.level2,
                i.level3,
                i.target_text,
                actual,
                _forecast_text(i),
                i.reason or "",
                i.likelihood or "",
                detail,
            ],
            start=1,
        ):
            _cell(sheet, row, column, value, fill="F8CFCA" if column == 5 and i.off_target else None)
    _merge_runs(sheet, 11, len(indicators), 1)
    _merge_runs(sheet, 11, len(indicators), 2)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A11"


def _forecast_text(indicator) -> str:
    """全年预计完成情况: what staff wrote in a monitoring round's snapshot, else worded from 完成目标可能性."""
    written = getattr(indicator, "forecast_text", None)
    return written if isinstance(written, str) and written else LIKELIHOOD_NOTE.get(indicator.likelihood, "")


def _merge_runs(sheet: Worksheet, first_row: int, count: int, column: int) -> None:
    """Merge runs of equal values down a column (一级/二级指标 as in the published tables)."""
    start = first_row
    for row in range(first_row + 1, first_row + count + 1):
        if row == first_row + count or sheet.cell(row=row, column=column).value != sheet.cell(row=start, column=column).value:
            if row - 1 > start:
                sheet.merge_cells(start_row=start, start_column=column, end_row=row - 1, end_column=column)
            start = row
