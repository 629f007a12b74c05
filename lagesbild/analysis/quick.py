"""The quick spans' counts for every place at once: incidents inside each place, per category and span.

:func:`lagesbild.analysis.meeting.quick_comparison` compares the last 28 days, the year to date and
the last 12 months with the same days a year earlier, counted by day from the incidents inside the
place's polygon. Reading and testing the incidents of one place costs ~60 ms; here the incidents of
the spans' two years are read once per data version and last day, located in every shaped place at
once (:class:`lagesbild.ingest.assign.PlaceIndex`, the ingest's own point-in-polygon: the same as
``shapely.contains_xy`` per place) and counted per place × category × span (:class:`SpanCounts`).
A place's table is then a slice of it, with the tests of all its rows at once: the quasi-Poisson test
of the place × category's own dispersion, fitted from its monthly history as in every comparison
(:func:`lagesbild.core.period_pairs.pair_p_values`; the exact Poisson test with too short a history).
Crime counted by day clumps as crime counted by month does: the exact test alone, which assumes every
crime independent, would call ordinary variation of overdispersed series significant far too often.

At 114 places, 16 categories and 1.5 million incidents the kept counts take 0.1 MB (int64
``places × categories × 7``); building them reads the two years' incidents once, a month at a time
(~15 000 rows held at once), in about 1.5 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from lagesbild.analysis import base
from lagesbild.analysis.cubeviews import store_cube
from lagesbild.analysis.dataend import plain_last_incidents
from lagesbild.core.coverage import complete_until
from lagesbild.core.dispersion import METHOD_EXACT
from lagesbild.core.fdr import bh_adjust
from lagesbild.core.frames import frame
from lagesbild.core.period_pairs import Rows, pair_p_values, place_dispersions
from lagesbild.core.place_family import EXACT_SUFFIX
from lagesbild.core.poisson import pair_exposures, verdict
from lagesbild.core.quickperiods import quick_spans
from lagesbild.core.year_level import with_year_levels

MISSING_VERDICT = "kan inte bedömas: händelsedata saknas för en del av perioderna"
COLUMNS = ["span", "span_label", "category", "period_a", "period_b", "start_a", "end_a", "start_b",
           "end_b", "days_a", "days_b", "count_a", "count_b", "change", "pct_change", "p_value"]


@dataclass(frozen=True)
class SpanCounts:
    """Incidents inside each shaped place per category in each window: ``counts[place, category, w]``
    with the windows ``previous, current`` of each quick span in turn, and the whole read range last."""

    places: dict          # place id -> position
    categories: pd.Index  # sorted category ids
    counts: np.ndarray    # int64 [place, category, 2 × spans + 1]


def span_counts(store, end) -> SpanCounts:
    """The counts of the quick spans ending on ``end`` for every shaped place (kept per data version
    and ``end``; an :class:`~lagesbild.analysis.asof.AsOf` view has its own ``url``, so its own)."""
    return base.memo(store, ("quick-counts", str(end)), lambda: _build(store, end))


def _build(store, end) -> SpanCounts:
    from lagesbild.ingest.assign import PlaceIndex
    from lagesbild.ingest.shapeless import shaped

    spans = quick_spans(end)
    first = min(s.previous.start for s in spans)
    places = shaped(store.places())
    windows = [(np.datetime64(w.start, "D"), np.datetime64(w.end, "D"))
               for s in spans for w in (s.previous, s.current)]
    index = PlaceIndex(places) if len(places) else None
    cats: dict = {}  # category -> its row in ``counts``, in order of appearance
    counts = np.zeros((len(places), 0, len(windows) + 1), np.int64)
    # a month at a time: the incidents of one month are held at once, not those of two years
    for month in pd.period_range(pd.Timestamp(first), pd.Timestamp(end), freq="M"):
        inc = store.incidents(start=max(month.start_time.date(), first), end=min(month.end_time.date(), end))
        if index is None or inc.empty:
            continue
        codes, names = pd.factorize(inc["category"])
        rows, cols = index.assign(inc["x"].to_numpy(float), inc["y"].to_numpy(float))
        keep = codes[rows] >= 0
        rows, cols = rows[keep], cols[keep]
        for name in names:
            cats.setdefault(name, len(cats))
        if len(cats) > counts.shape[1]:
            counts = np.concatenate([counts, np.zeros((len(places), len(cats) - counts.shape[1],
                                                       counts.shape[2]), np.int64)], axis=1)
        key = cols.astype(np.int64) * len(cats) + np.array([cats[n] for n in names], np.int64)[codes[rows]]
        day = inc["occurred_at"].to_numpy("datetime64[ns]").astype("datetime64[D]")[rows]
        size = len(places) * len(cats)
        for j, (start, stop) in enumerate([*windows, (None, None)]):
            inside = key if start is None else key[(day >= start) & (day <= stop)]
            counts[:, :, j] += np.bincount(inside, minlength=size).reshape(len(places), len(cats))
    order = sorted(cats)
    return SpanCounts({p: i for i, p in enumerate(places["place_id"])}, pd.Index(order, dtype=object),
                      counts[:, [cats[c] for c in order], :])


def quick_table(store, alpha, place_id, categories, end, covered: dict) -> pd.DataFrame:
    """The quick spans' table of one place (see :func:`lagesbild.analysis.meeting.quick_comparison`);
    ``covered`` maps a category to the months incident sources cover. ``attrs['fdr_tests']``: the
    number of tests of the Benjamini–Hochberg family (every category of the place, shown or not).
    ``count_a``/``count_b`` are None for a span with a month no incident source covers for the category
    (and ``change``/``pct_change`` with either): the one "data saknas" the screen, the Excel download
    (an empty cell beside the verdict) and the command line's JSON (null) show, never a 0."""
    data = span_counts(store, end)
    pos = data.places.get(place_id)
    if pos is None or not data.counts[pos, :, -1].any():  # no shape, or no incident inside
        return pd.DataFrame()
    own = data.counts[pos]
    every = list(data.categories[own[:, -1] > 0])
    asked = list(dict.fromkeys(categories)) if categories else every
    # the family is every category of the place (as the comparisons'), whichever are shown: a
    # category's q-value is the same on the page, in the pack and on the command line
    cats = asked + [c for c in every if c not in set(asked)]
    at = data.categories.get_indexer(cats)
    spans = quick_spans(end)
    n, k = len(spans), len(cats)
    window = np.zeros((n * k, 2), np.int64)
    for i in range(n):
        window[i * k:(i + 1) * k] = np.where(at[:, None] >= 0, own[at, 2 * i:2 * i + 2], 0)
    ca, cb = window[:, 0], window[:, 1]
    pairs = [(s.previous, s.current) for s in spans]
    days_a = np.repeat([a.n_days for a, _ in pairs], k)
    days_b = np.repeat([b.n_days for _, b in pairs], k)
    # each span's months all covered by an incident source for the category: a span that is not has
    # no count (None, "data saknas"), never the 0 or the part its covered days hold
    cov_a, cov_b = (np.array([_months(s.start, s.end) <= covered.get(c, set()) for s in side for c in cats],
                             bool) for side in ([a for a, _ in pairs], [b for _, b in pairs]))
    whole = cov_a & cov_b
    rows = _rows(store, place_id, cats) if k else None  # one monthly history for fits and year levels
    disp = _dispersions(store, place_id, cats, rows) * n
    for i, (a, b) in enumerate(pairs):  # two spans of a year: also their other years' variation
        disp[i * k:(i + 1) * k] = _year_levels(store, place_id, cats, disp[i * k:(i + 1) * k], a, b, rows)
    p = np.full(n * k, np.nan)
    tested = np.flatnonzero(whole)
    p[tested] = pair_p_values(ca[tested], cb[tested], days_a[tested], days_b[tested], [disp[i] for i in tested])
    exact = np.array([d.method == METHOD_EXACT for d in disp], bool)
    q = np.full(n * k, np.nan)
    if whole.any():
        q[whole] = bh_adjust(p[whole])
    family = int(whole.sum())  # the tests adjusted together, shown or not
    # the rows shown (the asked categories, first in each span's block): one frame of those only
    shown = np.flatnonzero(np.tile(np.arange(k) < len(asked), n))
    ca, cb, days_a, days_b, p, q, whole, cov_a, cov_b = (
        v[shown] for v in (ca, cb, days_a, days_b, p, q, whole, cov_a, cov_b))
    exact, disp = exact[shown], [disp[i] for i in shown]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(whole & (ca > 0), 100 * (cb - ca) / np.where(ca > 0, ca, 1), np.nan)  # percent, as every table
    m = len(asked)
    out = frame({
        "span": np.repeat([s.key for s in spans], m).astype(object),
        "span_label": np.repeat([s.label for s in spans], m).astype(object),
        "category": pd.array(asked * n, dtype=object),
        "period_a": _each([a.label for a, _ in pairs], m), "period_b": _each([b.label for _, b in pairs], m),
        "start_a": _each([a.start for a, _ in pairs], m), "end_a": _each([a.end for a, _ in pairs], m),
        "start_b": _each([b.start for _, b in pairs], m), "end_b": _each([b.end for _, b in pairs], m),
        "days_a": days_a.astype(np.int64), "days_b": days_b.astype(np.int64), "count_a": _known(ca, cov_a),
        "count_b": _known(cb, cov_b), "change": _known(cb - ca, whole), "pct_change": pct, "p_value": p, "q_value": q,
        "significant": q < alpha,  # NaN compares False; as the verdict says
        "verdict": [verdict(int(a), int(b), float(v), alpha, exposure_a=x, exposure_b=y)
                    + (EXACT_SUFFIX if e else "") if ok else MISSING_VERDICT
                    for a, b, v, x, y, ok, e in zip(ca, cb, q, *pair_exposures(days_a, days_b), whole, exact,
                                                    strict=True)],
        "method": [d.method if ok else None for d, ok in zip(disp, whole, strict=True)]},
        [*COLUMNS, "q_value", "significant", "verdict", "method"])
    out.attrs["fdr_tests"] = family  # what the note names: the whole family, not the rows shown
    return out


