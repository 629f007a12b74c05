"""The tables of :mod:`lagesbild.core.compare` built from the cube: counts per period and the
comparison of consecutive periods, for one place or for many places at once (the overview).

The semantics are :mod:`lagesbild.core.compare`'s (see its docstring): a pair with months without data
is not tested, partial months and unequal lengths get a note, rates per 1 000 inhabitants need a
population, and the test is the quasi-Poisson F test with the place's own dispersion or, with too
short a history, the exact Poisson test. The arrays come from :mod:`lagesbild.core.period_pairs`.

Examples
--------
>>> from lagesbild.core.cube import build_cube
>>> from lagesbild.core.periods import parse_period
>>> monthly = pd.DataFrame({"place_id": ["a", "b"], "category": "rån",
...     "month": pd.to_datetime(["2021-01-01", "2022-01-01"]), "count": [30, 60]})
>>> t = compare_cube(build_cube(monthly), ["a", "b"], [parse_period("2021-01"), parse_period("2022-01")],
...                  ["rån"], alpha=0.05)
>>> t[["place_id", "count_a", "count_b", "verdict"]].values.tolist()
[['a', 30, 0, 'minskning, statistiskt säkerställd'], ['b', 0, 60, 'ökning, statistiskt säkerställd']]
"""

from __future__ import annotations

import hashlib
import math
import threading
import weakref

import numpy as np
import pandas as pd

from lagesbild.core.dispersion import METHOD_QUASI
from lagesbild.core.frames import frame
from lagesbild.core.period_pairs import (  # noqa: F401 - overlapping is re-exported
    Pairs,
    Rows,
    overlapping,
    period_months,
    rates,
)
from lagesbild.core.place_family import verdict_texts
from lagesbild.core.poisson import EQUAL_LENGTH
from lagesbild.core.population import MIN_POPULATION, merge_notes, period_populations

LENGTH_NOTE_THRESHOLD = EQUAL_LENGTH  # relative difference in days above which unequal lengths get a note
NOTES = {
    "pct": "Procentuell förändring kan inte beräknas när föregående period har 0.",
    "lengths": ("Perioderna är olika långa ({a} och {b} dagar); förändringen och testet avser antalet "
                "per dag (antalet före räknat om till {b} dagar)."),
    "partial": "{label} täcker inte hela kalendermånader; bara hela månader räknas.",
    "missing": "Data saknas för {n} i {label}; antalet avser månaderna med data.",
    "population": ("Befolkningen ändrades med {pct} mellan perioderna; bedömningen gäller antalet brott, "
                   "inte brotten per 1 000 invånare."),
    "season": ("Perioderna omfattar olika månader av året; en förändring kan vara säsongens (jämför med "
               "samma period ett annat år)."),
}
POPULATION_NOTE_THRESHOLD = 0.02  # relative change in population above which the verdict's subject is said
VERDICT_MISSING = "kan inte bedömas: data saknas för {n}"
VERDICT_NO_MONTHS = "kan inte bedömas: perioden omfattar ingen hel kalendermånad"
#: two periods that share days share their crimes: the counts are not independent samples, and a
#: period against itself is "no change" by construction
VERDICT_OVERLAP = "kan inte bedömas: perioderna överlappar"
COUNT_COLUMNS = ["place_id", "category", "period", "kind", "start", "end", "count", "days", "n_months",
                 "months_missing", "partial_months"]
COMPARE_COLUMNS = ["place_id", "category", "period_a", "period_b", "start_a", "end_a", "start_b", "end_b",
                   "count_a", "count_b", "change", "pct_change", "rate_a", "rate_b", "p_value",
                   "significant", "verdict", "like_for_like", "note", "months_missing_a",
                   "months_missing_b", "days_a", "days_b", "p_unadjusted", "method", "dispersion"]
#: period_population results per population table (keyed by the table's contents), place and period
_POPULATIONS: dict = {}
POPULATIONS_SIZE = 50_000
_POPULATIONS_LOCK = threading.Lock()


def months_word(n: int) -> str:
    """``1 månad``, ``2 månader``."""
    return f"{n} månad" if n == 1 else f"{n} månader"


