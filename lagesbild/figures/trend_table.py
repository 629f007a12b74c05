"""The trend table: the trend over three or more periods per category, formatted for a ``DataTable``,
an HTML table or a Word table (the comparison tables are in :mod:`lagesbild.figures.tables`, which
re-exports :func:`make_trend_table`).

As there, a trend is coloured and gets an arrow only when it is statistically significant; an
interval's upper bound beyond +1 000 % per period is said in words.

Examples
--------
>>> t = pd.DataFrame({"category": ["alla"], "n_periods": [3], "rate_ratio": [1.2], "ci_low": [0.9],
...     "ci_high": [1.6], "p_value": [0.2], "significant": [False],
...     "verdict": ["ingen säkerställd trend"], "note": [""]})
>>> row = make_trend_table(t).iloc[0]
>>> row["Kategori"], row["Perioder"], row["_klass"]
('Alla valda kategorier', '3', 'ingen')
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lagesbild.core.fdr import level_text
from lagesbild.figures import figdict
from lagesbild.figures.format import MISSING, fmt_int, fmt_p, fmt_pct
from lagesbild.figures.verdicts import ARROWS, category_label

#: the largest change per period an interval's upper bound is written as (a share: +1 000 %); three
#: periods of a small count gave "35 746 315 521 609 416 914 763 776,0 %", two lines of digits in a cell
CI_SHOWN_MAX = 10.0


def _upper_bound(change) -> str:
    """An interval's upper bound of a change (a share), beyond :data:`CI_SHOWN_MAX` as "över +1 000 %".

    Examples
    --------
    >>> _upper_bound(0.12), _upper_bound(3.5e26)
    ('12,0\xa0%', 'över +1\xa0000\xa0%')
    """
    if pd.notna(change) and change > CI_SHOWN_MAX:
        return "över " + fmt_pct(CI_SHOWN_MAX, 0, sign=True)
    return fmt_pct(change, 1)


def make_trend_table(trends: pd.DataFrame, *, category_names=None) -> pd.DataFrame:
    """The trend over three or more periods per category, formatted.

    Parameters
    ----------
    trends : DataFrame
        :func:`lagesbild.core.trend_family.trend_table` output (``category, n_periods, rate_ratio, ci_low,
        ci_high, p_value, significant, verdict, note``).

    Examples
    --------
    >>> t = pd.DataFrame({"category": ["rån"], "n_periods": [4], "rate_ratio": [0.837],
    ...     "ci_low": [0.76], "ci_high": [0.92], "p_value": [0.0002], "significant": [True],
    ...     "verdict": ["minskande trend, statistiskt säkerställd"], "note": [""]})
    >>> make_trend_table(t).iloc[0]["Förändring per period"]
    '−16,3\\xa0% (95\\xa0% KI −24,0\\xa0% till −8,0\\xa0%)'
    """
    names = dict(category_names or {})
    cols = ["Kategori", "Perioder", "Förändring per period", "p-värde", "Bedömning", "_klass", "_not",
            "_category"]
    if trends is None or trends.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    used = ("category", "n_periods", "rate_ratio", "ci_low", "ci_high", "p_value", "significant", "verdict",
            "note", "ci_level")
    got = figdict.columns(trends, [c for c in used if c in trends])  # at once, no frame per column
    for r in (dict(zip(got, v, strict=True)) for v in zip(*got.values(), strict=True)):
        rr = r["rate_ratio"]
        level = level_text(r["ci_level"]) if pd.notna(r.get("ci_level", math.nan)) else "95\u00a0%"
        if rr == math.inf and pd.notna(r["ci_low"]):  # every crime in the last period: one-sided
            change = f"från inga brott ({level} KI minst {fmt_pct(r['ci_low'] - 1, 1, sign=True)})"
        elif pd.isna(rr) or not np.isfinite(rr):
            change = MISSING
        else:
            change = (f"{fmt_pct(rr - 1, 1, sign=True)} ({level} KI {fmt_pct(r['ci_low'] - 1, 1)} till "
                      f"{_upper_bound(r['ci_high'] - 1)})")
        verdict = str(r["verdict"])
        klass = "okning" if r["significant"] and verdict.startswith("ökande") else (
            "minskning" if r["significant"] and verdict.startswith("minskande") else "ingen")
        rows.append({"Kategori": category_label(names, r["category"]), "Perioder": fmt_int(r["n_periods"]),
                     "Förändring per period": change, "p-värde": fmt_p(r["p_value"]),
                     "Bedömning": ARROWS[klass] + verdict, "_klass": klass, "_not": r.get("note") or "",
                     "_category": r["category"]})
    return pd.DataFrame(rows, columns=cols)
