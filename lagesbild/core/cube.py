"""The monthly cube: counts as one array place × category × month, and comparisons of many places at once.

:func:`build_cube` turns the store's ``monthly_counts`` and ``coverage`` frames into a
:class:`MonthlyCube` (an ``int64`` array of counts and a boolean array of covered months per place).
:func:`counts_by_period_many` sums it over periods for every place and category at once (one
``numpy`` reduction per period), and :func:`compare_many` builds the comparison rows with the same
pair logic as :func:`lagesbild.core.compare.compare` (tests, verdicts, notes): the same numbers,
without a pandas group-by per place.

Examples
--------
>>> monthly = pd.DataFrame({"place_id": ["a", "a", "b"], "category": ["rån", "stöld", "rån"],
...     "month": pd.to_datetime(["2021-01-01", "2021-02-01", "2021-05-01"]), "count": [1, 2, 4]})
>>> cube = build_cube(monthly)
>>> cube.counts.shape
(2, 2, 5)
>>> t = counts_by_period_many(cube, ["a", "b"], ["T1 2021", "T2 2021"], categories=["rån"])
>>> t[["place_id", "period", "count", "months_missing"]].values.tolist()
[['a', 'T1 2021', 1, 0], ['a', 'T2 2021', 0, 3], ['b', 'T1 2021', 0, 0], ['b', 'T2 2021', 4, 3]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild.core import periods as pr
from lagesbild.core.compare import ALL, COMPARE_COLUMNS, COUNT_COLUMNS, _categories, _pair_row, _population
from lagesbild.core.likeforlike import like_for_like


@dataclass(frozen=True)
class MonthlyCube:
    """Counts per place × category × month (first days, consecutive), and covered months per place."""

    places: pd.Index
    categories: pd.Index
    months: pd.DatetimeIndex
    counts: np.ndarray   # int64 [place, category, month]
    covered: np.ndarray  # bool [place, month]
    everywhere: np.ndarray  # bool [month]: covered for every place (also places without a row)

    def place_index(self, place_ids) -> np.ndarray:
        """Positions of the place ids (-1 for a place without any row)."""
        return self.places.get_indexer(list(place_ids))

    def covered_of(self, place_pos) -> np.ndarray:
        """Covered months [place, month] of the positions (a place without a row: ``everywhere``)."""
        pos = np.asarray(place_pos)
        out = np.broadcast_to(self.everywhere, (len(pos), len(self.months))).copy()
        out[pos >= 0] = self.covered[pos[pos >= 0]]
        return out

    def data_until(self, place_pos: int):
        """The last day of the place's last covered month, or None."""
        covered = self.covered_of([place_pos])[0]
        if not covered.any():
            return None
        last = self.months[np.flatnonzero(covered)[-1]]
        return (last + pd.offsets.MonthEnd(0)).date()


def _month_starts(values) -> np.ndarray:
    return pd.to_datetime(pd.Series(values)).to_numpy("datetime64[ns]").astype("datetime64[M]")


def build_cube(monthly: pd.DataFrame, coverage: pd.DataFrame | None = None) -> MonthlyCube:
    """The cube of the store's ``monthly_counts`` (and ``coverage``: months with data per place).

    Without ``coverage`` every month from the first to the last with a count is covered for every
    place, as in :func:`lagesbild.core.compare.covered_months`.
    """
    months = _month_starts(monthly["month"])
    cov_months = _month_starts(coverage["month"]) if coverage is not None and len(coverage) else months[:0]
    every = np.concatenate([months, cov_months])
    if len(every) == 0:
        empty = pd.Index([], dtype=object)
        return MonthlyCube(empty, empty, pd.DatetimeIndex([]), np.zeros((0, 0, 0), np.int64),
                           np.zeros((0, 0), bool), np.zeros(0, bool))
    first, last = every.min(), every.max()
    index = pd.date_range(first.astype("datetime64[ns]"), last.astype("datetime64[ns]"), freq="MS")
    own_cov = coverage["place_id"].dropna() if coverage is not None and len(coverage) else []
    places = pd.Index(sorted(set(monthly["place_id"]) | set(own_cov)))
    p_codes = places.get_indexer(monthly["place_id"])
    c_codes, cats = pd.factorize(monthly["category"], sort=True)
    m_codes = (months - first).astype(np.int64)
    shape = (len(places), len(cats), len(index))
    flat = (p_codes.astype(np.int64) * shape[1] + c_codes) * shape[2] + m_codes
    counts = np.bincount(flat, weights=monthly["count"].to_numpy(np.int64), minlength=int(np.prod(shape)))
    counts = counts.astype(np.int64).reshape(shape)
    covered = np.zeros((shape[0], shape[2]), bool)
    everywhere = np.zeros(shape[2], bool)
    if coverage is None:
        covered[:] = True
        everywhere[:] = True
    else:
        covered[p_codes, m_codes] = True  # a month with a count is covered
        codes = (cov_months - first).astype(np.int64)
        pid = coverage["place_id"]
        all_places = pid.isna().to_numpy()
        covered[:, codes[all_places]] = True
        everywhere[codes[all_places]] = True
        own = places.get_indexer(pid[~all_places])
        keep = own >= 0
        covered[own[keep], codes[~all_places][keep]] = True
    return MonthlyCube(pd.Index(places), pd.Index(cats), index, counts, covered, everywhere)


