"""Accounts, their passwords and sessions, and the web app's signing key, in the store.

Passwords are hashed with argon2id (argon2-cffi's defaults); only the hash is stored. Roles, from least
to most: ``läsare`` (views and exports of aggregated data), ``analytiker`` (also incident-level maps,
uploads and ingest), ``admin`` (also accounts). The audit log and the login rate limit live in
:mod:`lagesbild.store.audit_log` and are re-exported here. Each account has a session key (table
``user_sessions``) that the web app keeps in the session cookie; :func:`end_sessions` replaces it
(logout, new password), ending every session.

Examples
--------
>>> from lagesbild.store import Store
>>> s = Store("sqlite://")
>>> add_user(s, "anna", "ett långt lösenord", "analytiker")
>>> check_password(s, "anna", "ett långt lösenord")["role"]
'analytiker'
>>> check_password(s, "anna", "fel") is None
True
>>> role_allows("läsare", "analytiker"), role_allows("admin", "analytiker")
(False, True)
"""

from __future__ import annotations

import secrets
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from lagesbild.store import schema as t
from lagesbild.store.audit_log import (  # re-exported: the audit log and login limit were here
    audit,
    audit_entries,
    begin_login,
    behind_gate,
    failed_logins,
    finish_login,
    limited_count,
    limited_detail,
    now,
)
from lagesbild.store.change_stamp import kept
from lagesbild.store.textorder import bytewise

__all__ = ["MIN_PASSWORD", "ROLES", "USERNAME_MAX", "AccountError", "add_user", "audit", "audit_entries",
           "begin_login", "canonical_name", "check_new_account", "check_password", "clear_failed_logins", "end_sessions",
           "failed_logins", "finish_login", "get_user", "hash_password", "limited_count", "limited_detail",
           "known_name", "list_users", "name_key", "now", "remove_user", "role_allows", "secret_key", "session_key",
           "session_user", "set_password", "set_role", "user_count", "verify_password"]

ROLES = ("läsare", "analytiker", "admin")
MIN_PASSWORD = 10
USERNAME_MAX = t.ID
_HASHER = PasswordHasher()
#: a valid hash of a random password: checking unknown names costs as much as known ones
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))
#: the app_keys row locked by every change that could take away an admin (count, then write)
_ADMIN_GATE = "admin_gate"


class AccountError(ValueError):
    """A refused account change, with a Swedish message."""


def role_allows(role: str | None, needed: str) -> bool:
    """True when ``role`` is ``needed`` or above it."""
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(needed)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; different on every call)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def name_key(username: str) -> str:
    """What two usernames must differ in: not case, not Unicode form ("Åsa", "åsa" and "ÅSA" are one)."""
    return unicodedata.normalize("NFKC", username or "").casefold()


def _stored(conn, username: str) -> str | None:
    """The stored name of the account ``username`` names (any case), or None."""
    if conn.execute(select(t.users.c.username).where(t.users.c.username == username)).first():
        return username
    key = name_key(username)
    names = conn.execute(select(t.users.c.username)).scalars()
    return next((n for n in names if name_key(n) == key), None)


def canonical_name(store, username: str) -> str:
    """The stored name of the account ``username`` names in any case; else ``username`` folded as
    :func:`name_key` folds it, so failed logins in different cases count as one name."""
    with store.engine.connect() as conn:
        return _stored(conn, username) or name_key(username)


def _known(conn, username: str) -> str:
    stored = _stored(conn, username)
    if stored is None:
        raise AccountError(f"Kontot {username!r} finns inte.")
    return stored


def _keep_an_admin(conn, username: str, verb: str) -> None:
    """Refuse to take away the last admin (nobody could manage accounts on the web afterwards).

    Called behind the admin gate (:func:`~lagesbild.store.audit_log.behind_gate`): two admins removing
    or demoting each other at the same moment are counted one after the other, so the second sees the
    first's change."""
    role = conn.execute(select(t.users.c.role).where(t.users.c.username == username)).scalar()
    admins = conn.execute(select(func.count()).select_from(t.users).where(t.users.c.role == "admin")).scalar()
    if role == "admin" and admins <= 1:
        raise AccountError(f"Kontot {username!r} är det enda med rollen admin och kan inte {verb}; "
                           "ge först ett annat konto rollen admin.")


