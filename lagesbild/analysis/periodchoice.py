"""The periods a question can take: the one period parser over the analysis layer, the Sep–Aug and
calendar years with data, tertials, whole (Brå) years, and the comparison's default periods.

Re-exported by :mod:`lagesbild.analysis.base` (``base.parse_periods``, ``base.sep_aug_years`` …), where
every question finds them.

Examples
--------
>>> [p.label for p in parse_periods(["2021-2022", "T1 2023"])]
['2021–2022', 'T1 2023']
"""

from __future__ import annotations

import threading

import pandas as pd

from lagesbild.analysis.dataend import complete_counts, trim_coverage
from lagesbild.analysis.memo import memo
from lagesbild.analysis.notfound import UnknownPeriod
from lagesbild.core import periods as pr
from lagesbild.core.compare import covered_months
from lagesbild.core.wholeperiods import tiled_years


def parse_periods(texts) -> list[pr.Period]:
    """Periods from what a user wrote (any form :func:`lagesbild.core.periods.parse_period` reads).

    Raises
    ------
    UnknownPeriod
        (a :class:`ValueError` and a :class:`~lagesbild.analysis.notfound.NotFound`) with the Swedish
        message of the first text that is not a period.
    """
    out = []
    for t in texts or []:
        try:
            out.append(pr.parse_period(t))
        except (ValueError, TypeError) as err:
            raise UnknownPeriod(str(err)) from None
    return out


def read_periods(values) -> tuple[list[pr.Period], list[str]]:
    """Periods from a URL: unreadable ones dropped with a Swedish message each; sorted, unique."""
    out, problems = [], []
    for v in values or []:
        try:
            out.append(pr.parse_period(v))
        except ValueError as err:
            problems.append(str(err))
    return sorted(set(out), key=lambda p: (p.start, p.end)), problems


def period_label(value) -> str | None:
    """The canonical label of a written period (``2021-2022`` -> ``2021–2022``), or None."""
    if not value:
        return None
    try:
        return pr.parse_period(value).label
    except ValueError:
        return None


def period_kind(value) -> str | None:
    """The kind of a written period (``sep_aug``, ``tertial``, ``range`` …), or None."""
    try:
        return pr.parse_period(value).kind
    except ValueError:
        return None


def data_span(store):
    """(first covered month, last day with data) as dates, or None."""
    def build():
        cov = store.coverage()
        until = store.data_until()
        if cov.empty or until is None:
            return None
        return pd.Timestamp(cov["month"].min()).date(), pr.as_date(until)
    return memo(store, ("data-span",), build)


def sep_aug_years(store) -> list[pr.Period]:
    """Every Sep–Aug year from the first covered month to the last (the last may be incomplete)."""
    span = data_span(store)
    return pr.sep_aug_years_between(*span) if span else []


def latest_years(store, n: int = 2) -> list[pr.Period]:
    """The last ``n`` Sep–Aug years with data (the default comparison)."""
    return sep_aug_years(store)[-n:]


def year_choices(store) -> list[pr.Period]:
    """The years a comparison across places offers (Översikt, Jämför): the Sep–Aug years with
    monthly data, then the calendar years with a count for the whole year (Brå's yearly tables)."""
    return sep_aug_years(store) + whole_years(store)


def default_comparison(store, place_id=None, n: int = 2) -> list[pr.Period]:
    """The periods a comparison takes when none are asked for: the last ``n`` Sep–Aug years, or with
    yearly counts only (Brå), the place's (or any place's) last ``n`` calendar years counted whole.

    A place with counts for at least two whole calendar years whose monthly counts begin after the
    first of those Sep–Aug years starts (a kommun with Brå's yearly tables and months from January
    on) takes its calendar years: the Sep–Aug years could not be judged.

    A place's Sep–Aug years end where its own covered months end: a Brå table to December 2025 made
    the store's latest years 2024–2025 and 2025–2026, which places whose incidents end in August
    2023 have no data of (every number "saknas")."""
    sep_aug = latest_years(store, n)
    if place_id is not None and sep_aug:
        sep_aug = _own_sep_aug_years(store, place_id, n) or sep_aug
    own = whole_years(store, place_id)[-n:]
    if not sep_aug or place_id is None or len(own) < 2:
        return sep_aug or own
    months = complete_counts(store, place_ids=[place_id])["month"]
    first = months.min() if len(months) else None
    if first is None or pd.isna(first) or pd.Timestamp(first) > pd.Timestamp(sep_aug[0].start):
        return own
    return sep_aug