def count_frame(rows: Rows, periods, place_ids) -> pd.DataFrame:
    """The counts per period (``COUNT_COLUMNS``): for each period, each place, each row; built from
    column arrays (a dict per row cost ≈ 2 ms a Plats change)."""
    if not periods:
        return pd.DataFrame([], columns=COUNT_COLUMNS)
    pm = period_months(rows.cube.months, periods)
    sums, missing = rows.period_sums(pm)
    P, R, K = len(place_ids), len(rows.shown), len(periods)
    if not P * R:
        return pd.DataFrame([], columns=COUNT_COLUMNS)
    k = np.repeat(np.arange(K), P * R)  # period, then place, then row

    def each(values, dtype=object) -> np.ndarray:
        out = np.empty(len(values), dtype=dtype)
        out[:] = values
        return out[k]

    per_period = np.empty(P * R, dtype=object)
    per_period[:] = [pid for pid in place_ids for _ in range(R)]
    shown = np.empty(R, dtype=object)
    shown[:] = rows.shown
    columns = {
        "place_id": np.tile(per_period, K), "category": np.tile(shown, P * K),
        "period": each([p.label for p in periods]), "kind": each([p.kind for p in periods]),
        "start": each([np.datetime64(p.start, "ns") for p in periods], "datetime64[ns]"),
        "end": each([np.datetime64(p.end, "ns") for p in periods], "datetime64[ns]"),
        "count": sums.transpose(2, 0, 1).reshape(-1).astype(np.int64),
        "days": pm.days.astype(np.int64)[k], "n_months": pm.n_months.astype(np.int64)[k],
        "months_missing": missing.transpose(2, 0, 1).reshape(-1).astype(np.int64),
        "partial_months": pm.partial.astype(bool)[k],
    }
    return frame(columns, COUNT_COLUMNS)


_TABLE_KEYS: dict = {}  # id(table) -> (weak reference, digest of its contents, its place ids)


def _table_entry(table) -> tuple[bytes, frozenset]:
    """The digest of a population table's contents and the places it names (once per table object)."""
    if table is None:
        return b"", frozenset()
    known = _TABLE_KEYS.get(id(table))
    if known is not None and known[0]() is table:
        return known[1], known[2]
    digest = hashlib.sha1(pd.util.hash_pandas_object(table, index=True).to_numpy().tobytes()
                          + ",".join(map(str, table.columns)).encode()).digest()
    places = frozenset(table["place_id"])
    if len(_TABLE_KEYS) > 256:
        _TABLE_KEYS.clear()
    _TABLE_KEYS[id(table)] = (weakref.ref(table), digest, places)
    return digest, places


def populations(place_ids, periods, table, constants, min_population=MIN_POPULATION) -> list:
    """``(population or None, note)`` of each place × period (:func:`period_population` over the
    period's whole months), kept per population table."""
    key, known = _table_entry(table)
    out = []
    for pid, constant in zip(place_ids, constants, strict=True):
        if pid not in known and (constant is None or pd.isna(constant)):
            out.append([(None, "")] * len(periods))  # no population: period_population's answer
            continue
        keys = [(key, pid, p.start, p.end, constant, min_population) for p in periods]
        with _POPULATIONS_LOCK:  # requests run in threads: read at once, never meeting an eviction
            row = [_POPULATIONS.get(full) for full in keys]
        todo = [i for i, value in enumerate(row) if value is None]
        found = period_populations([periods[i].whole_months for i in todo], table, pid, constant=constant,
                                   min_population=min_population) if todo else []
        with _POPULATIONS_LOCK:
            for i, value in zip(todo, found, strict=True):
                while len(_POPULATIONS) >= POPULATIONS_SIZE:
                    _POPULATIONS.pop(next(iter(_POPULATIONS)))
                _POPULATIONS[keys[i]] = row[i] = value
        out.append(row)
    return out


