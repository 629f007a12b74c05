"""Swedish number, percent, period and date formatting for everything a user reads.

Conventions (one place, so charts, tables and exports agree):

* decimal comma: ``1,5``;
* thousands are grouped with a **no-break space** (U+00A0, :data:`THOUSANDS`): ``12 345`` never wraps
  between its groups in a table cell or a Word document. Plotly charts get ``layout.separators = ", "``
  (a normal space; plotly only applies it inside the SVG, where lines never wrap);
* negative numbers use the minus sign U+2212 (``−3``), as plotly does, and changes carry an explicit
  ``+`` when positive;
* percent has a no-break space before the sign: ``12,3 %``;
* periods use an en dash: ``2019–2020``; dates are ``31 aug 2022`` (the short month names of
  :mod:`lagesbild.core.periods`; mars, juni, juli are written in full in dates).

Examples
--------
>>> fmt_int(12345)
'12\\xa0345'
>>> fmt_pct(0.123, decimals=1)
'12,3\\xa0%'
>>> fmt_change(-58)
'−58'
>>> fmt_date("2023-08-31")
'31 aug 2023'
"""

from __future__ import annotations

import calendar
import decimal
import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from lagesbild import clock
from lagesbild.core.periods import EN_DASH, MONTH_ABBR, MONTH_FULL, format_date_sv
from lagesbild.sources.textkeys import strip_accents

THOUSANDS = "\u00a0"  # no-break space between groups of three digits
MINUS = "\u2212"
MISSING = "–"  # shown for a missing number (also used by the suppression of small counts)


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt_num(value, decimals: int = 1, *, sign: bool = False) -> str:
    """Format a number with a decimal comma and no-break-space thousands.

    Examples
    --------
    >>> fmt_num(1234.56), fmt_num(-0.04, 2), fmt_num(3, 0, sign=True), fmt_num(None)
    ('1\\xa0234,6', '−0,04', '+3', '–')
    """
    if type(value) in _PLAIN:  # the usual case, without pandas' missing-value tests
        if value != value or value in _INF:
            return MISSING
        return _fmt_num(float(value), decimals, sign)
    if _missing(value) or (isinstance(value, float) and math.isinf(value)):
        return MISSING
    return _fmt_num(float(value), decimals, sign)


_PLAIN = frozenset({int, float, np.int64, np.float64, np.int32})
_INF = (math.inf, -math.inf)


@lru_cache(maxsize=65536)
def _fmt_num(value: float, decimals: int, sign: bool) -> str:
    """:func:`fmt_num` of a finite float (kept: the same counts are formatted on every view).

    Halves round away from zero (``38,5 -> 39``, ``0,125 -> 0,13`` at two decimals), as Swedish
    official statistics and spreadsheets do, not to even as Python's ``format`` does; the float is
    rounded as its shortest decimal text (``repr``), so ``0.125`` is a half and ``2.675`` too.

    >>> _fmt_num(38.5, 0, False), _fmt_num(-2.5, 0, False), _fmt_num(0.125, 2, False)
    ('39', '−3', '0,13')
    """
    rounded = _half_up(abs(value), decimals)
    text = f"{rounded:,.{max(decimals, 0)}f}".replace(",", " ").replace(".", ",").replace(" ", THOUSANDS)
    if rounded == 0:
        return text
    if value < 0:
        return MINUS + text
    return "+" + text if sign else text


_EXACT = decimal.Context(prec=400, rounding=decimal.ROUND_HALF_UP)  # enough digits for any float


def _half_up(value: float, decimals: int) -> decimal.Decimal:
    """``value`` (finite, not negative) rounded half up to ``decimals`` places, as a Decimal."""
    return _EXACT.quantize(decimal.Decimal(repr(value)), decimal.Decimal(1).scaleb(-decimals))


def fmt_int(value, *, sign: bool = False) -> str:
    """Format a whole number: ``12345 -> '12 345'`` (no-break space), missing as ``–``.

    Examples
    --------
    >>> fmt_int(12345) == "12\\u00a0345", fmt_int(-7), fmt_int(float("nan"))
    (True, '−7', '–')
    """
    return fmt_num(value, 0, sign=sign)


def fmt_change(value) -> str:
    """A signed whole-number change: ``+12``, ``−58``, ``0``.

    Examples
    --------
    >>> fmt_change(12), fmt_change(0)
    ('+12', '0')
    """
    return fmt_int(value, sign=True)


