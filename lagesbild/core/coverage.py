"""Which months have data: coverage, the last complete month and the months a file ends in the middle of.

A month is *covered* for a place when a coverage row names the place (or every place) for that month, or
when the place has a row for that month (see :mod:`lagesbild.core.compare`). A file can end in the
middle of a month: given the extraction date (or the last incident's date), :func:`complete_until`
gives the last day of the last complete month, and months after it count as not covered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core import periods as pr
from lagesbild.sources.completeness import EMPTY_END_EXPECTED, LAST_INCIDENT_SLACK_DAYS

NOTE_PARTIAL_END = "Hela månader finns t.o.m. {day}; {month} är ofullständig och räknas inte."


def place_rows(monthly: pd.DataFrame, place_id) -> pd.DataFrame:
    """One place's rows (every row for None) as ``category, month, count`` with month starts."""
    df = monthly if place_id is None else monthly[monthly["place_id"] == place_id]
    return pd.DataFrame({"category": df["category"].to_numpy(),
                         "month": pr.month_starts(df["month"].to_numpy()).to_numpy(),
                         "count": df["count"].to_numpy(dtype="int64")})


def complete_until(extracted=None, last_incident=None, daily_rate=None):
    """The last day of the last complete month, given the extraction date or the last incident's date.

    A month is complete when the data were extracted after its last day (``extracted`` on or after the
    1st of the next month) or, without an extraction date, when the last incident falls in its last
    :data:`LAST_INCIDENT_SLACK_DAYS` days (a few days without a single reported crime in an area with
    data can happen) and, given the file's ``daily_rate`` of incidents, no more than
    :data:`EMPTY_END_EXPECTED` incidents were to be expected in the empty days after it: at 20
    crimes a day, even one empty day at the month's end means the file ended (the chance of no crime in
    it is e⁻²⁰), and the month is cut. None when neither date is known.

    Examples
    --------
    >>> complete_until("2024-03-15"), complete_until("2024-04-01")
    (datetime.date(2024, 2, 29), datetime.date(2024, 3, 31))
    >>> complete_until(None, "2024-03-27"), complete_until(None, "2024-03-15")
    (datetime.date(2024, 3, 31), datetime.date(2024, 2, 29))

    Four empty days at 0,5 crimes a day are plausible (2 expected); at 20 a day they are not:

    >>> complete_until(None, "2024-03-27", 0.5), complete_until(None, "2024-03-27", 20.0)
    (datetime.date(2024, 3, 31), datetime.date(2024, 2, 29))
    """
    if extracted is not None and not pd.isna(extracted):
        day, slack = pd.Timestamp(pr.as_date(extracted)) - pd.Timedelta(days=1), 0
    elif last_incident is not None and not pd.isna(last_incident):
        day, slack = pd.Timestamp(pr.as_date(last_incident)), LAST_INCIDENT_SLACK_DAYS
        if daily_rate is not None and daily_rate > 0:  # the empty days a file of this volume allows
            slack = min(slack, int(EMPTY_END_EXPECTED // daily_rate))
    else:
        return None
    end = day + pd.offsets.MonthEnd(0)
    return (end if (end - day).days <= slack else day.replace(day=1) - pd.Timedelta(days=1)).date()


def covered_months(monthly: pd.DataFrame, coverage: pd.DataFrame | None = None,
                   place_id=None, until=None, *, category=None) -> pd.DatetimeIndex:
    """The months (first days) for which a place (and a category, when given) has data, sorted.

    A coverage frame with a ``category`` column covers that category only (None = every category).

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": ["a"], "category": ["rån"],
    ...                         "month": pd.to_datetime(["2020-03-01"]), "count": [2]})
    >>> cov = pd.DataFrame({"source": "s", "place_id": [None, "b"],
    ...                     "month": pd.to_datetime(["2020-01-01", "2020-02-01"])})
    >>> [m.strftime("%Y-%m") for m in covered_months(monthly, cov, "a")]
    ['2020-01', '2020-03']
    >>> len(covered_months(monthly, None, "a")), len(covered_months(monthly, None, "a", "2020-02-29"))
    (1, 0)
    """
    months = _covered(monthly, coverage, place_id, category)
    if until is not None and len(months):
        months = months[months + pd.offsets.MonthEnd(0) <= pd.Timestamp(pr.as_date(until))]
    return months


def _covered(monthly, coverage, place_id, category=None) -> pd.DatetimeIndex:
    if coverage is None:
        if monthly.empty:
            return pd.DatetimeIndex([])
        all_months = pr.month_starts(monthly["month"].to_numpy())
        return pd.date_range(all_months.min(), all_months.max(), freq="MS")
    # plain numpy masks (this runs dozens of times per view): the rows of the place (and category)
    own = _rows_where(monthly, place_id, category, missing_matches=False)
    cov = _rows_where(coverage, place_id, category if "category" in coverage else None,
                      missing_matches=True)
    months = np.concatenate([pr.month_starts(coverage["month"].to_numpy()[cov]).to_numpy(),
                             pr.month_starts(monthly["month"].to_numpy()[own]).to_numpy()])
    return pd.DatetimeIndex(np.unique(months))


def covered_by_category(monthly: pd.DataFrame, coverage: pd.DataFrame, place_id, categories,
                        until=None) -> dict:
    """:func:`covered_months` of each category (``coverage`` with a ``category`` column), all from
    one pass over the place's rows.

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": ["a", "a"], "category": ["rån", "stöld"],
    ...                         "month": pd.to_datetime(["2020-03-01", "2020-04-01"]), "count": [2, 1]})
    >>> cov = pd.DataFrame({"source": "s", "place_id": [None, "a"], "category": [None, "rån"],
    ...                     "month": pd.to_datetime(["2020-01-01", "2020-02-01"])})
    >>> out = covered_by_category(monthly, cov, "a", ["rån", "stöld"])
    >>> [[m.strftime("%Y-%m") for m in out[c]] for c in ("rån", "stöld")]
    [['2020-01', '2020-02', '2020-03'], ['2020-01', '2020-04']]
    """
    own = _rows_where(monthly, place_id, None, missing_matches=False)
    cov = _rows_where(coverage, place_id, None, missing_matches=True)
    own_cat = monthly["category"].to_numpy(dtype=object)[own]
    own_month = pr.month_starts(monthly["month"].to_numpy()[own]).to_numpy()
    cov_cat = coverage["category"].to_numpy(dtype=object)[cov]
    cov_month = pr.month_starts(coverage["month"].to_numpy()[cov]).to_numpy()
    every = pd.isna(cov_cat)
    general = cov_month[every]
    cov_cat, cov_month = cov_cat[~every], cov_month[~every]
    last = pd.Timestamp(pr.as_date(until)) if until is not None else None
    out = {}
    for c in categories:
        months = pd.DatetimeIndex(np.unique(np.concatenate(
            [general, cov_month[cov_cat == c], own_month[own_cat == c]])))
        if last is not None and len(months):
            months = months[months + pd.offsets.MonthEnd(0) <= last]
        out[c] = months
    return out


def _rows_where(df: pd.DataFrame, place_id, category, *, missing_matches: bool) -> np.ndarray:
    """Rows of ``df`` for the place and category (None: any); with ``missing_matches``, a row without
    a place or category (every place, every category) matches too."""
    mask = np.ones(len(df), bool)
    for column, value in (("place_id", place_id), ("category", category)):
        if value is None:
            continue
        values = df[column].to_numpy(dtype=object)
        hit = values == value
        mask &= (hit | pd.isna(values)) if missing_matches else hit
    return mask


def data_until(monthly: pd.DataFrame, coverage: pd.DataFrame | None = None, place_id=None, until=None, *,
               category=None):
    """The last day of the last covered month (a :class:`datetime.date`), or None without data.

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": ["a"], "category": ["rån"],
    ...                         "month": pd.to_datetime(["2022-03-01"]), "count": [2]})
    >>> data_until(monthly)
    datetime.date(2022, 3, 31)
    """
    months = covered_months(monthly, coverage, place_id, until, category=category)
    return None if len(months) == 0 else (months.max() + pd.offsets.MonthEnd(0)).date()


def partial_note(monthly, coverage, place_id, data_end) -> str:
    """A note when months after ``data_end`` were left out as incomplete (empty otherwise)."""
    if data_end is None:
        return ""
    return partial_note_of(_covered(monthly, coverage, place_id), data_end)


def partial_note_of(months, data_end) -> str:
    """:func:`partial_note` given the covered months (first days).

    Examples
    --------
    >>> partial_note_of(pd.date_range("2024-01-01", periods=3, freq="MS"), "2024-02-29")
    'Hela månader finns t.o.m. 29 feb 2024; mar 2024 är ofullständig och räknas inte.'
    """
    if data_end is None:
        return ""
    months = pd.DatetimeIndex(months)
    cut = months[months + pd.offsets.MonthEnd(0) > pd.Timestamp(pr.as_date(data_end))]
    if len(cut) == 0:
        return ""
    first = cut.min()
    month = f"{pr.MONTH_ABBR[first.month - 1]} {first.year}"
    return NOTE_PARTIAL_END.format(day=pr.format_date_sv(pr.as_date(data_end)), month=month)
