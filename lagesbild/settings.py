"""The one settings table.

Each setting has a name, a default, a help text, a type and the values it allows. Every setting can be overridden by an environment
variable ``LAGESBILD_<NAME>`` (upper case); the store URL also by ``--db`` on the command line.
``tests/test_settings.py`` checks that every setting is documented in the README.

Every value is checked against its type and range when the settings are loaded; a bad one stops the start
with a Swedish :class:`~lagesbild.errors.SettingsError` naming the variable, the value and what is allowed.

Examples
--------
>>> s = load_settings({"LAGESBILD_ALPHA": "0.01"})
>>> s.alpha
0.01
>>> load_settings({"LAGESBILD_PORT": "99999"})
Traceback (most recent call last):
...
lagesbild.errors.SettingsError: Ogiltig inställning LAGESBILD_PORT='99999': tillåtet är ett heltal från 1 till 65535.
>>> s.db_url.startswith("sqlite:///")
True
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
import site
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import unquote

from lagesbild.errors import SettingsError

ROOT = Path(__file__).resolve().parent.parent


def data_root() -> Path:
    """The folder of the default ``data/local/`` (the store, generated demo files): the package's
    parent in a clone or an editable install; the working folder when the package is installed."""
    return ROOT if (ROOT / "geodata").is_dir() else Path.cwd()


#: where an installed package's demo files are (pyproject.toml's data-files), under an install prefix
SHARED = Path("share") / "lagesbild"


def project_root() -> Path:
    """The folder of the demo's files (``geodata/places.geojson``, ``data/demo/``): the checkout in a
    clone or an editable install, or the working folder when it is a checkout; else, for an installed
    package, the copy installed with it (``<prefix>/share/lagesbild``: the virtual environment's, the
    user's or ``/usr/local``); else the working folder (the demo then says its files are missing)."""
    if (ROOT / "geodata").is_dir():
        return ROOT
    if (Path.cwd() / "geodata").is_dir():
        return Path.cwd()
    for prefix in (sys.prefix, site.getuserbase(), "/usr/local", "/usr"):
        if (Path(prefix) / SHARED / "geodata").is_dir():
            return Path(prefix) / SHARED
    return Path.cwd()


@dataclass(frozen=True)
class Setting:
    """One row of the settings table: name, default, help, type and the values allowed.

    ``minimum``/``maximum`` bound numbers (inclusive), ``choices`` lists the allowed strings and
    ``check`` is a predicate for other strings; ``allowed`` says in Swedish what is allowed (shown when
    a value is refused).
    """

    name: str
    default: object
    help: str
    kind: type = str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    check: Callable[[str], bool] | None = None
    allowed: str = ""

    def describe_allowed(self) -> str:
        """What is allowed, in Swedish (for error messages and docs)."""
        if self.allowed:
            return self.allowed
        if self.choices:
            return "ett av " + ", ".join(repr(c) for c in self.choices)
        noun = {int: "ett heltal", float: "ett tal", bool: "ja/nej (1/0, true/false)"}.get(self.kind, "text")
        if self.minimum is not None and self.maximum is not None:
            return f"{noun} från {_sv(self.minimum)} till {_sv(self.maximum)}"
        if self.minimum is not None:
            return f"{noun} på minst {_sv(self.minimum)}"
        if self.maximum is not None:
            return f"{noun} på högst {_sv(self.maximum)}"
        return noun

    def validate(self, value, raw: str | None = None):
        """Return ``value`` if allowed, else raise :class:`SettingsError` quoting ``raw`` (as written)."""
        ok = True
        if self.kind in (int, float):
            ok = math.isfinite(value) and (self.minimum is None or value >= self.minimum) and (
                self.maximum is None or value <= self.maximum)
        elif self.choices is not None:
            ok = value in self.choices
        elif self.check is not None:
            ok = bool(self.check(value))
        if not ok:
            shown = value if raw is None else raw
            raise SettingsError(
                f"Ogiltig inställning LAGESBILD_{self.name.upper()}={hide_password(shown)!r}: "
                f"tillåtet är "
                f"{self.describe_allowed()}.")
        return value


def _sv(number: float) -> str:
    """A number as Swedes write it (decimal comma), without trailing zeros."""
    text = f"{number:g}" if isinstance(number, float) else str(number)
    return text.replace(".", ",")


def _is_host(value: str) -> bool:
    """An IP address or a host name (letters, digits, dots, hyphens)."""
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return bool(re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?", value))


def _is_tile_url(value: str) -> bool:
    """Empty, or an http(s) URL with {z}, {x} and {y}."""
    return value == "" or (re.match(r"https?://", value) is not None
                           and all(k in value for k in ("{z}", "{x}", "{y}")))


def hide_password(value):
    """A URL's password as ``***`` (any scheme, also one SQLAlchemy cannot read); other values as given.

    >>> hide_password("mysql://anna:hemligt@db/lagesbild"), hide_password(5)
    ('mysql://anna:***@db/lagesbild', 5)
    >>> hide_password("postgresql://anna:hem@li/gt@db:abc/x"), hide_password("sqlite:////tmp/a:b@c")
    ('postgresql://anna:***@db:abc/x', 'sqlite:////tmp/a:b@c')

    A password given after '?' (libpq reads ``?password=``) is hidden too:

    >>> hide_password("postgresql://db/x?user=anna&password=hemligt&sslmode=require")
    'postgresql://db/x?user=anna&password=***&sslmode=require'
    """
    if not isinstance(value, str):
        return value
    value = re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*:).*@", r"\1***@", value)
    if "://" in value:
        value = re.sub(r"([?&]password=)[^&#]*", r"\1***", value, flags=re.IGNORECASE)
    return value


def _is_db(value: str) -> bool:
    """Empty, an SQLAlchemy URL for SQLite or PostgreSQL, or a file path."""
    if "://" not in value:
        return "\0" not in value
    return re.match(r"(sqlite|postgres(ql)?(\+psycopg)?)://", value) is not None


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", str(data_root() / "data" / "local"),
            "Folder for the embedded store, generated demo files and ingest reports (git-ignored).",
            check=lambda v: v.strip() != "", allowed="en sökväg till en mapp"),
    Setting("db", "",
            "Store: an SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…) or a path to an SQLite file. "
            "Empty: lagesbild.sqlite in data_dir.",
            check=_is_db, allowed="tomt, en sökväg eller en URL som börjar med sqlite://, "
                                  "postgresql:// eller postgresql+psycopg://"),
    Setting("alpha", 0.05, "Significance level for every test of change (two-sided).", float,
            minimum=0.001, maximum=0.2),
    Setting("cell_size", 200.0, "Hotspot grid cell size in metres (SWEREF 99 TM).", float,
            minimum=25.0, maximum=5000.0),
    Setting("effect_months", 12, "Length in months of the before and after windows of an activity.", int,
            minimum=1, maximum=60),
    Setting("organisation", "Stadsdelsförvaltningen",
            "Name shown in source lines: 'Källa: Polisen, anmälda brott; bearbetning <organisation>'.",
            check=lambda v: 0 < len(v.strip()) <= 120, allowed="en text på 1–120 tecken"),
    Setting("basemap_url", "",
            "Optional tile URL for the map (e.g. an internal tile server). Empty: no tiles, works offline.",
            check=_is_tile_url, allowed="tomt eller en http(s)-adress med {z}, {x} och {y}"),
    Setting("suppress_below", 5,
            "Counts below this number are hidden for sensitive categories in packs marked external and in "
            "every Excel download.", int,
            minimum=0, maximum=100),
    Setting("host", "127.0.0.1", "Address the development server listens on.",
            check=_is_host, allowed="en IP-adress eller ett värdnamn"),
    Setting("port", 8050, "Port the dashboard listens on.", int, minimum=1, maximum=65535),
    Setting("chromium", "/usr/bin/chromium", "Chromium binary used for chart export and browser tests.",
            check=lambda v: v.strip() != "", allowed="en sökväg till Chromium"),
    Setting("log_level", "INFO", "Level of the log written to standard error (DEBUG, INFO, WARNING, ERROR).",
            choices=("DEBUG", "INFO", "WARNING", "ERROR")),
    Setting("max_upload_mb", 50, "Largest file accepted by the web upload, in MB (refused before it is read).",
            int, minimum=1, maximum=2048),
    Setting("max_ingest_mb", 1024,
            "Largest file the command line's ingest reads, in MB (refused before it is read). Larger than "
            "the web's bound: the operator at the machine reads whole police and Brå exports (ten years of "
            "a city's incidents is about 100 MB).", int, minimum=1, maximum=65536),
    Setting("max_place_features", 20_000,
            "Most features (places) accepted in one places file; a larger file is refused before it "
            "is read.", int, minimum=1, maximum=1_000_000),
    Setting("secure_cookies", 0, "1: mark the session and CSRF cookies Secure (set it behind a TLS proxy).",
            int, minimum=0, maximum=1),
    Setting("session_hours", 8, "Hours a web login lasts.", int, minimum=1, maximum=24 * 30),
    Setting("login_attempts", 5,
            "Failed logins allowed per account from one client address in 15 minutes (per address over "
            "all accounts, and per account over all addresses: four times as many).",
            int, minimum=1, maximum=100),
    Setting("proxies", 0,
            "Number of reverse proxies in front of the app (1 behind nginx): their X-Forwarded-* "
            "headers are trusted for the client address and https. 0: none is trusted. Above 0 the "
            "login-free mode (no accounts, loopback) is off.", int,
            minimum=0, maximum=5),
    Setting("min_population_for_rates", 1000,
            "Crimes per 1,000 inhabitants are not shown for places with fewer inhabitants.", int,
            minimum=0, maximum=1_000_000),
    Setting("population_file", "",
            "Optional population table (CSV, XLSX, JSON-stat 2.0 or PC-Axis) by area and year (SCB layout, "
            "see README); empty: the bundled SCB table for Stockholm, other places their stored population "
            "for every year.", str,
            check=lambda v: "\0" not in v,
            allowed="tomt eller en sökväg till en befolkningstabell (CSV, XLSX, JSON-stat eller PC-Axis)"),
    Setting("survey_district_includes_place", True,
            "The survey's district and city figures include the place's respondents: compare the place "
            "with the rest of them (1/0, ja/nej).", bool),
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
    max_ingest_mb: int = 1024
    max_place_features: int = 20_000
    secure_cookies: int = 0
    session_hours: int = 8
    login_attempts: int = 5
    proxies: int = 0
    log_level: str = "INFO"
    min_population_for_rates: int = 1000
    population_file: str = ""
    survey_district_includes_place: bool = True
    extra: dict = field(default_factory=dict)

    @property
    def db_url(self) -> str:
        """The store as an SQLAlchemy URL."""
        return db_url(self.db, self.data_dir)

    @property
    def sqlite_path(self) -> Path | None:
        """The store's file when it is an SQLite file (:func:`sqlite_file`); None otherwise."""
        return sqlite_file(self.db_url)

    def replace(self, **changes) -> Settings:
        """Return a copy with some settings changed."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Settings(**values)


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL; None for a store in memory or on a server.

    Examples
    --------
    >>> sqlite_file("sqlite:////tmp/x.sqlite?mode=ro"), sqlite_file("sqlite:///:memory:")
    (PosixPath('/tmp/x.sqlite'), None)
    >>> sqlite_file("sqlite://"), sqlite_file("postgresql+psycopg://u@h/db")
    (None, None)
    >>> sqlite_file("sqlite:///file:/tmp/x.sqlite?mode=ro&uri=true")
    PosixPath('/tmp/x.sqlite')
    """
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///").split("?", 1)[0]
    if path.startswith("file:") and re.search(r"[?&]uri=true\b", url):  # an SQLite URI filename
        path = unquote(re.sub(r"^file:(//(localhost)?(?=/))?", "", path))
    return Path(path) if path and path != ":memory:" else None


