"""The refusals a user can act on, worded from the translation files in the reader's language.

Every kind derives from `MonitorError`, which carries a message key and its values (a `Msg`); the
app shows one with `monitor.ui.errors.show_error` in the page's language, and the command line
prints it in the language of MONITOR_LANG and exits with the kind's status (README, "Exit status").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from monitor.i18n import DEFAULT_LANG, Msg, msg, t


class MonitorError(Exception):
    """A refusal with a message for the user; nothing was changed when it is raised."""

    exit_status: ClassVar[int] = 1

    def __init__(self, key: str, /, **values: Any) -> None:
        self.msg = msg(key, **values)
        super().__init__(key)

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return self.msg.text(lang)

    def __str__(self) -> str:
        return self.message()


@dataclass(frozen=True)
class InputProblem:
    """One problem of an input file: where (file, row, column), the value found and what was expected."""

    file: str | Msg  # a file name, or the form the values came from
    row: int | None  # 1-based, as a spreadsheet shows it (the header is row 1)
    column: str | Msg | None  # as the file heads it, or the field of a form
    value: str | None
    expected: Msg

    def text(self, lang: str = DEFAULT_LANG) -> str:
        where = [_text(self.file, lang)]
        if self.row is not None:
            where.append(t("problem_row", lang, row=self.row))
        if self.column:
            where.append(t("problem_column", lang, column=_text(self.column, lang)))
        value = t("problem_value", lang, value=repr(self.value)) if self.value not in (None, "") else ""
        return t("problem", lang, where=" ".join(where), value=value, expected=self.expected.text(lang))

    def cells(self, lang: str = DEFAULT_LANG) -> tuple[str, int | None, str | None, str | None, str]:
        """(file, row, column, value, expected) as a report table shows them."""
        column = None if self.column is None else _text(self.column, lang)
        return _text(self.file, lang), self.row, column, self.value, self.expected.text(lang)

    def __str__(self) -> str:
        return self.text()


def _text(label: str | Msg, lang: str) -> str:
    return label.text(lang) if isinstance(label, Msg) else label


def problem(file: str | Msg, row: int | None, column: str | Msg | None, value: str | None, key: str, /, **values: Any) -> InputProblem:
    """An `InputProblem` whose expectation is the message `key` with `values`."""
    return InputProblem(file, row, column, value, msg(key, **values))


class InputError(MonitorError):
    """Raised with every problem of a file; nothing has been written when it is raised."""

    exit_status = 2

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__("input_problems", count=len(problems))

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return "\n".join(p.text(lang) for p in self.problems)


class Refused(MonitorError):
    """A request that cannot be carried out as asked (an undo of a batch that cannot be undone, an SQL
    statement the SQL box will not run, a file that exists already)."""

    exit_status = 2


class DatabaseBusy(MonitorError):
    """Another process holds the database file; try again later."""

    exit_status = 3


class NotAllowed(MonitorError):
    """The user (or nobody signed in) may not do this."""

    exit_status = 4


class NotFound(MonitorError):
    """What was asked for does not exist (a batch, a round, an attachment, a file, the database)."""

    exit_status = 5


class SettingsError(MonitorError):
    """A setting (environment variable or the settings file) has a value the product cannot use."""

    exit_status = 6
