"""The audit log and the login rate limit, in the store (accounts themselves: :mod:`lagesbild.store.accounts`).

The audit log records who did what and when (logins, failed ones included, uploads, ingests, exports);
failed logins in it also drive the login rate limit, so every worker of a multi-worker server sees the
same counts. A login attempt is recorded (as failed) before its password is checked, in one transaction
with the count of earlier failures, serialised by a lock row (:func:`begin_login`): parallel attempts
from several threads or workers are counted one after the other. The same lock rows ("gates",
:func:`behind_gate`) serialise the account changes that could take away the last admin.

Examples
--------
>>> from lagesbild.store import Store
>>> s = Store("sqlite://")
>>> audit(s, "anna", "export", "Översikt (PNG)", "127.0.0.1")
>>> [(e["username"], e["action"]) for e in audit_entries(s)]
[('anna', 'export')]
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from lagesbild.store import schema as t

USERNAME_MAX = t.ID
#: login attempts of this process, one at a time (the lock row does the same across processes)
_LOGIN_LOCK = threading.Lock()
_GATE = "login_gate"  # the app_keys row locked by every login attempt's count-and-record step


def now() -> datetime:
    """The current UTC time without tzinfo (stored as naive UTC in both databases)."""
    return datetime.now(UTC).replace(tzinfo=None)


def audit(store, username: str, action: str, detail: str = "", ip: str = "") -> None:
    """Record one action (``login``, ``login_failed``, ``upload``, ``ingest``, ``export`` …)."""
    with store.engine.begin() as conn:
        conn.execute(insert(t.audit_log).values(at=now(), username=(username or "")[:USERNAME_MAX],
                                                action=action[:30], detail=detail or "",
                                                ip=(ip or "")[:64]))


def audit_entries(store, limit: int = 500) -> list[dict]:
    """The latest audit entries, newest first."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.audit_log).order_by(t.audit_log.c.audit_id.desc())
                            .limit(limit)).mappings().all()
    return [dict(r) for r in rows]


def failed_logins(store, *, username: str | None = None, ip: str | None = None,
                  minutes: int = 15) -> dict:
    """Failed logins in the last ``minutes``: ``{"user": n, "ip": n}``."""
    since = now() - timedelta(minutes=minutes)
    base = select(func.count()).select_from(t.audit_log).where(
        t.audit_log.c.action == "login_failed", t.audit_log.c.at >= since)
    with store.engine.connect() as conn:
        by_user = conn.execute(base.where(t.audit_log.c.username == username)).scalar() if username \
            else 0
        by_ip = conn.execute(base.where(t.audit_log.c.ip == ip)).scalar() if ip else 0
    return {"user": int(by_user or 0), "ip": int(by_ip or 0)}


class _NoGate(LookupError):
    """The gate row is not made yet (:func:`_behind_gate` makes it and tries again)."""


def _lock_gate(conn, name: str) -> None:
    """Lock the gate row until the transaction ends (SQLite: the write lock; PostgreSQL: a row lock),
    so the next transaction behind the same gate reads only after this one has written."""
    locked = update(t.app_keys).where(t.app_keys.c.name == name).values(value="")
    if not conn.execute(locked).rowcount:
        raise _NoGate(name)


def _make_gate(store, name: str) -> None:
    try:
        with store.engine.begin() as conn:
            conn.execute(insert(t.app_keys).values(name=name, value=""))
    except IntegrityError:  # made by another worker
        pass


def behind_gate(store, name: str, work):
    """``work(conn)`` in one transaction behind the gate row ``name`` (made on first use)."""
    for retry in (True, False):
        try:
            with store.engine.begin() as conn:
                _lock_gate(conn, name)
                return work(conn)
        except _NoGate:
            if not retry:
                raise
            _make_gate(store, name)
    raise AssertionError("unreachable")


def begin_login(store, username: str, ip: str, *, per_pair: int, per_ip: int, per_user: int,
                minutes: int = 15) -> int | None:
    """Record a login attempt before its password is checked; None when a limit is reached.

    In one transaction, behind the gate row: count the failed logins of the last ``minutes`` for
    ``username`` from ``ip`` (limit ``per_pair``), from ``ip`` for any account (``per_ip``) and for
    ``username`` from any address (``per_user``), then record this attempt: as ``login_limited`` when
    a limit is reached (the caller must not check the password; the address's refused attempts of the
    window are counted in one row, :func:`limited_detail`), else as ``login_failed`` until
    :func:`finish_login` turns it into ``login``. Returns the attempt's audit id.

    Examples
    --------
    >>> from lagesbild.store import Store
    >>> s = Store("sqlite://")
    >>> [begin_login(s, "x", "1.2.3.4", per_pair=2, per_ip=8, per_user=8) is None for _ in range(3)]
    [False, False, True]
    """
    username, ip = (username or "")[:USERNAME_MAX], (ip or "")[:64]
    since = now() - timedelta(minutes=minutes)
    base = select(func.count()).select_from(t.audit_log).where(
        t.audit_log.c.action == "login_failed", t.audit_log.c.at >= since)
    by_user, by_ip = t.audit_log.c.username == username, t.audit_log.c.ip == ip

    def record(conn):
        limited = (conn.execute(base.where(by_user, by_ip)).scalar() >= per_pair
                   or conn.execute(base.where(by_ip)).scalar() >= per_ip
                   or conn.execute(base.where(by_user)).scalar() >= per_user)
        if limited:  # one row per address and window, counting its refused attempts
            last = conn.execute(select(t.audit_log.c.audit_id, t.audit_log.c.detail).where(
                t.audit_log.c.action == "login_limited", by_ip, t.audit_log.c.at >= since)
                .order_by(t.audit_log.c.audit_id.desc()).limit(1)).first()
            if last is not None:
                conn.execute(update(t.audit_log).where(t.audit_log.c.audit_id == last.audit_id).values(
                    at=now(), username=username, detail=limited_detail(limited_count(last.detail) + 1)))
                return None
        action, detail = ("login_limited", limited_detail(1)) if limited else ("login_failed", "")
        attempt = conn.execute(insert(t.audit_log).values(
            at=now(), username=username, action=action, detail=detail, ip=ip)).inserted_primary_key[0]
        return None if limited else int(attempt)

    with _LOGIN_LOCK:
        return behind_gate(store, _GATE, record)


def limited_detail(count: int) -> str:
    """The audit detail of an address's refused logins: one row per address and window, however many
    attempts (an attacker's requests must not grow the log without bound).

    Examples
    --------
    >>> limited_detail(1), limited_detail(40), limited_count(limited_detail(40))
    ('för många misslyckade försök', 'för många misslyckade försök (40 spärrade försök)', 40)
    """
    return "för många misslyckade försök" + (f" ({count} spärrade försök)" if count > 1 else "")


def limited_count(detail) -> int:
    """How many refused attempts a :func:`limited_detail` counts (1 for an older row without a count)."""
    found = re.search(r"\((\d+) spärrade försök\)", str(detail or ""))
    return int(found.group(1)) if found else 1


def finish_login(store, attempt: int, role: str) -> None:
    """Turn the attempt recorded by :func:`begin_login` into a successful ``login`` (detail: role)."""
    with store.engine.begin() as conn:
        conn.execute(update(t.audit_log).where(t.audit_log.c.audit_id == attempt)
                     .values(action="login", detail=role))
