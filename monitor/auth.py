"""Users, roles and passwords: who may change data.

Passwords are stored only as argon2id hashes (argon2-cffi, salted, memory-hard). Repeated failed
sign-ins lock the user name for a window that doubles with each further failure; the count and
time live in the `users` table so the window holds across browser sessions and server processes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from monitor.errors import Refused

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

    def can(self, role: str) -> bool:
        """Whether this user has at least `role`."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class SignIn:
    user: User | None  # None: refused
    retry_after: dt.timedelta = dt.timedelta(0)  # > 0: locked out for this long after repeated failures


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


def add_user(con: duckdb.DuckDBPyConnection, name: str, role: str, password: str) -> User:
    """Create a user; `Refused` (with a message for the person at the keyboard) when not possible."""
    if not USER_NAME.fullmatch(name):
        raise Refused("err_user_name")
    if role not in ROLES:
        raise Refused("err_user_role", roles=" / ".join(ROLES))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused("err_password_short", chars=MIN_PASSWORD_LENGTH)
    if get_user(con, name) is not None:
        raise Refused("err_user_exists", name=name)
    con.execute(
        "INSERT INTO users (user_name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
        [name, role, hash_password(password), _now()],
    )
    return User(name, role)


def get_user(con: duckdb.DuckDBPyConnection, name: str) -> User | None:
    row = con.execute("SELECT user_name, role FROM users WHERE user_name = ?", [name]).fetchone()
    return User(*row) if row else None


def sign_in(con: duckdb.DuckDBPyConnection, name: str, password: str, now: dt.datetime | None = None) -> SignIn:
    """Check a password. While the name is locked the password is not even tried."""
    now = now or _now()
    row = con.execute("SELECT role, password_hash, failed_attempts, last_failed_at FROM users WHERE user_name = ?", [name]).fetchone()
    if row is None:
        verify_password(_unknown_user_hash(), password)  # take as long as for a real user
        return SignIn(None)
    role, stored_hash, failures, last_failed_at = row
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
    return SignIn(User(name, role))


@cache
def _unknown_user_hash() -> str:
    return hash_password("no such user")


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)
