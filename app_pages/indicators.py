"""绩效指标: every indicator with target, latest actual, status and gap; heatmap; scores."""

import streamlit as st

from monitor.fmt import plain
from monitor.review.charts import status_heatmap
from monitor.rules.headline import Score
from monitor.rules.indicators import status_word
from monitor.rules.words import grade_word, level_word
from monitor.settings import settings
from monitor.store.vocabulary import DEPT_WIDE_LEVEL1, INDICATOR_STATUSES, SCORE_GROUPS
from monitor.ui.actuals_editor import actuals_editor
from monitor.ui.data import query
from monitor.ui.filters import filters
from monitor.ui.indicator_table import DOWNLOAD_COLUMNS, indicator_rows, indicator_table
from monitor.ui.links import keep_in_url, parse_flag, url_param
from monitor.ui.widgets import download_buttons, project_choices, show_table

f = filters()
st.header(f.t("page_indicators"))
if f.year is None:
    st.info(f.t("no_data"))
    st.stop()
st.caption(f.as_of_text())

TABLE_ROWS = settings().limits.table_rows  # a province has ~10^6 indicators: the table shows the first (off-target first)
HEATMAP_PROJECTS = settings().limits.heatmap_projects  # those with the most off-target indicators

# Page filters, kept in the URL. "" in the project filter means the department-wide indicators.
ALL = "*"
LEVEL1 = (*SCORE_GROUPS, DEPT_WIDE_LEVEL1)  # both schemes: 成本指标 as a level-1 too
projects = {**project_choices(f, "ind_project"), "": ""}
choices = {
    "ind_project": [ALL, *projects],
    "ind_level1": [ALL, *LEVEL1],
    "ind_status": [ALL, *INDICATOR_STATUSES],
}
labels = {
    "ind_project": lambda v: f.t("all") if v == ALL else (projects[v] or f.t("dept_wide")),
    "ind_level1": lambda v: f.t("all") if v == ALL else level_word(v, f.lang),
    "ind_status": lambda v: f.t("all") if v == ALL else status_word(v, f.lang),
}
columns = st.columns([3, 2, 2, 2])
FILTER_TITLES = [("ind_project", "filter_project"), ("ind_level1", "filter_level1"), ("ind_status", "filter_status")]
for column, (key, title) in zip(columns, FILTER_TITLES):
    url_param(key, str, choices[key], ALL)
    column.selectbox(f.t(title), choices[key], key=key, format_func=labels[key])
    keep_in_url(key, ALL)
url_param("ind_off", parse_flag, None, False)
columns[3].toggle(f.t("filter_off_only"), key="ind_off")
keep_in_url("ind_off", False)


def chosen(key: str) -> str | None:
    return None if st.session_state[key] == ALL else st.session_state[key]


# Every figure below follows the filters; the scores follow the project filter only (a score is a project's).
selected = {
    "project": chosen("ind_project"),
    "level1": chosen("ind_level1"),
    "status": chosen("ind_status"),
    "off_only": st.session_state["ind_off"],
}
scores = query("lowest_scores", year=f.year, dept=f.dept, as_of=f.as_of, limit=TABLE_ROWS)
department = scores[scores["project_code"].isna()]
filtered = any(v not in (None, False) for v in selected.values())  # "" (department-wide only) is a filter too
if department.empty or filtered:
    counts = query("indicator_counts", year=f.year, dept=f.dept, as_of=f.as_of, **selected).iloc[0]
else:  # unfiltered, the score table's department row holds the cards' counts: one pass of the indicator rule fewer
    counts = department.iloc[0]
if selected["project"] is not None:  # that project's score only ('' = department-wide: no score)
    scores = scores[scores["project_code"] == selected["project"]]
c = st.columns([2, 2, 2, 2, 3])  # the score's label is the longest
c[0].metric(f.t("ind_total"), f"{int(counts['indicators']):,}", border=True)
c[1].metric(f.t("ind_met"), f"{int(counts['met']):,}", border=True)
c[2].metric(f.t("ind_off"), f"{int(counts['off_target']):,}", help=f.t("ind_off_help"), border=True)
c[3].metric(f.t("ind_missing"), f"{int(counts['missing']):,}", border=True)
if not scores.empty:  # empty when no project is in scope, or the department-wide indicators are chosen
    score = Score.of(scores.iloc[0]) if selected["project"] is None else Score.of_project(scores.iloc[0])
    c[4].metric(score.label(f.lang), score.shown(f.lang), help=f.t("dept_score_help"), border=True)
    if selected["project"] is None:
        c[4].caption(plain(score.details(f.lang)))
