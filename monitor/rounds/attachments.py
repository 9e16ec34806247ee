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

from monitor.auth import User
from monitor.errors import InputError, InputProblem
from monitor.rounds.tasks import now, require

MAX_BYTES = 10 * 1024 * 1024
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


def store_dir(con: duckdb.DuckDBPyConnection) -> Path:
    """The folder beside the connection's database file."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    return Path(path).with_name(Path(path).name + ".attachments")


def add(
    con: duckdb.DuckDBPyConnection, user: User | None, year: int, target_kind: str, target_key: str, name: str, data: bytes
) -> Attachment:
    """Check and store one uploaded file (editor); InputError says what is wrong, storing nothing."""
    require(user, "editor")
    problems = []
    kind = detect(data)
    if not data or len(data) > MAX_BYTES:
        problems.append(InputProblem(name, None, None, f"{len(data):,} 字节", f"文件应非空且不超过 {MAX_BYTES // 1024 // 1024} MB"))
    elif kind is None:
        problems.append(InputProblem(name, None, None, None, "只接受 PDF、PNG、JPEG 图片和 Office 文件（按文件内容识别）"))
    elif not name.lower().endswith(EXTENSIONS[kind]):
        problems.append(InputProblem(name, None, None, None, f"文件内容是 {kind}，扩展名应为 {' / '.join(EXTENSIONS[kind])}"))
    if not _target_exists(con, year, target_kind, target_key):
        problems.append(InputProblem(name, None, "附加到", target_key, f"{year} 年没有这个{target_kind}"))
    if problems:
        raise InputError(problems)
    sha256 = hashlib.sha256(data).hexdigest()
    folder = store_dir(con)
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


def read(con: duckdb.DuckDBPyConnection, user: User | None, attachment_id: int) -> tuple[Attachment, bytes]:
    """The stored file for a signed-in user, checked against its recorded checksum."""
    require(user, "viewer")
    row = con.execute(
        "SELECT attachment_id, sha256, size_bytes, file_type, original_name FROM attachments WHERE attachment_id = ?", [attachment_id]
    ).fetchone()
    if row is None:
        raise KeyError(f"没有附件 {attachment_id}")
    attachment = Attachment(*row)
    data = (store_dir(con) / attachment.sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise ValueError(f"附件 {attachment_id} 的文件与登记的校验和不符")
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
