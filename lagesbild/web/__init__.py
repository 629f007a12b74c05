"""The dashboard: a multi-page Dash app on the store.

Build it with :func:`create_app` (tests, the CLI and production alike); ``lagesbild.web.wsgi:server`` is
the WSGI entry point for gunicorn. Importing this package is cheap: Dash and the store are only touched
when an app is created.
"""

from __future__ import annotations


def create_app(settings, store):
    """Build the Dash app for ``settings`` and an open ``store`` (see :mod:`lagesbild.web.factory`)."""
    from lagesbild.web.factory import create_app as _create

    return _create(settings, store)


__all__ = ["create_app"]
