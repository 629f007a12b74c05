"""False discovery rate control for a family of tests shown together, and its Swedish description.

A page that shows many verdicts at once (the overview table of every place × category, a place's
comparison table, a survey page, the hotspot grid) is one *family* of tests. With ``m`` tests of
unchanged rates at level α about ``α·m`` verdicts would read "statistiskt säkerställd" by chance alone.
Within a family the p-values are therefore adjusted with the Benjamini–Hochberg step-up procedure
(Benjamini & Hochberg 1995; :func:`scipy.stats.false_discovery_control`): a test is significant when
its adjusted p-value (its *q-value*) is below α. This keeps the expected share of false discoveries among
the verdicts "säkerställd" at most α (for independent or positively dependent tests), so with ``r``
discoveries at most about ``α·r`` of them are expected to be false alarms.

Tables keep the unadjusted p-value in ``p_unadjusted`` and put the adjusted one in ``p_value``, so the
p-value shown next to a verdict is the one that decided it. Adjusting again (for a larger family made of
several tables) always starts from ``p_unadjusted``.

Examples
--------
>>> bh_adjust([0.01, 0.04, 0.03, 0.20]).round(4).tolist()
[0.04, 0.0533, 0.0533, 0.2]
>>> bh_adjust([0.01, float("nan")]).tolist()
[0.01, nan]
>>> family_note(900, 0, 0.05)
'900 jämförelser visas samtidigt och har korrigerats för många test (Benjamini–Hochberg, 5\\xa0%). \
Ingen förändring är statistiskt säkerställd; utan korrigering hade omkring 45 slumpfynd väntats \
även om ingenting förändrats.'
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

FDR_METHOD = "Benjamini–Hochberg"


def bh_adjust(p) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values; NaN (untested) entries stay NaN and are not counted.

    Parameters
    ----------
    p : array-like of float
        Unadjusted p-values in [0, 1], NaN for tests not done.

    Returns
    -------
    numpy.ndarray
        ``scipy.stats.false_discovery_control(p[~nan], method='bh')`` in place of the finite entries.

    Examples
    --------
    >>> bh_adjust([0.001, 0.5, 0.02]).round(3).tolist()
    [0.003, 0.5, 0.03]
    >>> bh_adjust([]).tolist()
    []
    """
    p = np.asarray(p, dtype=float).ravel()
    out = np.full(p.shape, math.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = _bh(np.clip(p[ok], 0.0, 1.0))
    return out


def _bh(ps: np.ndarray) -> np.ndarray:
    """``scipy.stats.false_discovery_control(ps, method="bh")`` of a 1-D float array in [0, 1]: scipy's
    own steps for NumPy without its array-API input handling, which a benchmark of the Plats view
    showed at ≈ 0.1 ms a call (five to seven calls per change of place); equal values (tested)."""
    m = len(ps)
    if m <= 1:
        return ps
    order = np.argsort(ps, kind="stable")
    ranked = ps[order] * (m / np.arange(1, m + 1, dtype=ps.dtype))
    np.minimum.accumulate(ranked[::-1], out=ranked[::-1])
    out = np.empty_like(ranked)
    out[order] = ranked
    return np.clip(out, 0.0, 1.0)


def _pct(alpha: float) -> str:
    text = f"{100 * alpha:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}\u00a0%"


def _num(x: float) -> str:
    return f"{x:.0f}" if x >= 10 or float(x).is_integer() else f"{x:.1f}".replace(".", ",")


def family_note(m: int, discoveries: int, alpha: float, noun: str = "förändring", hidden: int = 0) -> str:
    """Plain Swedish: how many comparisons a page shows and how many false discoveries to expect.

    Parameters
    ----------
    m : int
        Number of tests in the family (tests not done are not counted).
    discoveries : int
        Number of them significant after the Benjamini–Hochberg adjustment.
    alpha : float
        The false discovery rate (the significance level setting).
    noun : str
        What none of them is when nothing is significant ("förändring", or "skillnad" for
        differences between places).
    hidden : int
        How many of the ``m`` tests the page does not show (a place's categories not shown, adjusted
        with the shown ones so that a category's verdict does not depend on which are shown): the
        note then says how many are shown and that the rest are the place's other categories, instead
        of "visas samtidigt".

    Examples
    --------
    >>> family_note(12, 3, 0.05)
    '12 jämförelser visas samtidigt och har korrigerats för många test (Benjamini–Hochberg, \
5\\xa0%). 3 är statistiskt säkerställda; av dem väntas i genomsnitt högst 0,2 vara slumpfynd.'
    >>> family_note(1, 1, 0.05)
    '1 jämförelse testas; 1 är statistiskt säkerställd (risk för slumpfynd högst 5\\xa0%).'
    >>> family_note(0, 0, 0.05)
    ''
    >>> note = family_note(27, 0, 0.05, hidden=12)
    >>> note.startswith("27 jämförelser har korrigerats för många test"), "15 här, 12 för platsens" in note
    (True, True)
    >>> family_note(4, 0, 0.05, noun="skillnad")[-95:]
    'Ingen skillnad är statistiskt säkerställd; utan korrigering hade omkring 0,2 slumpfynd väntats.'
    """
    if m <= 0:
        return ""
    if m == 1:
        word = "är statistiskt säkerställd" if discoveries else "är inte statistiskt säkerställd"
        return f"1 jämförelse testas; {discoveries} {word} (risk för slumpfynd högst {_pct(alpha)})."
    head = (f"{m} jämförelser visas samtidigt och har korrigerats för många test "
            f"({FDR_METHOD}, {_pct(alpha)}).")
    if 0 < hidden < m:
        # as short as the usual note: on the wall it sits under Plats' table (the why is on Metod)
        head = (f"{m} jämförelser har korrigerats för många test ({FDR_METHOD}, {_pct(alpha)}): "
                f"{m - hidden} här, {hidden} för platsens övriga kategorier.")
    if discoveries == 0:
        tail = " även om ingenting förändrats" if noun == "förändring" else ""
        return (f"{head} Ingen {noun} är statistiskt säkerställd; utan korrigering hade omkring "
                f"{_num(alpha * m)} slumpfynd väntats{tail}.")
    word = "är statistiskt säkerställd" if discoveries == 1 else "är statistiskt säkerställda"
    return (f"{head} {discoveries} {word}; av dem väntas i genomsnitt högst "
            f"{_num(alpha * discoveries)} vara slumpfynd.")


def adjust_table(table: pd.DataFrame, alpha: float, *, verdict=None, verdicts=None, p: str = "p_value",
                 significant: str = "significant") -> pd.DataFrame:
    """Adjust a table's p-values as one family and recompute ``significant`` (and the verdict).

    Parameters
    ----------
    table : DataFrame
        With a p-value column ``p`` (and ``p_unadjusted`` when it was adjusted before).
    alpha : float
        The false discovery rate.
    verdict : callable or None
        ``verdict(row, significant) -> str`` giving the Swedish verdict of a row (a dict); None keeps
        the ``verdict`` column.
    verdicts : callable or None
        ``verdicts(table, significant) -> list[str]``: the same for the whole table at once (the
        copy with ``p_unadjusted`` and the adjusted ``p``; ``significant`` a boolean array); used
        instead of ``verdict`` when given, which spares a dict per row.

    Returns
    -------
    DataFrame
        A copy with ``p_unadjusted`` (the test's own p-value), ``p_value`` the BH-adjusted one,
        ``significant`` = adjusted p < alpha, and ``attrs['fdr']`` = ``{"m", "discoveries", "alpha",
        "note"}``.

    Examples
    --------
    >>> t = pd.DataFrame({"p_value": [0.01, 0.04, 0.03, 0.2, float("nan")]})
    >>> out = adjust_table(t, 0.05)
    >>> out["significant"].tolist(), out.attrs["fdr"]["m"], out.attrs["fdr"]["discoveries"]
    ([True, False, False, False, False], 4, 1)
    """
    out = table.copy()
    raw = out["p_unadjusted"] if "p_unadjusted" in out else out[p]
    raw = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    adjusted = bh_adjust(raw)
    out["p_unadjusted"] = raw
    out[p] = adjusted
    flags = np.nan_to_num(adjusted, nan=1.0) < alpha
    out[significant] = flags
    if verdicts is not None and len(out):
        out["verdict"] = verdicts(out, flags)
    elif verdict is not None and len(out):
        out["verdict"] = [verdict(r, bool(s)) for r, s in
                          zip(out.to_dict("records"), flags, strict=True)]
    m, r = int(np.isfinite(raw).sum()), int(flags.sum())
    out.attrs["fdr"] = {"m": m, "discoveries": r, "alpha": alpha, "note": family_note(m, r, alpha)}
    return out


def fdr_critical_p(p, alpha: float) -> float:
    """The Benjamini–Hochberg critical p-value at level `alpha` (0.0 when nothing is significant).

    It is the largest sorted p-value ``p_(k)`` with ``p_(k) ≤ k·alpha/m``; every p at or below it is
    a discovery.

    Examples
    --------
    >>> fdr_critical_p([0.01, 0.04, 0.03, 0.20], 0.05)
    0.01
    >>> fdr_critical_p([0.01, 0.04, 0.03, 0.20], 0.10)
    0.04
    """
    p = np.sort(np.asarray(p, dtype=float).ravel())
    m = len(p)
    passed = np.flatnonzero(p <= np.arange(1, m + 1) * alpha / m)
    return float(p[passed[-1]]) if len(passed) else 0.0


def interval_level(m: int, discoveries: int, alpha: float) -> float:
    """The confidence level of intervals shown beside ``m`` BH-adjusted verdicts with ``discoveries``
    of them significant at ``alpha``: ``1 − max(R, 1)·α/m``.

    Benjamini & Yekutieli (2005, *JASA* 100:71–81, Definition 1 and Theorem 1): marginal intervals at
    level ``1 − R·α/m`` for the ``R`` parameters that BH selects keep the false coverage-statement rate
    (the expected share of selected intervals that miss the true difference) at most α. Every BH
    rejection has ``p ≤ R·α/m`` and every other ``p > R·α/m``, so an interval at this level excludes 0
    exactly when its (dual) test is called significant, instead of a 95 % interval without 0 beside
    "ingen säkerställd förändring". With no discovery ``R`` is taken as 1 (the Bonferroni level: no
    interval then excludes 0 unless its test's p-value is below α/m). Without tests: ``1 − α``.

    Examples
    --------
    >>> interval_level(20, 0, 0.05), interval_level(20, 4, 0.05), interval_level(0, 0, 0.05)
    (0.9975, 0.99, 0.95)
    """
    if m <= 0:
        return 1 - alpha
    return 1 - max(discoveries, 1) * alpha / m


def level_text(level: float) -> str:
    """A confidence level in Swedish percent, with two significant digits of what it leaves out.

    Examples
    --------
    >>> level_text(0.95), level_text(0.9975), level_text(0.99), level_text(1 - 0.05 / 900)
    ('95\\xa0%', '99,75\\xa0%', '99\\xa0%', '99,9944\\xa0%')
    """
    miss = 100 * (1 - level)
    decimals = max(0, 1 - math.floor(math.log10(miss))) if miss > 0 else 0
    text = f"{100 - miss:.{decimals}f}"
    text = (text.rstrip("0").rstrip(".") if "." in text else text).replace(".", ",")
    return f"{text}\u00a0%"