def db_url(db: str, data_dir: str) -> str:
    """Turn a store setting (URL, path or empty) into an SQLAlchemy URL.

    Examples
    --------
    >>> db_url("postgresql+psycopg://u@h/db", "/tmp")
    'postgresql+psycopg://u@h/db'
    >>> db_url("postgresql://u@h/db", "/tmp"), db_url("postgres://u@h/db", "/tmp")
    ('postgresql+psycopg://u@h/db', 'postgresql+psycopg://u@h/db')
    >>> db_url("/tmp/x.sqlite", "/d")
    'sqlite:////tmp/x.sqlite'
    >>> db_url("", "/d")
    'sqlite:////d/lagesbild.sqlite'
    """
    if "://" in db:  # a plain PostgreSQL URL gets the driver installed with lagesbild (psycopg 3)
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", db)
    path = Path(db) if db else Path(data_dir) / "lagesbild.sqlite"
    return f"sqlite:///{path.expanduser().resolve()}"


_TRUE = {"1", "true", "ja", "yes", "on", "sant"}
_FALSE = {"0", "false", "nej", "no", "off", "falskt"}


def _convert(setting: Setting, raw: str):
    """Parse an environment value into the setting's type (decimal comma accepted for numbers)."""
    text = raw.strip()
    try:
        if setting.kind is bool:
            if text.lower() in _TRUE | _FALSE:
                return text.lower() in _TRUE
            raise ValueError(text)
        if setting.kind is float:
            return float(text.replace(",", "."))
        if setting.kind is int:
            return int(text)
        return text
    except ValueError:
        raise SettingsError(
            f"Ogiltig inställning LAGESBILD_{setting.name.upper()}={raw!r}: värdet kan inte tolkas; "
            f"tillåtet är {setting.describe_allowed()}."
        ) from None