def _check_new(username: str, password: str | None, role: str | None) -> None:
    if not username or len(username) > USERNAME_MAX or username != username.strip() \
            or any(c.isspace() or not c.isprintable() for c in username):
        raise AccountError(f"Ogiltigt användarnamn {username!r}: 1–{USERNAME_MAX} tecken utan "
                           "mellanslag.")
    if role is not None and role not in ROLES:
        raise AccountError(f"Okänd roll {role!r}; välj {', '.join(ROLES)}.")
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError(f"Lösenordet är för kort: minst {MIN_PASSWORD} tecken.")
    if password is not None and len(set(password)) < 3:  # "          ", "aaaaaaaaaa"
        raise AccountError("Lösenordet har för få olika tecken: använd minst tre olika.")
    if password is not None and any("\ud800" <= c <= "\udfff" for c in password):
        # bytes that are not UTF-8 on standard input (Python keeps them as lone surrogates)
        raise AccountError("Lösenordet är inte giltig UTF-8-text; inget ändrades.")


def _refuse_name(conn, username: str) -> None:
    """Refuse a reserved name or one an account has already (in any case)."""
    if username.startswith("("):  # "(kod)" and "(öppet läge)" name the code and open mode in the log
        raise AccountError(f"Ogiltigt användarnamn {username!r}: namn som börjar med ( är reserverade.")
    existing = _stored(conn, username)
    if existing is not None:
        same = "" if existing == username else f" som {existing!r} (stora och små bokstäver räknas lika)"
        raise AccountError(f"Kontot {username!r} finns redan{same}.")


def check_new_account(store, username: str, role: str) -> None:
    """Refuse what :func:`add_user` would refuse before its password is known (the name, the role),
    so that a command asks for a password only when the account can be made.

    Examples
    --------
    >>> from lagesbild.store import Store
    >>> s = Store("sqlite://")
    >>> add_user(s, "anna", "ett långt lösenord", "admin")
    >>> check_new_account(s, "ANNA", "läsare")
    Traceback (most recent call last):
    ...
    lagesbild.store.accounts.AccountError: Kontot 'ANNA' finns redan som 'anna' (stora och små bokstäver räknas lika).
    """
    _check_new(username, None, role)
    with store.engine.connect() as conn:
        _refuse_name(conn, username)


def known_name(store, username: str) -> str:
    """The stored name of the account ``username`` names (any case); refused when there is none."""
    with store.engine.connect() as conn:
        return _known(conn, username)


def add_user(store, username: str, password: str, role: str) -> None:
    """Create an account; refuses an existing name, an unknown role or a short password."""
    _check_new(username, password, role)
    with store.engine.begin() as conn:
        _refuse_name(conn, username)
        conn.execute(insert(t.users).values(username=username, password_hash=hash_password(password),
                                            role=role, created_at=now()))


def set_password(store, username: str, password: str) -> None:
    """Give an existing account a new password."""
    _check_new(username, password, None)
    with store.engine.begin() as conn:
        username = _known(conn, username)
        conn.execute(update(t.users).where(t.users.c.username == username)
                     .values(password_hash=hash_password(password)))
        conn.execute(delete(t.user_sessions).where(t.user_sessions.c.username == username))


def set_role(store, username: str, role: str) -> None:
    """Give an existing account another role (never the last admin a lesser one)."""
    _check_new(username, None, role)

    def change(conn):
        name = _known(conn, username)
        if role != "admin":
            _keep_an_admin(conn, name, "få en annan roll")
        conn.execute(update(t.users).where(t.users.c.username == name).values(role=role))

    behind_gate(store, _ADMIN_GATE, change)


def remove_user(store, username: str) -> None:
    """Remove an account (its audit entries stay); never the last admin."""

    def remove(conn):
        name = _known(conn, username)
        _keep_an_admin(conn, name, "tas bort")
        conn.execute(delete(t.users).where(t.users.c.username == name))
        conn.execute(delete(t.user_sessions).where(t.user_sessions.c.username == name))

    behind_gate(store, _ADMIN_GATE, remove)


