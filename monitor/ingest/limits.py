"""The size limit on input files, in one place for every importer, the command line and the upload widgets.

A ledger or targets file of one department-year is far below it; the limit keeps a wrong file
(an export of a whole database, a video) from holding the app's memory and its one writer.
"""

from __future__ import annotations

from pathlib import Path

from monitor.errors import InputError, InputProblem

MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_UNPACKED_BYTES = 10 * MAX_UPLOAD_BYTES  # an xlsx is a zip: a small file may unpack to gigabytes


def check_size(size: int, file_name: str) -> None:
    """Refuse a file over the limit, saying how large it is and what to do."""
    if size > MAX_UPLOAD_BYTES:
        expected = f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 {MAX_UPLOAD_MB} MB：请按单位或月份拆分后分别导入"
        raise InputError([InputProblem(file_name, None, None, None, expected)])


def read_file(path: Path) -> bytes:
    """A file's bytes, after checking its size on disk (a huge file is never read into memory)."""
    check_size(path.stat().st_size, path.name)
    return path.read_bytes()
