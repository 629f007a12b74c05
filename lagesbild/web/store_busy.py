"""The web's answer to a write that gave up waiting for another write to the store (the store's
``SQLITE_BUSY_MS``: SQLite's "database is locked", PostgreSQL's lock timeout of the write lock): 503,
``Retry-After`` and :data:`lagesbild.errors.STORE_BUSY_WEB`, one log line without traceback. The write
was one transaction and is rolled back; the request can simply be sent again.
"""

from __future__ import annotations

import logging

import flask

from lagesbild.errors import STORE_BUSY_RETRY_AFTER, STORE_BUSY_WEB, store_locked

log = logging.getLogger(__name__)

__all__ = ["busy", "store_locked"]


def busy(err: BaseException) -> flask.Response:
    """503 with :data:`lagesbild.errors.STORE_BUSY_WEB` and ``Retry-After`` for the current request."""
    req = flask.request
    log.warning("store busy on %s %s: %s", req.method, req.path, str(err).splitlines()[0] if str(err) else "")
    response = flask.Response(STORE_BUSY_WEB, status=503, mimetype="text/plain")
    response.headers["Retry-After"] = str(STORE_BUSY_RETRY_AFTER)
    return response
