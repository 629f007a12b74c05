"""Patterns in incident data: when crime happens and where it concentrates.

Brå's guidance for a local lägesbild asks for patterns by time of day, weekday and season, and for the
few places where most crime concentrates. These functions take the store's incident frame
(``incident_id, occurred_at, category, x, y``; times are naive local time, Europe/Stockholm) and return
plain frames:

- :func:`weekday_hour` – counts per weekday (Monday first) × hour, all 168 cells present;
- :func:`weekday_days` and :func:`weekday_note` – how often each weekday occurs in the days counted,
  and a note when they differ enough to colour a comparison of weekdays;
- :func:`month_of_year` – counts per calendar month of the year, with the number of those months the
  data covers, so a month seen twice is not read as twice as criminal;
- :func:`repeat_locations` – places where two or more incidents lie within a distance (10 m) of one
  incident, found by distance alone (no lattice whose lines could split a place or join two).

Concentration on a grid (the share held by the top 5 % and 10 % of cells) is
:func:`lagesbild.core.concentration.top_cells`.

Incidents recorded at exactly midnight are often a date without a time; :func:`weekday_hour` reports
how many there are so a view can warn that hour 0 is inflated, and how many are stamped with a local
time that does not exist (the hour skipped when summer time starts, e.g. 2023-03-26 02:30).

Examples
--------
>>> import pandas as pd
>>> inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2024-01-01 08:30", "2024-01-01 08:10",
...                                                   "2024-01-07 23:59"]),
...                     "x": [0.0, 1.0, 500.0], "y": [0.0, 2.0, 500.0]})
>>> wh = weekday_hour(inc)
>>> int(wh.loc[(wh.weekday == 0) & (wh.hour == 8), "count"].iloc[0]), len(wh)
(2, 168)
>>> repeat_locations(inc, tolerance=5.0)[["n", "x", "y"]].to_dict("records")
[{'n': 2, 'x': 0.0, 'y': 0.0}]
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from lagesbild.core.periods import TIMEZONE
from lagesbild.sources.months import MONTH_FULL as MONTHS_SV  # the one table of month names

WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
#: a weekday occurring this much more often than another (relative) is worth a note: a 31-day month
#: has three weekdays 5 times and four 4 times (+25 %), a tertial +6 %, a year one day +2 %
WEEKDAY_NOTE_FROM = 0.05


def weekday_days(start, end) -> np.ndarray:
    """How many times each weekday (Monday first) occurs from ``start`` to ``end``, both included.

    Examples
    --------
    >>> weekday_days("2024-03-01", "2024-03-31").tolist()  # March 2024 began on a Friday
    [4, 4, 4, 4, 5, 5, 5]
    >>> weekday_days("2024-03-01", "2024-02-01").tolist()
    [0, 0, 0, 0, 0, 0, 0]
    """
    days = pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize(), freq="D")
    return np.bincount(days.weekday.to_numpy().astype(int), minlength=7)[:7]


def weekday_note(days) -> str | None:
    """A Swedish note when some weekdays occur :data:`WEEKDAY_NOTE_FROM` more often than others in the
    days counted (``days`` from :func:`weekday_days`): counts per weekday are then not comparable as
    they stand. None when they occur equally often (whole weeks) or nearly so.

    Examples
    --------
    >>> weekday_note([4, 4, 4, 4, 5, 5, 5])
    'Perioden är inte hela veckor: fredag, lördag och söndag förekommer 5 gånger, övriga veckodagar 4 gånger (25 % fler dagar); jämför veckodagarna med det i åtanke.'
    >>> weekday_note([53, 52, 52, 52, 52, 52, 52]) is None  # a year: 2 % more Mondays
    True
    """
    days = np.asarray(days, dtype=int)
    low, high = int(days.min()), int(days.max())
    if high == 0 or low == high or (low > 0 and high / low - 1 < WEEKDAY_NOTE_FROM):
        return None
    more = [WEEKDAYS_SV[i] for i in range(7) if days[i] == high]  # a run of days: two counts at most
    named = more[0] if len(more) == 1 else ", ".join(more[:-1]) + " och " + more[-1]
    extra = f" ({round(100 * (high / low - 1))} % fler dagar)" if low else ""
    return (f"Perioden är inte hela veckor: {named} förekommer {high} gånger, övriga veckodagar {low} "
            f"gånger{extra}; jämför "
            "veckodagarna med det i åtanke.")


def weekday_hour(incidents: pd.DataFrame) -> pd.DataFrame:
    """Counts per weekday × hour of the day.

    Parameters
    ----------
    incidents : DataFrame
        With a column ``occurred_at`` (datetime64, local time), and optionally ``time_known`` (bool:
        False for a date without a time of day, stored as 00:00).

    Returns
    -------
    DataFrame
        168 rows ``weekday`` (0 = Monday), ``weekday_name`` (Swedish), ``hour`` (0–23), ``count``;
        incidents without a time of day are not in the cells (they are no crimes at midnight):
        ``attrs["untimed"]`` holds their number (``attrs["untimed_by_weekday"]`` per weekday, Monday
        first: their dates are known), ``attrs["midnight"]`` the number of the others
        stamped exactly 00:00:00 (often a date without a time, where the file does not say),
        ``attrs["nonexistent"]`` the number stamped with a local time that does not exist in
        Europe/Stockholm (the hour skipped when summer time starts; counted in the hour as written)
        and ``attrs["total"]`` the number of incidents, with or without a time.

    Examples
    --------
    >>> inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2024-05-05 00:00", "2024-05-06 13:45"])})
    >>> wh = weekday_hour(inc)
    >>> wh.attrs["midnight"], int(wh["count"].sum()), wh.loc[wh["count"] > 0, "weekday_name"].tolist()
    (1, 2, ['måndag', 'söndag'])
    >>> weekday_hour(pd.DataFrame({"occurred_at": pd.to_datetime(["2023-03-26 02:30"])})).attrs["nonexistent"]
    1

    A date without a time is left out of the cells and counted apart:

    >>> wh = weekday_hour(inc.assign(time_known=[False, True]))
    >>> wh.attrs["untimed"], wh.attrs["midnight"], int(wh["count"].sum()), wh.attrs["total"]
    (1, 0, 1, 2)
    """
    times = pd.to_datetime(incidents["occurred_at"])
    total = int(times.notna().sum())
    untimed = np.zeros(7, dtype=int)
    if "time_known" in incidents.columns:
        known = incidents["time_known"].fillna(True).astype(bool).to_numpy()
        dates = times[~known].dropna()
        untimed = np.bincount(dates.dt.weekday.to_numpy().astype(int), minlength=7)[:7]
        times = times[known]
    cell = times.dt.weekday.to_numpy() * 24 + times.dt.hour.to_numpy()
    counts = np.bincount(cell[~pd.isna(times.to_numpy())].astype(int), minlength=168)
    out = pd.DataFrame({"weekday": np.repeat(np.arange(7), 24), "hour": np.tile(np.arange(24), 7),
                        "count": counts[:168].astype(int)})
    out.insert(1, "weekday_name", [WEEKDAYS_SV[d] for d in out["weekday"]])
    midnight = (times.dt.hour == 0) & (times.dt.minute == 0) & (times.dt.second == 0)
    out.attrs["midnight"] = int(midnight.sum())
    out.attrs["untimed"] = int(untimed.sum())
    out.attrs["untimed_by_weekday"] = [int(v) for v in untimed]  # their dates are known
    out.attrs["nonexistent"] = nonexistent_times(times)
    out.attrs["total"] = total
    return out


def nonexistent_times(times: pd.Series) -> int:
    """How many naive local times do not exist in Europe/Stockholm (the hour skipped when summer time
    starts, 02:00–02:59 on the last Sunday of March); missing times are not counted.

    Examples
    --------
    >>> nonexistent_times(pd.Series(pd.to_datetime(["2023-03-26 02:30", "2023-03-26 03:00", None])))
    1
    """
    times = pd.to_datetime(pd.Series(times)).dropna()
    if times.empty or getattr(times.dt, "tz", None) is not None:
        return 0
    local = times.dt.tz_localize(TIMEZONE, ambiguous=np.zeros(len(times), dtype=bool), nonexistent="NaT")
    return int(local.isna().sum())


def month_of_year(incidents: pd.DataFrame, covered_months=None) -> pd.DataFrame:
    """Counts per calendar month of the year, and per covered month.

    Parameters
    ----------
    incidents : DataFrame
        With ``occurred_at``.
    covered_months : iterable of Timestamp, optional
        First days of the months the data covers (whole months). Default: every month from the first
        to the last incident's month.

    Returns
    -------
    DataFrame
        12 rows ``month`` (1–12), ``month_name``, ``count`` (incidents in covered months),
        ``months_covered`` (how many of that calendar month the data covers), ``per_month`` (count /
        months_covered, NaN when none) and ``left_out`` (incidents in months the data do not cover
        whole, e.g. a month the file ends in: never counted as a month of few crimes, but said).

    Examples
    --------
    >>> inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2023-01-10", "2024-01-03", "2024-02-01"])})
    >>> m = month_of_year(inc)
    >>> m.loc[m.month <= 3, ["month", "count", "months_covered", "per_month"]].to_dict("list")
    {'month': [1, 2, 3], 'count': [2, 1, 0], 'months_covered': [2, 2, 1], 'per_month': [1.0, 0.5, 0.0]}
    >>> cut = month_of_year(inc, covered_months=pd.to_datetime(["2023-01-01", "2024-01-01"]))
    >>> cut.loc[cut.month <= 2, ["count", "months_covered", "left_out"]].to_dict("list")
    {'count': [2, 0], 'months_covered': [2, 0], 'left_out': [0, 1]}
    """
    times = pd.to_datetime(incidents["occurred_at"]).dropna()
    if covered_months is None:
        if times.empty:
            covered = pd.DatetimeIndex([])
        else:
            covered = pd.date_range(times.min().to_period("M").to_timestamp(),
                                    times.max().to_period("M").to_timestamp(), freq="MS")
    else:
        covered = pd.DatetimeIndex(pd.to_datetime(list(covered_months)))
    inside = times.dt.to_period("M").dt.to_timestamp().isin(covered).to_numpy()
    months = times.dt.month.to_numpy().astype(int)
    counts = np.bincount(months[inside], minlength=13)[1:13]
    left = np.bincount(months[~inside], minlength=13)[1:13]
    n_cov = np.bincount(covered.month.to_numpy().astype(int), minlength=13)[1:13]
    with np.errstate(invalid="ignore", divide="ignore"):
        per = np.where(n_cov > 0, counts / np.maximum(n_cov, 1), np.nan)
    return pd.DataFrame({"month": np.arange(1, 13), "month_name": list(MONTHS_SV),
                         "count": counts.astype(int), "months_covered": n_cov.astype(int),
                         "per_month": per, "left_out": left.astype(int)})


def repeat_locations(incidents: pd.DataFrame, *, tolerance: float = 10.0, min_count: int = 2) -> pd.DataFrame:
    """Repeat locations: places where at least ``min_count`` incidents lie within ``tolerance`` metres
    of one of them.

    The definition is by distance alone (coordinates in metres, EPSG:3006), so it does not depend on
    where a lattice's lines fall: two incidents 1 m apart are one location wherever they lie, two 13.9 m
    apart are not with the default 10 m. The locations are found greedily: the incident with the most
    incidents within ``tolerance`` of it (itself and those at the same point included) is a location's
    centre and takes all of them; then the same among the incidents left, until no incident has another
    within ``tolerance``. A location's incidents are therefore at most ``tolerance`` from its centre (at
    most twice that from each other), every incident belongs to at most one location, and the incidents
    left out of every location lie more than ``tolerance`` apart (with ``min_count`` 2). Ties are broken
    by the lowest ``x``, then ``y``.

    Returns
    -------
    DataFrame
        ``x, y`` (the centre incident's position), ``n``, ``radius`` (metres from the centre to its
        farthest incident), ``first, last, categories`` (sorted by ``n`` descending, then ``x``, ``y``),
        with ``attrs["share"]``: the share of all incidents that lie at a repeat location.

    Examples
    --------
    >>> inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
    ...                     "x": [109.5, 110.5, 250.0], "y": [55.0, 55.0, 50.0],
    ...                     "category": ["rån", "rån", "skadegörelse"]})
    >>> r = repeat_locations(inc, tolerance=10)
    >>> r[["x", "y", "n", "radius"]].to_dict("records"), round(r.attrs["share"], 3)
    ([{'x': 109.5, 'y': 55.0, 'n': 2, 'radius': 1.0}], 0.667)
    """
    xy = incidents[["x", "y"]].to_numpy(dtype=float)
    ok = np.isfinite(xy).all(axis=1)
    frame = incidents.loc[ok].copy()
    points, inverse, weight = np.unique(xy[ok], axis=0, return_inverse=True, return_counts=True)
    centre = _greedy_centres(points, weight, tolerance)
    frame["_c"] = centre[inverse.ravel()] if len(frame) else np.empty(0, dtype=int)
    frame["_d"] = np.hypot(*(xy[ok] - points[frame["_c"].to_numpy()]).T) if len(frame) else np.empty(0)
    groups = frame.groupby("_c", sort=False)
    grouped = groups.agg(n=("_c", "size"), radius=("_d", "max"), first=("occurred_at", "min"),
                         last=("occurred_at", "max"))
    repeat = grouped[grouped["n"] >= min_count]
    if "category" in frame:
        # the categories of the repeat locations only (a city has ~100,000 single incidents):
        # each (location, category) once, sorted, joined per location
        at_repeat = (groups["_c"].transform("size") >= min_count).to_numpy()
        cats = (frame.loc[at_repeat, ["_c"]].assign(category=frame.loc[at_repeat, "category"].map(str))
                .drop_duplicates().sort_values(["_c", "category"]).groupby("_c")["category"].agg(", ".join))
        repeat = repeat.assign(categories=cats.reindex(repeat.index).to_numpy(dtype=object))
    at = repeat.index.to_numpy(dtype=int)
    repeat = repeat.reset_index(drop=True)
    repeat.insert(0, "x", points[at, 0] if len(at) else np.empty(0))
    repeat.insert(1, "y", points[at, 1] if len(at) else np.empty(0))
    repeat = repeat.sort_values(["n", "x", "y"], ascending=[False, True, True]).reset_index(drop=True)
    repeat["n"] = repeat["n"].astype(int)
    total = len(frame)
    repeat.attrs["share"] = float(repeat["n"].sum() / total) if total else float("nan")
    return repeat


def _greedy_centres(points: np.ndarray, weight: np.ndarray, radius: float) -> np.ndarray:
    """For each distinct point (sorted by x, then y, as :func:`numpy.unique` gives them), the index of
    the centre of its location (:func:`repeat_locations`); a point alone is its own centre.

    A heap of (−incidents within ``radius``, index) with lazy updates: counts only fall as locations
    are taken, so an entry whose count is still right when it comes first is the true maximum."""
    centre = np.arange(len(points))
    if len(points) < 2:
        return centre
    tree = cKDTree(points)
    near = tree.query_ball_point(points, r=radius)
    w = weight.tolist()
    alive = [True] * len(points)
    heap = [(-sum(w[j] for j in nb), i) for i, nb in enumerate(near) if len(nb) > 1]
    heapq.heapify(heap)
    while heap:
        count, i = heapq.heappop(heap)
        if not alive[i]:
            continue
        members = [j for j in near[i] if alive[j]]
        now = sum(w[j] for j in members)
        if now != -count:
            if len(members) > 1:
                heapq.heappush(heap, (-now, i))
            continue
        for j in members:
            alive[j] = False
            centre[j] = i
    return centre