if selected["level1"] or selected["status"] or selected["off_only"]:
    st.caption(f.t("scores_follow_project"))

rows = query("indicator_status", year=f.year, dept=f.dept, as_of=f.as_of, **selected, limit=TABLE_ROWS + 1)
if len(rows) > TABLE_ROWS:
    st.caption(f.t("table_capped", rows=TABLE_ROWS))
    rows = rows.head(TABLE_ROWS)
st.subheader(f.t("indicator_table"))
table = indicator_rows(rows, f.lang, f.t("dept_wide"))
# The key columns fit 1440 px; the rest of an indicator's record is shown when its row is selected.
order = ["status_word", "off_target", "project_name", "level3", "target_text", "latest", "gap", "likelihood", "reason", "reason_detail"]
config = {
    "status_word": st.column_config.TextColumn(f.t("col_status"), width=64),
    "off_target": st.column_config.CheckboxColumn(f.t("col_off"), width=44),
    "project_name": st.column_config.TextColumn(f.t("col_project"), width=150),
    "level1": f.t("col_level1"),
    "level2": f.t("col_level2"),
    "level3": st.column_config.TextColumn(f.t("col_level3"), width=160),
    "target_text": st.column_config.TextColumn(f.t("col_target"), width=76),
    "latest": st.column_config.TextColumn(f.t("col_latest"), width=92),
    "unit": f.t("col_unit"),
    "gap": st.column_config.NumberColumn(f.t("col_ind_gap"), format="%+.2f", width=64, help=f.t("col_ind_gap_help")),
    "period_end": st.column_config.DateColumn(f.t("col_period")),
    "likelihood": st.column_config.TextColumn(f.t("col_likelihood"), width=80),
    "reason": st.column_config.TextColumn(f.t("col_reason_cat"), width=84),
    "reason_detail": st.column_config.TextColumn(f.t("col_reason_detail"), width=96),
    "corrective_action": f.t("col_action"),
}
indicator_table(f, table, config, order, rows["status"], "ind_table")
applied = [(f.t(title), labels[key](st.session_state[key])) for key, title in FILTER_TITLES]
applied.append((f.t("filter_off_only"), f.t("explore_yes" if st.session_state["ind_off"] else "explore_no")))
download_buttons(table, "indicators", applied, DOWNLOAD_COLUMNS, config)

cells = query("indicator_heatmap", year=f.year, dept=f.dept, as_of=f.as_of, **selected, limit=HEATMAP_PROJECTS)
if not cells.empty:
    st.plotly_chart(status_heatmap(cells, f.lang, f.t("chart_heatmap")))

st.subheader(f.t("scores"), help=f.t("scores_help"))
score_table = scores.assign(name=scores["name"].fillna(f.t("dept_total")), grade=[grade_word(g, f.lang) for g in scores["grade"]])
score_order = ["name", "execution_points", "output_points", "effect_points", "satisfaction_points", "score", "grade"]
score_config = {
    "name": f.t("col_project"),
    "execution_points": st.column_config.NumberColumn(f.t("col_score_exec"), format="%.1f"),
    "output_points": st.column_config.NumberColumn(f.t("col_score_output"), format="%.1f"),
    "effect_points": st.column_config.NumberColumn(f.t("col_score_effect"), format="%.1f"),
    "satisfaction_points": st.column_config.NumberColumn(f.t("col_score_satisfaction"), format="%.1f"),
    "score": st.column_config.NumberColumn(f.t("col_score"), format="%.1f"),
    "grade": f.t("col_grade"),
}
show_table(score_table, score_config, score_order)
download_buttons(score_table, "scores", columns=score_order, labels=score_config)
actuals_editor(f, {code: name for code, name in projects.items() if code})
