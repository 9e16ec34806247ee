"""数据管理 sections for targets and indicator actuals: upload → check (preview or report) →
confirm; writes need `require_role("editor")`. Data is shown in tables, never as HTML.

A published targets document is previewed beside its source: for the project picked, its page
images (a PDF) or its lines (extracted text) next to the indicators read from them, the rows
read with doubt marked in words. A document read with doubts is imported only once the user
ticks that the doubts were checked."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.errors import InputError
from monitor.fmt import money, plain, unit_word
from monitor.ingest.actuals import check_file, save
from monitor.ingest.document.pages import page_png
from monitor.ingest.targets import Preview, blank_template_xlsx, commit, preview, removed_indicators
from monitor.settings import settings
from monitor.ui.data import cursor
from monitor.ui.errors import show_error
from monitor.ui.filters import Filters
from monitor.ui.signin import require_role, within_scope, writing_as
from monitor.ui.uploads import checked_import, finish, show_done, table_uploader, template_button
from monitor.ui.widgets import XLSX_MIME


def targets_section(f: Filters) -> None:
    st.caption(f.t("targets_intro"))
    st.download_button(
        f.t("blank_template"), blank_template_xlsx, "绩效目标模板.xlsx", mime=XLSX_MIME, on_click="ignore", icon=":material/download:"
    )
    show_done("targets")
    upload = st.file_uploader(
        f.t("upload_targets"),
        type=["xlsx", "pdf", "txt"],
        key=f"targets_file_{st.session_state.get('targets_gen', 0)}",
        max_upload_size=settings().limits.upload_mb,
    )
    if upload is None:
        return
    data = upload.getvalue()
    try:
        proposed = preview(data, upload.name, None)
    except InputError as error:
        show_error(error, f.lang)
        return
    year = st.number_input(f.t("targets_year"), min_value=2000, max_value=2100, value=proposed.targets.year, step=1, key="targets_year")
    if proposed.year_proposed:
        st.caption(f.t("year_proposed", year=proposed.targets.year))
    try:
        result = preview(data, upload.name, int(year))
    except InputError as error:
        show_error(error, f.lang)
        return
    _preview_tables(f, result)
    if result.doubts:
        _doubts(f, result)
    if result.sources:
        _source_beside(f, result, data)
    removed = removed_indicators(cursor(), result.targets)
    if removed:
        st.warning(f.t("targets_removed", items="、".join(f"{r.project_code} {r.level3}（{r.actual_rows}）" for r in removed)))
    user = require_role("editor")
    units = [d.dept_code for d in result.targets.departments]
    if user is None or not within_scope(user, result.targets.year, units=units):
        return
    allow = any(r.actual_rows for r in removed) and st.checkbox(f.t("targets_allow_removal"), key="targets_allow_removal")
    checked = not result.doubts or st.checkbox(f.t("targets_accept_warnings"), key="targets_accept_warnings")
    if st.button(f.t("confirm_import"), type="primary", key="targets_confirm", disabled=not checked):
        try:
            with writing_as(user, result.targets.year, units=units) as con:
                outcome = commit(con, result, user.name, allow_removal=allow, accept_warnings=checked)
        except InputError as error:
            show_error(error, f.lang)
            return
        message = (
            f.t("targets_unchanged")
            if outcome.batch_id is None
            else f.t("targets_done", batch=outcome.batch_id, projects=len(result.targets.projects))
        )
        finish("targets", message)


def actuals_section(f: Filters) -> None:
    st.caption(f.t("actuals_intro"))
    template_button(f, "actuals")
    show_done("actuals")
    upload = table_uploader(f, "actuals", "upload_actuals")
    if upload is None:
        return
    checked_import(
        f,
        "actuals",
        upload,
        lambda con, data, name: check_file(con, data, name),
        save,
        lambda check: f.t("actuals_ok", rows=len(check.actuals), year=check.year),
        lambda saved: f.t("actuals_done", batch=saved.batch_id, rows=len(saved.actuals)),
    )


def _preview_tables(f: Filters, result: Preview) -> None:
    targets = result.targets
    st.success(
        f.t(
            "targets_ok",
            projects=len(targets.projects),
            indicators=sum(len(p.indicators) for p in targets.projects),
            year=targets.year,
            budget=money(sum(p.budget for p in targets.projects), "万元"),
            unit=unit_word("万元", f.lang),
        )
    )
    for warning in result.warnings:
        st.warning(plain(warning.text(f.lang)))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "project_code": p.project_code,
                    "name": p.name,
                    "budget": float(p.budget) / 10000,
                    "plan": f.t("list_sep").join(f"{c.date:%m-%d} {float(c.planned_cumulative) / 10000:,.2f}" for c in p.plan),
                    "indicators": len(p.indicators),
                }
                for p in targets.projects
            ]
        ),
        hide_index=True,
        column_config={
            "project_code": f.t("col_project_code"),
            "name": f.t("col_project"),
            "budget": st.column_config.NumberColumn(f.t("col_budget", unit=unit_word("万元", f.lang)), format="%,.2f"),
            "plan": f.t("col_plan"),
            "indicators": f.t("ind_total"),
        },
    )
    with st.expander(f.t("preview_indicators")):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "project": p.name,
                        "level2": i.level2,
                        "level3": i.level3,
                        "target": i.target_text,
                        "op": i.op,
                        "value": i.target_value,
                        "unit": i.unit,
                    }
                    for p in targets.projects
                    for i in p.indicators
                ]
            ),
            hide_index=True,
        )


def _doubts(f: Filters, result: Preview) -> None:
    st.warning(f.t("targets_doubts", count=len(result.doubts)))
    cells = [[c if c is not None else "" for c in d.problem.cells(f.lang)] for d in result.doubts]
    st.dataframe(
        pd.DataFrame(cells, columns=["file", "row", "column", "value", "expected"]),
        hide_index=True,
        column_config={name: f.t(f"col_{name}") for name in ("file", "row", "column", "value", "expected")},
    )


def _source_beside(f: Filters, result: Preview, data: bytes) -> None:
    """One project at a time: its source (page images or lines) beside the indicators read from it."""
    st.subheader(f.t("preview_source_title"))
    projects = {p.project_code: p for p in result.targets.projects}
    sources = {s.project_code: s for s in result.sources}
    flagged = {code: {} for code in projects}
    for doubt in result.doubts:
        flagged[doubt.project_code].setdefault(doubt.indicator, []).append(doubt.problem.expected.text(f.lang))
    code = st.selectbox(
        f.t("preview_source_project"),
        list(sources),
        format_func=lambda c: (
            f"{c} {projects[c].name}" + (f"（{f.t('col_doubt')} {sum(map(len, flagged[c].values()))}）" if flagged[c] else "")
        ),
        key="targets_source_project",
    )
    source, project = sources[code], projects[code]
    left, right = st.columns([5, 4])
    with left:
        if result.kind == "pdf":
            for page in source.pages:
                st.image(_page_image(result.sha256, page, data), caption=f.t("preview_source_page", page=page))
        else:
            marked = {n for index in flagged[code] if index is not None for n in source.indicator_lines[index]}
            lines = [(n, text.strip(), f.t("col_doubt") if n in marked else "") for n, text in source.lines if text.strip()]
            st.dataframe(
                pd.DataFrame(lines, columns=["row", "text", "doubt"]),
                hide_index=True,
                height=min(36 * len(lines) + 38, 900),
                column_config={
                    "row": st.column_config.NumberColumn(f.t("col_row"), width="small"),
                    "text": st.column_config.TextColumn(f.t("preview_source_text"), width="large"),
                    "doubt": st.column_config.TextColumn(f.t("col_doubt"), width="small"),
                },
            )
    with right:
        st.caption(f.t("preview_source_read"))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "where": "、".join(map(str, source.indicator_lines[n])),
                        "level1": i.level1,
                        "level2": i.level2,
                        "level3": i.level3,
                        "description": i.description,
                        "target": i.target_text,
                        "basis": i.basis,
                        "doubt": "；".join(flagged[code].get(n, [])) or f.t("no_doubt"),
                    }
                    for n, i in enumerate(project.indicators)
                ]
            ),
            hide_index=True,
            column_config={
                "where": f.t("preview_source_page_col") if result.kind == "pdf" else f.t("col_row"),
                "level1": f.t("col_level1"),
                "level2": f.t("col_level2"),
                "level3": f.t("col_level3"),
                "description": f.t("col_description"),
                "target": f.t("col_target"),
                "basis": f.t("col_basis"),
                "doubt": f.t("col_doubt"),
            },
        )
        if None in flagged[code]:
            st.warning("\n".join(flagged[code][None]))


@st.cache_data(show_spinner=False, max_entries=64)
def _page_image(sha256: str, page: int, _data: bytes) -> bytes:
    """A page of an uploaded PDF as an image, rendered once per file (by its hash) and page."""
    return page_png(_data, page)
