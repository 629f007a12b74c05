"""A place's comparisons as one family of tests, and the verdict of a row given its adjusted p-value.

Every single category of a place (shown or not) is one Benjamini–Hochberg family, so a category's
adjusted p-value is the same whichever categories a page, the pack or the command line shows; a total
row (``alla``) is adjusted together with them. See :mod:`lagesbild.core.fdr`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lagesbild.core.fdr import bh_adjust, family_note
from lagesbild.core.poisson import VERDICTS, pair_exposures

ALL = "alla"  # the category label of the total over the categories asked for
EXACT_SUFFIX = " (exakt Poissontest: för kort historik)"
METHOD_EXACT = "exakt Poisson"


def adjust_place_family(out: pd.DataFrame, extra_p, alpha: float) -> pd.DataFrame:
    """Benjamini–Hochberg over a place's comparisons: every single category (shown or not, ``extra_p``
    holds those not shown) is one family, so a category's adjusted p-value is the same whichever
    categories a page shows; a total row (``alla``) is adjusted together with them.

    Examples
    --------
    >>> t = pd.DataFrame({"category": ["a", "alla"], "p_value": [0.01, 0.02], "verdict": ["", ""]})
    >>> adjust_place_family(t, [0.5, 0.8], 0.05)["p_value"].round(4).tolist()
    [0.03, 0.04]
    """
    single = (out["category"] != ALL).to_numpy()
    raw = _floats(out["p_value"], errors="coerce")
    extra = np.asarray(extra_p, dtype=float)
    adjusted = np.full(len(out), np.nan)
    adjusted[single] = bh_adjust(np.concatenate([raw[single], extra]))[:single.sum()]
    with_totals = bh_adjust(np.concatenate([raw[single], extra, raw[~single]]))
    adjusted[~single] = with_totals[len(with_totals) - (~single).sum():]
    flags = np.nan_to_num(adjusted, nan=1.0) < alpha
    # the verdicts read from ``out`` (its counts, days, methods and verdicts are the table's): a
    # column read from the copy after a column was set costs pandas a block split and a new Series
    verdicts = _verdicts(out, raw, flags, alpha) if len(out) and "count_a" in out else None
    # out.assign(p_unadjusted=raw, p_value=adjusted) is this copy and these two columns set, by way
    # of more of pandas' machinery (≈ 0.1 ms a place change)
    table = out.copy()
    table["p_unadjusted"] = raw
    table["p_value"] = adjusted
    table["significant"] = flags
    if verdicts is not None:
        table["verdict"] = verdicts
    m = int(np.isfinite(raw).sum() + np.isfinite(extra).sum())
    shown = int(flags.sum())
    table.attrs["fdr"] = {"m": m, "discoveries": shown, "alpha": alpha,
                          "note": family_note(m, shown, alpha, hidden=int(np.isfinite(extra).sum()))}
    return table


def row_verdicts(table: pd.DataFrame, significant, alpha: float) -> list[str]:
    """:func:`row_verdict` of every row of a comparison table given each row's significance.

    Examples
    --------
    >>> t = pd.DataFrame({"p_unadjusted": [0.01, float("nan")], "count_a": [10, None], "count_b": [30, 4],
    ...                   "days_a": 31, "days_b": 31, "method": ["exakt Poisson", None],
    ...                   "verdict": ["", "kan inte bedömas"]})
    >>> row_verdicts(t, [True, False], 0.05)
    ['ökning, statistiskt säkerställd (exakt Poissontest: för kort historik)', 'kan inte bedömas']
    """
    return _verdicts(table, _floats(table["p_unadjusted"], errors="coerce"), significant, alpha)


def _verdicts(table: pd.DataFrame, p: np.ndarray, significant, alpha: float) -> list[str]:
    """:func:`row_verdicts` with the rows' unadjusted p-values ``p`` given."""
    if not 0 < alpha < 1:
        raise ValueError(f"Signifikansnivån måste ligga mellan 0 och 1, inte {alpha!r}.")
    a, b = (_floats(table[c]) for c in ("count_a", "count_b"))
    ea, eb = (_floats(table[c]) for c in ("days_a", "days_b"))
    exact = (table["method"] == METHOD_EXACT).to_numpy() if "method" in table else np.zeros(len(p), bool)
    return verdict_texts(p, a, b, ea, eb, significant, exact, table["verdict"])


def _floats(column: pd.Series, errors: str = "raise") -> np.ndarray:
    """``pd.to_numeric(column, errors=errors).to_numpy(dtype=float)``: a column of NumPy numbers or
    booleans is already numeric (to_numeric returns it as it is), and its values are read directly."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "biuf":
        return column.to_numpy(dtype=float)
    return pd.to_numeric(column, errors=errors).to_numpy(dtype=float)


def verdict_texts(p, a, b, ea, eb, significant, exact, verdicts) -> list[str]:
    """The verdicts of arrays of pairs: counts ``a``, ``b`` over exposures ``ea``, ``eb``, their
    significance and whether the exact test was used (a note says so); ``verdicts`` are kept where
    ``p`` is NaN (not tested).

    Examples
    --------
    >>> verdict_texts([0.01], [10], [30], [31], [31], [True], [False], [""])
    ['ökning, statistiskt säkerställd']
    """
    p, a, b, ea, eb = (np.asarray(x, dtype=float) for x in (p, a, b, ea, eb))
    ea, eb = pair_exposures(ea, eb)  # equally long periods: the direction of the counts, as tested
    tested = ~np.isnan(p)
    with np.errstate(invalid="ignore", divide="ignore"):
        up, down = b / eb > a / ea, b / eb < a / ea
    sig = np.asarray(significant, bool)
    out = []
    for keep, s, u, d, x, old in zip(~tested, sig, up, down, exact, verdicts, strict=True):
        if keep:
            out.append(old)
            continue
        text = VERDICTS["up"] if s and u else VERDICTS["down"] if s and d else VERDICTS["none"]
        out.append(text + (EXACT_SUFFIX if x else ""))
    return out


def row_verdict(r: dict, significant: bool, alpha: float) -> str:
    """The verdict of a comparison row given its (adjusted) significance; untested rows keep theirs.

    Examples
    --------
    >>> row_verdict({"p_unadjusted": 0.01, "count_a": 10, "count_b": 30, "days_a": 31, "days_b": 31,
    ...              "method": "kvasi-Poisson", "verdict": ""}, True, 0.05)
    'ökning, statistiskt säkerställd'
    """
    p = r.get("p_unadjusted")
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return r["verdict"]
    if not 0 < alpha < 1:
        raise ValueError(f"Signifikansnivån måste ligga mellan 0 och 1, inte {alpha!r}.")
    values = [np.array([float(v)]) for v in (p, int(r["count_a"]), int(r["count_b"]), r["days_a"], r["days_b"])]
    return verdict_texts(*values, [significant], [r.get("method") == METHOD_EXACT], [r["verdict"]])[0]
