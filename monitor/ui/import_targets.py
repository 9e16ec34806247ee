"""数据管理 sections for targets and indicator actuals: upload → check (preview or report) →
confirm; writes need `require_role("editor")`. Data is shown in tables, never as HTML."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.errors import InputError
from monitor.fmt import money, plain
from monitor.ingest.actuals import check_file, save
from monitor.ingest.targets import Preview, blank_template_xlsx, commit, preview, removed_indicators
from monitor.settings import settings
from monitor.ui.data import cursor
from monitor.ui.errors import show_error, show_problems
from monitor.ui.filters import Filters
from monitor.ui.signin import require_role
from monitor.ui.widgets import XLSX_MIME


def targets_section(f: Filters) -> None:
    st.caption(f.t("targets_intro"))
    st.download_button(
        f.t("blank_template"), blank_template_xlsx, "绩效目标模板.xlsx", mime=XLSX_MIME, on_click="ignore", icon=":material/download:"
    )
    _done("targets_done")
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
    removed = removed_indicators(cursor(), result.targets)
    if removed:
        st.warning(f.t("targets_removed", items="、".join(f"{r.project_code} {r.level3}（{r.actual_rows}）" for r in removed)))
    user = require_role("editor")
    if user is None:
        return
    allow = any(r.actual_rows for r in removed) and st.checkbox(f.t("targets_allow_removal"), key="targets_allow_removal")
    if st.button(f.t("confirm_import"), type="primary", key="targets_confirm"):
        try:
            outcome = commit(cursor(), result, user.name, allow_removal=allow)
        except InputError as error:
            show_error(error, f.lang)
            return
        message = (
            f.t("targets_unchanged")
            if outcome.batch_id is None
            else f.t("targets_done", batch=outcome.batch_id, projects=len(result.targets.projects))
        )
        _finish("targets_done", "targets_gen", message)


def actuals_section(f: Filters) -> None:
    st.caption(f.t("actuals_intro"))
    _done("actuals_done")
    upload = st.file_uploader(
        f.t("upload_actuals"),
        type=["xlsx", "csv", "tsv", "txt"],
        key=f"actuals_file_{st.session_state.get('actuals_gen', 0)}",
        max_upload_size=settings().limits.upload_mb,
    )
    if upload is None:
        return
    data = upload.getvalue()
    check = check_file(cursor(), data, upload.name)
    if check.imported_as is not None:
        st.info(f.t("already_imported", batch=check.imported_as))
        return
    if check.problems:
        show_problems(check.problems, f.lang)
        return
    st.success(f.t("actuals_ok", rows=len(check.actuals), year=check.year))
    user = require_role("editor")
    if user and st.button(f.t("confirm_import"), type="primary", key="actuals_confirm"):
        saved = save(cursor(), check_file(cursor(), data, upload.name), user.name)  # checked again just before writing
        _finish("actuals_done", "actuals_gen", f.t("actuals_done", batch=saved.batch_id, rows=len(saved.actuals)))


def _preview_tables(f: Filters, result: Preview) -> None:
    targets = result.targets
    st.success(
        f.t(
            "targets_ok",
            projects=len(targets.projects),
            indicators=sum(len(p.indicators) for p in targets.projects),
            year=targets.year,
            budget=money(sum(p.budget for p in targets.projects), "万元"),
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
                    "plan": "、".join(f"{c.date:%m-%d} {float(c.planned_cumulative) / 10000:,.2f}" for c in p.plan),
                    "indicators": len(p.indicators),
                }
                for p in targets.projects
            ]
        ),
        hide_index=True,
        column_config={
            "project_code": f.t("col_project_code"),
            "name": f.t("col_project"),
            "budget": st.column_config.NumberColumn(f.t("col_budget", unit="万元"), format="%,.2f"),
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


def _done(key: str) -> None:
    message = st.session_state.pop(key, None)
    if message:
        st.success(message)


def _finish(done_key: str, generation_key: str, message: str) -> None:
    """Show the result after a rerun with an emptied uploader (a new key), so it is not re-checked."""
    st.session_state[done_key] = message
    st.session_state[generation_key] = st.session_state.get(generation_key, 0) + 1
    st.rerun()
