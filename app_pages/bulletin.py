"""支出进度通报: the units under the sidebar's region or department ranked by 执行率 — the facts in a
paragraph, the red and yellow lists, the ranking chart and table — and the 通报 as Word and Excel."""

import datetime as dt

import streamlit as st

from monitor.fmt import percent, plain
from monitor.review.bulletin import columns, listed, paragraph, table, title, to_docx, to_xlsx
from monitor.review.charts import bulletin_chart
from monitor.rules.bulletin import bulletin
from monitor.rules.disbursement import STATUS_BACKGROUND
from monitor.ui.data import cached_rule
from monitor.ui.filters import filters
from monitor.ui.widgets import DOCX_MIME, XLSX_MIME, column_formats, show_table

CHART_UNITS = 30  # more units than this: the chart shows the lowest ranks, the table all of them

f = filters()
st.header(f.t("page_bulletin"))
found = cached_rule(bulletin, f.year, f.dept, f.as_of) if f.year else None
if found is None:
    st.info(f.t("no_data"))
    st.stop()
st.caption(f.as_of_text())
st.subheader(plain(title(found, f.lang)))

total = found.total
c = st.columns([1, 1.5, 1.5, 1, 1])
c[0].metric(f.t("bul_units"), f"{len(found.units):,}", border=True)
c[1].metric(
    f.t("execution_rate"),
    percent(total["execution_rate"]),
    delta=f"{total['change_pp']:+.2f} pp" if found.has_previous_month else None,
    delta_description=f.t("since", date=found.prev_as_of.isoformat()) if found.has_previous_month else None,
    delta_color="off",
    help=f.t("execution_rate_help"),
    border=True,
)
c[2].metric(
    f.t("bul_last_year"),
    percent(total["last_year_rate"]) if found.has_last_year else f.t("bul_no_last_year"),
    delta=f"{total['last_year_change_pp']:+.2f} pp" if found.has_last_year else None,
    delta_description=f.t("bul_this_year_vs", date=found.last_year_as_of.isoformat()) if found.has_last_year else None,
    delta_color="off",
    help=f.t("bul_last_year_help"),
    border=True,
)
c[3].metric(f.t("bul_legend_red"), f"{int(total['red_units']):,}", help=f.t("bul_red_help", red=f"{found.red_pp:g}"), border=True)
c[4].metric(
    f.t("bul_legend_yellow"), f"{int(total['amber_units']):,}", help=f.t("bul_yellow_help", amber=f"{found.amber_pp:g}"), border=True
)
st.markdown(plain(paragraph(found, f.unit, f.lang)))

stem = f"{f.year}-{f.dept or 'all'}-{f.as_of.isoformat()}"
left, right = st.columns(2)
left.download_button(
    f.t("bul_download_docx"),
    lambda: to_docx(found, f.unit, f.lang, dt.date.today()),
    f"支出进度通报-{stem}.docx",
    mime=DOCX_MIME,
    on_click="ignore",
    icon=":material/description:",
)
right.download_button(
    f.t("bul_download_xlsx"),
    lambda: to_xlsx(found, f.unit, f.lang, dt.date.today()),
    f"支出进度通报-{stem}.xlsx",
    mime=XLSX_MIME,
    on_click="ignore",
    icon=":material/table:",
)

shown = found.units if len(found.units) <= CHART_UNITS else found.units.tail(CHART_UNITS)
chart_title = f.t("bul_chart" if len(found.units) <= CHART_UNITS else "bul_chart_lowest", n=CHART_UNITS)
st.plotly_chart(bulletin_chart(shown, float(total["time_progress"]), f.lang, chart_title))

st.subheader(f.t("bul_table_heading", unit=f.unit))
cols = columns(found, f.unit, f.lang)
rows = table(found, f.unit, f.lang)
statuses = [*found.units["status"], "total"]
show_table(rows, column_formats(cols), [c.key for c in cols], ("status", statuses, {**STATUS_BACKGROUND, "total": "#eeeeee"}))

for column, heading, frame in zip(st.columns(2), ("bul_red_list", "bul_yellow_list"), (found.red, found.yellow)):
    column.markdown(f"**{f.t(heading, n=len(frame))}**")
    if frame.empty:
        column.caption(f.t("bul_list_empty"))
    else:
        column.dataframe(listed(found, frame, f.unit, f.lang), hide_index=True)
st.caption(f.t("bul_rules", amber=f"{found.amber_pp:g}", red=f"{found.red_pp:g}"))