def _verdicts(ca, cb, da, db, p, alpha, no_months, missing, overlap) -> list[str]:
    """The verdict of each pair given its own p-value (untested pairs say why)."""
    why = [VERDICT_OVERLAP if o else VERDICT_NO_MONTHS if nm else
           VERDICT_MISSING.format(n=months_word(int(m))) if m else ""
           for nm, m, o in zip(no_months, missing, overlap, strict=True)]
    sig = np.nan_to_num(p, nan=1.0) < alpha
    return verdict_texts(p, ca, cb, da, db, sig, np.zeros(len(p), bool), why)


def different_seasons(periods) -> list[bool]:
    """Whether each consecutive pair of periods counts different months of the year (T1 against T2,
    March against April): seasonal crime then changes between them with no change in the level.

    Examples
    --------
    >>> from lagesbild.core.periods import parse_period
    >>> different_seasons([parse_period(p) for p in ["T1 2021", "T2 2021", "T2 2022", "2023"]])
    [True, False, True]
    """
    months = [frozenset(m.month for m in p.whole_months) for p in periods]
    return [len(a) < 12 and len(b) < 12 and a != b or (len(a) < 12) != (len(b) < 12)
            for a, b in zip(months[:-1], months[1:], strict=True)]


def compare_cube_family(cube, place_ids, periods, shown, family, **options) -> tuple[pd.DataFrame, list]:
    """:func:`compare_cube` of the rows ``shown``, and the tests' own p-values of the single categories
    ``family`` (each pair, in order, as :func:`family_p_values`) over the same periods, fitted in the
    same pass: the place's history is read and its fits stacked once, not once per table.

    Examples
    --------
    >>> from lagesbild.core.cube import build_cube
    >>> from lagesbild.core.periods import parse_period
    >>> monthly = pd.DataFrame({"place_id": "a", "category": ["rån", "stöld"],
    ...     "month": pd.to_datetime(["2021-01-01", "2022-01-01"]), "count": [30, 60]})
    >>> cube = build_cube(monthly)
    >>> periods = [parse_period("2021-01"), parse_period("2022-01")]
    >>> table, p = compare_cube_family(cube, ["a"], periods, ["rån"], ["stöld"])
    >>> p == family_p_values(cube, 0, periods, ["stöld"])
    True
    """
    return _compare_cube(cube, place_ids, periods, list(shown), family=list(family), **options)


def compare_cube(cube, place_ids, periods, shown, **options) -> pd.DataFrame:
    """The comparison of consecutive periods (``COMPARE_COLUMNS``, unadjusted p-values) of each
    place (in the order given, then each row of ``shown``, then each pair).

    Parameters
    ----------
    cube : MonthlyCube
    place_ids : list
        The labels of the places (``pos`` their positions in the cube, default the labels' positions).
    periods : list of Period
        Chronological, already cut like for like.
    shown : list of str
        The categories, ``alla`` for the total of ``summed`` (bool [place, cube category]).
    lfl_notes, partial_notes : list or None
        Per place: the like-for-like note (None when not cut) and the note on months left out as
        incomplete ("" when none).
    population_table, constants, min_population : population for the rates (``constants`` per place).
    until : date-like or None
        The last day of complete data.
    cache : dict or None
        Dispersions already fitted (:func:`lagesbild.core.dispersion.estimate_many`).
    """
    return _compare_cube(cube, place_ids, periods, shown, **options)[0]


