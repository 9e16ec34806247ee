"""Importing targets: the one entry point for the CLI and the 数据管理 page.

`preview` reads a file (structured template, published PDF or its extracted text) and
checks it without writing; `commit` stores a preview in one transaction. The fiscal year of
a published document is not printed in it: `preview` proposes one from the project codes
and `commit` refuses a preview whose year was only proposed, so a person confirms it.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from monitor.batches import sha256_of
from monitor.document import RawDocument, to_targets
from monitor.document_pdf import read_pdf
from monitor.document_text import read_text
from monitor.errors import InputError, InputProblem
from monitor.tables import decode
from monitor.targets import TargetSet, validate, write_targets
from monitor.template import read_template, template_files

KIND = "targets"


@dataclass
class Preview:
    targets: TargetSet
    file_name: str
    sha256: str
    year_proposed: bool  # True when the year was not given but read from the project codes
    warnings: list[str] = field(default_factory=list)


@dataclass
class RemovedIndicator:
    indicator_id: str
    project_code: str
    level3: str
    actual_rows: int


@dataclass
class CommitResult:
    batch_id: int | None  # None when the same content is already stored
    removed: list[RemovedIndicator] = field(default_factory=list)


def preview(source: Path | bytes, file_name: str, year: int | None = None) -> Preview:
    """Read and check a targets file; raises `InputError` naming file, line/row and problem."""
    if isinstance(source, Path) and source.is_dir():
        targets = read_template(source, year)
        return _checked(Preview(targets, file_name, sha256_of(template_files(source)), False))
    data = source.read_bytes() if isinstance(source, Path) else source
    if not data.strip():
        raise InputError([InputProblem(file_name, None, None, None, "文件为空")])
    suffix = Path(file_name).suffix.lower()
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".xlsx":
        return _checked(Preview(_read_workbook(data, file_name, year), file_name, digest, False))
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        doc = read_pdf(data, file_name)
    elif suffix == ".txt":
        doc = read_text(_text(data, file_name), file_name)
    else:
        expected = "应为结构化模板（.xlsx 工作簿或 CSV 文件夹）、绩效目标 PDF 或其提取文本（.txt）"
        raise InputError([InputProblem(file_name, None, None, None, expected)])
    return _checked(_document_preview(doc, file_name, digest, year))


def _read_workbook(data: bytes, file_name: str, year: int | None) -> TargetSet:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(file_name).name
        path.write_bytes(data)
        return read_template(path, year)


def _text(data: bytes, file_name: str) -> str:
    if b"\x00" in data:
        raise InputError([InputProblem(file_name, None, None, None, "不是文本文件（含二进制内容），应为绩效目标 PDF 提取的文本")])
    return decode(data, file_name)


def _document_preview(doc: RawDocument, file_name: str, digest: str, year: int | None) -> Preview:
    if doc.problems:
        raise InputError(doc.problems)
    warnings = []
    proposed = year is None
    if proposed:
        year = doc.proposed_year()
        if year is None:
            raise InputError([InputProblem(file_name, None, None, None, "文件中没有年度，也无法从项目编码推断，请指定年度（--year）")])
        warnings.append(f"文件中没有印年度：按项目编码推定为 {year} 年，请确认（命令行加 --year {year}）")
    return Preview(to_targets(doc, year), file_name, digest, proposed, warnings)


def _checked(result: Preview) -> Preview:
    problems = validate(result.targets, result.file_name)
    if problems:
        raise InputError(problems)
    return result


def removed_indicators(con: duckdb.DuckDBPyConnection, targets: TargetSet) -> list[RemovedIndicator]:
    """Stored indicators of the department-years in `targets` that the new targets no longer
    have (same project and 一/二/三级指标), with how many actual values each has."""
    kept = {(p.project_code, i.level1, i.level2, i.level3) for p in targets.projects for i in p.indicators}
    rows = con.execute(
        "SELECT i.indicator_id, i.project_code, i.level1, i.level2, i.level3,"
        " (SELECT count(*) FROM indicator_actuals a WHERE a.year = i.year AND a.indicator_id = i.indicator_id)"
        " FROM indicators i JOIN projects p USING (year, project_code)"
        " WHERE i.year = ? AND list_contains(?, p.dept_code) ORDER BY i.indicator_id",
        [targets.year, [d.dept_code for d in targets.departments]],
    ).fetchall()
    return [RemovedIndicator(r[0], r[1], r[4], r[5]) for r in rows if tuple(r[1:5]) not in kept]


def is_current(con: duckdb.DuckDBPyConnection, targets: TargetSet, sha256: str) -> bool:
    """Whether the department-years of `targets` hold exactly what this file gave them."""
    rows = con.execute(
        "SELECT p.project_code, b.sha256 FROM projects p LEFT JOIN import_batches b USING (batch_id)"
        " WHERE p.year = ? AND list_contains(?, p.dept_code)",
        [targets.year, [d.dept_code for d in targets.departments]],
    ).fetchall()
    return bool(rows) and {r[0] for r in rows} == {p.project_code for p in targets.projects} and {r[1] for r in rows} == {sha256}


def commit(con: duckdb.DuckDBPyConnection, result: Preview, user: str, *, allow_removal: bool = False) -> CommitResult:
    """Store a preview, replacing its department-years as a unit.

    Importing the same file again while its targets are still the stored ones adds nothing.
    Indicators that the new file drops are returned; when some of them already have actual
    values the import is refused unless `allow_removal`, and those actual rows are then kept
    (not shown, since no indicator has their id) so that undoing the import brings them back.
    """
    if result.year_proposed:
        year = result.targets.year
        raise InputError([InputProblem(result.file_name, None, None, None, f"请确认年度后再导入（推定为 {year} 年：--year {year}）")])
    if is_current(con, result.targets, result.sha256):
        return CommitResult(None)
    removed = removed_indicators(con, result.targets)
    with_actuals = [r for r in removed if r.actual_rows]
    if with_actuals and not allow_removal:
        raise InputError(
            [
                InputProblem(
                    result.file_name,
                    None,
                    None,
                    r.indicator_id,
                    f"项目 {r.project_code} 的指标「{r.level3}」已有 {r.actual_rows} 条实际值，新文件中没有这个指标；"
                    "确认删除请加 --allow-removal（实际值保留，不再显示）",
                )
                for r in with_actuals
            ]
        )
    return CommitResult(write_targets(con, result.targets, result.file_name, result.sha256, user), removed)
