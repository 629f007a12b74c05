"""Why a store cannot be opened, in Swedish (a missing driver, a file that is no database, a server
that does not answer): :class:`lagesbild.errors.StoreError`, which the CLI and the WSGI entry print
as "Fel: …" with exit code 2 instead of a traceback."""

from __future__ import annotations

import logging

from sqlalchemy.engine import make_url

from lagesbild.errors import STORE_REASONS, StoreError, library_reason
from lagesbild.settings import hide_password

log = logging.getLogger("lagesbild.store")


#: what else keeps a store URL from being opened, before the errors shared with a failed write
OPEN_REASONS = (
    (r"invalid literal for int\(\)|invalid port number", "porten är inget tal från 1 till 65535"),
    (r"invalid (\w+) value: \"([^\"]*)\"", "värdet {1!r} är inte tillåtet för {0} i URL:en"),
    (r"invalid (?:URI )?query parameter|invalid connection option \"([^\"]*)\"",
     "URL:en har ett okänt tillägg efter '?'"),
)


def open_error(url: str, exc: BaseException) -> StoreError:
    """Why the store at ``url`` cannot be opened, in Swedish, the URL's password hidden.

    Examples
    --------
    >>> str(open_error("postgresql+psycopg://u:hemligt@h/db", OSError("Connection refused")))
    'databasen postgresql+psycopg://u:***@h/db kan inte öppnas: kan inte ansluta till databasservern (adress, port, och är den igång?)'
    >>> str(open_error("postgresql+psycopg://u:hemligt@h:abc/db", ValueError("invalid literal for int()")))
    'databasen postgresql+psycopg://u:***@h:abc/db kan inte öppnas: porten är inget tal från 1 till 65535'
    """
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy reads (a port that is no number): its password hidden
        shown = hide_password(url)
    log.debug("the store %s cannot be opened", shown, exc_info=exc)
    reason = library_reason(exc, OPEN_REASONS + STORE_REASONS, default="okänt fel (LAGESBILD_LOG_LEVEL=DEBUG visar det)")
    return StoreError(f"databasen {shown} kan inte öppnas: {reason}")
