"""Showing a refusal (`monitor.errors.MonitorError`) on a page: in the page's language, escaped
(messages quote what a file or a person typed), an input error's problems as a table."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd
import streamlit as st

from monitor.errors import InputError, InputProblem, MonitorError
from monitor.fmt import plain
from monitor.i18n import t
from monitor.ui.data import writing


def write_then_rerun(lang: str, action: Callable[[duckdb.DuckDBPyConnection], object], notice_key: str, done: str) -> None:
    """Run `action(con)` in one write; on success keep `done` under `notice_key` for the rerun that shows
    the change, else say why not (escaped: messages quote the data)."""
    try:
        with writing() as con:
            action(con)
    except MonitorError as error:
        show_error(error, lang)
        return
    st.session_state[notice_key] = done
    st.rerun()


def show_error(error: MonitorError, lang: str) -> None:
    if isinstance(error, InputError):
        show_problems(error.problems, lang)
    else:
        st.error(plain(error.message(lang)))


def show_problems(problems: list[InputProblem], lang: str, with_file: bool = True) -> None:
    """How many problems there are (nothing is written) and one table row per problem."""
    st.error(t("check_failed", lang, n=len(problems)))
    st.dataframe(problem_table(problems, lang, with_file), hide_index=True)


def problem_table(problems: list[InputProblem], lang: str, with_file: bool = True) -> pd.DataFrame:
    columns = ["file", "row", "column", "value", "expected"][0 if with_file else 1 :]
    rows = [p.cells(lang) for p in problems]
    return pd.DataFrame([r[0 if with_file else 1 :] for r in rows], columns=[t(f"col_{c}", lang) for c in columns]).astype(
        {t("col_row", lang): "Int64"}
    )
