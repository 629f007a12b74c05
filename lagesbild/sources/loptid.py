"""Dates as action plans write them: löptid ("Start februari 2019, tillsvidare", "2020-09-01 – 2021-12-31",
"t.o.m. juni 2024", "Uppdrag 2020") and single start or end dates."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Mapping

from lagesbild.sources.months import SWEDISH_MONTH_NUMBERS

MONTHS = SWEDISH_MONTH_NUMBERS
YEARS = (1900, 2100)

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_TOKEN = re.compile(
    rf"(?P<iso>\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b)|(?P<dmy>\b\d{{1,2}}\s+(?:{_MONTH_RE})\.?\s+\d{{4}}\b)"
    rf"|(?P<my>\b(?:{_MONTH_RE})\.?\s+\d{{4}}\b)|(?P<ym>\b\d{{4}}-\d{{1,2}}\b)|(?P<y>\b\d{{4}}\b)")
_OPEN_ENDED = re.compile(r"\btills?\s*vidare\b")
_START_WORD = re.compile(r"\b(start\w*|fr[aå]n|fr\.?\s?o\.?\s?m\.?|sedan|inled\w*)\b")
_END_WORD = re.compile(r"\b(till(\s+och\s+med)?|t\.?\s?o\.?\s?m\.?|slut\w*|senast|avslut\w*)\W*$")


class BadValue(ValueError):
    """A bad field value; becomes a RowError at the field's line."""

    def __init__(self, reason: str, key: object = None, value: object = None, mapping=None):
        super().__init__(reason)
        self.reason, self.key, self.value, self.mapping = reason, key, value, mapping


def as_text(value: object, strict: bool = True) -> str | None:
    """Return a field value as text; lists are joined with ``, ``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        parts = [as_text(v, strict) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, Mapping) and strict:
        raise BadValue("förväntade text, inte en uppsättning fält")
    text = str(value).strip()
    return text or None


def parse_loptid(value: object) -> tuple[dt.date | None, dt.date | None, bool]:
    """Parse a löptid into (start, end, open_ended).

    The first date in the text is the start (unless preceded by "till", "t.o.m.", "slut"), a second one
    the end; a month or year stands for its first day as a start and its last day as an end. A lone year
    without "start"/"från" is that whole year ("Uppdrag 2020"). "tillsvidare" makes the activity
    open-ended. Text without dates (e.g. "Planen klar till T1") gives no dates.

    Examples
    --------
    >>> parse_loptid("Start februari 2019, tillsvidare")
    (datetime.date(2019, 2, 1), None, True)
    >>> parse_loptid("2020-09-01 – 2021-12-31")
    (datetime.date(2020, 9, 1), datetime.date(2021, 12, 31), False)
    >>> parse_loptid("till och med 2021")
    (None, datetime.date(2021, 12, 31), False)
    >>> parse_loptid("Uppdrag 2020")
    (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), False)
    """
    if isinstance(value, dt.date):
        return single_date(value, last=False), None, False
    text = (as_text(value) or "").lower()
    open_ended = bool(_OPEN_ENDED.search(text))
    text = _OPEN_ENDED.sub(" ", text)
    tokens = list(_DATE_TOKEN.finditer(text))
    if not tokens:
        return None, None, open_ended
    if len(tokens) == 1:
        first, last = _token_dates(tokens[0])
        before = text[: tokens[0].start()]
        if _END_WORD.search(before):
            if open_ended:
                raise BadValue("löptiden har både ett slutdatum och tillsvidare")
            return None, last, False
        if tokens[0]["y"] and not open_ended and not _START_WORD.search(before):
            return first, last, False  # "Uppdrag 2020": that year
        return first, None, open_ended
    if open_ended:
        raise BadValue("löptiden har både ett slutdatum och tillsvidare")
    return _token_dates(tokens[0])[0], _token_dates(tokens[-1])[1], False


def single_date(value: object, *, last: bool) -> dt.date:
    """The first (or, with ``last``, the last) day a single written date stands for."""
    if isinstance(value, dt.date):  # a YAML date or an Excel date cell
        return _in_range(value.date() if isinstance(value, dt.datetime) else value, value.isoformat())
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = (as_text(value, strict=False) or "").lower()
    tokens = list(_DATE_TOKEN.finditer(text))
    if len(tokens) != 1:
        raise BadValue("datumet kan inte läsas; skriv t.ex. 2020-09-01, september 2020 eller 2020")
    return _token_dates(tokens[0])[1 if last else 0]


def _in_range(day: dt.date, text: str) -> dt.date:
    """``day`` when its year is within :data:`YEARS` (the years a crime period may have)."""
    _check_year(day.year, text)
    return day


def _check_year(year: int, text: str) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise BadValue(f"orimligt år i datumet \"{text}\"; året ska vara {YEARS[0]}–{YEARS[1]}")


def _token_dates(match: re.Match) -> tuple[dt.date, dt.date]:
    """Return the first and last day a date token stands for."""
    text = match.group(0)
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    month_word = re.search(r"[a-z]+", text)
    month = MONTHS[month_word.group(0)] if month_word else None
    if match["iso"]:
        year, month, day = numbers
    elif match["dmy"]:
        (day, year), month = numbers, month
    elif match["my"]:
        year, day = numbers[0], None
    elif match["ym"]:
        (year, month), day = numbers, None
    else:
        year, month, day = numbers[0], None, None
    _check_year(year, text)
    try:
        if day is not None:
            return (dt.date(year, month, day),) * 2
        if month is not None:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    except (ValueError, calendar.IllegalMonthError):
        raise BadValue(f"ogiltigt datum \"{text}\"") from None
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
