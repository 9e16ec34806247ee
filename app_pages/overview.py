"""总览: the quarterly review on one screen — headline figures with their change since the
previous quarter end, the quarterly picture, what needs attention, department-wide goals."""

import streamlit as st

from monitor.fmt import money, number, plain
from monitor.review.charts import quarterly_chart
from monitor.rounds.tasks import overdue_rounds
from monitor.rules.disbursement import reason_text, status_badge, threshold_params
from monitor.rules.headline import headline, previous_quarter_end
from monitor.rules.indicators import STATUS_BACKGROUND, status_word
from monitor.settings import settings
from monitor.ui.data import query
from monitor.ui.filters import filters
from monitor.ui.widgets import review_downloads, status_colours

f = filters()
st.header(f.t("page_overview"))
now = headline(query, f.year, f.dept, f.as_of) if f.year else None
if now is None:
    st.info(f.t("no_data"))
    st.stop()
before = headline(query, f.year, f.dept, previous_quarter_end(f.as_of))
since = f.t("since", date=before.as_of.isoformat())
st.caption(f.t("as_of_caption", as_of=f.as_of.isoformat()))
for r in overdue_rounds(query, f.year, f.dept).itertuples():
    st.warning(f.t("round_overdue", title=plain(r.title), dept=plain(r.dept_name), deadline=r.deadline.date().isoformat()))
review_downloads(f)


def show(container, label: str, value: str, delta: str | None = None, help_key: str | None = None) -> None:
    container.metric(
        label,
        value,
        delta=delta,
        delta_description=since if delta else None,
        delta_color="off",
        help=f.t(help_key) if help_key else None,
        border=True,
    )


row1, row2 = st.columns(3), st.columns(3)
show(row1[0], f.t("total_budget", unit=f.unit), money(now.budget, f.unit))
show(row1[1], f.t("actual_to_date", unit=f.unit), money(now.actual, f.unit), f"+{money(now.actual - before.actual, f.unit)}")
show(
    row1[2],
    f.t("execution_rate_vs_time", pp=f"{(now.execution_rate - now.time_progress) * 100:+.1f}"),
    f"{now.execution_rate * 100:.2f}%",
    f"{(now.execution_rate - before.execution_rate) * 100:+.1f} pp",
    "execution_rate_help",
)
show(row2[0], f.t("projects_behind"), f"{now.behind:,} / {now.projects:,}", f"{now.behind - before.behind:+d}", "projects_behind_help")
show(row2[1], f.t("ind_off"), f"{now.off_target:,} / {now.indicators:,}", f"{now.off_target - before.off_target:+d}", "ind_off_help")
show(row2[2], f.t("dept_score_grade", grade=now.grade), f"{now.score:.1f}", f"{now.score - before.score:+.1f}", "dept_score_help")

quarters = query("quarterly_totals", year=f.year, dept=f.dept, as_of=f.as_of)
st.plotly_chart(quarterly_chart(quarters, f.unit, f.lang, f.t("chart_quarterly", scope=f.t("scope_all"))))

st.subheader(f.t("attention"))
ATTENTION_ROWS = settings().limits.attention_rows  # the worst few; the counts say how many there are
lagging = query("attention_projects", year=f.year, dept=f.dept, as_of=f.as_of, limit=ATTENTION_ROWS, **threshold_params())
off = query("attention_indicators", year=f.year, dept=f.dept, as_of=f.as_of, limit=ATTENTION_ROWS)
if lagging.empty and off.empty:
    st.success(f.t("all_on_track"))
if now.behind > len(lagging) or now.off_target > len(off):
    st.caption(f.t("attention_worst", rows=ATTENTION_ROWS, behind=now.behind, off=now.off_target))
for p in lagging.itertuples():
    reason = reason_text(p.status_reason, p.gap_pp, p.actual_cumulative - p.budget, f.lang)
    st.markdown(f"{status_badge(p.status, p.status_reason, f.lang)} **{plain(p.name)}** — {plain(reason)}")
for i in off.itertuples():
    badge = f":red-badge[{status_word(i.status, f.lang)}]" if i.status == "未达标" else f":orange-badge[{f.t('ind_at_risk')}]"
    actual = number(i.latest_actual) if i.latest_actual == i.latest_actual else f.t("ind_missing")
    detail = "；".join(plain(x) for x in (i.likelihood, i.reason, i.reason_detail) if isinstance(x, str))
    scope = plain(i.project_name) if isinstance(i.project_name, str) else f.t("dept_wide")
    st.markdown(
        f"{badge} **{scope}** · {plain(i.level3)} — "
        f"{f.t('target_vs_actual', target=plain(i.target_text), actual=plain(actual))}" + (f"（{detail}）" if detail else "")
    )

st.subheader(f.t("dept_goals"))
dept_rows = query(
    "indicator_status", year=f.year, dept=f.dept, as_of=f.as_of, project="", level1=None, status=None, off_only=False, limit=None
)
if not dept_rows.empty:
    st.dataframe(
        status_colours(
            dept_rows.assign(
                status_word=[status_word(s, f.lang) for s in dept_rows["status"]],
                latest=[number(v) if v == v else t for v, t in zip(dept_rows["latest_actual"], dept_rows["actual_text"])],
            ),
            "status_word",
            dept_rows["status"],
            STATUS_BACKGROUND,
        ),
        hide_index=True,
        column_order=["status_word", "description", "target_text", "latest", "likelihood"],
        column_config={
            "status_word": f.t("col_status"),
            "description": f.t("col_dept_indicator"),
            "target_text": f.t("col_target"),
            "latest": f.t("col_latest"),
            "likelihood": f.t("col_likelihood"),
        },
    )
goals = query("dept_goals", year=f.year, dept=f.dept)
with st.expander(f.t("dept_goals_text")):
    for g in goals.itertuples():
        title = f"{g.section}" + (f" · {g.title}" if isinstance(g.title, str) and g.title else "")
        st.markdown(f"**{plain(title)}**")
        st.text(g.text)
