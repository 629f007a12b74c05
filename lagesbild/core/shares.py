"""The place's share of its district's and the city's reported crime, and whether it changed.

Input as in :mod:`lagesbild.core.compare` (the store's ``monthly_counts`` and ``coverage`` frames); the
counts per period come from :func:`lagesbild.core.compare.counts_by_period`, so missing months, partial
months and like-for-like cutting follow the same rules as the comparisons.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import numpy as np
import pandas as pd

from lagesbild.core import periods as pr
from lagesbild.core.compare import (
    TOTAL_CATEGORY,
    VERDICT_MISSING,
    grouped,
    months_word,
    row_cuts,
    split_categories,
)
from lagesbild.core.cube import MonthlyCube, build_cube
from lagesbild.core.dispersion import quasi_share_p
from lagesbild.core.exact import fisher_tests
from lagesbild.core.fdr import bh_adjust
from lagesbild.core.frames import frame
from lagesbild.core.place_family import ALL
from lagesbild.core.share_dispersion import (
    _all_dispersions,
    share_dispersion,
)
from lagesbild.core.share_sources import row_categories, sources_differ

SHARE_VERDICTS = {
    "up": "andelen har ökat, statistiskt säkerställt",
    "down": "andelen har minskat, statistiskt säkerställt",
    "none": "ingen säkerställd förändring av andelen",
    "first": "",
}
PARENT_SMALLER = ("Platsens antal är större än överområdets ({parent}) i {label}, så de kommer inte från "
                  "samma källa; andelen visas inte och kan inte testas.")
#: a period whose months the place's rows and the area's come from different sources
#: (:attr:`~lagesbild.core.cube.MonthlyCube.sources`): the share would compare two ways of counting
OTHER_SOURCES = ("Olika källor för platsen och området ({parent}) i {label}: andelen visas inte och kan "
                 "inte testas.")
VERDICT_OTHER_SOURCES = "kan inte bedömas: olika källor för platsen och området"
COLUMNS = ["place_id", "parent_id", "category", "period", "start", "end", "count_place", "count_parent",
           "months_missing", "share", "p_value", "significant", "verdict", "note", "p_unadjusted", "dispersion"]


_FISHER: dict = {}  # table -> p-value (views of the same place and periods ask for the same tables)
FISHER_KEPT = 65_536
_FISHER_LOCK = threading.Lock()


def _fisher(a, b, c, d) -> np.ndarray:
    """:func:`~lagesbild.core.exact.fisher_tests`, each table computed once per process."""
    keys = list(zip(a.tolist(), b.tolist(), c.tolist(), d.tolist(), strict=True))
    with _FISHER_LOCK:  # requests run in threads: read at once, never meeting another's clear()
        got = {i: _FISHER[k] for i, k in enumerate(keys) if k in _FISHER}
    new = [i for i in range(len(keys)) if i not in got]
    if new:
        got.update(zip(new, fisher_tests(a[new], b[new], c[new], d[new]).tolist(), strict=True))
        with _FISHER_LOCK:
            if len(_FISHER) + len(new) > FISHER_KEPT:
                _FISHER.clear()
            _FISHER.update((keys[i], got[i]) for i in new)
    return np.array([got[i] for i in range(len(keys))], dtype=float)


def _prepare(cube: MonthlyCube, periods, pos: int, summed: list, shown: list, like_for_like: bool,
             until=None) -> list:
    """The periods (one at least, chronological) of each shown row, with the like-for-like note:
    cut where the row's own data end, the total's where every summed category with data has data,
    and never after ``until`` (the last day of complete data: a month the file ends in the middle of
    is no whole month) — :func:`lagesbild.core.compare.row_cuts`, as compare cuts; a category the
    cube does not hold has the coverage rows naming none."""
    periods = sorted((pr.parse_period(p) for p in periods), key=lambda p: (p.start, p.end))
    if not periods:
        raise ValueError("Ange en period.")
    asked = [cube.categories.isin(summed) if c == ALL else cube.categories == c for c in shown]
    absent = [any(x not in cube.categories for x in summed) if c == ALL else c not in cube.categories
              for c in shown]
    return row_cuts(cube, periods, asked, until, like_for_like, pos=pos, absent=absent)


def _whole_months(cube: MonthlyCube, periods) -> tuple[np.ndarray, np.ndarray, list]:
    """[period, month] masks of the whole months inside each period, the number of whole months
    outside the cube's months, and the periods' first days of their whole months."""
    first = cube.months[0].to_datetime64().astype("datetime64[M]") if len(cube.months) else None
    inside = np.zeros((len(periods), len(cube.months)), bool)
    outside = np.zeros(len(periods), np.int64)
    for i, p in enumerate(periods):
        start = np.datetime64(p.start, "M") + (0 if p.start.day == 1 else 1)
        stop = np.datetime64(p.end, "M") + (0 if (p.end + timedelta(days=1)).day == 1 else -1)
        n = max(int((stop - start).astype(np.int64)) + 1, 0)
        if n == 0:
            continue
        lo = int((start - first).astype(np.int64)) if first is not None else 0
        hi = lo + n
        a, b = max(lo, 0), min(hi, len(cube.months))
        if a < b:
            inside[i, a:b] = True
        outside[i] = n - max(b - a, 0)
    return inside, outside


def _period_counts(cube, pos, periods, inside, outside, summed, shown):
    """(counts, months missing) [shown category, period] of one place: counts_by_period's numbers."""
    counts = cube.place_counts(pos)
    at = cube.category_index(summed)
    per = np.zeros((len(summed), len(periods)), np.int64)
    known = at >= 0
    per[known] = counts[at[known]] @ inside.T.astype(np.int64)
    covered = cube.place_coverage(pos, at)
    missing = outside[None, :] + (~covered).astype(np.int64) @ inside.T.astype(np.int64)
    in_total = [i for i, c in enumerate(summed) if c != TOTAL_CATEGORY] or list(range(len(summed)))
    rows_c, rows_m = [], []
    for c in shown:
        if c == ALL:
            rows_c.append(per[in_total].sum(axis=0))
            common = covered.all(axis=0) if len(summed) else np.zeros(len(cube.months), bool)
            rows_m.append(outside + (~common).astype(np.int64) @ inside.T.astype(np.int64))
        else:
            i = summed.index(c)
            rows_c.append(per[i])
            rows_m.append(missing[i])
    return np.array(rows_c, np.int64).reshape(len(shown), len(periods)), \
        np.array(rows_m, np.int64).reshape(len(shown), len(periods))


