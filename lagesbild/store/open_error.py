"""Why a store cannot be opened, in Swedish (a missing driver, a file that is no database, a server
that does not answer): :class:`lagesbild.errors.StoreError`, which the CLI and the WSGI entry print
as "Fel: …" with exit code 2 instead of a traceback."""

from __future__ import annotations

import logging

from sqlalchemy.engine import make_url

from lagesbild.errors import STORE_REASONS, StoreError, library_reason

log = logging.getLogger("lagesbild.store")


def open_error(url: str, exc: BaseException) -> StoreError:
    """Why the store at ``url`` cannot be opened, in Swedish, the URL's password hidden.

    Examples
    --------
    >>> str(open_error("postgresql+psycopg://u:hemligt@h/db", OSError("Connection refused")))
    'databasen postgresql+psycopg://u:***@h/db kan inte öppnas: kan inte ansluta till databasservern (adress, port, och är den igång?)'
    """
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy reads: shown as given
        shown = url
    log.debug("the store %s cannot be opened", shown, exc_info=exc)
    reason = library_reason(exc, STORE_REASONS, default="okänt fel (LAGESBILD_LOG_LEVEL=DEBUG visar det)")
    return StoreError(f"databasen {shown} kan inte öppnas: {reason}")
