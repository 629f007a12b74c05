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

import numpy as np
import pandas as pd

from lagesbild.core.dispersion import METHOD_QUASI
from lagesbild.core.period_pairs import Rows, pair_p_values, period_months, rates
from lagesbild.core.poisson import VERDICTS
from lagesbild.core.population import MIN_POPULATION, period_population

LENGTH_NOTE_THRESHOLD = 0.02  # relative difference in days above which unequal lengths get a note
NOTES = {
    "pct": "Procentuell förändring kan inte beräknas när föregående period har 0.",
    "lengths": "Perioderna är olika långa ({a} och {b} dagar); testet tar hänsyn till längden.",
    "partial": "{label} täcker inte hela kalendermånader; bara hela månader räknas.",
    "missing": "Data saknas för {n} i {label}; antalet avser månaderna med data.",
}
VERDICT_MISSING = "kan inte bedömas: data saknas för {n}"
VERDICT_NO_MONTHS = "kan inte bedömas: perioden omfattar ingen hel kalendermånad"
COUNT_COLUMNS = ["place_id", "category", "period", "kind", "start", "end", "count", "days", "n_months",
                 "months_missing", "partial_months"]
COMPARE_COLUMNS = ["place_id", "category", "period_a", "period_b", "start_a", "end_a", "start_b", "end_b",
                   "count_a", "count_b", "change", "pct_change", "rate_a", "rate_b", "p_value",
                   "significant", "verdict", "like_for_like", "note", "months_missing_a",
                   "months_missing_b", "days_a", "days_b", "p_unadjusted", "method", "dispersion"]
#: period_population results per population table (keyed by the table's contents), place and period
_POPULATIONS: dict = {}
POPULATIONS_SIZE = 50_000


def months_word(n: int) -> str:
    """``1 månad``, ``2 månader``."""
    return f"{n} månad" if n == 1 else f"{n} månader"


def count_frame(rows: Rows, periods, place_ids) -> pd.DataFrame:
    """The counts per period (``COUNT_COLUMNS``): for each period, each place, each row."""
    if not periods:
        return pd.DataFrame([], columns=COUNT_COLUMNS)
    pm = period_months(rows.cube.months, periods)
    sums, missing = rows.period_sums(pm)
    out = []
    for k, p in enumerate(periods):
        meta = {"period": p.label, "kind": p.kind, "start": pd.Timestamp(p.start), "end": pd.Timestamp(p.end),
                "days": int(pm.days[k]), "n_months": int(pm.n_months[k]), "partial_months": bool(pm.partial[k])}
        out += [{"place_id": pid, **meta, "category": c, "months_missing": int(missing[i, r, k]),
                 "count": int(sums[i, r, k])}
                for i, pid in enumerate(place_ids) for r, c in enumerate(rows.shown)]
    return pd.DataFrame(out, columns=COUNT_COLUMNS)


def _table_key(table) -> bytes:
    if table is None:
        return b""
    return hashlib.sha1(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes()).digest()


def populations(place_ids, periods, table, constants, min_population=MIN_POPULATION) -> list:
    """``(population or None, note)`` of each place × period (:func:`period_population` over the
    period's whole months), kept per population table."""
    key = _table_key(table)
    out = []
    for pid, constant in zip(place_ids, constants, strict=True):
        row = []
        for p in periods:
            full = (key, pid, p.start, p.end, constant, min_population)
            if full not in _POPULATIONS:
                while len(_POPULATIONS) >= POPULATIONS_SIZE:
                    _POPULATIONS.pop(next(iter(_POPULATIONS)))
                _POPULATIONS[full] = period_population(p.whole_months, table, pid, constant=constant,
                                                       min_population=min_population)
            row.append(_POPULATIONS[full])
        out.append(row)
    return out


