"""Checks on what was read from a published document, after reading: what a correct reading of a
table of this family would not give. Some refuse the document (a header word or a level name
where a cell should be, text no field holds); others are doubts the user confirms (a level-2
under another level-1, a 三级指标 that reads like a 依据, a unit outside the vocabulary, a missing
level-1 group, two indicators of the same name, and what the text reader itself was unsure of)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from monitor.errors import InputProblem
from monitor.i18n import Msg, msg
from monitor.ingest.document.vocabulary import BASIS_PHRASES, HEADER_WORDS, LEVEL1, LEVEL2, belongs, compact, scheme_of
from monitor.ingest.notation import known_unit
from monitor.ingest.target_set import Indicator


@dataclass(frozen=True)
class Doubt:
    """Something read with doubt: listed in the preview, and imported only once the user confirms it."""

    problem: InputProblem  # where (file, line or page) and what, worded like a refusal
    project_code: str
    indicator: int | None  # its index among the project's indicators; None for the project as a whole


@dataclass(frozen=True)
class Read:
    """One indicator row as read (where, the reader's doubts, its table cells) and the indicator made of it."""

    file: str | Msg
    row: int | None
    doubts: list[Msg]
    cells: list[str] | None
    indicator: Indicator


def check_project(code: str, name: str, file: str | Msg, row: int | None, rows: list[Read]) -> tuple[list[InputProblem], list[Doubt]]:
    """(problems that refuse the document, doubts) about one project's indicator rows."""
    errors: list[InputProblem] = []
    doubts: list[Doubt] = []

    def within(expected: Msg) -> Msg:
        return msg("err_in_project", code=code, name=name, where="", problem=expected)

    for index, read in enumerate(rows):
        ind = read.indicator

        def refuse(column: str, value: str, key: str, read: Read = read, ind: Indicator = ind, **values) -> None:
            errors.append(
                InputProblem(
                    read.file, read.row, column, value, within(msg("err_in_indicator", name=ind.level3, problem=msg(key, **values)))
                )
            )

        def doubt(
            column: str | None, value: str | None, expected: Msg, read: Read = read, ind: Indicator = ind, index: int = index
        ) -> None:
            what = within(msg("err_in_indicator", name=ind.level3, problem=expected))
            doubts.append(Doubt(InputProblem(read.file, read.row, column, value, what), code, index))

        if ind.level1 not in LEVEL1:
            refuse("一级指标", ind.level1, "err_level1_unknown", allowed="、".join(LEVEL1))
        if ind.level2 not in LEVEL2:
            refuse("二级指标", ind.level2, "err_level2_unknown", allowed="、".join(LEVEL2))
        elif ind.level1 in LEVEL1 and not belongs(ind.level1, ind.level2):
            doubt("二级指标", ind.level2, msg("doubt_level2_elsewhere", level1=ind.level1))
        for column, text in (("三级指标", ind.level3), ("绩效指标描述", ind.description), ("指标值确定依据", ind.basis or "")):
            if compact(text) in HEADER_WORDS:
                refuse(column, text, "err_header_word")
        for column, text in (("三级指标", ind.level3), ("绩效指标描述", ind.description)):
            if compact(text) in BASIS_PHRASES:
                doubt(column, text, msg("doubt_basis_phrase"))
        if ind.op != "qual" and not known_unit(ind.unit):
            doubt("指标值", ind.target_text, msg("doubt_unit", unit=ind.unit))
        if read.cells is not None and _unaccounted(read.cells, ind):
            refuse("", " ".join(read.cells), "err_cells_unaccounted")
        for reason in read.doubts:
            doubt(None, None, reason)
    level1s = {r.indicator.level1 for r in rows}
    for level1 in scheme_of(level1s):
        if level1 not in level1s:
            doubts.append(Doubt(InputProblem(file, row, "一级指标", None, within(msg("doubt_group_missing", level1=level1))), code, None))
    names = Counter((r.indicator.level1, r.indicator.level2, r.indicator.level3) for r in rows)
    for index, read in enumerate(rows):
        ind = read.indicator
        if names[(ind.level1, ind.level2, ind.level3)] > 1:
            what = within(msg("err_in_indicator", name=ind.level3, problem=msg("doubt_repeated")))
            doubts.append(Doubt(InputProblem(read.file, read.row, "三级指标", ind.level3, what), code, index))
    return errors, doubts


def _unaccounted(cells: list[str], ind: Indicator) -> bool:
    """Whether a table row holds text that none of the indicator's fields holds."""
    fields = Counter(compact(f) for f in (ind.level1, ind.level2, ind.level3, ind.description, ind.target_text, ind.basis or ""))
    return bool(Counter(c for c in map(compact, cells) if c) - fields)
