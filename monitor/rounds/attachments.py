"""Evidence files (佐证材料) attached to a project, an indicator or a monitoring round.

Files are stored outside the database, beside it in `<db>.attachments/<sha256>` (the same bytes
are stored once), and recorded in the `attachments` table with checksum, size, detected type,
original name, uploader and time. The type is read from the content (magic bytes; for Office
files the parts inside the zip), and the file name's extension must agree with it, so a renamed
executable or script is refused. Uploading needs the editor role, downloading a signed-in user;
a file whose bytes no longer match its checksum is not served.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from monitor import auth
from monitor.auth import User
from monitor.errors import InputError, NotFound, problem
from monitor.i18n import msg
from monitor.rounds.tasks import now, require
from monitor.settings import settings

EXTENSIONS = {  # detected type → the extensions a file of that type may have
    "pdf": (".pdf",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "pptx": (".pptx",),
    "ole": (".doc", ".xls", ".ppt"),  # the legacy Office formats share one container
}
MAGIC = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole"}
OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ole": "application/octet-stream",
}


@dataclass(frozen=True)
class Attachment:
    attachment_id: int
    sha256: str
    size: int
    file_type: str
    original_name: str


def detect(data: bytes) -> str | None:
    """The file's type from its content, or None when it is none of the accepted ones."""
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            return next((kind for prefix, kind in OOXML_PARTS.items() if any(n.startswith(prefix) for n in names)), None)
    return None


def store_dir(db: Path) -> Path:
    """The folder beside the database file `db`."""
    return db.with_name(db.name + ".attachments")


def add(
    con: duckdb.DuckDBPyConnection, user: User | None, year: int, target_kind: str, target_key: str, name: str, data: bytes, db: Path
) -> Attachment:
    """Check and store one uploaded file (editor); InputError says what is wrong, storing nothing."""
    require(user, "editor")
    touched = {"project": "projects", "indicator": "indicators"}
    if target_kind in touched:
        auth.refuse_outside(con, user, year, **{touched[target_kind]: [target_key]})
    elif target_kind == "round":  # the key is task_id/dept_code
        auth.refuse_outside(con, user, year, units=[target_key.partition("/")[2]])
    problems = []
    kind = detect(data)
    limit = settings().limits.attachment_mb
    if not data or len(data) > limit * 1024 * 1024:
        problems.append(problem(name, None, None, f"{len(data):,} B", "err_attachment_size", mb=limit))
    elif kind is None:
        problems.append(problem(name, None, None, None, "err_attachment_type"))
    elif not name.lower().endswith(EXTENSIONS[kind]):
        problems.append(problem(name, None, None, None, "err_attachment_extension", kind=kind, extensions=" / ".join(EXTENSIONS[kind])))
    if not _target_exists(con, year, target_kind, target_key):
        problems.append(
            problem(name, None, msg("field_attach_to"), target_key, "err_attachment_target", year=year, kind=msg(f"att_kind_{target_kind}"))
        )
    if problems:
        raise InputError(problems)
    sha256 = hashlib.sha256(data).hexdigest()
    folder = store_dir(db)
    folder.mkdir(exist_ok=True)
    target = folder / sha256
    if not target.is_file():
        partial = folder / f"{sha256}.part"  # written whole, then renamed: a reader never sees half a file
        partial.write_bytes(data)
        os.replace(partial, target)
    attachment_id = con.execute(
        "INSERT INTO attachments (year, target_kind, target_key, sha256, size_bytes, file_type, original_name, uploaded_by, uploaded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING attachment_id",
        [year, target_kind, target_key, sha256, len(data), kind, Path(name).name, user.name, now()],
    ).fetchone()[0]
    return Attachment(attachment_id, sha256, len(data), kind, Path(name).name)


def read(con: duckdb.DuckDBPyConnection, user: User | None, attachment_id: int, db: Path) -> tuple[Attachment, bytes]:
    """The stored file for a signed-in user, checked against its recorded checksum."""
    require(user, "viewer")
    row = con.execute(
        "SELECT attachment_id, sha256, size_bytes, file_type, original_name FROM attachments WHERE attachment_id = ?", [attachment_id]
    ).fetchone()
    if row is None:
        raise NotFound("err_no_attachment", attachment=attachment_id)
    attachment = Attachment(*row)
    data = (store_dir(db) / attachment.sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise ValueError(f"attachment {attachment_id} does not match its checksum")  # tampering or corruption
    return attachment, data


def _target_exists(con: duckdb.DuckDBPyConnection, year: int, kind: str, key: str) -> bool:
    checks = {  # fixed statements; the key is bound
        "project": ("SELECT count(*) FROM projects WHERE year = ? AND project_code = ?", [year, key]),
        "indicator": ("SELECT count(*) FROM indicators WHERE year = ? AND indicator_id = ?", [year, key]),
        "round": (
            "SELECT count(*) FROM round_units JOIN round_tasks USING (task_id) WHERE year = ? AND task_id::TEXT || '/' || dept_code = ?",
            [year, key],
        ),
    }
    if kind not in checks:
        return False
    statement, params = checks[kind]
    return con.execute(statement, params).fetchone()[0] > 0