#: ``LAGESBILD_*`` variables that are not settings (read by the scripts, not by the package)
NOT_SETTINGS = frozenset({"LAGESBILD_SETUP_LIST"})


def _check_names(environ) -> None:
    """Refuse a ``LAGESBILD_*`` variable that names no setting: a misspelt one (``LAGESBILD_SECURE_COOKIE``)
    was ignored without a word, and its setting kept its default (cookies sent over plain http).

    Examples
    --------
    >>> _check_names({"LAGESBILD_SECURE_COOKIE": "1"})
    Traceback (most recent call last):
    ...
    lagesbild.errors.SettingsError: Okänd inställning LAGESBILD_SECURE_COOKIE='1': det finns ingen sådan inställning. Menade du LAGESBILD_SECURE_COOKIES?
    """
    import difflib

    known = {f"LAGESBILD_{setting.name.upper()}" for setting in SETTINGS}
    for name in sorted(environ):
        if name.startswith("LAGESBILD_") and name not in known | NOT_SETTINGS:
            close = difflib.get_close_matches(name[len("LAGESBILD_"):].upper(),
                                              sorted(k[len("LAGESBILD_"):] for k in known), n=1, cutoff=0.75)
            hint = (f" Menade du LAGESBILD_{close[0]}?" if close else
                    " Inställningarna och deras namn står i README under Settings.")
            raise SettingsError(f"Okänd inställning {name}={hide_password(environ[name])!r}: det finns "
                                f"ingen sådan inställning.{hint}")


def load_settings(environ=None, **overrides) -> Settings:
    """Resolve settings: defaults, then ``LAGESBILD_*`` environment variables, then keyword overrides.
    A ``LAGESBILD_*`` variable that names no setting stops it too (:func:`_check_names`)."""
    environ = os.environ if environ is None else environ
    _check_names(environ)
    values = {}
    for setting in SETTINGS:
        value = setting.default
        raw = environ.get(f"LAGESBILD_{setting.name.upper()}")
        if raw is not None and raw != "":
            value = setting.validate(_convert(setting, raw), raw)
        if overrides.get(setting.name) not in (None, ""):
            value = overrides[setting.name]
            if setting.kind in (int, float) and isinstance(value, str):
                value = _convert(setting, value)
            value = setting.validate(value)
        values[setting.name] = value
    return Settings(**values)
