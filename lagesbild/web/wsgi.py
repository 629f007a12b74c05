"""WSGI entry point: ``gunicorn -w 4 -b 0.0.0.0:8050 lagesbild.web.wsgi:server``.

Settings come from ``LAGESBILD_*`` environment variables (see the README); every worker opens the same
store (an SQLite file in WAL mode or a PostgreSQL URL), and the store's data version keeps the workers'
caches in step after an ingest.
"""

from __future__ import annotations

from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from lagesbild.web import create_app

settings = load_settings()
store = open_store(settings)
app = create_app(settings, store)
server = app.server
