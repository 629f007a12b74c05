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
from lagesbild.core.poisson import verdict as poisson_verdict

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
    raw = pd.to_numeric(out["p_value"], errors="coerce").to_numpy(dtype=float)
    extra = np.asarray(extra_p, dtype=float)
    adjusted = np.full(len(out), np.nan)
    adjusted[single] = bh_adjust(np.concatenate([raw[single], extra]))[:single.sum()]
    with_totals = bh_adjust(np.concatenate([raw[single], extra, raw[~single]]))
    adjusted[~single] = with_totals[len(with_totals) - (~single).sum():]
    table = out.assign(p_unadjusted=raw, p_value=adjusted)
    flags = np.nan_to_num(adjusted, nan=1.0) < alpha
    table["significant"] = flags
    if len(table):
        table["verdict"] = [row_verdict(r, bool(f), alpha) if "count_a" in r else r["verdict"]
                            for r, f in zip(table.to_dict("records"), flags, strict=True)]
    m = int(np.isfinite(raw).sum() + np.isfinite(extra).sum())
    shown = int(flags.sum())
    table.attrs["fdr"] = {"m": m, "discoveries": shown, "alpha": alpha,
                          "note": family_note(m, shown, alpha)}
    return table


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
    text = poisson_verdict(int(r["count_a"]), int(r["count_b"]), 0.0 if significant else 1.0, alpha,
                           exposure_a=r["days_a"], exposure_b=r["days_b"])
    return text + (EXACT_SUFFIX if r.get("method") == METHOD_EXACT else "")