def place_incident_months(store, place_id) -> tuple[dict, object]:
    """(category -> the months the place's incident sources cover, the last day of the place's
    incident data or None).

    The last day is each source's own: the day before its extraction date, or else its last incident
    (the month's end when the empty days after it are as many as its volume allows,
    :func:`lagesbild.core.coverage.complete_until`), never after its last covered month; of several
    sources that reach the place's newest month the earliest (``tests/test_two_exports_one_place.py``).
    A place whose export ended on 20 October beside another district's export to 15 November had its
    28 days to 15 November counted with 26 days without data, and its fall called "säkerställd" (``tests/test_recheck_stats2_quick_ends.py``)."""
    def build():
        _, rows_of, extracted, month_sets, codes = _incident_coverage(store)
        rows = rows_of.get(place_id)
        if rows is None:
            return {}, None
        # the place's rows as the per-version codes (no frame of them: ≈ 1.3 ms a new place)
        cats, months, sources = (codes[k][rows] for k in ("category", "month", "source"))
        order = np.argsort(cats, kind="stable")  # each category's rows, in the order they come
        starts = np.flatnonzero(np.diff(cats[order], prepend=-2))
        groups = sorted((g[0], cats[g[0]], g) for g in np.split(order, starts[1:]) if cats[g[0]] >= 0)
        covered = {codes["categories"][code]: _month_set(month_sets, months[g])
                   for _, code, g in groups}  # rows of every category (code -1) name none, as before
        plain = plain_last_incidents(store)
        newest = months.max()
        ends = []  # the sources of the place's newest month
        for name in sorted(codes["sources"][np.unique(sources[months == newest])]):
            month_end = (pd.Timestamp(newest) + pd.offsets.MonthEnd(0)).date()
            day = extracted.get(name)
            if day is not None and not pd.isna(day):
                ends.append(min(month_end, (pd.Timestamp(day) - pd.Timedelta(days=1)).date()))
            elif name in plain:
                last, rate = plain[name]
                ends.append(min(month_end, max(last, complete_until(last_incident=last, daily_rate=rate))))
            else:
                ends.append(month_end)
        # of two exports that both reach it, the earlier end: the spans count both sources' incidents,
        # and days after one export ended were counted as days without its crimes
        return covered, min(ends)
    return base.memo(store, ("quick-place-months", place_id), build)


