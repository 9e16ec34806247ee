"""The upload → check → confirm flow the 数据管理 sections share: a table file uploader with the
product's size limit, emptied after each import (a new key) so its result is not then shown as
"already imported"; the check's problems or what the file holds; and, for an editor, a confirm
button that checks the file again just before writing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from monitor import auth
from monitor.ingest.blank import blank_workbook
from monitor.settings import settings
from monitor.ui.data import cursor, writing
from monitor.ui.errors import show_problems
from monitor.ui.filters import Filters
from monitor.ui.signin import require_role, within_scope
from monitor.ui.widgets import XLSX_MIME

TABLE_TYPES = ["xlsx", "csv", "tsv", "txt"]


def template_button(f: Filters, kind: str) -> None:
    """The blank workbook of an import (monitor.ingest.blank), in the page's language."""
    st.download_button(
        f.t("template_download"),
        lambda: blank_workbook(kind, f.lang),
        f"{f.t(f'file_template_{kind}')}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
        key=f"template_{kind}",
    )


def table_uploader(f: Filters, kind: str, label_key: str, types: list[str] = TABLE_TYPES) -> UploadedFile | None:
    return st.file_uploader(
        f.t(label_key), type=types, key=f"{kind}_file_{st.session_state.get(f'{kind}_gen', 0)}", max_upload_size=settings().limits.upload_mb
    )


def checked_import(
    f: Filters,
    kind: str,
    upload: UploadedFile,
    check: Callable[[Any, bytes, str], Any],
    save: Callable[[Any, Any, str], Any],
    checked: Callable[[Any], str],
    done: Callable[[Any], str],
    preview: Callable[[Any], bool] | None = None,
) -> None:
    """Check `upload` with `check(con, data, name)` on the published data; show its problems, or
    `preview(result)` when given (False: nothing to write), `checked(result)` and, for an editor, a
    button that checks it again on the database being written and writes it (`save(con, check, user)`),
    then says `done(saved)`. A user with a unit scope writes files of their units only (`touches()`)."""
    data = upload.getvalue()
    result = check(cursor(), data, upload.name)
    if result.imported_as is not None:
        st.info(f.t("already_imported", batch=result.imported_as))
        return
    if result.problems:
        show_problems(result.problems, f.lang)
        return
    if preview is not None and not preview(result):
        return
    st.success(checked(result))
    user = require_role("editor")
    if not user or not within_scope(user, result.year, **result.touches()):
        return
    if st.button(f.t("confirm_import"), type="primary", key=f"{kind}_confirm"):
        with writing() as con:
            fresh = check(con, data, upload.name)
            auth.refuse_outside(con, user, fresh.year, **fresh.touches())
            saved = save(con, fresh, user.name)
        finish(kind, done(saved))


def show_done(kind: str) -> None:
    """The result of the last import of `kind`, after the rerun that emptied the uploader."""
    if message := st.session_state.pop(f"{kind}_done", None):
        st.success(message)


def finish(kind: str, message: str) -> None:
    """Show `message` after a rerun with an emptied uploader (a new key), so the file is not re-checked."""
    st.session_state[f"{kind}_done"] = message
    st.session_state[f"{kind}_gen"] = st.session_state.get(f"{kind}_gen", 0) + 1
    st.rerun()
