"""Every setting of the product in one place: the environment variables and the settings file
(`monitor/monitoring.toml`, or the file MONITOR_CONFIG names). Read once for each environment,
typed and checked: a value the product cannot use is a `SettingsError` naming the variable or key,
the value and what was expected. The README's "Settings" table lists them all.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from monitor.errors import SettingsError
from monitor.i18n import LANGUAGES

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = Path(__file__).with_name("monitoring.toml")
DEFAULT_DB = REPO_ROOT / "data" / "monitor.duckdb"
ENVIRONMENT = (  # the variables read, in the README's order
    "MONITOR_DB",
    "MONITOR_SOURCE",
    "MONITOR_CONFIG",
    "MONITOR_LANG",
    "MONITOR_MEMORY_LIMIT",
    "MONITOR_REQUIRE_SIGNIN",
    "MONITOR_SESSION_IDLE_MINUTES",
)


@dataclass(frozen=True)
class Thresholds:
    """Disbursement status thresholds, in percentage points of a project's budget ([disbursement])."""

    amber_behind_pp: float = 5.0
    red_behind_pp: float = 15.0


@dataclass(frozen=True)
class Outlook:
    """The year-end outlook ([outlook]): a project whose forecast year-end execution rate is below
    flag_below (a share of its budget) is flagged as likely to leave funds unspent."""

    flag_below: float = 0.9


@dataclass(frozen=True)
class Limits:
    """Sizes and row caps ([limits]): what one upload, one table or one query may hold."""

    upload_mb: int = 20  # an input file (ledger, targets, actuals); also the upload widgets' limit
    unpacked_mb: int = 200  # what an xlsx (a zip) may unpack to
    attachment_mb: int = 10  # an evidence file
    table_rows: int = 2000  # rows a page's table lists (预算执行 projects, 绩效指标 indicators)
    picker_rows: int = 1000  # projects a picker lists before a search box narrows them
    attention_rows: int = 10  # items of each 需要关注 list on 总览 and in the report
    report_projects: int = 200  # projects that get a page of their own in the review report (beyond: choose a unit)
    heatmap_projects: int = 30  # projects in the 绩效指标 heatmap
    explore_rows: int = 10000  # rows 即席查询 lists when nothing is grouped
    sql_rows: int = 1000  # rows the SQL box returns
    sql_seconds: int = 10  # the SQL box's time limit
    lock_wait_seconds: int = 300  # how long a write waits for another process's write to finish

    @property
    def upload_bytes(self) -> int:
        return self.upload_mb * 1024 * 1024


@dataclass(frozen=True)
class Reporting:
    """When indicator values are due ([indicators]): the month-days of the fiscal year by which
    every indicator should have a reported value; the period ends of the year's monitoring rounds
    count too. An indicator without a value after one of them is listed as 未填报 on 总览."""

    reporting_dates: tuple[str, ...] = ("06-30", "12-31")

    def dates(self, year: int) -> list[dt.date]:
        return [dt.date(year, int(d[:2]), int(d[3:])) for d in self.reporting_dates]


@dataclass(frozen=True)
class Settings:
    db: Path  # MONITOR_DB; the command line's --db wins over it
    parquet: Path | None  # MONITOR_SOURCE=parquet:DIR: read an exported folder instead, read-only
    config: Path  # MONITOR_CONFIG: the settings file
    lang: str  # MONITOR_LANG: the command line's language
    memory_limit: str  # MONITOR_MEMORY_LIMIT: DuckDB's memory budget per process
    require_signin: bool  # MONITOR_REQUIRE_SIGNIN: viewing needs a signed-in user too
    session_idle_minutes: float  # MONITOR_SESSION_IDLE_MINUTES: a sign-in ends after this long idle
    thresholds: Thresholds
    outlook: Outlook
    limits: Limits
    reporting: Reporting


def settings() -> Settings:
    """The settings of this process's environment (read again only when a variable changes)."""
    return _read(tuple(os.environ.get(name) for name in ENVIRONMENT))


