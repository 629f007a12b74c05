"""A database server that does not answer just now (stopped, restarting, out of connections, the
connection lost): a passing state, not a mistake in the user's input or settings.

The web answers it with 503 and :data:`WEB_MESSAGE` (``web/security.py``) and recovers by itself when
the server is back; the CLI ends with :data:`EXIT_CODE` (75, ``EX_TEMPFAIL`` of BSD's ``sysexits.h``:
"a temporary failure; the user is invited to retry"), so a cron job or a service manager can tell it
from a wrong input or setting (exit code 2). A server that answers and refuses (a wrong password, a
database that does not exist, a role without write rights) is not unreachable: that stays a setting to
correct (exit code 2, the web's 500).

Examples
--------
>>> unreachable(OSError('connection failed: connection to server at "h", port 5432 failed: Connection refused'))
True
>>> unreachable(OSError('FATAL:  password authentication failed for user "anna"'))
False
>>> scrub("connection to postgresql://anna:hemligt@db/x failed; password=hemligt2 user=anna")
'connection to postgresql://anna:***@db/x failed; password=*** user=anna'
"""

from __future__ import annotations

import re

from lagesbild.errors import StoreError

#: the exit code of a command whose database server does not answer (sysexits.h EX_TEMPFAIL)
EXIT_CODE = 75

#: what the web shows (a page, a callback, a download) while the database server does not answer
WEB_MESSAGE = "Databasen svarar inte just nu, försök igen om en stund."

#: the CLI's sentence after the reason: the same words
CLI_ADVICE = WEB_MESSAGE

#: seconds a client is asked to wait before it tries again (the 503's Retry-After)
RETRY_AFTER = 30

#: the driver's words for a server that is not there or went away (psycopg / libpq, SQLAlchemy)
UNREACHABLE = re.compile(
    r"Connection refused|could not connect|connection to server on socket .*failed: No such file|"
    r"connection (is )?(closed|lost)|server closed the connection|terminating connection|"
    r"timeout expired|connection timed out|No route to host|Network is unreachable|"
    r"the database system is (starting up|shutting down|in recovery mode|not yet accepting)|"
    r"too many (clients|connections)|connection slots are reserved|"
    r"no connection to the server|consuming input failed|sending query failed|"
    r"could not receive data from server|could not send data to server|SSL SYSCALL error|"
    r"Temporary failure in name resolution", re.IGNORECASE)

#: a server that answered and refused, or a URL that cannot work: a setting to correct, never "later"
REFUSALS = re.compile(r"password authentication failed|does not exist|no pg_hba\.conf entry|"
                      r"no password supplied|invalid|support SSL|SSL was required", re.IGNORECASE)


class StoreUnreachable(StoreError):
    """The store's server does not answer when it is opened (a :class:`StoreError`, Swedish)."""


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` (or an exception it was raised from) says the database server does not answer:
    SQLAlchemy's flag for a connection it found broken, or the driver's words for it."""
    for item in _chain(exc):
        if isinstance(item, StoreUnreachable) or getattr(item, "connection_invalidated", False):
            return True
        text = str(getattr(item, "orig", None) or item)
        if UNREACHABLE.search(text) and not REFUSALS.search(text):
            return True
    return False


def scrub(text: str) -> str:
    """``text`` with every password hidden: a URL's (``user:***@``) and a connection string's
    (``password=***``)."""
    text = re.sub(r"([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^\s]*@", r"\1***@", text)
    return re.sub(r"(password=)[^&\s'\"]*", r"\1***", text, flags=re.IGNORECASE)


def first_line(exc: BaseException) -> str:
    """The driver's own first line (no SQL, no traceback), passwords hidden, for the log."""
    for item in _chain(exc):
        orig = getattr(item, "orig", None)
        if orig is not None:
            return scrub(str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__)
    text = str(exc).strip()
    return scrub(text.splitlines()[0] if text else type(exc).__name__)
