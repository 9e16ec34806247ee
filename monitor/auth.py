"""Users, roles and passwords: who may change data, and the administration of users.

Passwords are stored only as argon2id hashes (argon2-cffi, salted, memory-hard). Repeated failed
sign-ins lock the user name for a window that doubles with each further failure; the count and
time live in the `users` table so the window holds across browser sessions and server processes.

There is no default user or password: a database without users offers to create its first admin,
once (`create_first_admin`); after that admins add users, reset passwords (the user must choose a
new one at the next sign-in), change roles and unlock names. Every such change is a row of
`user_changes` (who, when, what), and the rights are checked here, whatever calls these functions.

A viewer or editor may be given a scope: the unit (or the department or region, with every unit
below it) whose data they may change; `refuse_outside` is asked before each write of project data
in the app. Reading is not limited by it, and admins have none: they administer every unit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from monitor.errors import NotAllowed, Refused
from monitor.i18n import msg
from monitor.store.batches import transaction
from monitor.store.db import query_rows

ROLES = ("viewer", "editor", "admin")  # each role has the rights of those before it
MIN_PASSWORD_LENGTH = 8
USER_NAME = re.compile(r"[^\s]{1,64}")
FREE_ATTEMPTS = 3  # failures allowed before the lockout window starts
FIRST_LOCKOUT = dt.timedelta(seconds=5)  # then 10 s, 20 s, … up to MAX_LOCKOUT
MAX_LOCKOUT = dt.timedelta(minutes=15)

_hasher = PasswordHasher()  # the library's defaults: argon2id, RFC 9106 low-memory profile


@dataclass(frozen=True)
class User:
    name: str
    role: str
    scope: str | None = None  # the dept_code whose units' data the user may change; None: every unit

    def can(self, role: str) -> bool:
        """Whether this user has at least `role`."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def rights(self) -> str:
        """The role and scope as user_changes records them: "editor", or "editor@731001"."""
        return self.role if self.scope is None else f"{self.role}@{self.scope}"


@dataclass(frozen=True)
class SignIn:
    user: User | None  # None: refused
    retry_after: dt.timedelta = dt.timedelta(0)  # > 0: locked out for this long after repeated failures
    must_change: bool = False  # the password was reset: a new one must be chosen before going on


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def lockout(failures: int) -> dt.timedelta:
    """How long a user name stays locked after `failures` consecutive failed sign-ins."""
    if failures < FREE_ATTEMPTS:
        return dt.timedelta(0)
    doublings = min(failures - FREE_ATTEMPTS, 20)  # past the cap already; keeps the multiplication small
    return min(FIRST_LOCKOUT * 2**doublings, MAX_LOCKOUT)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused("err_password_short", chars=MIN_PASSWORD_LENGTH)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise Refused("err_user_role", roles=" / ".join(ROLES))


def _check_scope(con: duckdb.DuckDBPyConnection, role: str, scope: str | None) -> None:
    if scope is None:
        return
    if role == "admin":
        raise Refused("err_admin_scope")
    if con.execute("SELECT count(*) FROM departments WHERE dept_code = ?", [scope]).fetchone()[0] == 0:
        raise Refused("err_scope_unknown", code=scope)


def _insert(con: duckdb.DuckDBPyConnection, name: str, role: str, password: str, must_change: bool, scope: str | None = None) -> User:
    if not USER_NAME.fullmatch(name):
        raise Refused("err_user_name")
    _check_role(role)
    _check_scope(con, role, scope)
    _check_password(password)
    if get_user(con, name) is not None:
        raise Refused("err_user_exists", name=name)
    con.execute(
        "INSERT INTO users (user_name, role, password_hash, created_at, must_change, scope_code) VALUES (?, ?, ?, ?, ?, ?)",
        [name, role, hash_password(password), _now(), must_change, scope],
    )
    return User(name, role, scope)


def _record(con: duckdb.DuckDBPyConnection, name: str, action: str, by: str, detail: str | None = None) -> None:
    con.execute(
        "INSERT INTO user_changes (user_name, action, detail, by_user, changed_at) VALUES (?, ?, ?, ?, ?)",
        [name, action, detail, by, _now()],
    )


def add_user(
    con: duckdb.DuckDBPyConnection,
    name: str,
    role: str,
    password: str,
    by: str = "cli",
    *,
    must_change: bool = False,
    scope: str | None = None,
) -> User:
    """Create a user (recorded as done `by` someone); `Refused` (with a message for the person at
    the keyboard) when not possible. `must_change`: the password is a temporary one; `scope`: the
    unit whose data the user may change (None: every unit)."""
    with transaction(con):
        user = _insert(con, name, role, password, must_change, scope)
        _record(con, name, "add", by, user.rights())
    return user


def _require_admin(user: User | None) -> User:
    if user is None:
        raise NotAllowed("err_signin_first")
    if not user.can("admin"):
        raise NotAllowed("err_role", name=user.name, role=msg(f"role_{user.role}"), needed=msg("role_admin"))
    return user