def share_table(cube: MonthlyCube, periods, place_id, parent_ids, *, present: list,
                categories=None, alpha: float = 0.05, like_for_like: bool = True, until=None,
                cache=None, fits: dict | None = None) -> pd.DataFrame:
    """:func:`share_of_parent` on a :class:`~lagesbild.core.cube.MonthlyCube`.

    The cube's :attr:`~lagesbild.core.cube.MonthlyCube.per_category` says which coverage rules
    apply, ``present`` lists the categories of the monthly rows the question is about (sorted;
    ``categories=None`` asks for them). The parents' counts and every test of every parent, category and period come from
    one array each. ``fits`` (a dict the caller keeps for this cube, e.g. per data version) keeps the
    place's and the rest's dispersions, which do not depend on the periods (:func:`_all_dispersions`).

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": ["torg", "rest", "torg", "rest"], "category": "rån",
    ...     "month": pd.to_datetime(["2019-01-01", "2019-01-01", "2020-01-01", "2020-01-01"]),
    ...     "count": [50, 50, 20, 80]})
    >>> out = share_table(build_cube(monthly), ["2019-01", "2020-01"], "torg", [None], present=["rån"])
    >>> out[["count_place", "count_parent", "p_value"]].round(6).values.tolist()
    [[50.0, 100.0, nan], [20.0, 100.0, 1.4e-05]]
    """
    summed, shown = split_categories(present, categories)
    pos, *parents = cube.place_positions([place_id, *parent_ids])
    # each row cut where its own data end, as compare cuts (one number per place, category and
    # period on a page)
    cuts = _prepare(cube, periods, pos, summed, shown, like_for_like, until)
    k, n, q = len(shown), len(cuts[0][0]) if cuts else 0, len(parent_ids)
    if k == 0 or q == 0:
        return pd.DataFrame([], columns=COLUMNS)
    place = np.zeros((q, k, n), np.int64)
    parent = np.zeros((q, k, n), np.int64)
    missing = np.zeros((q, k, n), np.int64)
    starts, ends = np.empty((k, n), "datetime64[ns]"), np.empty((k, n), "datetime64[ns]")
    lfl_notes = [note for _, note in cuts]
    # no data in any month of a period is no count, not 0 (a place with Brå's yearly counts only
    # has no monthly rows: its data file said "Antal på platsen 0" beside the district's 1 995)
    place_none, parent_none = np.zeros((k, n), bool), np.zeros((q, k, n), bool)
    mixed = np.zeros((q, k, n), bool)  # the place's and the parent's months from different sources
    for (cut, _), rows in grouped(cuts).items():
        inside, outside = _whole_months(cube, cut)
        length = inside.sum(axis=1) + outside
        sub = [shown[r] for r in rows]
        own, own_missing = _period_counts(cube, pos, cut, inside, outside, summed, sub)
        place[:, rows] = own[None]
        place_none[rows] = (own_missing >= length[None, :]) & (length[None, :] > 0)
        starts[rows] = [pd.Timestamp(per.start) for per in cut]
        ends[rows] = [pd.Timestamp(per.end) for per in cut]
        for j, ppos in enumerate(parents):
            parent[j, rows], other = _period_counts(cube, ppos, cut, inside, outside, summed, sub)
            missing[j, rows] = own_missing + other
            parent_none[j, rows] = (other >= length[None, :]) & (length[None, :] > 0)
            mixed[j, rows] = sources_differ(cube, pos, ppos, inside, row_categories(cube, summed, sub))
    periods = list(cuts[0][0])  # the labels are the same in every cut
    with np.errstate(divide="ignore", invalid="ignore"):
        # no share where months lack data at the place or the parent: the part counted would be
        # compared with a different part (a category the district has no counts for made the
        # place's share of "alla" 16,7 % beside the verdict "data saknas")
        # nor where the place counts more than the area around it: its counts come from another source
        # than the area's (a file of monthly counts for the place beside the district's incidents drew
        # "50 000 %"), and no part is larger than its whole
        # nor where the place's months and the area's come from different sources (geocoded incidents
        # beside a file of monthly counts): a share of one way of counting in another
        share = np.where((parent > 0) & (missing == 0) & (place <= parent) & ~mixed,
                         place / np.where(parent > 0, parent, 1), np.nan)
    p = np.full((q, k, n), np.nan)
    raw, used_phi = np.full((q, k, n), np.nan), np.full((q, k, n), np.nan)
    verdicts = np.full((q, k, n), SHARE_VERDICTS["first"], dtype=object)
    significant = np.zeros((q, k, n), bool)
    if n > 1:
        a, b = (slice(None), slice(None), slice(None, -1)), (slice(None), slice(None), slice(1, None))
        gap = missing[a] + missing[b]
        bigger = (place[a] > parent[a]) | (place[b] > parent[b])
        other = mixed[a] | mixed[b]
        tested = (gap == 0) & ~bigger & ~other
        pv = np.full(gap.shape, np.nan)
        phi, nu, rest_phi, rest_nu = _all_dispersions(cube, pos, parents, summed, shown, until, cache, fits)
        phi, nu = share_dispersion(
            (place[a], place[b]), (parent[a] - place[a], parent[b] - place[b]),
            (np.broadcast_to(phi[None, :, None], gap.shape), np.broadcast_to(nu[None, :, None], gap.shape)),
            (np.broadcast_to(rest_phi[:, :, None], gap.shape), np.broadcast_to(rest_nu[:, :, None], gap.shape)))
        over = tested & (phi > 1)  # the place's (or the rest's) counts vary more than chance
        exact = tested & ~over
        pv[exact] = _fisher(place[a][exact], (parent[a] - place[a])[exact], place[b][exact],
                            (parent[b] - place[b])[exact])
        if over.any():
            pv[over] = quasi_share_p(place[a][over], (parent[a] - place[a])[over], place[b][over],
                                     (parent[b] - place[b])[over], phi[over], nu[over])
        raw[b] = pv
        used_phi[b] = np.where(over, phi, np.nan)
        pv = bh_adjust(pv.ravel()).reshape(pv.shape)  # the table is one family (Benjamini–Hochberg)
        sig = tested & (pv < alpha) & (parent[a] != 0) & (parent[b] != 0)
        words = np.where(sig, np.where(share[b] > share[a], SHARE_VERDICTS["up"], SHARE_VERDICTS["down"]),
                         SHARE_VERDICTS["none"]).astype(object)
        words[bigger & (gap == 0)] = "kan inte bedömas"
        words[other & ~bigger & (gap == 0)] = VERDICT_OTHER_SOURCES
        for idx in zip(*np.nonzero(gap), strict=True):
            words[idx] = VERDICT_MISSING.format(n=months_word(int(gap[idx])))
        p[b], significant[b], verdicts[b] = pv, sig, words
    labels = [per.label for per in periods]
    notes = np.empty((q, k, n), dtype=object)
    notes[:] = np.array([note or "" for note in lfl_notes], dtype=object)[None, :, None]
    # a parent without data (or with months missing) is not a smaller count from another source
    for j, i, t in zip(*np.nonzero((place > parent) & (missing == 0)), strict=True):
        notes[j, i, t] = " ".join([*([lfl_notes[i]] if lfl_notes[i] else []), PARENT_SMALLER.format(
            parent="staden" if parent_ids[j] is None else parent_ids[j], label=labels[t])])
    for j, i, t in zip(*np.nonzero(mixed & (missing == 0) & (place <= parent)), strict=True):
        notes[j, i, t] = " ".join([*([notes[j, i, t]] if notes[j, i, t] else []), OTHER_SOURCES.format(
            parent="staden" if parent_ids[j] is None else parent_ids[j], label=labels[t])])
    size = q * k * n
    return frame({
        "place_id": np.full(size, place_id, dtype=object),
        "parent_id": np.repeat(np.asarray(list(parent_ids) + [0], dtype=object)[:-1], k * n),
        "category": np.tile(np.repeat(np.asarray(shown, dtype=object), n), q),
        "period": np.tile(np.asarray(labels, dtype=object), q * k),
        "start": np.tile(starts.reshape(k * n), q), "end": np.tile(ends.reshape(k * n), q),
        "count_place": np.where(np.broadcast_to(place_none, (q, k, n)), np.nan, place).reshape(size),
        "count_parent": np.where(parent_none, np.nan, parent).reshape(size),
        "months_missing": missing.reshape(size), "share": share.reshape(size),
        "p_value": p.reshape(size), "significant": significant.reshape(size),
        "p_unadjusted": raw.reshape(size), "dispersion": used_phi.reshape(size),
        "verdict": verdicts.reshape(size), "note": notes.reshape(size)}, COLUMNS)


