"""Every value checked against the store column it goes to, before anything is written.

SQLite stores a text of any length in a ``VARCHAR(120)``, a NUL character in any text and an integer of
any size in an ``INTEGER``; PostgreSQL refuses all three (``StringDataRightTruncation``, "cannot contain
NUL", ``NumericValueOutOfRange``), and neither can store text with a lone UTF-16 surrogate (which JSON's
``\\ud800`` escape produces). So the same file must be refused in the same way on both, here, with the
file's line: :data:`STORE_COLUMNS` says, per kind of canonical table, which store column each reader
column is written to and what the field is called in the file, and :func:`check_table` derives the
limits from the schema (``String(n)`` length, ``NOT NULL``, its default, integer width). A missing
value of a ``NOT NULL`` column with a default gets the default (an empty text); without a default the
row is refused.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"place_id": ["a" * 121], "name": ["A"], "kind": ["torg"], "line": [2]})
>>> _, errors = check_table(df, "places", "platser.geojson")
>>> print(errors[0].message())
platser.geojson, rad 2, kolumn "id", värde "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…": texten är 121 tecken lång; högst 120 tecken får plats
>>> check_source_name("x" * 121)
Traceback (most recent call last):
...
lagesbild.errors.InputError: --source: källans namn är 121 tecken långt; högst 120 tecken får plats
"""

from __future__ import annotations

import json
import re

import pandas as pd
from sqlalchemy import BigInteger, Integer, String

from lagesbild.errors import InputError, RowError, printable
from lagesbild.store import schema as t

#: kind of table -> reader column -> (store column, the field's name in the file)
STORE_COLUMNS = {
    "places": {"place_id": (t.places.c.place_id, "id"), "name": (t.places.c.name, "namn"),
               "kind": (t.places.c.kind, "typ"),
               "district_id": (t.places.c.district_id, "stadsdelsområde"),
               "population": (t.places.c.population, "befolkning"),
               "source": (t.places.c.source, "källa")},
    "crimes": {"category": (t.crime_counts.c.category, "kategori"),
               "count": (t.crime_counts.c.count, "antal")},
    "survey": {"level": (t.survey.c.level, "nivå"), "year": (t.survey.c.year, "år"),
               "indicator": (t.survey.c.indicator, "indikator"),
               "respondents": (t.survey.c.respondents, "svarande")},
    "activities": {"activity_id": (t.activities.c.activity_id, "id"),
                   "aktivitet": (t.activities.c.aktivitet, "aktivitet"),
                   "priority_area": (t.activities.c.priority_area, "prioriterat område"),
                   "arbetsgrupp": (t.activities.c.arbetsgrupp, "arbetsgrupp"),
                   "syfte": (t.activities.c.syfte, "syfte"), "mal": (t.activities.c.mal, "mål"),
                   "malgrupp": (t.activities.c.malgrupp, "målgrupp"),
                   "matbara_mal": (t.activities.c.matbara_mal, "mätbara mål"),
                   "motesfrekvens": (t.activities.c.motesfrekvens, "mötesfrekvens"),
                   "sammankallande": (t.activities.c.sammankallande, "sammankallande"),
                   "sdf_kontakt": (t.activities.c.sdf_kontakt, "stadsdelsförvaltningens kontakt"),
                   "polis_kontakt": (t.activities.c.polis_kontakt, "polisens kontakt"),
                   "ovriga": (t.activities.c.ovriga, "övriga deltagare"),
                   "template": (t.activities.c.template, "mall"),
                   "extra": (t.activities.c.extra, "övriga fält")},
    "followups": {"year": (t.followups.c.year, "år"), "period": (t.followups.c.period, "tertial"),
                  "goal_met": (t.followups.c.goal_met, "mål uppfyllt"),
                  "carried_out": (t.followups.c.carried_out, "genomförda aktiviteter")},
    "events": {"event_id": (t.events.c.event_id, "id"), "name": (t.events.c.name, "name"),
               "summary": (t.events.c.summary, "summary"), "url": (t.events.c.url, "url"),
               "event_type": (t.events.c.event_type, "type"),
               "location_name": (t.events.c.location_name, "location.name")},
}
#: (kind, column) whose missing values the ingest fills in after reading (survey level: from the place)
FILLED_LATER = {("survey", "level")}
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
SHOWN_CHARS = 80
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")  # the characters errors.printable replaces


