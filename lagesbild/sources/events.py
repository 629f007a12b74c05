"""Read Polisen's public events JSON (the list that https://polisen.se/api/events returns).

Each item looks like::

    {"id": 650297, "datetime": "2026-08-22 19:51:41 +02:00", "name": "22 augusti 17.59, Brand, Kävlinge",
     "summary": "...", "url": "/aktuellt/handelser/...", "type": "Brand",
     "location": {"name": "Skåne län", "gps": "55.990257,13.595769"}}

The canonical table has ``event_id, occurred_at, name, summary, url, event_type, location_name, lat, lon,
line``. ``occurred_at`` is naive local time (Europe/Stockholm). ``lat``/``lon`` are the centroid of the
municipality or county named in ``location_name``, never a crime location. ``line`` is the line of the
file the item starts on when each item starts on a line of its own (a saved, indented file, as
polisen-se-events-history keeps them), else the 1-based position of the item in the JSON list (the API's
output is one line).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild import clock
from lagesbild.errors import InputError, RowError, library_reason, message_reasons, printable
from lagesbild.sources import ReadResult
from lagesbild.sources.textfile import long_integer_at, read_text
from lagesbild.sources.timestamps import LOCAL_TZ

#: Sweden with a margin (55,3–69,1 °N, 10,9–24,2 °E): an event's place is a Swedish kommun or län
SWEDEN_LAT, SWEDEN_LON = (54.5, 69.5), (10.0, 25.0)
#: plausible years of an event; anything else is a broken datetime
YEARS = (1900, 2200)
COLUMNS = ["event_id", "occurred_at", "name", "summary", "url", "event_type", "location_name",
           "lat", "lon", "line"]
#: item key -> canonical column, for the plain text fields
TEXT_FIELDS = {"name": "name", "summary": "summary", "url": "url", "type": "event_type"}

#: json's messages, in Swedish
JSON_PROBLEMS_SV = {
    "Expecting value": "ett värde väntades",
    "Expecting ',' delimiter": "ett kommatecken väntades",
    "Expecting ':' delimiter": "ett kolon väntades",
    "Expecting property name enclosed in double quotes": "ett namn inom citattecken väntades",
    "Extra data": "text efter JSON-listans slut",
    "Unterminated string starting at": "en sträng saknar sitt avslutande citattecken",
    "Invalid control character at": "otillåtet styrtecken i en sträng",
    "Invalid \\escape": "ogiltig escape-sekvens",
}
JSON_REASONS = message_reasons(JSON_PROBLEMS_SV, whole=True)

_DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)
#: an id written as text: ASCII digits with spaces or tabs around
_ID_TEXT = re.compile(r"[ \t]*([0-9]+)[ \t]*")
_GPS = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*")


def read_events(path: str | Path, *, file_name: str | None = None) -> ReadResult:
    """Read a JSON file of Polisen events.

    Parameters
    ----------
    path : str or Path
        A file holding the JSON array that polisen.se/api/events returns.
    file_name : str, optional
        Name used in messages; default the file's name.

    Returns
    -------
    ReadResult
        The events table and one RowError per rejected item.

    Raises
    ------
    InputError
        When the file cannot be read or is not a JSON list.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "events.json")
    >>> _ = open(path, "w").write('[{"id": 1, "datetime": "2026-08-22 19:51:41 +02:00", '
    ...                            '"type": "Brand", "location": {"name": "Stockholm", '
    ...                            '"gps": "59.329324,18.068581"}}]')
    >>> read_events(path).table[["event_id", "occurred_at", "lat"]].values.tolist()
    [[1, Timestamp('2026-08-22 19:51:41'), 59.329324]]
    """
    path = Path(path)
    name = file_name or path.name
    text = read_text(path, name)
    try:
        items = json.loads(text, object_pairs_hook=_unique_keys, parse_float=_parse_float,
                           parse_constant=_parse_float)
    except _DuplicateKey as exc:
        raise InputError(name, f"nyckeln \"{exc.key}\" finns två gånger i samma objekt; bara en av dem "
                               "skulle läsas") from None
    except json.JSONDecodeError as exc:
        reason = f"filen är inte giltig JSON ({library_reason(exc.msg, JSON_REASONS, default=exc.msg)})"
        raise InputError(name, f"{reason}, rad {exc.lineno}, tecken {exc.colno}",
                         [RowError(name, exc.lineno, None, None, f"{reason} (tecken {exc.colno})")]) \
            from None
    except ValueError:  # an integer of more than 4300 digits
        at = long_integer_at(text)
        if at is None:
            raise InputError(name, "filen har ett tal med för många siffror") from None
        reason = "filen har ett tal med för många siffror (fler än 4\u00a0300)"
        raise InputError(name, f"{reason}, rad {at[0]}, tecken {at[1]}",
                         [RowError(name, at[0], None, None, f"{reason} (tecken {at[1]})")]) from None
    except RecursionError:
        raise InputError(name, "filen är nästlad för djupt för att läsas") from None
    if not isinstance(items, list):
        raise InputError(name, "filen ska innehålla en JSON-lista med händelser, som polisen.se/api/events")
    return parse_events(items, file_name=name, lines=_item_lines(text, len(items)))


def _item_lines(text: str, count: int) -> list[int] | None:
    """The line of the file each item of the list starts on, when every item starts on a line of its
    own; None when not (the API's one-line output: the items are then numbered by position)."""
    if "\n" not in text.strip():
        return None
    decoder, space = json.JSONDecoder(), re.compile(r"[ \t\n\r]*")
    at, starts = space.match(text, text.index("[") + 1).end(), []
    try:
        while len(starts) < count:
            starts.append(at)
            at = space.match(text, decoder.raw_decode(text, at)[1]).end()
            at = space.match(text, at + 1).end() if text.startswith(",", at) else at
    except (ValueError, RecursionError):  # read once already; never expected
        return None
    lines, line, before = [], 1, 0
    for start in starts:
        line += text.count("\n", before, start)
        lines.append(line)
        before = start
    return lines if len(set(lines)) == len(lines) else None


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object as a dict; a key given twice is refused (json keeps the last one silently)."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def parse_events(items: list, *, file_name: str = "händelser", lines: list[int] | None = None) -> ReadResult:
    """Turn a list of event objects (already parsed JSON) into the canonical events table.

    Items with a missing or non-integer id, a missing or unreadable datetime, an unreadable gps, or an
    id seen earlier in the list are rejected with a RowError whose line is the item's: `lines` (the line
    of the file each item starts on), else its position.

    Examples
    --------
    >>> item = {"id": 7, "datetime": "2022-10-05 7:05:09 +02:00"}
    >>> result = parse_events([item, item])
    >>> result.table["occurred_at"].tolist(), [e.reason for e in result.errors]
    ([Timestamp('2022-10-05 07:05:09')], ['id:t finns redan på händelse 1'])
    """
    rows, errors = [], []
    seen: dict[int, int] = {}
    where = "rad" if lines else "händelse"
    for line, item in zip(lines or range(1, len(items) + 1), items, strict=True):
        row, row_errors = _event(item, file_name, line)
        event_id = row.get("event_id")
        if event_id is not None and event_id in seen:
            row_errors.append(RowError(file_name, line, "id", str(event_id),
                                       f"id:t finns redan på {where} {seen[event_id]}"))
        if row_errors:
            errors.extend(row_errors)
            continue
        seen[event_id] = line
        rows.append(row)
    if lines or len(items) < 2:  # one event on its line: "rad 1" is both
        return ReadResult(_table(rows), errors)
    # the API's one-line file: not "rad 300" of a file of one line but the event's number (the store's
    # checks of the table's values too: ingest.common.take_result)
    return ReadResult(_table(rows), [as_item_error(e) for e in errors], meta={"row_error": as_item_error})


def as_item_error(error: RowError) -> ItemError:
    """`error` with its line said as the event's number (:class:`ItemError`)."""
    return ItemError(error.file, error.line, error.column, error.value, error.reason, error.sheet)


class ItemError(RowError):
    """A RowError of a file whose items do not start on lines of their own: its ``line`` is the event's
    number in the list, said as such.

    >>> print(ItemError("h.json", 300, "id", "1", "id:t finns redan på händelse 1").message())
    h.json, händelse 300, kolumn "id", värde "1": id:t finns redan på händelse 1
    """

    def message(self) -> str:
        said = RowError(self.file, None, self.column, self.value, self.reason, self.sheet).message()
        return said.replace(printable(self.file), f"{printable(self.file)}, händelse {self.line}", 1)


def _event(item: object, file: str, line: int) -> tuple[dict, list[RowError]]:
    if not isinstance(item, dict):
        return {}, [RowError(file, line, None, _show(item), "händelsen är inte ett JSON-objekt")]
    errors: list[RowError] = []
    row = {"event_id": _event_id(item.get("id"), file, line, errors),
           "occurred_at": _occurred_at(item.get("datetime"), file, line, errors)}
    for key, col in TEXT_FIELDS.items():
        row[col] = _text(item.get(key), key, file, line, errors)
    location = item.get("location")
    if location is None:
        location = {}
    if not isinstance(location, dict):
        errors.append(RowError(file, line, "location", _show(location), "location ska vara ett objekt"))
        location = {}
    row["location_name"] = _text(location.get("name"), "location.name", file, line, errors)
    row["lat"], row["lon"] = _gps(location.get("gps"), file, line, errors)
    row["line"] = line
    return row, errors


class _Written(float):
    """A JSON number with a fraction or exponent, or past a float's range, or Python's NaN/Infinity,
    keeping the text the file wrote: a message shows "1.50", "1e400" or "NaN" as written."""

    text = ""


def _parse_float(text: str) -> float:
    out = _Written(text)  # every JSON float: no Polisen field is one, a message quotes it as written
    out.text = text
    return out


def _show(value: object, limit: int = 80) -> str:
    text = value if isinstance(value, str) else value.text if isinstance(value, _Written) else json.dumps(
        value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _event_id(value: object, file: str, line: int, errors: list[RowError]) -> int | None:
    if value is None or value == "":
        errors.append(RowError(file, line, "id", None if value is None else _show(value),
                               "händelsen saknar id"))
        return None
    if isinstance(value, bool):  # "id": true has an id, only not a number
        errors.append(RowError(file, line, "id", _show(value), "id ska vara ett heltal som inte är negativt"))
        return None
    number = None  # text: ASCII digits with spaces or tabs around (Python's \s matched '\x1f': a traceback)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and (value.is_integer() or value == math.inf):
        number = 2**63 if value == math.inf else int(value)
    elif isinstance(value, str) and (digits := _ID_TEXT.fullmatch(value)):
        # leading zeros do not count; over 19 digits is too large without turning 5 000 digits into an int
        significant = digits[1].lstrip("0")
        number = 2**63 if len(significant) > 19 else int(significant or "0")
    if number is not None and number >= 2**63:  # a whole number, but more than the store holds
        errors.append(RowError(file, line, "id", _show(value), "id:t är för stort (högst "
                               "9\u00a0223\u00a0372\u00a0036\u00a0854\u00a0775\u00a0807)"))
        return None
    if number is None or not 0 <= number < 2**63:
        errors.append(RowError(file, line, "id", _show(value), "id ska vara ett heltal som inte är negativt"))
        return None
    return number


def parse_event_datetime(value: str) -> pd.Timestamp | None:
    """Parse Polisen's datetime text to naive Europe/Stockholm time; None when it cannot be read.

    Text with an offset is converted to Stockholm time; text without one is taken as Stockholm time.

    Examples
    --------
    >>> parse_event_datetime("2022-10-05 7:05:09 +02:00")
    Timestamp('2022-10-05 07:05:09')
    >>> parse_event_datetime("2026-01-18 10:00:00 +00:00")
    Timestamp('2026-01-18 11:00:00')
    >>> parse_event_datetime("igår") is None
    True
    """
    match = _DATETIME.fullmatch(value.strip())
    if match is None or not YEARS[0] <= int(match["date"][:4]) <= YEARS[1]:
        return None
    tz = match["tz"] or ""
    if tz and tz != "Z" and ":" not in tz:
        tz = tz[:3] + ":" + tz[3:]
    text = f"{match['date']} {int(match['h']):02d}:{match['m']}:{match['s'] or '00'}{tz}"
    try:
        stamp = pd.Timestamp(text)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert(LOCAL_TZ).tz_localize(None)
    except (ValueError, OverflowError):
        return None
    return stamp


def _occurred_at(value: object, file: str, line: int, errors: list[RowError]) -> pd.Timestamp | None:
    if value is None or value == "":
        errors.append(RowError(file, line, "datetime", None, "händelsen saknar tidpunkt"))
        return None
    stamp = parse_event_datetime(value) if isinstance(value, str) else None
    if stamp is None:
        errors.append(RowError(file, line, "datetime", _show(value),
                               "tidpunkten kan inte läsas; väntat t.ex. \"2026-08-22 19:51:41 +02:00\""))
    elif stamp.date() > clock.today():
        errors.append(RowError(file, line, "datetime", _show(value), "tidpunkten ligger i framtiden"))
        return None
    return stamp


def _text(value: object, key: str, file: str, line: int, errors: list[RowError]) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    # a float is not kept as written (1.50 is 1.5, 1e2 is 100.0) and NaN/Infinity are no text at all
    errors.append(RowError(file, line, key, _show(value), "förväntade text" + (
        "; skriv texten inom citattecken" if isinstance(value, float) else "")))
    return None


def _gps(value: object, file: str, line: int, errors: list[RowError]) -> tuple[float, float]:
    if value is None or value == "":
        return math.nan, math.nan
    match = _GPS.fullmatch(value) if isinstance(value, str) else None
    lat, lon = (float(match[1]), float(match[2])) if match else (math.nan, math.nan)
    if match is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors.append(RowError(file, line, "location.gps", _show(value),
                               "gps ska vara \"latitud,longitud\" i WGS 84"))
        return math.nan, math.nan
    if not (SWEDEN_LAT[0] <= lat <= SWEDEN_LAT[1] and SWEDEN_LON[0] <= lon <= SWEDEN_LON[1]):
        errors.append(RowError(file, line, "location.gps", _show(value),
                               "platsen ligger utanför Sverige (Polisens händelser har en ort i Sverige)"))
        return math.nan, math.nan
    return lat, lon


def _table(rows: list[dict]) -> pd.DataFrame:
    types = {"event_id": "int64", "occurred_at": "datetime64[ns]", "lat": float, "lon": float,
             "line": "int64"}
    data = {}
    for col in COLUMNS:
        values = [row[col] for row in rows]
        if col == "occurred_at":
            values = [v.to_datetime64() for v in values]
        data[col] = np.array(values, dtype=types.get(col, object))
    return pd.DataFrame(data, columns=COLUMNS)