def _verdicts(ca, cb, da, db, p, alpha, no_months, missing) -> list[str]:
    """The verdict of each pair given its own p-value (untested pairs say why)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        up, down = cb / db > ca / da, cb / db < ca / da
    sig = np.nan_to_num(p, nan=1.0) < alpha
    return [VERDICT_NO_MONTHS if nm else VERDICT_MISSING.format(n=months_word(int(m))) if m
            else VERDICTS["up"] if s and u else VERDICTS["down"] if s and d else VERDICTS["none"]
            for nm, m, s, u, d in zip(no_months, missing, sig, up, down, strict=True)]


def compare_cube(cube, place_ids, periods, shown, *, summed=None, alpha: float = 0.05, pos=None,
                 lfl_notes=None, partial_notes=None, population_table=None, constants=None,
                 min_population=MIN_POPULATION, until=None, keep: bool = True) -> pd.DataFrame:
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
    """
    P = len(place_ids)
    pos = cube.place_index(place_ids) if pos is None else np.asarray(pos)
    rows = Rows(cube, pos, shown, summed, until)
    pm = period_months(cube.months, periods)
    counts, missing = rows.period_sums(pm)
    disp = rows.dispersions(keep=keep)
    pops = populations(place_ids, periods, population_table,
                       constants if constants is not None else [None] * P, min_population)
    rate, rate_notes = rates(counts, missing, pm, pops)
    R, K = len(shown), len(periods)
    shape = (P, R, K - 1)
    ca, cb = counts[:, :, :-1], counts[:, :, 1:]
    ma, mb = missing[:, :, :-1], missing[:, :, 1:]
    da, db = (np.broadcast_to(d[None, None, :], shape) for d in (pm.days[:-1], pm.days[1:]))
    na, nb = (np.broadcast_to(n[None, None, :], shape) for n in (pm.n_months[:-1], pm.n_months[1:]))
    no_months = (da == 0) | (db == 0)
    untested = no_months | ((ma + mb) > 0)
    flat_disp = [disp[i][r] for i in range(P) for r in range(R) for _ in range(K - 1)]
    p = np.full(shape, np.nan)
    tested = np.flatnonzero(~untested.ravel())
    if len(tested):
        p.ravel()[tested] = pair_p_values(ca.ravel()[tested], cb.ravel()[tested], da.ravel()[tested],
                                          db.ravel()[tested], [flat_disp[j] for j in tested])
    verdicts = _verdicts(ca.ravel(), cb.ravel(), da.ravel(), db.ravel(), p.ravel(), alpha,
                         no_months.ravel(), np.where(no_months, 0, ma + mb).ravel())
    lfl_notes = lfl_notes if lfl_notes is not None else [None] * P
    partial_notes = partial_notes if partial_notes is not None else [""] * P
    labels = [q.label for q in periods]
    starts, ends = [pd.Timestamp(q.start) for q in periods], [pd.Timestamp(q.end) for q in periods]
    out = {c: [] for c in COMPARE_COLUMNS}
    j = 0
    for i, pid in enumerate(place_ids):
        for r, cat in enumerate(shown):
            for k in range(K - 1):
                a, b = int(ca[i, r, k]), int(cb[i, r, k])
                mia, mib, ea, eb = int(ma[i, r, k]), int(mb[i, r, k]), int(da[i, r, k]), int(db[i, r, k])
                d, pv, untested_k = flat_disp[j], float(p[i, r, k]), bool(untested[i, r, k])
                notes = [lfl_notes[i]] if lfl_notes[i] else []
                for q, m in ((k, mia), (k + 1, mib)):
                    if pm.partial[q]:
                        notes.append(NOTES["partial"].format(label=labels[q]))
                    if m:
                        notes.append(NOTES["missing"].format(n=months_word(m), label=labels[q]))
                if not untested_k:
                    if d.note:
                        notes.append(d.note)
                    if abs(ea - eb) > LENGTH_NOTE_THRESHOLD * max(ea, eb):
                        notes.append(NOTES["lengths"].format(a=ea, b=eb))
                notes += list(dict.fromkeys(n for n in (rate_notes[i][r][k], rate_notes[i][r][k + 1]) if n))
                if a == 0 and not mia:
                    notes.append(NOTES["pct"])
                note = " ".join(notes)
                if partial_notes[i]:
                    note = f"{partial_notes[i]} {note}".strip()
                values = (pid, cat, labels[k], labels[k + 1], starts[k], ends[k], starts[k + 1], ends[k + 1],
                          None if mia == na[i, r, k] else a, None if mib == nb[i, r, k] else b,
                          None if untested_k else b - a,
                          100.0 * (b - a) / a if a and not untested_k else math.nan,
                          float(rate[i, r, k]), float(rate[i, r, k + 1]), pv, bool(pv < alpha), verdicts[j],
                          lfl_notes[i] is not None, note, mia, mib, ea, eb, pv,
                          None if math.isnan(pv) else d.method,
                          d.phi_raw if d.method == METHOD_QUASI else math.nan)
                for c, v in zip(COMPARE_COLUMNS, values, strict=True):
                    out[c].append(v)
                j += 1
    table = pd.DataFrame(out, columns=COMPARE_COLUMNS) if j else pd.DataFrame([], columns=COMPARE_COLUMNS)
    for col in ("count_a", "count_b", "change"):  # NaN (not 0) where a period has no data
        table[col] = pd.to_numeric(table[col])
    return table


def family_p_values(cube, pos, periods, categories, until=None) -> list[float]:
    """The tests' own p-values of single categories (each pair, in order), for a Benjamini–Hochberg
    family that includes categories not shown."""
    if not categories:
        return []
    table = compare_cube(cube, ["_"], periods, list(categories), pos=[pos], until=until)
    return table["p_value"].tolist()