def fmt_change_pct(change, pct) -> str:
    """A change and its percent in brackets (``pct`` already in percent), as the before/after tables
    show them: ``+12 (+48 %)``; the change alone without a percent (from 0), ``–`` without a change.

    Examples
    --------
    >>> fmt_change_pct(12, 48.0), fmt_change_pct(5, None), fmt_change_pct(None, None)
    ('+12 (+48\xa0%)', '+5', '–')
    """
    if _missing(change):
        return MISSING
    pct_text = fmt_pct(pct, 0, sign=True, fraction=False)
    return fmt_change(change) if pct_text == MISSING else f"{fmt_change(change)} ({pct_text})"


def fmt_pct(value, decimals: int = 0, *, sign: bool = False, fraction: bool = True) -> str:
    """Format a share as percent: ``0.23 -> '23 %'``; with ``fraction=False`` the value is already
    in percent.

    Examples
    --------
    >>> fmt_pct(0.23), fmt_pct(-48.2, 0, sign=True, fraction=False), fmt_pct(None)
    ('23\\xa0%', '−48\\xa0%', '–')

    A share is scaled by 100 in decimal, as written, so a half rounds away from zero as
    :func:`fmt_num` promises (``0.285 * 100`` is 28.4999… as a float and gave "28 %"):

    >>> fmt_pct(0.285), fmt_pct(0.145), fmt_pct(0.0005, 1)
    ('29\\xa0%', '15\\xa0%', '0,1\\xa0%')
    """
    if _missing(value):
        return MISSING
    pct = float(decimal.Decimal(repr(float(value))).scaleb(2)) if fraction else float(value)
    return fmt_num(pct, decimals, sign=sign) + "\u00a0%"


def fmt_pp(value, decimals: int = 0) -> str:
    """A difference in percentage points, signed: ``+14 procentenheter`` is written ``+14 p.e.``.

    Examples
    --------
    >>> fmt_pp(14.2)
    '+14\\xa0p.e.'
    """
    if _missing(value):
        return MISSING
    return fmt_num(value, decimals, sign=True) + "\u00a0p.e."


def fmt_p(p, alpha: float = 0.05) -> str:
    """A p-value that never disagrees with the verdict at ``alpha``: three significant digits (more
    when rounding would cross ``alpha``), ``< 0,001`` below that.

    Examples
    --------
    >>> fmt_p(0.0412), fmt_p(0.00001), fmt_p(None), fmt_p(0.0498), fmt_p(0.437)
    ('0,0412', '<\\xa00,001', '–', '0,0498', '0,437')
    """
    if type(p) is float or type(p) is np.float64:  # the usual case, without pandas' isna
        if p != p:
            return MISSING
    elif _missing(p):
        return MISSING
    return _p_text(float(p), alpha)


@lru_cache(maxsize=8192, typed=True)
def _p_text(p: float, alpha) -> str:
    """:func:`fmt_p`'s text, once per distinct value (a map's hover texts repeat the same p-values:
    0.34 ms of every map change went to writing them)."""
    from lagesbild.core.trend import format_p

    return format_p(p, alpha).replace("< ", "<\u00a0")


def fmt_count(value) -> str:
    """A count in a comparison: ``saknas`` when the period has no data (never 0).

    Examples
    --------
    >>> fmt_count(12), fmt_count(float("nan"))
    ('12', 'saknas')
    """
    return "saknas" if _missing(value) else fmt_int(value)


def fmt_date(day) -> str:
    """A date as ``31 aug 2022`` (missing as ``–``).

    Examples
    --------
    >>> fmt_date("2022-03-31"), fmt_date(None)
    ('31 mars 2022', '–')
    """
    return MISSING if _missing(day) else format_date_sv(day)


def fmt_utc_time(value) -> str:
    """A time the store keeps in UTC (accounts, the audit log) in Swedish time, to the second.

    Examples
    --------
    >>> fmt_utc_time("2026-12-04 23:30:05"), fmt_utc_time("2026-07-01 12:00:00"), fmt_utc_time(None)
    ('2026-12-05 00:30:05', '2026-07-01 14:00:00', '')
    """
    if _missing(value):
        return ""
    return pd.Timestamp(value).tz_localize("UTC").tz_convert(clock.TIME_ZONE).strftime("%Y-%m-%d %H:%M:%S")


def fmt_month(day, *, full: bool = False) -> str:
    """A month as ``sep 2019`` (or ``september 2019``).

    Examples
    --------
    >>> fmt_month(pd.Timestamp("2019-09-01")), fmt_month("2020-03-15", full=True)
    ('sep 2019', 'mars 2020')
    """
    if _missing(day):
        return MISSING
    ts = pd.Timestamp(day)
    names = MONTH_FULL if full else MONTH_ABBR
    return f"{names[ts.month - 1]} {ts.year}"


