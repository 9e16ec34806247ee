"""The 数据管理 page's sections: payments upload (upload → validation report → confirm) and the
import history with undo. Writes need `require_role("editor")`; data is shown in tables and
text elements, never as HTML."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from monitor.fmt import money, plain, unit_word
from monitor.ingest.payments import PaymentCheck, by_project, check_payments, import_payments, report
from monitor.review.export import csv_bytes
from monitor.rules.indicators import change_text
from monitor.rules.words import kind_word
from monitor.store.batches import note_text
from monitor.store.undo import UndoRefused, batch_units, refusal, undo_batch
from monitor.ui.data import cursor, query
from monitor.ui.errors import show_error
from monitor.ui.filters import Filters
from monitor.ui.signin import require_role, within_scope, writing_as
from monitor.ui.uploads import finish, show_done, table_uploader, template_button
from monitor.ui.widgets import show_table

FROM_HEADER = "header"  # the unit and year choices that leave it to the file
FROM_DATES = "dates"
CHANGES_SHOWN = 20  # batches of at most this many rows list their changes in the history
LEDGER_UNIT = "元"  # imports are checked to the fen: 万元 at two decimals would hide small refunds


def payments_section(f: Filters) -> None:
    st.caption(f.t("payments_intro"))
    template_button(f, "payments")
    show_done("payments")
    upload = table_uploader(f, "payments", "upload_payments")
    left, right = st.columns(2)
    unit = left.segmented_control(
        f.t("amount_unit"),
        [FROM_HEADER, "元", "万元"],
        format_func=lambda u: f.t("unit_from_header") if u == FROM_HEADER else unit_word(u, f.lang),
        default=FROM_HEADER,
        required=True,
        key="payments_unit",
    )
    years = [FROM_DATES, *(int(y) for y in query("filter_years")["year"])]
    year = right.selectbox(
        f.t("fiscal_year"), years, format_func=lambda y: f.t("year_from_dates") if y == FROM_DATES else str(y), key="payments_year"
    )
    if upload is None:
        return
    data = upload.getvalue()
    options = {"unit": None if unit == FROM_HEADER else unit, "year": None if year == FROM_DATES else year}
    check = check_payments(cursor(), data, upload.name, **options)
    if check.imported_as is not None:
        st.info(f.t("already_imported", batch=check.imported_as))
        return
    _summary(f, check)
    _report(f, check)
    if check.problems:
        return
    user = require_role("editor")
    if user is None or not within_scope(user, check.year, **check.touches()):
        return
    accept = bool(check.duplicates) and st.checkbox(f.t("confirm_duplicates"), key="payments_accept_duplicates")
    if st.button(f.t("confirm_import"), type="primary", disabled=not check.can_import(accept), key="payments_confirm"):
        # Checked again inside the import's transaction: what is written is what passes then.
        with writing_as(user, check.year, **check.touches()) as con:  # the same bytes: the same projects
            result = import_payments(con, data, upload.name, user.name, accept_duplicates=accept, **options)
        if result.batch_id is not None:
            total = money(result.total, LEDGER_UNIT)
            done = f.t("import_done", batch=result.batch_id, rows=len(result.payments), total=total, unit=unit_word(LEDGER_UNIT, f.lang))
            finish("payments", done)
        st.rerun()


def history_section(f: Filters) -> None:
    st.caption(f.t("history_intro"))
    done = st.session_state.pop("undo_done", None)
    if done:
        st.success(done)
    history = query("import_history")
    # What a small batch (an entry on a page, a short file) changed, cell by cell: old → new.
    changes = query("actual_changes", year=f.year, project=None, batch=None, max_batch_rows=CHANGES_SHOWN, limit=None)
    details = {
        batch: f.t("list_sep").join(
            f.t("change_entry", indicator=r.level3, period=f"{r.period_end:%Y-%m-%d}", change=change_text(r.field, r.old, r.new, f.lang))
            for r in rows.itertuples()
        )
        for batch, rows in changes.groupby("batch_id")
    }
    show_table(
        history.assign(
            changes=[details.get(b, "") for b in history["batch_id"]],
            note=[note_text(n, f.lang) for n in history["note"]],
            kind=history["kind"].map(lambda k: _kind_label(f, k)),
            origin=[f.t(f"origin_{o}") for o in history["origin"]],
            undone=[
                f.t("undone_label", batch=int(b), by=by, at=at) if pd.notna(b) else ""
                for b, by, at in zip(history["undone_by"], history["undone_by_user"], history["undone_at"])
            ],
        ),
        {
            "batch_id": f.t("col_batch"),
            "kind": f.t("col_kind"),
            "file_name": f.t("col_file_name"),
            "row_count": f.t("col_rows"),
            "changes": st.column_config.TextColumn(f.t("col_changes"), width="large"),
            "origin": f.t("col_origin"),
            "imported_by": f.t("col_by"),
            "imported_at": st.column_config.DatetimeColumn(f.t("col_at"), format="YYYY-MM-DD HH:mm:ss"),
            "is_demo": f.t("col_demo"),
            "undone": f.t("col_undone"),
            "note": f.t("col_note"),
        },
        ["batch_id", "kind", "file_name", "row_count", "changes", "origin", "imported_by", "imported_at", "is_demo", "undone", "note"],
    )
    st.subheader(f.t("undo_title"))
    open_batches = history[history["undone_by"].isna() & (history["kind"] != "undo")]
    if open_batches.empty:
        st.info(f.t("undo_none"))
        return
    labels = {
        int(b.batch_id): f"#{b.batch_id} · {_kind_label(f, b.kind)} · {b.file_name} · {b.row_count}" for b in open_batches.itertuples()
    }
    batch_id = st.selectbox(f.t("undo_select"), list(labels), format_func=labels.get, key="undo_batch")
    refused = refusal(cursor(), batch_id)
    if refused:
        st.warning(plain(refused.message(f.lang)))
        return
    user = require_role("editor")
    if user is None:
        return
    units = batch_units(cursor(), batch_id)  # the units its undo changes
    if not within_scope(user, None, units=units):
        return
    rows = int(open_batches.loc[open_batches["batch_id"] == batch_id, "row_count"].iloc[0])
    sure = st.checkbox(f.t("undo_confirm", batch=batch_id, rows=rows), key=f"undo_sure_{batch_id}")
    if st.button(f.t("undo_button"), disabled=not sure, key="undo_run"):
        try:
            with writing_as(user, None, units=units) as con:
                undone = undo_batch(con, batch_id, user.name)
        except UndoRefused as refused:  # undone meanwhile in another session
            show_error(refused, f.lang)
            return
        st.session_state["undo_done"] = f.t("undo_done", batch=undone.batch_id, rows=undone.rows, undo=undone.undo_batch_id)
        st.rerun()


def _summary(f: Filters, check: PaymentCheck) -> None:
    if check.ignored_columns:
        st.caption(f.t("ignored_columns", columns=plain(f.t("enum_sep").join(check.ignored_columns))))
    if check.problems:
        st.error(f.t("check_failed", n=len(check.problems)))
        return
    total, unit = money(check.total, LEDGER_UNIT), unit_word(LEDGER_UNIT, f.lang)
    st.success(f.t("check_ok", rows=len(check.payments), total=total, unit=unit, year=check.year))
    if check.year_inferred:
        st.caption(f.t("year_inferred", year=check.year))
    if check.duplicates:
        st.warning(f.t("duplicates_found", n=len(check.duplicates)))
    table = by_project(check)
    st.caption(f.t("by_project"))
    st.dataframe(
        table.assign(amount=table["amount"].map(float)),
        hide_index=True,
        column_config={
            "project_code": f.t("col_project_code"),
            "rows": f.t("col_rows"),
            "amount": st.column_config.NumberColumn(f.t("col_amount", unit=unit_word(LEDGER_UNIT, f.lang)), format="%.2f"),
        },
    )


def _report(f: Filters, check: PaymentCheck) -> None:
    table = report(check, f.lang)
    if table.empty:
        return
    shown = table.assign(level=table["level"].map(lambda level: f.t(f"level_{level}"))).rename(
        columns={column: f.t(f"col_{column}") for column in table.columns}
    )
    st.subheader(f.t("report_title"))
    st.dataframe(shown, hide_index=True)
    st.download_button(
        f.t("report_download"),
        csv_bytes(shown, [(f.t("col_file"), check.file_name)]),
        file_name=f"{Path(check.file_name).stem}-report.csv",
        mime="text/csv",
        key="payments_report_download",
    )


def _kind_label(f: Filters, kind: str) -> str:
    return kind_word(kind, f.lang)