def list_users(store) -> list[dict]:
    """Every account: ``username``, ``role``, ``created_at`` (no hashes), sorted by name."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.users.c.username, t.users.c.role, t.users.c.created_at)
                            .order_by(bytewise(t.users.c.username))).mappings().all()
    return [dict(r) for r in rows]


def get_user(store, username: str) -> dict | None:
    """One account (``username``, ``role``) or None; ``username`` in any case."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.users.c.username, t.users.c.role)
                           .where(t.users.c.username == _stored(conn, username))).mappings().first()
    return dict(row) if row else None


def user_count(store) -> int:
    """The number of accounts: counted again only after a commit to the store by any connection or
    process (:func:`lagesbild.store.change_stamp.kept`; the web app asks on every request)."""
    def count():
        with store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.users)).scalar() or 0)
    return kept(store, "user_count", count)


def check_password(store, username: str, password: str) -> dict | None:
    """The account when the password is right, else None (same work for unknown names). The name is
    matched in any case ("ANNA" logs in as "anna"); the stored name is returned."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.users).where(t.users.c.username == _stored(conn, username))
                           ).mappings().first()
    if row is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(row["password_hash"], password):
        return None
    return {"username": row["username"], "role": row["role"]}


# ----- sessions ------------------------------------------------------------------------------
def session_key(store, username: str) -> str:
    """The account's current session key (made at its first login after a logout)."""
    return _kept_token(store, select(t.user_sessions.c.session_key).where(t.user_sessions.c.username == username),
                       lambda token: insert(t.user_sessions).values(username=username, session_key=token))


def _kept_token(store, query, make) -> str:
    """The value ``query`` reads, made first (``make(token)``: the insert of a new random token) when
    there is none; a parallel maker's value wins (another login, another worker)."""
    with store.engine.connect() as conn:
        value = conn.execute(query).scalar()
    if value:
        return value
    try:
        with store.engine.begin() as conn:
            conn.execute(make(secrets.token_hex(32)))
    except IntegrityError:  # made in parallel: use that one
        pass
    with store.engine.connect() as conn:
        return conn.execute(query).scalar()


def session_user(store, username: str, key: str | None) -> dict | None:
    """The account (``username``, ``role``) when ``key`` is its current session key, else None.

    Examples
    --------
    >>> from lagesbild.store import Store
    >>> s = Store("sqlite://")
    >>> add_user(s, "bo", "ett långt lösenord", "läsare")
    >>> key = session_key(s, "bo")
    >>> session_user(s, "bo", key)["role"], session_user(s, "bo", "gammal")
    ('läsare', None)
    >>> end_sessions(s, "bo"); session_user(s, "bo", key) is None
    True
    """
    if not key or not isinstance(key, str):
        return None
    query = select(t.users.c.username, t.users.c.role, t.user_sessions.c.session_key).join(
        t.user_sessions, t.user_sessions.c.username == t.users.c.username).where(
        t.users.c.username == username)
    with store.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None or not secrets.compare_digest(row["session_key"], key):
        return None
    return {"username": row["username"], "role": row["role"]}


def end_sessions(store, username: str) -> None:
    """End every web session of the account (its next login gets a new key)."""
    with store.engine.begin() as conn:
        conn.execute(delete(t.user_sessions).where(t.user_sessions.c.username == username))


def clear_failed_logins(store, username: str) -> None:
    """Forget an account's failed logins (after a password reset); they stay as ``login_failed_old``."""
    username = canonical_name(store, username)
    with store.engine.begin() as conn:
        conn.execute(update(t.audit_log).where(
            t.audit_log.c.action == "login_failed",
            t.audit_log.c.username == username).values(action="login_failed_old"))


# ----- signing key ---------------------------------------------------------------------------
def secret_key(store) -> str:
    """The web app's session signing key: made once, kept in the store, shared by every worker."""
    return _kept_token(store, select(t.app_keys.c.value).where(t.app_keys.c.name == "session"),
                       lambda token: insert(t.app_keys).values(name="session", value=token))
