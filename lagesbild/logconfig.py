"""Logging for the whole package: one handler on the ``lagesbild`` logger, set up once.

Modules log through ``logging.getLogger(__name__)`` (ingests, exports, server errors with their request
context); only the command line prints (its output is what the user asked for). The level comes from the
``log_level`` setting (``LAGESBILD_LOG_LEVEL``); records go to standard error with a timestamp, so a
WSGI server's log collects them.

Examples
--------
>>> import io, logging
>>> stream = io.StringIO()
>>> _ = configure_logging("INFO", stream=stream)
>>> logging.getLogger("lagesbild.ingest.run").info("läste in %s", "brott.csv")
>>> "lagesbild.ingest.run INFO läste in brott.csv" in stream.getvalue()
True
"""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
_HANDLER_NAME = "lagesbild-stderr"


def configure_logging(level: str = "INFO", *, stream=None) -> logging.Logger:
    """Give the ``lagesbild`` logger one stream handler at ``level`` (idempotent) and return it."""
    logger = logging.getLogger("lagesbild")
    logger.setLevel(level)
    for handler in list(logger.handlers):
        if handler.get_name() == _HANDLER_NAME:
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    logger.propagate = False
    return logger
