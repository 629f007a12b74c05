"""Patterns in incident data: when crime happens and where it concentrates.

Brå's guidance for a local lägesbild asks for patterns by time of day, weekday and season, and for the
few places where most crime concentrates. These functions take the store's incident frame
(``incident_id, occurred_at, category, x, y``; times are naive local time, Europe/Stockholm) and return
plain frames:

- :func:`weekday_hour` – counts per weekday (Monday first) × hour, all 168 cells present;
- :func:`month_of_year` – counts per calendar month of the year, with the number of those months the
  data covers, so a month seen twice is not read as twice as criminal;
- :func:`repeat_locations` – locations (coordinates rounded to a tolerance) with two or more incidents.

Concentration on a grid (the share held by the top 5 % and 10 % of cells) is
:func:`lagesbild.core.hotspots.concentration`.

Incidents recorded at exactly midnight are often a date without a time; :func:`weekday_hour` reports
how many there are so a view can warn that hour 0 is inflated.

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

import numpy as np
import pandas as pd

from lagesbild.sources.months import MONTH_FULL as MONTHS_SV  # the one table of month names

WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def weekday_hour(incidents: pd.DataFrame) -> pd.DataFrame:
    """Counts per weekday × hour of the day.

    Parameters
    ----------
    incidents : DataFrame
        With a column ``occurred_at`` (datetime64, local time).

    Returns
    -------
    DataFrame
        168 rows ``weekday`` (0 = Monday), ``weekday_name`` (Swedish), ``hour`` (0–23), ``count``;
        ``attrs["midnight"]`` holds the number of incidents stamped exactly 00:00:00 (often a date
        without a time) and ``attrs["total"]`` the number of incidents.

    Examples
    --------
    >>> inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2024-05-05 00:00", "2024-05-06 13:45"])})
    >>> wh = weekday_hour(inc)
    >>> wh.attrs["midnight"], int(wh["count"].sum()), wh.loc[wh["count"] > 0, "weekday_name"].tolist()
    (1, 2, ['måndag', 'söndag'])
    """
    times = pd.to_datetime(incidents["occurred_at"])
    cell = times.dt.weekday.to_numpy() * 24 + times.dt.hour.to_numpy()
    counts = np.bincount(cell[~pd.isna(times.to_numpy())].astype(int), minlength=168)
    out = pd.DataFrame({"weekday": np.repeat(np.arange(7), 24), "hour": np.tile(np.arange(24), 7),
                        "count": counts[:168].astype(int)})
    out.insert(1, "weekday_name", [WEEKDAYS_SV[d] for d in out["weekday"]])
    midnight = (times.dt.hour == 0) & (times.dt.minute == 0) & (times.dt.second == 0)
    out.attrs["midnight"] = int(midnight.sum())
    out.attrs["total"] = int(times.notna().sum())
    return out


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
        12 rows ``month`` (1–12), ``month_name``, ``count``, ``months_covered`` (how many of that
        calendar month the data covers) and ``per_month`` (count / months_covered, NaN when none).

    Examples
    --------
    >>> inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2023-01-10", "2024-01-03", "2024-02-01"])})
    >>> m = month_of_year(inc)
    >>> m.loc[m.month <= 3, ["month", "count", "months_covered", "per_month"]].to_dict("list")
    {'month': [1, 2, 3], 'count': [2, 1, 0], 'months_covered': [2, 2, 1], 'per_month': [1.0, 0.5, 0.0]}
    """
    times = pd.to_datetime(incidents["occurred_at"]).dropna()
    counts = np.bincount(times.dt.month.to_numpy().astype(int), minlength=13)[1:13]
    if covered_months is None:
        if times.empty:
            covered = pd.DatetimeIndex([])
        else:
            covered = pd.date_range(times.min().to_period("M").to_timestamp(),
                                    times.max().to_period("M").to_timestamp(), freq="MS")
    else:
        covered = pd.DatetimeIndex(pd.to_datetime(list(covered_months)))
    n_cov = np.bincount(covered.month.to_numpy().astype(int), minlength=13)[1:13]
    with np.errstate(invalid="ignore", divide="ignore"):
        per = np.where(n_cov > 0, counts / np.maximum(n_cov, 1), np.nan)
    return pd.DataFrame({"month": np.arange(1, 13), "month_name": list(MONTHS_SV),
                         "count": counts.astype(int), "months_covered": n_cov.astype(int),
                         "per_month": per})


def repeat_locations(incidents: pd.DataFrame, *, tolerance: float = 10.0, min_count: int = 2) -> pd.DataFrame:
    """Locations with at least ``min_count`` incidents.

    Coordinates (metres, EPSG:3006) are snapped to a square lattice of side ``tolerance`` metres; the
    incidents in one lattice square are one location. The location's coordinates are the lattice
    square's lower-left corner (not an incident's exact position).

    Returns
    -------
    DataFrame
        ``x, y, n, first, last, categories`` (sorted by ``n`` descending, then ``x``, ``y``), with
        ``attrs["share"]``: the share of all incidents that lie at a repeat location.

    Examples
    --------
    >>> inc = pd.DataFrame({"occurred_at": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
    ...                     "x": [103.0, 107.0, 250.0], "y": [55.0, 51.0, 50.0],
    ...                     "category": ["rån", "rån", "skadegörelse"]})
    >>> r = repeat_locations(inc, tolerance=10)
    >>> r[["x", "y", "n"]].to_dict("records"), round(r.attrs["share"], 3)
    ([{'x': 100.0, 'y': 50.0, 'n': 2}], 0.667)
    """
    xy = incidents[["x", "y"]].to_numpy(dtype=float)
    ok = np.isfinite(xy).all(axis=1)
    frame = incidents.loc[ok].copy()
    frame["_gx"] = np.floor(xy[ok, 0] / tolerance) * tolerance
    frame["_gy"] = np.floor(xy[ok, 1] / tolerance) * tolerance
    groups = frame.groupby(["_gx", "_gy"], sort=False)
    grouped = groups.agg(n=("_gx", "size"), first=("occurred_at", "min"), last=("occurred_at", "max"))
    repeat = grouped[grouped["n"] >= min_count]
    if "category" in frame:
        # the categories of the repeat locations only (a city has ~100,000 single-incident squares):
        # each (square, category) once, sorted, joined per square
        at_repeat = (groups["_gx"].transform("size") >= min_count).to_numpy()
        cats = (frame.loc[at_repeat, ["_gx", "_gy"]].assign(category=frame.loc[at_repeat, "category"]
                                                           .map(str)).drop_duplicates()
                .sort_values(["_gx", "_gy", "category"]).groupby(["_gx", "_gy"])["category"]
                .agg(", ".join))
        repeat = repeat.assign(categories=cats.reindex(repeat.index).to_numpy(dtype=object))
    repeat = repeat.reset_index().rename(columns={"_gx": "x", "_gy": "y"})
    repeat = repeat.sort_values(["n", "x", "y"], ascending=[False, True, True]).reset_index(drop=True)
    repeat["n"] = repeat["n"].astype(int)
    total = len(frame)
    repeat.attrs["share"] = float(repeat["n"].sum() / total) if total else float("nan")
    return repeat