def _compare_cube(cube, place_ids, periods, shown, *, family=(), summed=None, alpha: float = 0.05, pos=None,
                  lfl_notes=None, partial_notes=None, population_table=None, constants=None,
                  min_population=MIN_POPULATION, until=None, cache=None) -> tuple[pd.DataFrame, list]:
    P = len(place_ids)
    pos = cube.place_index(place_ids) if pos is None else np.asarray(pos)
    both = Pairs(cube, pos, periods, list(shown) + list(family), summed, until, cache)
    family_p = both.p[:, len(shown):].ravel().tolist()
    t = both.head(len(shown)) if family else both
    pm, ca, cb, ma, mb, da, db, p = t.pm, t.ca, t.cb, t.ma, t.mb, t.da, t.db, t.p
    pops = populations(place_ids, periods, population_table,
                       constants if constants is not None else [None] * P, min_population)
    rate, rate_notes = rates(t.counts, t.missing, pm, pops)
    K = len(periods)
    verdicts = _verdicts(ca.ravel(), cb.ravel(), da.ravel(), db.ravel(), p.ravel(), alpha,
                         t.no_months.ravel(), np.where(t.no_months, 0, ma + mb).ravel(), t.overlap.ravel())
    lfl_notes = lfl_notes if lfl_notes is not None else [None] * P
    partial_notes = partial_notes if partial_notes is not None else [""] * P
    n, R = t.p.size, len(shown)
    labels = np.array([q.label for q in periods], dtype=object)
    stamps = np.array([np.datetime64(q.start, "ns") for q in periods] + [np.datetime64(q.end, "ns") for q in periods])
    starts, ends = stamps[:K], stamps[K:]
    rate_a, rate_b = rate[:, :, :-1].ravel(), rate[:, :, 1:].ravel()
    flat = {k: v.ravel() for k, v in (("ca", ca), ("cb", cb), ("ma", ma), ("mb", mb), ("da", da),
                                       ("db", db), ("untested", t.untested), ("p", p))}
    a, b, untested = flat["ca"], flat["cb"], flat["untested"]
    change, pct = length_fair_change(a, b, flat["da"], flat["db"], untested)
    notes = _notes(t, flat, lfl_notes, partial_notes, rate_notes, [q.label for q in periods], pops)
    place_col = np.empty(n, dtype=object)
    place_col[:] = [pid for pid in place_ids for _ in range(R * (K - 1))]
    quasi = np.array([d.method == METHOD_QUASI for d in t.flat_disp], bool)
    columns = {
        "place_id": place_col,
        "category": np.array([c for _ in place_ids for c in shown for _ in range(K - 1)], dtype=object),
        "period_a": np.tile(labels[:-1], P * R), "period_b": np.tile(labels[1:], P * R),
        "start_a": np.tile(starts[:-1], P * R), "end_a": np.tile(ends[:-1], P * R),
        "start_b": np.tile(starts[1:], P * R), "end_b": np.tile(ends[1:], P * R),
        "count_a": _maybe_missing(a, flat["ma"] == t.na.ravel()),
        "count_b": _maybe_missing(b, flat["mb"] == t.nb.ravel()),
        "change": _maybe_missing(change, untested),
        "pct_change": pct, "rate_a": rate_a, "rate_b": rate_b, "p_value": flat["p"],
        "significant": np.nan_to_num(flat["p"], nan=1.0) < alpha,
        "verdict": np.array(verdicts, dtype=object),
        "like_for_like": np.repeat([x is not None for x in lfl_notes], R * (K - 1)).astype(bool),
        "note": np.array(notes, dtype=object),
        "months_missing_a": flat["ma"].astype(np.int64), "months_missing_b": flat["mb"].astype(np.int64),
        "days_a": flat["da"].astype(np.int64), "days_b": flat["db"].astype(np.int64),
        "p_unadjusted": flat["p"].copy(),
        "method": np.array([None if math.isnan(x) else d.method for x, d in zip(flat["p"], t.flat_disp,
                                                                                   strict=True)], dtype=object),
        "dispersion": np.array([d.phi_raw if q else math.nan for d, q in zip(t.flat_disp, quasi, strict=True)],
                               dtype=float),
    }
    if not n:
        table = pd.DataFrame([], columns=COMPARE_COLUMNS)
        for col in ("count_a", "count_b", "change"):
            table[col] = pd.to_numeric(table[col])
        return table, family_p
    return frame(columns, COMPARE_COLUMNS), family_p


def _maybe_missing(values, none) -> np.ndarray:
    """Counts as int64, or float64 with NaN where ``none`` (as ``pd.to_numeric`` of ints and None)."""
    if none.any():
        return np.where(none, math.nan, values.astype(float))
    return values.astype(np.int64)