def _own_sep_aug_years(store, place_id, n: int) -> list[pr.Period]:
    """The store's last ``n`` Sep–Aug years that begin by the place's last covered month (empty
    when the store covers no month of the place)."""
    def build():  # once per place and data version: a place change asks again
        own = coverage_for(store, [place_id])
        months = own.loc[own["place_id"].isna() | (own["place_id"] == place_id), "month"].dropna()
        if months.empty:
            return []
        last = pd.Timestamp(months.max()).date()
        return [y for y in sep_aug_years(store) if y.start <= last][-n:]
    return memo(store, ("own-sep-aug-years", place_id, n), build)


def calendar_years(store) -> list[pr.Period]:
    """Every calendar year with data (monthly data, or a count for the whole year)."""
    span = data_span(store)
    years = set(range(span[0].year, span[1].year + 1)) if span else set()
    years |= {p.start.year for p in whole_years(store)}
    return [pr.calendar_year(y) for y in sorted(years)]


def whole_rows(store) -> pd.DataFrame:
    """The store's counts for periods longer than a month (kept per data version; do not modify)."""
    return memo(store, ("period-counts",), store.period_counts)


def whole_rows_within(store, place_ids, start, end) -> pd.DataFrame:
    """The places' counts for whole periods (Brå's years, quarters) lying inside ``start``–``end``."""
    rows = whole_rows(store)
    if rows.empty:
        return rows
    return rows[rows["place_id"].isin(list(place_ids)) & (rows["period_start"] >= pd.Timestamp(start))
                & (rows["period_end"] <= pd.Timestamp(end))]


def _is_year(rows: pd.DataFrame) -> pd.Series:
    start, end = rows["period_start"], rows["period_end"]
    return (start.dt.month == 1) & (start.dt.day == 1) & (end == start + pd.offsets.YearEnd(0))


def whole_years(store, place_id=None) -> list[pr.Period]:
    """The calendar years with a count for the whole year (of a place, or of any), oldest first."""
    def build():
        rows = whole_rows(store)
        rows = rows if place_id is None else rows[rows["place_id"] == place_id]
        years = set(rows.loc[_is_year(rows), "period_start"].dt.year) if len(rows) else set()
        # a year the source gives in parts (four quarters) is a whole year too, when the parts tile it
        return [pr.calendar_year(int(y)) for y in sorted(years | tiled_years(rows))]
    return memo(store, ("whole-years", place_id), build)


def tertials(store) -> list[pr.Period]:
    """Every tertial that overlaps the data."""
    span = data_span(store)
    if not span:
        return []
    out = [pr.tertial(y, t) for y in range(span[0].year, span[1].year + 1) for t in (1, 2, 3)]
    return [p for p in out if p.end >= span[0] and p.start <= span[1]]


def date_range(start, end) -> pr.Period:
    """An explicit date range (ISO dates), labelled ``2018-01-01–2018-11-30``."""
    return pr.date_range(start, end)


def years_before(day, years: int = 1):
    """The same day ``years`` years earlier."""
    return (pd.Timestamp(day) - pd.DateOffset(years=years)).date()


def as_date(value):
    """A date from a date, Timestamp or ISO text (ValueError with a Swedish message otherwise)."""
    return pr.as_date(value)


def place_years_with_data(store, place_id) -> list[pr.Period]:
    """Sep–Aug years from the place's first covered month to the last day with data."""
    months = covered_months(complete_counts(store, place_ids=[place_id]), coverage_for(store, [place_id]),
                            place_id)
    until = store.data_until()
    if until is None:
        return []
    first = months.min() if len(months) else until
    return pr.sep_aug_years_between(first, until)


#: the last few :func:`coverage_for` answers, by store, data version and places (a place's page asks
#: three times for the same place); not in the memo, whose 64 entries would make room for them
COVERAGE_KEPT = 8
_COVERAGE: dict = {}
_COVERAGE_LOCK = threading.Lock()


def coverage_for(store, place_ids) -> pd.DataFrame:
    """The coverage rows that apply to these places (their own and every-place rows), without the
    months after an older source's own end (:func:`lagesbild.analysis.dataend.source_cuts`) and the
    older sources' cells of those months (:func:`lagesbild.analysis.dataend.trim_coverage`).

    A new frame each call (the caller may change it), copied from the one kept per data version."""
    ids = list(place_ids)
    key = (store.url, store.version(), tuple(ids))
    with _COVERAGE_LOCK:
        kept = _COVERAGE.pop(key, None)
        if kept is not None:
            _COVERAGE[key] = kept  # most recently used last
    if kept is None:
        kept = trim_coverage(store, store.coverage(place_ids=ids))
        with _COVERAGE_LOCK:
            _COVERAGE[key] = kept
            while len(_COVERAGE) > COVERAGE_KEPT:
                _COVERAGE.pop(next(iter(_COVERAGE)))
    return kept.copy()