def _incident_coverage(store) -> tuple[pd.DataFrame, dict, dict, dict, dict]:
    """(the coverage rows of incident-level sources, place id -> their row positions, source -> its
    extraction date, a cache of month sets, the rows' category and source codes and months as arrays),
    kept per data version: a place's months are then a slice of a few thousand rows, not a copy and a
    scan of every coverage row of the city (219,000 rows: 80 ms a place change), and the categories'
    month sets, mostly the same, are made once."""
    def build():
        src = store.sources()
        if src is None or src.empty:
            return pd.DataFrame(columns=["source", "place_id", "month", "category"]), {}, {}, {}, {}
        inc = src[src["kind"] == "incidents"]
        cov = store.all_coverage()
        cov = cov[cov["source"].isin(set(inc["source"]))].reset_index(drop=True)
        rows_of = {pid: np.asarray(pos) for pid, pos in cov.groupby("place_id", sort=False).indices.items()}
        cat_codes, cat_names = pd.factorize(cov["category"])  # no category (every one): -1
        src_codes, src_names = pd.factorize(cov["source"])  # never missing, as the month (schema)
        codes = {"category": cat_codes, "categories": np.asarray(cat_names, dtype=object),
                 "source": src_codes, "sources": np.asarray(src_names, dtype=object), "month": cov["month"].to_numpy()}
        return cov, rows_of, dict(zip(inc["source"], inc["extracted_at"], strict=True)), {}, codes
    return base.memo(store, ("incident-coverage-by-place",), build)


