"""The 填报版 of the 项目支出绩效目标执行监控表: what the exported form carries so that an import can
place every value without guessing, shared by its writer (monitor.review.fill) and its reader
(monitor.ingest.form).

Each project sheet has one hidden column of markers: `#project:<项目编码>` beside the project's
header, `#funds` on the heading row of the funds block, `#forecast` on its 年度资金总额 line,
`#header` on the heading row of the indicators and the 指标编号 on each indicator's row. The reader
finds the column by its markers, the rows by their markers and the columns of the values by their
headings, so rows moved, a sheet renamed or a column inserted by hand are still read. A very hidden
sheet holds the form's year, unit, period end and monitoring round.
"""

from __future__ import annotations

FORMAT = 1  # of the markers and the information sheet
INFO_SHEET = "_form"  # very hidden: key in column A, value in column B
PROJECT = "#project:"
FUNDS = "#funds"
FORECAST = "#forecast"
HEADER = "#header"
# The headings (message keys) of the columns an import reads, by the field each one fills.
INDICATOR_FIELDS = {
    "actual": "form_actual_at",  # headed with the period: 实际完成值（截至 …）
    "forecast_text": "form_forecast_text",
    "reason": "form_reason",
    "likelihood": "col_likelihood",
    "reason_detail": "form_detail",
}
FUND_FIELDS = {"forecast": "form_forecast", "reason": "form_reason", "reason_detail": "form_detail"}