def _population_note(pop_a, pop_b) -> str:
    """The note when the population of two periods differs: the test is of counts, not of rates
    (a place that grows 20 % with 20 % more crimes has a "säkerställd" rise in crimes at an unchanged
    rate per inhabitant).

    Examples
    --------
    >>> _population_note(10_000, 12_000).startswith("Befolkningen ändrades med +20")
    True
    >>> _population_note(10_000, 10_100), _population_note(None, 12_000)
    ('', '')
    """
    if pop_a is None or pop_b is None or pd.isna(pop_a) or pd.isna(pop_b) or pop_a <= 0:
        return ""
    change = pop_b / pop_a - 1
    if abs(change) <= POPULATION_NOTE_THRESHOLD:
        return ""
    pct = f"{100 * change:+.0f}".replace("-", "−") + "\u00a0%"
    return NOTES["population"].format(pct=pct)


def length_fair_change(a, b, days_a, days_b, untested) -> tuple[np.ndarray, np.ndarray]:
    """The change and the change in percent of counts ``a`` → ``b``: of the counts themselves when the
    periods are equally long (within :data:`LENGTH_NOTE_THRESHOLD`), else of the rate per day, the
    earlier count scaled to the later period's length, as the test compares them. 475 crimes in two
    years and 173 in half a year were "−302, −64 %" beside "ökning, statistiskt säkerställd".

    Examples
    --------
    >>> change, pct = length_fair_change(np.array([475, 40]), np.array([173, 44]), np.array([730, 91]),
    ...                                  np.array([182, 92]), np.array([False, False]))
    >>> change.tolist(), np.round(pct, 1).tolist()
    ([55.0, 4.0], [46.1, 10.0])
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    da, db = np.asarray(days_a, float), np.asarray(days_b, float)
    uneven = (np.abs(da - db) > LENGTH_NOTE_THRESHOLD * np.maximum(da, db)) & (da > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        before = np.where(uneven, a * db / np.where(da > 0, da, 1), a)
        pct = np.where((before != 0) & ~np.asarray(untested, bool), 100.0 * (b - before) / before, math.nan)
    return np.where(uneven, np.round(b - before), b - a), pct


def _notes(t, flat, lfl_notes, partial_notes, rate_notes, labels, pops=None) -> list[str]:
    """Each pair's note: like for like, partial and missing months, the test's notes, the rates', and
    a change of population (:func:`_population_note`; ``pops`` per place and period)."""
    P, R, K1 = t.p.shape
    partial = t.pm.partial
    seasons = different_seasons(t.pm.periods)
    out = []
    j = 0
    ca, ma, mb, da, db, untested = (np.asarray(flat[c]).tolist() for c in ("ca", "ma", "mb", "da", "db", "untested"))
    for i in range(P):
        for r in range(R):
            for k in range(K1):
                a, mia, mib, ea, eb = int(ca[j]), int(ma[j]), int(mb[j]), int(da[j]), int(db[j])
                notes = [lfl_notes[i]] if lfl_notes[i] else []
                for q, m in ((k, mia), (k + 1, mib)):
                    if partial[q]:
                        notes.append(NOTES["partial"].format(label=labels[q]))
                    if m:
                        notes.append(NOTES["missing"].format(n=months_word(m), label=labels[q]))
                if not untested[j]:
                    if seasons[k]:
                        notes.append(NOTES["season"])
                    if t.flat_disp[j].note:
                        notes.append(t.flat_disp[j].note)
                    if abs(ea - eb) > LENGTH_NOTE_THRESHOLD * max(ea, eb):
                        notes.append(NOTES["lengths"].format(a=ea, b=eb))
                notes += merge_notes([rate_notes[i][r][k], rate_notes[i][r][k + 1]])
                if pops is not None and not untested[j]:
                    pop_note = _population_note(pops[i][k][0], pops[i][k + 1][0])
                    if pop_note:
                        notes.append(pop_note)
                if a == 0 and not mia:
                    notes.append(NOTES["pct"])
                note = " ".join(notes)
                out.append(f"{partial_notes[i]} {note}".strip() if partial_notes[i] else note)
                j += 1
    return out


def family_p_values(cube, pos, periods, categories, until=None, cache=None) -> list[float]:
    """The tests' own p-values of single categories (each pair, in order), for a Benjamini–Hochberg
    family that includes categories not shown."""
    if not categories:
        return []
    return Pairs(cube, [pos], periods, list(categories), None, until, cache).p.ravel().tolist()
