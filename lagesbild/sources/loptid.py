"""Dates as action plans write them: löptid ("Start februari 2019, tillsvidare", "2020-09-01 – 2021-12-31",
"t.o.m. juni 2024", "Uppdrag 2020") and single start or end dates."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from lagesbild.sources.excel_dates import SERIAL, read_as
from lagesbild.sources.months import SWEDISH_MONTH_NUMBERS
from lagesbild.sources.timestamps import LOCAL_TZ as SWEDISH_TIME

MONTHS = SWEDISH_MONTH_NUMBERS
YEARS = (1900, 2100)

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_TOKEN = re.compile(
    rf"(?P<iso>\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b)|(?P<dmy>\b\d{{1,2}}\s+(?:{_MONTH_RE})\.?\s+\d{{4}}\b)"
    rf"|(?P<my>\b(?:{_MONTH_RE})\.?\s+\d{{4}}\b)|(?P<ym>\b\d{{4}}-\d{{1,2}}\b)|(?P<y>\b\d{{4}}\b)")
#: an ISO date with a time ("2024-03-15T10:00", "2024-03-15 10.00:00+01:00"): the time is checked, then
#: dropped (an activity starts or ends on a day); an offset moves the day to Swedish time
_DATETIME = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?:t|\s+)(\d{1,2})[:.](\d{2})"
                       r"(?:[:.](\d{2})(?:[.,]\d+)?)?(z|[+-]\d{2}:?\d{2})?(?![\w:.])")
_DATE_THEN_T = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}t")  # what is left of a "T" time that did not read
LOCAL_TZ = ZoneInfo(SWEDISH_TIME)
#: year first with dots or slashes (2020.09.01, 2020/09): read as the ISO date; a day and month before
#: the year (1/9 2020, 01.09.2020, 9/1/2020: which is the month?) is refused, not read as the year alone
_YMD_DOTS = re.compile(r"\b(\d{4})[./](\d{1,2})(?:[./](\d{1,2}))?\b(?![./]\d)")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})[./](\d{1,2})(?:[./]\s*|\s+)(\d{4})\b")
_MONTH_SLASH_YEAR = re.compile(r"\b(0?[1-9]|1[0-2])[./](\d{4})\b")  # "9/2020": September 2020
_ORDINAL = re.compile(r"\b(\d{1,2}):[ae]\b")  # "1:a september 2020": the 1st
_OPEN_ENDED = re.compile(r"\btills?\s*vidare\b")
_START_WORD = re.compile(r"\b(start\w*|fr[aå]n|fr\.?\s?o\.?\s?m\.?|sedan|inled\w*)\b")
_END_WORD = re.compile(r"\b(till(\s+och\s+med)?|t\.?\s?o\.?\s?m\.?|slut\w*|senast|avslut\w*)\W*$")


class BadValue(ValueError):
    """A bad field value; becomes a RowError at the field's line."""

    def __init__(self, reason: str, key: object = None, value: object = None, mapping=None):
        super().__init__(reason)
        self.reason, self.key, self.value, self.mapping = reason, key, value, mapping


#: why a non-finite number is refused where text or a date is read (YAML reads ``.nan``, ``.inf`` so)
NOT_FINITE = ("{shown} läses som {what}, inte som text eller ett tomt fält; lämna fältet tomt eller skriv "
              "texten inom citattecken")


def not_finite(value: float) -> str:
    """The reason a non-finite number is refused (:data:`NOT_FINITE`).

    >>> not_finite(float("inf"))[:40]
    '.inf läses som talet oändligheten, inte '
    """
    what = "ett tal som inte finns (NaN)" if math.isnan(value) else "talet oändligheten"
    return NOT_FINITE.format(shown=shown(value), what=what)


def shown(value: object) -> str | None:
    """``value`` as a message quotes it: a non-finite number as YAML writes it (``.nan``, ``-.inf``),
    true/false as written, a list's items each.

    >>> shown(float("nan")), shown(float("-inf")), shown(2.5), shown(None), shown(True), shown(["a", 1e400])
    ('.nan', '-.inf', '2.5', None, 'true', 'a, .inf')
    """
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        return ", ".join(filter(None, map(shown, value))) or None
    return as_text(value, strict=False)


def as_text(value: object, strict: bool = True) -> str | None:
    """Return a field value as text; lists are joined with ``, ``.

    A non-finite number (YAML ``.nan``, ``.inf``) is no text and no empty field: refused when ``strict``
    (:data:`NOT_FINITE`), None otherwise.
    """
    if isinstance(value, float) and not math.isfinite(value):
        if strict:
            raise BadValue(not_finite(value))
        return None
    if value is None:
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


def parse_loptid(value: object, epoch: str | None = None) -> tuple[dt.date | None, dt.date | None, bool]:
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
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        serial_number(value, epoch)  # an Excel day number (`epoch` as for single_date)
    text = _dates_only((as_text(value) or "").lower())
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


def lone_end(value: object) -> dt.date | None:
    """The end a löptid of one date without a start word means beside an explicit start (``start:
    2020-01-01``, ``löptid: 2021-12-31``: the activity ran to 31 December 2021), or None.

    Examples
    --------
    >>> lone_end("2021-12-31"), lone_end("juni 2024"), lone_end(dt.date(2021, 12, 31))
    (datetime.date(2021, 12, 31), datetime.date(2024, 6, 30), datetime.date(2021, 12, 31))
    >>> lone_end("Start februari 2019"), lone_end("2020-09-01 – 2021-12-31"), lone_end("tillsvidare")
    (None, None, None)
    """
    text = _dates_only((as_text(value) or "").lower())
    if _OPEN_ENDED.search(text) or _START_WORD.search(text) or len(list(_DATE_TOKEN.finditer(text))) != 1:
        return None
    return parse_loptid("t.o.m. " + text)[1]


