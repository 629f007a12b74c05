"""The one settings table.

Each setting has a name, a default and a help text. Every setting can be overridden by an environment
variable ``LAGESBILD_<NAME>`` (upper case); the store URL also by ``--db`` on the command line.
``tests/test_settings.py`` checks that every setting is documented in the README.

Examples
--------
>>> s = load_settings({"LAGESBILD_ALPHA": "0.01"})
>>> s.alpha
0.01
>>> s.db_url.startswith("sqlite:///")
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from lagesbild.errors import SettingsError

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One row of the settings table."""

    name: str
    default: object
    help: str
    kind: type = str


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", str(ROOT / "data" / "local"),
            "Folder for the embedded store, generated demo files and ingest reports (git-ignored)."),
    Setting("db", "",
            "Store: an SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…) or a path to an SQLite file. "
            "Empty: lagesbild.sqlite in data_dir."),
    Setting("alpha", 0.05, "Significance level for every test of change (two-sided).", float),
    Setting("cell_size", 200.0, "Hotspot grid cell size in metres (SWEREF 99 TM).", float),
    Setting("effect_months", 12, "Length in months of the before and after windows of an activity.", int),
    Setting("organisation", "Stadsdelsförvaltningen",
            "Name shown in source lines: 'Källa: Polisen, anmälda brott; bearbetning <organisation>'."),
    Setting("basemap_url", "",
            "Optional tile URL for the map (e.g. an internal tile server). Empty: no tiles, works offline."),
    Setting("suppress_below", 5,
            "Counts below this number are hidden in packs marked external, for sensitive categories.", int),
    Setting("host", "127.0.0.1", "Address the development server listens on."),
    Setting("port", 8050, "Port the dashboard listens on.", int),
    Setting("chromium", "/usr/bin/chromium", "Chromium binary used for chart export and browser tests."),
    Setting("max_upload_mb", 50,
            "Largest file accepted by the web upload, in MB (refused before it is read).", int),
    Setting("secure_cookies", 0, "1: mark the session and CSRF cookies Secure (set it behind a TLS proxy).",
            int),
    Setting("session_hours", 8, "Hours a web login lasts.", int),
    Setting("login_attempts", 5,
            "Failed logins allowed per account in 15 minutes (per client address: four times as many).",
            int),
    Setting("proxies", 0,
            "Number of reverse proxies in front of the app (1 behind nginx): their X-Forwarded-* "
            "headers are trusted for the client address and https. 0: none, no login-free mode.", int),
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings. Build with :func:`load_settings`."""

    data_dir: str
    db: str
    alpha: float
    cell_size: float
    effect_months: int
    organisation: str
    basemap_url: str
    suppress_below: int
    host: str
    port: int
    chromium: str
    max_upload_mb: int = 50
    secure_cookies: int = 0
    session_hours: int = 8
    login_attempts: int = 5
    proxies: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def db_url(self) -> str:
        """The store as an SQLAlchemy URL."""
        return db_url(self.db, self.data_dir)

    def replace(self, **changes) -> "Settings":
        """Return a copy with some settings changed."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Settings(**values)


def db_url(db: str, data_dir: str) -> str:
    """Turn a store setting (URL, path or empty) into an SQLAlchemy URL.

    Examples
    --------
    >>> db_url("postgresql+psycopg://u@h/db", "/tmp")
    'postgresql+psycopg://u@h/db'
    >>> db_url("/tmp/x.sqlite", "/d")
    'sqlite:////tmp/x.sqlite'
    >>> db_url("", "/d")
    'sqlite:////d/lagesbild.sqlite'
    """
    if "://" in db:
        return db
    path = Path(db) if db else Path(data_dir) / "lagesbild.sqlite"
    return f"sqlite:///{path.expanduser().resolve()}"


def _convert(setting: Setting, raw: str):
    try:
        return setting.kind(raw)
    except ValueError:
        raise SettingsError(
            f"Inställningen LAGESBILD_{setting.name.upper()} har värdet {raw!r}, "
            f"som inte kan tolkas som {setting.kind.__name__}."
        ) from None


def load_settings(environ=None, **overrides) -> Settings:
    """Resolve settings: defaults, then ``LAGESBILD_*`` environment variables, then keyword overrides."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        value = setting.default
        raw = environ.get(f"LAGESBILD_{setting.name.upper()}")
        if raw is not None and raw != "":
            value = _convert(setting, raw)
        if overrides.get(setting.name) not in (None, ""):
            value = overrides[setting.name]
        values[setting.name] = value
    return Settings(**values)