def _show(text: str) -> str:
    text = clean_text(text)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def clean_text(text: str) -> str:
    """Free text (notes, file names) with NUL characters and lone surrogates replaced by U+FFFD.

    Examples
    --------
    >>> clean_text("a\\x00b")
    'a\\ufffdb'
    """
    return printable(text)


def text_problem(text: str, length: int | None) -> str | None:
    """Why a text cannot be stored in a column of `length` characters (None: it can).

    Examples
    --------
    >>> text_problem("Vårberg", 120) is None, text_problem("a\\x00", None)
    (True, 'texten innehåller ett NUL-tecken (U+0000), som inte kan lagras')
    """
    bad = _BAD_CHARS.search(text)
    if bad is not None:
        if bad.group() == "\x00":
            return "texten innehåller ett NUL-tecken (U+0000), som inte kan lagras"
        return f"texten innehåller ett ogiltigt tecken (U+{ord(bad.group()):04X}), som inte kan lagras"
    if length is not None and len(text) > length:
        return f"texten är {len(text)} tecken lång; högst {length} tecken får plats"
    return None


def _as_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _int_range(column) -> tuple[int, int] | None:
    if isinstance(column.type, BigInteger):
        return INT64
    if isinstance(column.type, Integer):
        return INT32
    return None


def _int_problem(value, bounds: tuple[int, int]) -> str | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if number > bounds[1]:
        return f"talet är för stort; högst {bounds[1]:,} kan lagras".replace(",", "\u00a0")
    if number < bounds[0]:
        return f"talet är för litet; minst {bounds[0]:,} kan lagras".replace(",", "\u00a0")
    return None


def _missing(value) -> bool:
    if isinstance(value, (list, tuple, dict)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _default(column):
    default = column.default
    return default.arg if default is not None and default.is_scalar else None


def check_table(df: pd.DataFrame, kind: str, file: str, *, labels=None, sheet: str | None = None):
    """Check a reader's table against the store columns of :data:`STORE_COLUMNS` ``[kind]``.

    Returns
    -------
    (DataFrame, list of RowError)
        The table with missing values of ``NOT NULL`` columns set to their default, and one error per
        value the store cannot hold (too long, NUL character, lone surrogate, integer out of range,
        missing where required). ``labels`` maps reader columns to headers as written.
    """
    errors: list[RowError] = []
    if df is None or df.empty:
        return df, errors
    lines = df["line"].tolist() if "line" in df else [None] * len(df)
    out = df
    for col, (column, label) in STORE_COLUMNS[kind].items():
        if col not in df:
            continue
        label = (labels or {}).get(col, label)
        values = df[col].tolist()
        length = column.type.length if isinstance(column.type, String) else None
        is_text = isinstance(column.type, String)
        bounds = _int_range(column)
        fill = _default(column)
        filled = False
        for i, value in enumerate(values):
            reason = shown = None
            if _missing(value):
                if column.nullable or (kind, col) in FILLED_LATER:
                    continue
                if fill is not None:
                    values[i], filled = fill, True
                    continue
                reason = "värde saknas; fältet måste ha ett värde"
            elif is_text:
                text = _as_text(value)
                reason, shown = text_problem(text, length), _show(text)
            elif bounds is not None:
                reason, shown = _int_problem(value, bounds), _show(str(value))
            if reason is not None:
                errors.append(RowError(file, lines[i], label, shown, reason, sheet=sheet))
        if filled:
            out = out.copy() if out is df else out
            out[col] = pd.Series(values, index=df.index, dtype=object)
    return out, errors


def check_source_name(source: str) -> str:
    """The ``--source`` name, checked like a value of the store's ``source`` columns."""
    if not isinstance(source, str) or not source.strip():
        raise InputError("--source", "källans namn får inte vara tomt")
    problem = text_problem(source, t.sources.c.source.type.length)
    if problem is not None:
        problem = problem.replace("texten", "källans namn", 1).replace("tecken lång;", "tecken långt;")
        raise InputError("--source", problem)
    return source