def share_of_parent(monthly: pd.DataFrame, periods, place_id, parent_ids, *, categories=None,
                    coverage: pd.DataFrame | None = None, alpha: float = 0.05,
                    like_for_like: bool = True, until=None, cache=None) -> pd.DataFrame:
    """The place's share of its district's (and the city's) count per period, and whether it changed.

    The change of the share between a period and the one before it is tested on the 2×2 table
    ``[[place_a, rest_a], [place_b, rest_b]]`` where ``rest`` is the parent's count outside the place
    (a share is a within-period quantity: no exposure is needed). When the place's and the rest's monthly
    counts vary no more than chance (``φ = 1``, or too short a history to tell) with Fisher's exact test
    (:func:`scipy.stats.fisher_exact`, two-sided: ``count_place`` out of ``count_parent`` conditional
    on both margins); when they vary ``φ > 1`` times more (the place × category's dispersion from its
    monthly history up to ``until``, as in the comparisons, joined by the rest of the parent's where
    that varies more: :func:`share_dispersion`), with the likelihood-ratio statistic divided by ``φ``
    against ``F(1, ν)`` (:func:`lagesbild.core.dispersion.quasi_share_p`): Fisher's test assumes every
    crime independent, and on overdispersed counts it calls unchanged shares changed far too often. The tests of the table (every parent, category and pair of periods) are one
    family: ``p_value`` is Benjamini–Hochberg adjusted, and decides ``significant``.

    Parameters
    ----------
    place_id : str
    parent_ids : sequence of (str or None)
        The parents, e.g. ``["hasselby-vallingby", None]``; None is the city (every row summed).
    periods, categories, coverage, alpha, like_for_like
        As in :func:`compare` (one period is enough; like for like follows the place's data).

    Returns
    -------
    DataFrame
        One row per parent × category × period (chronological): ``place_id, parent_id, category,
        period, start, end, count_place, count_parent`` (NaN where no month of the period has data),
        ``months_missing, share`` (NaN when the parent's count is 0 or months lack data), and the change since the previous period: ``p_value, significant, verdict, note``
        (NaN/False/"" on the first period).

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": ["torg", "rest", "torg", "rest"], "category": "rån",
    ...     "month": pd.to_datetime(["2019-01-01", "2019-01-01", "2020-01-01", "2020-01-01"]),
    ...     "count": [50, 50, 20, 80]})
    >>> out = share_of_parent(monthly, ["2019-01", "2020-01"], "torg", [None])
    >>> out[["period", "share", "verdict"]].values.tolist()
    [['jan 2019', 0.5, ''], ['jan 2020', 0.2, 'andelen har minskat, statistiskt säkerställt']]
    """
    present = sorted(monthly["category"].dropna().unique().tolist())
    return share_table(build_cube(monthly, coverage), periods, place_id, parent_ids, present=present,
                       categories=categories, alpha=alpha, like_for_like=like_for_like, until=until,
                       cache=cache)
