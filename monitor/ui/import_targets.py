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
from monitor.ui.errors import show_error
from monitor.ui.filters import Filters
from monitor.ui.signin import require_role
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
        lambda data, name: check_file(cursor(), data, name),
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