def has_users(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM users").fetchone()[0] > 0


def create_first_admin(con: duckdb.DuckDBPyConnection, name: str, password: str) -> User:
    """The first user of a database, an admin; refused once any user exists (checked inside the write)."""
    with transaction(con):
        if has_users(con):
            raise NotAllowed("err_first_admin_done")
        user = _insert(con, name, "admin", password, False)
        _record(con, name, "first_admin", name, "admin")
    return user


def admin_add_user(
    con: duckdb.DuckDBPyConnection, admin: User | None, name: str, role: str, password: str, scope: str | None = None
) -> User:
    """An admin adds a user with a temporary password, to be changed at the first sign-in."""
    return add_user(con, name, role, password, _require_admin(admin).name, must_change=True, scope=scope)


def reset_password(con: duckdb.DuckDBPyConnection, admin: User | None, name: str, password: str) -> None:
    """An admin gives a user a temporary password; the user must choose a new one at the next sign-in.
    The lockout is lifted with it."""
    by = _require_admin(admin).name
    _check_password(password)
    with transaction(con):
        _existing(con, name)
        con.execute(
            "UPDATE users SET password_hash = ?, must_change = TRUE, failed_attempts = 0, last_failed_at = NULL WHERE user_name = ?",
            [hash_password(password), name],
        )
        _record(con, name, "reset", by)


def change_role(con: duckdb.DuckDBPyConnection, admin: User | None, name: str, role: str, scope: str | None = None) -> None:
    """An admin changes a user's role and scope (recorded as one change of rights); the last admin
    keeps theirs (someone must be able to administer)."""
    by = _require_admin(admin).name
    _check_role(role)
    with transaction(con):
        _check_scope(con, role, scope)
        old, new = _existing(con, name), User(name, role, scope)
        if old == new:
            return
        admins = con.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()[0]
        if old.role == "admin" and role != "admin" and admins == 1:
            raise Refused("err_last_admin", name=name)
        con.execute("UPDATE users SET role = ?, scope_code = ? WHERE user_name = ?", [role, scope, name])
        _record(con, name, "role", by, f"{old.rights()}→{new.rights()}")


def refuse_outside(
    con: duckdb.DuckDBPyConnection,
    user: User,
    year: int | None,
    *,
    projects: Iterable[str] = (),
    indicators: Iterable[str] = (),
    units: Iterable[str] = (),
) -> None:
    """`NotAllowed` when `user` has a scope and any unit a write touches lies outside it: the units
    of the `projects` and `indicators` of fiscal year `year`, and the `units` named. A unit's staff
    change their unit's data only, whatever a file holds."""
    if user.scope is None:
        return
    touched = {"projects": projects, "indicators": indicators, "units": units}
    outside = query_rows(con, "units_outside_scope", year=year, scope=user.scope, **{k: sorted(set(v)) for k, v in touched.items()})
    if outside:
        shown = "、".join(code for (code,) in outside[:5]) + ("…" if len(outside) > 5 else "")
        raise NotAllowed("err_scope_outside", name=user.name, scope=user.scope, units=shown)


def unlock(con: duckdb.DuckDBPyConnection, admin: User | None, name: str) -> None:
    """An admin lifts a user name's lockout after failed sign-ins."""
    by = _require_admin(admin).name
    with transaction(con):
        _existing(con, name)
        con.execute("UPDATE users SET failed_attempts = 0, last_failed_at = NULL WHERE user_name = ?", [name])
        _record(con, name, "unlock", by)


def change_password(con: duckdb.DuckDBPyConnection, name: str, current: str, new: str) -> User:
    """A user replaces their password (after a reset: the temporary one) with a new one of their own."""
    _check_password(new)
    if new == current:
        raise Refused("err_password_same")
    with transaction(con):
        row = con.execute("SELECT role, password_hash, scope_code FROM users WHERE user_name = ?", [name]).fetchone()
        if row is None or not verify_password(row[1], current):
            raise NotAllowed("err_password_wrong")
        con.execute("UPDATE users SET password_hash = ?, must_change = FALSE WHERE user_name = ?", [hash_password(new), name])
        _record(con, name, "password", name)
    return User(name, row[0], row[2])


def _existing(con: duckdb.DuckDBPyConnection, name: str) -> User:
    user = get_user(con, name)
    if user is None:
        raise Refused("err_no_user", name=name)
    return user


def get_user(con: duckdb.DuckDBPyConnection, name: str) -> User | None:
    row = con.execute("SELECT user_name, role, scope_code FROM users WHERE user_name = ?", [name]).fetchone()
    return User(*row) if row else None


def locked_until(failures: int, last_failed_at: dt.datetime | None) -> dt.datetime | None:
    """Until when a user name is locked (None: not locked)."""
    if last_failed_at is None or lockout(failures) == dt.timedelta(0):
        return None
    return last_failed_at + lockout(failures)


def sign_in(con: duckdb.DuckDBPyConnection, name: str, password: str, now: dt.datetime | None = None) -> SignIn:
    """Check a password. While the name is locked the password is not even tried."""
    now = now or _now()
    row = con.execute(
        "SELECT role, password_hash, failed_attempts, last_failed_at, coalesce(must_change, FALSE), scope_code"
        " FROM users WHERE user_name = ?",
        [name],
    ).fetchone()
    if row is None:
        verify_password(_unknown_user_hash(), password)  # take as long as for a real user
        return SignIn(None)
    role, stored_hash, failures, last_failed_at, must_change, scope = row
    if last_failed_at is not None:
        wait = last_failed_at + lockout(failures) - now
        if wait > dt.timedelta(0):
            return SignIn(None, wait)
    if not verify_password(stored_hash, password):
        con.execute("UPDATE users SET failed_attempts = failed_attempts + 1, last_failed_at = ? WHERE user_name = ?", [now, name])
        return SignIn(None, lockout(failures + 1))
    new_hash = hash_password(password) if _hasher.check_needs_rehash(stored_hash) else stored_hash
    con.execute(
        "UPDATE users SET failed_attempts = 0, last_failed_at = NULL, password_hash = ? WHERE user_name = ?",
        [new_hash, name],
    )
    return SignIn(User(name, role, scope), must_change=bool(must_change))


@cache
def _unknown_user_hash() -> str:
    return hash_password("no such user")


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)
