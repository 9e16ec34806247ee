"""The year-end outlook on the pages (monitor.rules.outlook): 总览's section — the budget expected to
remain unspent at 31 December with its 80% interval and the projects likely to end below the threshold —
and 项目详情's line under the S-curve. Without an earlier year in the database they say so instead."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.fmt import money, percent, plain
from monitor.rules.outlook import outlook, scope_outlook
from monitor.settings import settings
from monitor.ui.data import cached_rule, query
from monitor.ui.filters import Filters


def projects_outlook(f: Filters) -> pd.DataFrame:
    """The outlook of every project under the sidebar's scope at its as-of date. The model learns from
    every unit whatever the scope, so it runs once per published version and date, for all units, and
    a change of 单位 only picks that unit's projects out of it."""
    every = cached_rule(outlook, f.year, f.as_of, None)
    if f.dept is None:
        return every
    units = query("scope_units", dept=f.dept)["dept_code"]
    return every[every["dept_code"].isin(units)].reset_index(drop=True)


def band_text(f: Filters, low: float, high: float) -> str:
    return f.t("outlook_band", low=percent(low), high=percent(high))


def overview_outlook(f: Filters, rows: int) -> None:
    """总览: the scope's forecast year-end rate, the budget expected to remain unspent (80% interval) and
    the `rows` projects with the lowest forecast among those flagged, each linked to its 项目详情."""
    st.subheader(f.t("outlook_heading"), help=f.t("outlook_help"))
    found = scope_outlook(projects_outlook(f))
    if found is None or not found.basis:
        st.info(f.t("outlook_none"))
        return
    below = percent(found.flag_below, 0)
    c = st.columns(3)
    c[0].metric(f.t("outlook_rate"), percent(found.rate), border=True, help=f.t("outlook_rate_help"))
    c[1].metric(f.t("outlook_unspent", unit=f.unit_word), money(found.unspent, f.unit), border=True, help=f.t("outlook_unspent_help"))
    low, high = money(found.unspent_low, f.unit), money(found.unspent_high, f.unit)
    c[1].caption(f.t("outlook_unspent_band", low=low, high=high, unit=f.unit_word))
    c[2].metric(f.t("outlook_flagged", below=below), f"{len(found.flagged):,}", border=True, help=f.t("outlook_flagged_help", below=below))
    c[2].caption(f.t("outlook_flagged_of", n=found.projects))
    if found.flagged.empty:
        st.success(f.t("outlook_none_flagged", below=below))
        return
    if len(found.flagged) > rows:
        st.caption(f.t("outlook_lowest", rows=rows, n=len(found.flagged)))
    for p in found.flagged.head(rows).itertuples():
        band, spent = band_text(f, p.low, p.high), percent(p.actual / p.budget)
        label = f.t("outlook_item", name=plain(p.name), rate=percent(p.forecast), band=band, spent=spent)
        st.page_link("app_pages/project.py", label=label, query_params={"project": p.project_code}, icon=":material/arrow_forward:")


def project_outlook(f: Filters, code: str) -> pd.Series | None:
    """项目详情: the project's outlook row; None when there is no forecast (no earlier year to learn from)."""
    rows = projects_outlook(f)
    rows = rows[(rows["project_code"] == code) & (rows["basis"] != "none")]
    return None if rows.empty else rows.iloc[0]


def project_outlook_line(f: Filters, row: pd.Series | None) -> None:
    """The line under the S-curve: the forecast with its interval and what it is based on, or that there is none."""
    if row is None:
        st.caption(f.t("outlook_none"))
        return
    basis = f.t("outlook_basis_unit", n=int(row["history_years"])) if row["basis"] == "unit" else f.t("outlook_basis_peers")
    line = f.t("outlook_project", rate=percent(row["forecast"]), band=band_text(f, row["low"], row["high"]), basis=basis)
    if row["flag"]:
        line += f.t("outlook_project_flag", below=percent(settings().outlook.flag_below, 0))
    st.caption(line + f.t("outlook_project_note"))