_RANGE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\s*[-\u2013]\s*(\d{4})-(\d{2})-(\d{2})$")


def fmt_period(label: str) -> str:
    """A period label with an en dash between years or dates: ``2019-2020 -> 2019–2020``; a date range
    of whole months by its months, as Swedish reports write them (``jan–mar 2020``: eight such
    ranges side by side fit a chart's axis and a table's header, their dates did not).

    Examples
    --------
    >>> fmt_period("2019-2020"), fmt_period("T1 2021")
    ('2019–2020', 'T1 2021')
    >>> fmt_period("2020-01-01–2020-03-31"), fmt_period("2020-11-01-2021-02-28"), fmt_period("2021-05-01–2021-05-31")
    ('jan–mar 2020', 'nov 2020–feb 2021', 'maj 2021')
    >>> fmt_period("2020-01-01–2020-12-31"), fmt_period("2022-01-15–2022-03-10")
    ('jan–dec 2020', '2022-01-15–2022-03-10')
    """
    text = str(label)
    if m := _RANGE.match(text.strip()):
        short = _months_text(*map(int, m.groups()))
        if short:
            return short
    text = re.sub(r"(\d{4})\s*-\s*(\d{4})(?!-)", rf"\1{EN_DASH}\2", text)
    return re.sub(r"(\d{4}-\d{2}-\d{2})\s*-\s*(\d{4}-\d{2}-\d{2})", rf"\1{EN_DASH}\2", text)


def _months_text(y1: int, m1: int, d1: int, y2: int, m2: int, d2: int) -> str | None:
    """``jan–mar 2020`` for a range from a month's first to a month's last day, else None."""
    try:
        whole = d1 == 1 and d2 == calendar.monthrange(y2, m2)[1] and (y1, m1) <= (y2, m2)
    except (ValueError, calendar.IllegalMonthError):
        return None
    if not whole or not (1 <= m1 <= 12):
        return None
    a, b = MONTH_ABBR[m1 - 1], MONTH_ABBR[m2 - 1]
    if y1 != y2:
        return f"{a} {y1}{EN_DASH}{b} {y2}"
    return f"{a} {y1}" if m1 == m2 else f"{a}{EN_DASH}{b} {y1}"


def fmt_periods(labels) -> str:
    """Several period labels joined for a subtitle: ``2019–2020, 2020–2021 och 2021–2022``.

    Examples
    --------
    >>> fmt_periods(["2019-2020", "2020-2021"])
    '2019–2020 och 2020–2021'
    """
    labels = [fmt_period(x) for x in labels]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " och " + labels[-1]


def slug(text: str, *, max_len: int = 80) -> str:
    """A safe file-name part: lower case ASCII letters, digits and hyphens (å, ä → a, ö → o).

    Examples
    --------
    >>> slug("Hässelby torg 2019–2020")
    'hasselby-torg-2019-2020'
    >>> slug("../../etc/passwd")
    'etc-passwd'
    """
    spaced = re.sub(r"[\u2010-\u2015\u2212]", "-", str(text))
    ascii_text = strip_accents(spaced).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return out[:max_len].strip("-") or "diagram"


def shown_period(period, until) -> str:
    """A period (or its label) as a page's heading, tiles, charts, dropdowns and the CLI name it: a
    period running past the data says how far they go ("2026–2027 (t.o.m. 15 okt 2026)"). The default period
    is the latest Sep–Aug year, begun or not: the page said "2026–2027" over six weeks of crimes.

    Examples
    --------
    >>> import datetime as dt
    >>> from types import SimpleNamespace as P
    >>> y = P(label="2026–2027", start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31))
    >>> shown_period(y, dt.date(2026, 10, 15)), shown_period(y, dt.date(2027, 8, 31))
    ('2026–2027 (t.o.m. 15 okt 2026)', '2026–2027')
    >>> shown_period("2026-2027", dt.date(2026, 10, 15))
    '2026–2027 (t.o.m. 15 okt 2026)'
    """
    if isinstance(period, str):
        from lagesbild.analysis.periodchoice import parse_periods

        try:
            period = parse_periods([period])[0]
        except (ValueError, IndexError):  # not a period the tool reads: named as given
            return period
    if until is None or pd.isna(until) or pd.Timestamp(period.end) <= pd.Timestamp(until):
        return period.label
    return f"{period.label} (t.o.m. {fmt_date(until)})"
