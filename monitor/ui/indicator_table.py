"""The indicator table of 绩效指标 as people read it: codes in words, a value with its unit, and the
whole record of the selected row (the table itself keeps to the key columns that fit the page)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from monitor.fmt import number, plain, shown_text
from monitor.rules.indicators import STATUS_BACKGROUND, status_word
from monitor.rules.words import level_word, likelihood_word, reason_word
from monitor.ui.filters import Filters
from monitor.ui.widgets import show_table

# Every column of a row, in the order of the official monitoring table: the downloads and the details.
DOWNLOAD_COLUMNS = [
    "status_word",
    "off_target",
    "project_name",
    "level1",
    "level2",
    "level3",
    "target_text",
    "latest",
    "gap",
    "period_end",
    "likelihood",
    "reason",
    "reason_detail",
    "corrective_action",
]


def actual_text(value: Any, text: Any, unit: Any) -> str:
    """The value reached with its unit (78%, 1家), or the text of a qualitative one; empty when none."""
    if value is not None and pd.notna(value):
        return number(value) + shown_text(unit)
    return shown_text(text)


def indicator_rows(rows: pd.DataFrame, lang: str, dept_wide: str) -> pd.DataFrame:
    """Rows of queries/pages/indicator_status.sql with the columns shown: status, levels, 完成可能性
    and 偏差原因 in words, the actual with its unit."""
    return rows.assign(
        status_word=[status_word(s, lang) for s in rows["status"]],
        project_name=rows["project_name"].fillna(dept_wide),
        latest=[actual_text(v, text, u) for v, text, u in zip(rows["latest_actual"], rows["actual_text"], rows["unit"])],
        level1=[level_word(v, lang) for v in rows["level1"]],
        level2=[level_word(v, lang) for v in rows["level2"]],
        likelihood=[likelihood_word(v, lang) for v in rows["likelihood"]],
        reason=[reason_word(v, lang) for v in rows["reason"]],
    )


def indicator_details(f: Filters, row: pd.Series, config: dict[str, Any], fields: list[str] | None = None) -> None:
    """The `fields` (default: every column of DOWNLOAD_COLUMNS) of the selected indicator, labelled as the table's columns."""
    with st.container(border=True):
        st.markdown(f"**{plain(row['level3'])}**")
        columns = st.columns(2)
        for i, column in enumerate(c for c in fields or DOWNLOAD_COLUMNS if c not in ("status_word", "level3")):
            spec = config[column]
            label = spec if isinstance(spec, str) else spec["label"]
            columns[i % 2].markdown(f.t("detail_line", label=plain(label), value=plain(_value(f, row[column]))))


def _value(f: Filters, value: Any) -> str:
    if pd.api.types.is_bool(value):
        return f.t("explore_yes" if value else "explore_no")
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and pd.notna(value):
        return f"{value:+.2f}"
    return shown_text(value) or "—"


def indicator_table(
    f: Filters,
    table: pd.DataFrame,
    config: dict[str, Any],
    order: list[str],
    statuses: pd.Series,
    key: str,
    fields: list[str] | None = None,
) -> None:
    """The indicators coloured by status; a row picked shows all its details below (the table keeps its key columns)."""
    picked = show_table(
        table, config, order, ("status_word", statuses, STATUS_BACKGROUND), on_select="rerun", selection_mode="single-row", key=key
    )
    st.caption(f.t("ind_details_hint"))
    if picked.selection.rows:
        indicator_details(f, table.iloc[picked.selection.rows[0]], config, fields)
