"""Problems found in user input, reported with file, row, column, value and expectation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputProblem:
    file: str
    row: int | None  # 1-based, as a spreadsheet shows it (the header is row 1)
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"列「{self.column}」")
        value = f"：值 {self.value!r}" if self.value not in (None, "") else ""
        return f"{' '.join(where)}{value}：{self.expected}"


class InputError(Exception):
    """Raised with every problem of a file; nothing has been written when it is raised."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