def _month_set(cache: dict, months: np.ndarray) -> frozenset:
    """The months (``datetime64``) as a frozenset of Timestamps, one object per distinct set in
    ``cache``: a city's categories share their sources' months, and making a Timestamp of every
    coverage row cost more than the rest of the quick table."""
    codes = np.unique(months.astype("datetime64[ns]").view("int64"))
    key = codes.tobytes()
    found = cache.get(key)
    if found is None:
        found = cache[key] = frozenset(pd.to_datetime(codes))
    return found


def _rows(store, place_id, cats) -> Rows:
    """The place's categories' monthly history up to the last complete month
    (:class:`lagesbild.core.period_pairs.Rows`): built once a table, for the fits and the year
    levels alike (each built the same counts and months again)."""
    cube = store_cube(store)
    return Rows(cube, cube.place_index([place_id]), cats, None, base.data_end(store))


def _dispersions(store, place_id, cats, rows: Rows | None = None) -> list:
    """Each category's dispersion at the place, fitted from its monthly history up to the last
    complete month (:func:`lagesbild.core.period_pairs.place_dispersions`, as the comparisons);
    ``rows``: :func:`_rows` of the same place and categories, when the caller has it."""
    if not len(cats):
        return []
    cache = base.memo(store, ("dispersions",), dict)  # the fits the comparisons made
    if rows is None:
        cube = store_cube(store)
        return place_dispersions(cube, cube.place_index([place_id])[0], cats, base.data_end(store), cache)
    return rows.dispersions(cache)[0]


def _year_levels(store, place_id, cats, disps: list, a, b, rows: Rows | None = None) -> list:
    """``disps`` of a span pair ``a``, ``b`` of at least a year each, or the place × category's
    year-to-year dispersion where larger (:func:`lagesbild.core.year_level.with_year_levels`, as the
    comparisons of two Sep–Aug years: 12 months against the 12 before can differ by an ordinary good or
    bad year, which the monthly dispersion cannot see). Shorter spans are returned as they are.
    ``rows`` as in :func:`_dispersions`."""
    if not len(cats) or min(a.n_days, b.n_days) < 365:
        return disps
    cube = store_cube(store)
    rows = _rows(store, place_id, cats) if rows is None else rows
    series, covered = rows.monthly()
    first = cube.months.to_numpy()
    weights = np.zeros((len(first), 2))
    for col, span in enumerate((a, b)):
        weights[:, col] = (first >= np.datetime64(pd.Timestamp(span.start).replace(day=1))) & (
            first <= np.datetime64(pd.Timestamp(span.end)))
    codes = np.repeat(rows.source_codes(), len(cats), axis=0) if cube.sources is not None else None
    return with_year_levels(list(disps), series[0], covered[0], weights, 0, codes)


def _known(values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """``values`` where ``ok``, None elsewhere (an object array then; int64 when every value is known).

    >>> _known(np.array([3, 0]), np.array([True, False])).tolist()
    [3, None]
    """
    if ok.all():
        return values.astype(np.int64)
    out = np.empty(len(values), dtype=object)
    out[:] = [int(v) if k else None for v, k in zip(values.tolist(), ok.tolist(), strict=True)]
    return out


def _each(values, k) -> np.ndarray:
    """Each value ``k`` times, as an object array (dates stay dates)."""
    out = np.empty(len(values) * k, dtype=object)
    for i, v in enumerate(values):
        out[i * k:(i + 1) * k] = [v] * k
    return out


@lru_cache(maxsize=64)
def _months(start, end) -> frozenset:
    """The first days of the months a span of days touches."""
    return frozenset(pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="M").to_timestamp())