def _period_masks(cube: MonthlyCube, period: pr.Period) -> tuple[np.ndarray, int, int, int, bool]:
    """(mask of the cube's months that are whole months of the period, days, months, months outside
    the cube, partial)."""
    whole = period.whole_months
    mask = cube.months.isin(whole)
    return mask, int(np.sum(whole.days_in_month)), len(whole), len(whole) - int(mask.sum()), \
        len(whole) != len(period.months)


def counts_by_period_many(cube: MonthlyCube, place_ids, periods, *, categories=None) -> pd.DataFrame:
    """:func:`lagesbild.core.compare.counts_by_period` for many places at once (places in the order
    given, then periods, then categories; ``categories`` as there, taken from the whole cube)."""
    periods = [pr.parse_period(p) for p in periods]
    monthly = pd.DataFrame({"category": cube.categories})
    cats, shown = _categories(monthly, categories)
    pos = cube.place_index(place_ids)
    c_pos = cube.categories.get_indexer(cats)
    frames = []
    for p in periods:
        mask, days, n_months, outside, partial = _period_masks(cube, p)
        sums = np.zeros((len(pos), len(cats)), np.int64)
        missing = (~cube.covered_of(pos)[:, mask]).sum(axis=1) + outside
        have = pos >= 0
        valid = c_pos >= 0
        if have.any() and valid.any():
            block = cube.counts[pos[have]][:, :, mask]
            sums[np.ix_(have, valid)] = block[:, c_pos[valid], :].sum(axis=2)
        values = np.column_stack([sums] + ([sums.sum(axis=1)] if ALL in shown else []))
        frames.append(pd.DataFrame({
            "place_id": np.repeat(np.asarray(list(place_ids), dtype=object), len(shown)),
            "category": np.tile(np.asarray(shown, dtype=object), len(pos)),
            "period": p.label, "kind": p.kind, "start": pd.Timestamp(p.start).as_unit("ns"),
            "end": pd.Timestamp(p.end).as_unit("ns"),
            "count": values.reshape(-1), "days": days, "n_months": n_months,
            "months_missing": np.repeat(missing, len(shown)), "partial_months": partial,
            "_place": np.repeat(np.arange(len(pos)), len(shown)), "_period": len(frames)}))
    if not frames:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    out = pd.concat(frames, ignore_index=True).sort_values(["_place", "_period"], kind="stable")
    return out[COUNT_COLUMNS].reset_index(drop=True)


def compare_many(cube: MonthlyCube, place_ids, periods, *, categories=None, alpha: float = 0.05,
                 populations=None, like_for_like_cut: bool = True) -> pd.DataFrame:
    """:func:`lagesbild.core.compare.compare` for each place (rows of one place after another).

    Each place's periods are cut like for like to its own last covered month, as ``compare`` does;
    places with the same last month share one computation of the counts.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"Signifikansnivå måste ligga mellan 0 och 1, inte {alpha!r}.")
    ids = list(place_ids)
    base = sorted((pr.parse_period(p) for p in periods), key=lambda p: (p.start, p.end))
    if len(base) < 2:
        raise ValueError("Ange minst två perioder att jämföra.")
    latest = max(base, key=lambda p: (p.end, p.start))
    groups: dict = {}
    for pid, pos in zip(ids, cube.place_index(ids), strict=True):
        until = cube.data_until(pos) if like_for_like_cut else None
        key = None if until is None or until < latest.start else until
        groups.setdefault(key, []).append(pid)
    rows = {}
    for until, members in groups.items():
        cut, note = (base, None) if until is None else like_for_like(base, until)
        table = counts_by_period_many(cube, members, cut, categories=categories)
        n_periods = len(cut)
        recs = table.to_dict("records")
        n_shown = len(recs) // (len(members) * n_periods) if members and recs else 0
        for i, pid in enumerate(members):
            pop = _population((populations or {}).get(pid))
            own = recs[i * n_periods * n_shown:(i + 1) * n_periods * n_shown]
            out = []
            for c in range(n_shown):
                series = own[c::n_shown]
                out += [_pair_row(a, b, alpha=alpha, population=pop, lfl_note=note)
                        for a, b in zip(series, series[1:])]
            rows[pid] = out
    flat = [r for pid in ids for r in rows.get(pid, [])]
    return pd.DataFrame(flat, columns=COMPARE_COLUMNS)
