"""Where callbacks find the store and the settings of the app serving the request.

:func:`lagesbild.web.factory.create_app` puts them in ``app.server.config["LAGESBILD"]`` (so several apps
in one process each see their own) and in a module-level fallback used outside a request (tests calling
page functions directly).

Examples
--------
>>> set_context("settings", "store")
>>> get_store(), get_settings()
('store', 'settings')
"""

from __future__ import annotations

_FALLBACK: dict = {}
CONFIG_KEY = "LAGESBILD"


def set_context(settings, store, server=None) -> None:
    """Register the settings and store (on a Flask server's config too, when given)."""
    _FALLBACK.update(settings=settings, store=store)
    if server is not None:
        server.config[CONFIG_KEY] = {"settings": settings, "store": store}


def _context() -> dict:
    try:
        import flask

        if flask.has_app_context() and CONFIG_KEY in flask.current_app.config:
            return flask.current_app.config[CONFIG_KEY]
    except ImportError:  # pragma: no cover - flask is a dependency of dash
        pass
    if not _FALLBACK:
        raise RuntimeError("Ingen datakälla är registrerad: skapa appen med create_app(settings, store).")
    return _FALLBACK


def get_store():
    """The store of the current app."""
    return _context()["store"]


def get_settings():
    """The settings of the current app."""
    return _context()["settings"]
