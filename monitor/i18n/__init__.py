"""UI strings as data: one TOML file per language beside this module (`zh.toml`, the default, and
`en.toml`), holding the same keys (tests/test_i18n.py). Data labels are never translated.

`t(key, lang, **values)` looks a string up and fills its `{name}` fields; a value that is itself a
`Msg` (a key with values, e.g. the problem inside "项目 X：…") or `Choices` (the values a cell may
hold) is worded in the same language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANG = "zh"
_FOLDER = Path(__file__).parent


@cache
def strings(lang: str) -> dict[str, str]:
    """Every string of one language, read once from its file."""
    with (_FOLDER / f"{lang}.toml").open("rb") as f:
        return tomllib.load(f)


def t(key: str, lang: str = DEFAULT_LANG, /, **values: Any) -> str:
    text = strings(lang if lang in LANGUAGES else DEFAULT_LANG)[key]
    if not values:
        return text
    return text.format(**{name: v.text(lang) if isinstance(v, Msg | Choices) else v for name, v in values.items()})


@dataclass(frozen=True)
class Msg:
    """A message to be worded later, in the reader's language: a key of the string files and its values."""

    key: str
    values: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return t(self.key, lang, **self.values)

    def __str__(self) -> str:
        return self.text()


def msg(key: str, /, **values: Any) -> Msg:
    return Msg(key, values)


@dataclass(frozen=True)
class Choices:
    """The stored values a cell may hold (Chinese data codes), listed in the reader's language: each
    with its code where the reader's word differs from it (Funding (经费保障)), since either is read."""

    items: tuple[tuple[str, str], ...]  # (stored value, key of its word)

    def text(self, lang: str = DEFAULT_LANG) -> str:
        worded = ((value, t(key, lang)) for value, key in self.items)
        return " / ".join(word if word == value else t("choice_with_code", lang, word=word, code=value) for value, word in worded)