@cache
def _read(values: tuple[str | None, ...]) -> Settings:
    env = dict(zip(ENVIRONMENT, values))
    config = Path(env["MONITOR_CONFIG"] or DEFAULT_CONFIG)
    source = (env["MONITOR_SOURCE"] or "duckdb").strip()
    if source != "duckdb" and not (source.startswith("parquet:") and len(source) > len("parquet:")):
        raise SettingsError("err_setting", name="MONITOR_SOURCE", value=source, expected="duckdb, parquet:DIR")
    lang = (env["MONITOR_LANG"] or "zh").strip().lower()
    if lang not in LANGUAGES:
        raise SettingsError("err_setting", name="MONITOR_LANG", value=lang, expected=" / ".join(LANGUAGES))
    memory = (env["MONITOR_MEMORY_LIMIT"] or "2GB").strip().upper()
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB)", memory):
        raise SettingsError("err_setting", name="MONITOR_MEMORY_LIMIT", value=memory, expected="2GB, 512MB …")
    signin = (env["MONITOR_REQUIRE_SIGNIN"] or "0").strip().lower()
    if signin not in ("0", "1", "true", "false", "yes", "no"):
        raise SettingsError("err_setting", name="MONITOR_REQUIRE_SIGNIN", value=signin, expected="1 / 0")
    idle = _number("MONITOR_SESSION_IDLE_MINUTES", env["MONITOR_SESSION_IDLE_MINUTES"] or "30")
    file = _settings_file(config)
    thresholds = _section(config, file, "disbursement", Thresholds)
    if not 0 <= thresholds.amber_behind_pp <= thresholds.red_behind_pp:
        raise SettingsError(
            "err_setting", name=f"{config} [disbursement]", value=str(thresholds), expected="0 ≤ amber_behind_pp ≤ red_behind_pp"
        )
    outlook = _section(config, file, "outlook", Outlook)
    if outlook.flag_below > 1:
        raise SettingsError("err_setting", name=f"{config} [outlook] flag_below", value=str(outlook.flag_below), expected="0 … 1")
    return Settings(
        db=Path(env["MONITOR_DB"] or DEFAULT_DB).expanduser().resolve(),
        parquet=Path(source.removeprefix("parquet:")).expanduser().resolve() if source != "duckdb" else None,
        config=config,
        lang=lang,
        memory_limit=memory,
        require_signin=signin in ("1", "true", "yes"),
        session_idle_minutes=idle,
        thresholds=thresholds,
        outlook=outlook,
        limits=_section(config, file, "limits", Limits),
        reporting=_reporting(config, file),
    )


def _reporting(path: Path, file: dict) -> Reporting:
    section = file.get("indicators", {})
    unknown = set(section) - {"reporting_dates"}
    dates = section.get("reporting_dates", Reporting.reporting_dates)
    valid = isinstance(dates, list | tuple) and all(isinstance(d, str) and _month_day(d) for d in dates)
    if unknown or not valid:
        raise SettingsError(
            "err_setting", name=f"{path} [indicators]", value=repr(section), expected='reporting_dates = ["06-30", "12-31"]'
        )
    return Reporting(tuple(dates))


def _month_day(text: str) -> bool:
    try:
        dt.date(2024, int(text[:2]), int(text[3:]))  # a leap year: 02-29 is a month-day
    except ValueError:
        return False
    return len(text) == 5 and text[2] == "-"


def _number(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise SettingsError("err_setting", name=name, value=text, expected="> 0")
    return value


def _settings_file(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SettingsError("err_settings_file", path=str(path), error=str(error)) from None


def _section(path: Path, file: dict, name: str, kind: type):
    """The [name] section as `kind`: every key optional (its default), each of the default's type, none unknown."""
    section = file.get(name, {})
    known = {f.name: f for f in fields(kind)}
    values = {}
    for key, value in section.items():
        if key not in known:
            raise SettingsError("err_setting", name=f"{path} [{name}] {key}", value=repr(value), expected=", ".join(known))
        want = type(known[key].default)
        if isinstance(value, bool) or not isinstance(value, int | float) or (want is int and not isinstance(value, int)) or value < 0:
            raise SettingsError("err_setting", name=f"{path} [{name}] {key}", value=repr(value), expected=f"{want.__name__} ≥ 0")
        values[key] = want(value)
    return kind(**values)
