"""Meeting notes: a short note per place and meeting date (who, when, what), kept in the store.

A beredningsgrupp writes down what it said about a place at a meeting; the note is shown on the place
page and goes into the meeting pack. Notes are user input like any file: the text is checked here
(length, no control characters but a line break or a tab, a real date, a known place) before anything
is written, and it is always shown as plain text (never as markdown or HTML) and neutralised in CSV/XLSX exports.

Examples
--------
>>> from lagesbild.store import Store
>>> from lagesbild.store.writer import Writer
>>> s = Store("sqlite://")
>>> with s.transaction() as w:
...     _ = w.conn.execute(t.places.insert().values(place_id="p", name="Plats", kind="torg",
...         wkt_3006="POINT (0 0)", wkt_4326="POINT (0 0)", minx=0, miny=0, maxx=0, maxy=0,
...         source="", ingest_id=1))
>>> add_note(s, "p", "2026-11-20", "Anna", "Polisen ökar närvaron på torget.")
1
>>> list_notes(s)[["place_id", "meeting_date", "author", "text"]].to_dict("records")
[{'place_id': 'p', 'meeting_date': datetime.date(2026, 11, 20), 'author': 'Anna', 'text': 'Polisen ökar närvaron på torget.'}]
>>> add_note(s, "okänd", "2026-11-20", "Anna", "x")
Traceback (most recent call last):
...
lagesbild.store.notes.NoteError: Okänd plats 'okänd'.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from contextlib import contextmanager

import pandas as pd
from sqlalchemy import delete, func, insert, select

from lagesbild import clock
from lagesbild.store import schema as t
from lagesbild.store.writer import Writer

MAX_TEXT = 2000
MAX_AUTHOR = t.ID
NOTE_COUNTER = "last_note_id"  # meta key: the highest note number given (SQLite)
NOTE_ID_RANGE = (-(2**31), 2**31 - 1)  # the INTEGER column on PostgreSQL
COLUMNS = ["note_id", "place_id", "meeting_date", "author", "text", "created_at"]


class NoteError(ValueError):
    """A refused note, with a Swedish message."""


def _clean(text, what: str, limit: int, *, multiline: bool) -> str:
    if not isinstance(text, str):
        raise NoteError(f"{what} saknas.")
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise NoteError(f"{what} saknas.")
    if len(text) > limit:
        raise NoteError(f"{what} är för lång: {len(text)} tecken, högst {limit}.")
    allowed = {"\n", "\t"} if multiline else set()  # a text pasted from Word or Excel has tabs
    bad = [c for c in text if (unicodedata.category(c)[0] == "C" and c not in allowed)]
    if bad:
        raise NoteError(f"{what} innehåller otillåtna tecken ({', '.join(repr(c) for c in bad[:3])}).")
    return text


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        day = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise NoteError(f"Mötesdatumet {value!r} är inte ett datum (ÅÅÅÅ-MM-DD).") from None
    if not 2000 <= day.year <= 2100:
        raise NoteError(f"Mötesdatumet {day.isoformat()} ligger utanför 2000–2100.")
    return day


@contextmanager
def beside_ingests(store):
    """A connection in a transaction for a write that an ingest does not touch (a note, a user's
    meeting date). On PostgreSQL without the write lock of :meth:`Store.transaction`: an ingest holds
    that lock for minutes, and "Spara" on Plats or a new date on Sedan sist waited for it (and a
    gunicorn worker was killed at its timeout). On SQLite every write takes the file's lock anyway, and
    the note counter in the meta table is kept under it."""
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:
            yield conn
    else:
        with store.transaction() as w:
            yield w.conn


def add_note(store, place_id: str, meeting_date, author: str, text: str) -> int:
    """Check and store one note; return its id. Raises :class:`NoteError` with a Swedish message."""
    text = _clean(text, "Anteckningen", MAX_TEXT, multiline=True)
    author = _clean(author, "Författaren", MAX_AUTHOR, multiline=False)
    day = _day(meeting_date)
    with beside_ingests(store) as conn:
        known = conn.execute(select(t.places.c.place_id).where(t.places.c.place_id == place_id)).first()
        if known is None:
            raise NoteError(f"Okänd plats {place_id!r}.")
        result = conn.execute(insert(t.meeting_notes).values(
            place_id=place_id, meeting_date=day, author=author, text=text,
            created_at=clock.now().replace(microsecond=0), **_next_note_id(conn)))
        return int(result.inserted_primary_key[0])


def _next_note_id(conn) -> dict:
    """On SQLite a number no note has had: SQLite gives a new row the largest id plus one, so after the
    latest note was removed the next note got its number ("anteckning nr 2" again; on PostgreSQL, whose
    sequence never goes back, nr 3), and a remove of the old number from a page still showing it removed
    the new note. The highest number given is kept in the meta table."""
    if conn.dialect.name == "postgresql":
        return {}
    top = conn.execute(select(func.max(t.meeting_notes.c.note_id))).scalar() or 0
    given = conn.execute(select(t.meta.c.value).where(t.meta.c.key == NOTE_COUNTER)).scalar()
    new = max(int(top), int(json.loads(given)) if given else 0) + 1
    Writer(conn).set_meta(NOTE_COUNTER, new)
    return {"note_id": new}


def list_notes(store, place_ids=None, *, since=None, until=None) -> pd.DataFrame:
    """Notes, newest meeting first: ``note_id, place_id, meeting_date, author, text, created_at``.

    ``place_ids`` limits to some places; ``since``/``until`` to meeting dates (inclusive).
    """
    q = select(*[t.meeting_notes.c[c] for c in COLUMNS])
    if place_ids is not None:
        q = q.where(t.meeting_notes.c.place_id.in_(list(place_ids)))
    if since is not None:
        q = q.where(t.meeting_notes.c.meeting_date >= _day(since))
    if until is not None:
        q = q.where(t.meeting_notes.c.meeting_date <= _day(until))
    q = q.order_by(t.meeting_notes.c.meeting_date.desc(), t.meeting_notes.c.note_id.desc())
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)
    if not frame.empty:
        frame["meeting_date"] = [_day(v) for v in frame["meeting_date"]]
    return frame


def remove_note(store, note_id: int) -> None:
    """Delete one note; :class:`NoteError` when there is none with that id.

    A number beyond the column (32 bits on PostgreSQL, which refused the comparison; beyond 64 bits
    SQLite's driver raised OverflowError) can be no note's: it is answered as any unknown number."""
    number = int(note_id)
    if not NOTE_ID_RANGE[0] <= number <= NOTE_ID_RANGE[1]:
        raise NoteError(f"Det finns ingen anteckning nr {note_id}.")
    with beside_ingests(store) as conn:
        gone = conn.execute(delete(t.meeting_notes).where(t.meeting_notes.c.note_id == number))
        if gone.rowcount == 0:
            raise NoteError(f"Det finns ingen anteckning nr {note_id}.")