def single_date(value: object, *, last: bool, epoch: str | None = None) -> dt.date:
    """The first (or, with ``last``, the last) day a single written date stands for. A number of five
    digits (an Excel day number: a date cell formatted as a number) is refused, saying the day it is
    in the workbook's date system `epoch` ("1900", "1904"; None: a YAML file, which says neither).

    Examples
    --------
    >>> single_date(42035, last=False, epoch="1904")
    Traceback (most recent call last):
    ...
    lagesbild.sources.loptid.BadValue: värdet ser ut som ett Excel-datumnummer (42035 är 2019-02-01 i arbetsbokens datumsystem, Mac-Excels 1904-system); formatera cellen som datum i Excel, eller skriv datumet som 2019-02-01
    """
    if isinstance(value, dt.date):  # a YAML date or an Excel date cell
        return _in_range(_local_day(value) if isinstance(value, dt.datetime) else value, value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        serial_number(value, epoch)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise BadValue(not_finite(value))
    text = _dates_only((as_text(value, strict=False) or "").lower())
    tokens = list(_DATE_TOKEN.finditer(text))
    if len(tokens) != 1:
        raise BadValue("datumet kan inte läsas; skriv t.ex. 2020-09-01, september 2020 eller 2020")
    if re.search(r"\d", text[:tokens[0].start()] + " " + text[tokens[0].end():]):  # "Q3 2020", "v. 36 2020"
        raise BadValue(f'bara "{tokens[0].group(0)}" i texten läses som datum, och siffrorna runt det skulle gå '
                       "förlorade; skriv t.ex. 2020-09-01, september 2020 eller 2020")
    return _token_dates(tokens[0])[1 if last else 0]


def serial_number(value: int | float, epoch: str | None) -> None:
    """Refuse a number `value` that is an Excel day number (five digits, perhaps a time of day), saying
    which day it is in the date system `epoch` (both systems when None: a YAML file says neither)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    if not re.fullmatch(SERIAL, text):
        return
    day = read_as(text, epoch or "1900")
    if epoch == "1904":
        said = f"{text} är {day} i arbetsbokens datumsystem, Mac-Excels 1904-system"
    elif epoch == "1900":
        said = f"{text} är {day} i arbetsbokens datumsystem, Excels vanliga"
    else:
        said = (f"{text} är {day} i Excels vanliga datumsystem men {read_as(text, '1904')} i Mac-Excels "
                "1904-system, och filen säger inte vilket")
    advice = f"formatera cellen som datum i Excel, eller skriv datumet som {day[:10]}" if epoch else \
        "skriv datumet som ÅÅÅÅ-MM-DD"
    raise BadValue(f"värdet ser ut som ett Excel-datumnummer ({said}); {advice}")


def _local_day(moment: dt.datetime) -> dt.date:
    """The day of ``moment`` in Swedish time (a naive time is taken as Swedish already)."""
    return (moment.astimezone(LOCAL_TZ) if moment.tzinfo else moment).date()


def _dates_only(text: str) -> str:
    """``text`` (lower case) with each ISO date-and-time replaced by its day, after checking the time.

    >>> _dates_only("start 2024-03-15t10:30, slut 2024-06-30 23.59")
    'start 2024-03-15, slut 2024-06-30'
    >>> _dates_only("2024-03-15t23:30:00z")  # UTC: already the 16th in Stockholm
    '2024-03-16'
    """
    def day(match: re.Match) -> str:
        year, month, mday, hour, minute, second = (int(g) if g else 0 for g in match.groups()[:6])
        if hour > 23 or minute > 59 or second > 59:
            raise BadValue(f"tiden i \"{match.group(0).upper()}\" finns inte (timmar 0–23, minuter och "
                           "sekunder 0–59); skriv t.ex. 2024-03-15 eller 2024-03-15T10:00")
        _check_year(year, match.group(0))
        try:
            moment = dt.datetime(year, month, mday, hour, minute, second)
        except ValueError:
            raise BadValue(f"datumet \"{match.group(0).upper()}\" finns inte") from None
        offset = match.group(7)
        if offset:
            zone = dt.UTC if offset == "z" else dt.timezone(
                (1 if offset[0] == "+" else -1) * dt.timedelta(hours=int(offset[1:3]),
                                                                minutes=int(offset[-2:])))
            moment = moment.replace(tzinfo=zone)
        return _local_day(moment).isoformat()

    text = _DATETIME.sub(day, text)
    if _DATE_THEN_T.search(text):
        raise BadValue("tiden efter datumet kan inte läsas; skriv t.ex. 2024-03-15 eller 2024-03-15T10:00")
    text = _YMD_DOTS.sub(lambda m: "-".join(g for g in m.groups() if g), _ORDINAL.sub(r"\1", text))
    text = _DAY_MONTH_YEAR.sub(_day_month_year, text)
    return _MONTH_SLASH_YEAR.sub(lambda m: f"{m.group(2)}-{int(m.group(1)):02d}", text)


def _day_month_year(found: re.Match) -> str:
    """A date written with its day and month before the year as the ISO date, when only one order is a
    date (31.12.2021, 12/31/2021; 5/5 2020 either way); else (1/9 2020: which is the month?) refused."""
    a, b, year = (int(g) for g in found.groups())
    if a != b and a <= 12 and b <= 12:
        raise BadValue(f'"{found.group(0)}" kan inte läsas entydigt som datum (vilken siffra är dagen och vilken '
                       "månaden?); skriv t.ex. 2020-09-01, 1 september 2020, september 2020 eller 2020")
    day, month = (a, b) if b <= 12 else (b, a)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise BadValue(f'datumet "{found.group(0)}" finns inte') from None


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
