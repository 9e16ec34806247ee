"""Importing targets: the one entry point for the CLI and the 数据管理 page.

`preview` reads a file (structured template, published PDF or its extracted text) and
checks it without writing; `commit` stores a preview in one transaction. The fiscal year of
a published document is not printed in it: `preview` proposes one from the project codes
and `commit` refuses a preview whose year was only proposed, so a person confirms it.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from openpyxl import Workbook

from monitor.errors import InputError, problem
from monitor.i18n import Msg, msg
from monitor.ingest.document.checks import Doubt
from monitor.ingest.document.layout import RawDocument, Source, to_targets
from monitor.ingest.document.pdf import read_pdf
from monitor.ingest.document.text import read_text
from monitor.ingest.files import check_size, decode, read_file
from monitor.ingest.target_set import TargetSet, validate, write_targets
from monitor.ingest.template import OPTIONAL_TABLES, TABLES, read_template, template_files
from monitor.store.batches import sha256_of

KIND = "targets"


@dataclass
class Preview:
    targets: TargetSet
    file_name: str
    sha256: str
    year_proposed: bool  # True when the year was not given but read from the project codes
    warnings: list[Msg] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)  # a published document read with doubt: confirmed before import
    sources: list[Source] = field(default_factory=list)  # where each project of a published document was read from
    kind: str = "template"  # "template", "text" or "pdf"


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
        files = template_files(source)
        check_size(sum(p.stat().st_size for p in files), file_name)
        targets = read_template(source, year)
        return _checked(Preview(targets, file_name, sha256_of(files), False))
    data = read_file(source) if isinstance(source, Path) else source
    check_size(len(data), file_name)
    if not data.strip():
        raise InputError([problem(file_name, None, None, None, "err_file_empty")])
    suffix = Path(file_name).suffix.lower()
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".xlsx":
        return _checked(Preview(_read_workbook(data, file_name, year), file_name, digest, False))
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        doc, kind = read_pdf(data, file_name), "pdf"
    elif suffix == ".txt":
        doc, kind = read_text(decode(data, file_name), file_name), "text"
    else:
        raise InputError([problem(file_name, None, None, None, "err_targets_type")])
    return _checked(_document_preview(doc, file_name, digest, year, kind))


def _read_workbook(data: bytes, file_name: str, year: int | None) -> TargetSet:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(file_name).name
        path.write_bytes(data)
        return read_template(path, year)


def _document_preview(doc: RawDocument, file_name: str, digest: str, year: int | None, kind: str) -> Preview:
    if doc.problems:
        raise InputError(doc.problems)
    warnings = []
    proposed = year is None
    if proposed:
        year = doc.proposed_year()
        if year is None:
            raise InputError([problem(file_name, None, None, None, "err_no_year")])
        warnings.append(msg("warn_year_proposed", year=year))
    reading = to_targets(doc, year)
    return Preview(reading.targets, file_name, digest, proposed, warnings, reading.doubts, reading.sources, kind)


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


def commit(
    con: duckdb.DuckDBPyConnection, result: Preview, user: str, *, allow_removal: bool = False, accept_warnings: bool = False
) -> CommitResult:
    """Store a preview, replacing its department-years as a unit.

    A document read with doubts is refused unless `accept_warnings`: the user has looked at them.

    Importing the same file again while its targets are still the stored ones adds nothing.
    Indicators that the new file drops are returned; when some of them already have actual
    values the import is refused unless `allow_removal`, and those actual rows are then kept
    (not shown, since no indicator has their id) so that undoing the import brings them back.
    """
    if result.year_proposed:
        year = result.targets.year
        raise InputError([problem(result.file_name, None, None, None, "err_confirm_year", year=year)])
    if result.doubts and not accept_warnings:
        count = len(result.doubts)
        raise InputError(
            [problem(result.file_name, None, None, None, "err_doubts_unconfirmed", count=count), *(d.problem for d in result.doubts)]
        )
    if is_current(con, result.targets, result.sha256):
        return CommitResult(None)
    removed = removed_indicators(con, result.targets)
    with_actuals = [r for r in removed if r.actual_rows]
    if with_actuals and not allow_removal:
        raise InputError(
            [
                problem(
                    result.file_name,
                    None,
                    None,
                    r.indicator_id,
                    "err_removal_needs_confirmation",
                    project=r.project_code,
                    level3=r.level3,
                    rows=r.actual_rows,
                )
                for r in with_actuals
            ]
        )
    return CommitResult(write_targets(con, result.targets, result.file_name, result.sha256, user), removed)


# What each column of the structured template holds, for the 说明 sheet of the blank workbook.
COLUMN_NOTES = {
    "year": "预算年度，如 2024",
    "dept_code": "单位编码（文本，如 731001）",
    "name": "单位名称 / 项目名称",
    "parent_code": "上级部门编码，可空",
    "region_code": "财政区划编码，如 130529，可空",
    "level": "层级：财政区划 / 部门 / 单位，空为 单位",
    "project_code": "项目编码（文本，保留字母和前导零）",
    "budget": "预算数，单位：元（不是万元），最多两位小数",
    "fiscal_funds": "其中财政资金，单位：元",
    "other_funds": "其他资金，单位：元，空为 0",
    "purpose": "资金用途",
    "seq": "序号，从 1 开始",
    "goal": "项目绩效目标（一条一行）",
    "checkpoint_date": "计划时点（月底日期 YYYY-MM-DD）",
    "planned_cumulative": "截至该时点的累计计划支出，单位：元；最后一个时点应等于预算数",
    "level1": "一级指标：产出指标 / 效益指标 / 满意度指标",
    "level2": "二级指标：数量指标、质量指标、时效指标、成本指标、社会效益指标、可持续影响指标、服务对象满意度指标等",
    "level3": "三级指标名称",
    "description": "绩效指标描述",
    "target_text": "指标值，照文件原样填写，如 ≥95%、1 家、2 万元、一年一次、优",
    "op": "比较符 >= <= = > < 或 qual（定性）；可空，空时按指标值自动识别",
    "target_value": "指标数值；可空，空时按指标值自动识别",
    "unit": "单位，如 %、家、万元；可空",
    "basis": "指标值确定依据",
    "section": "部分：总体绩效目标 / 分项绩效目标 / 分项绩效指标 / 工作保障措施",
    "title": "小标题，如 优秀科技工作者奖励；可空",
    "text": "正文",
    "source": "出处，如 分项绩效指标（二）青少年科技教育经费",
}
NOTATION_NOTES = [
    "指标值识别规则：写明比较的以写明的为准（≥95% → >= 95 %；≤5万元 → <= 5 万元）；",
    "只写数值的，成本指标视为上限（2 万元 → <= 2 万元），其他指标视为下限（1 家 → >= 1 家）；",
    "频次按每年次数计（一年一次 → >= 1 次，每季度一次 → >= 4 次）；",
    "无法识别为数值的（优、良、逐步提升等）原样保存为定性指标（qual）。",
]


def blank_template_xlsx() -> bytes:
    """A blank structured template: one sheet per table with its header row, and 说明."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "说明"
    notes.append(["绩效目标结构化模板：每张表一个工作表，第一行为列名，请勿改动列名。金额单位一律为元。"])
    for line in NOTATION_NOTES:
        notes.append([line])
    notes.append([])
    notes.append(["工作表", "列", "必填", "说明"])
    for table, (required, optional) in TABLES.items():
        workbook.create_sheet(table).append([*required, *optional])
        name = f"{table}（整表可省略）" if table in OPTIONAL_TABLES else table
        for column in (*required, *optional):
            notes.append([name, column, "必填" if column in required else "可空", COLUMN_NOTES[column]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
