"""Activity effects as one family of tests: Benjamini–Hochberg over a table of effects.

A table of effects (a place's activities, or one activity's places, each with
every category) is one family of tests, judged with the Benjamini–Hochberg false discovery rate as the
rest of the tool (:mod:`lagesbild.core.fdr`); see :func:`adjust_effects`. Each kind of test is adjusted
within its own family: the before/after p-values (``p_value`` → ``q_value``), the relative tests'
(``relative_p`` → ``relative_q``) and the WDD's (``wdd_p`` → ``wdd_q``). They answer different questions
about the same rows and are shown side by side, not pooled into one verdict, so each column of verdicts
keeps its own false discovery rate at α. The family is every single category of every activity × place
in the table, also categories not shown (they are computed and adjusted, then left out), so a row's
q-value is the same whichever categories the user picked; a total row (``alla``, the sum of the
categories asked for) is adjusted together with them, as in :mod:`lagesbild.core.place_family`.
``significant``, ``relative_significant``, ``wdd_significant`` and the verdicts depend on q < α; the raw
p-values stay in their columns.

Examples
--------
>>> round(float(adjust_effects(pd.DataFrame({"category": ["a", "b"], "count_before": [10, 10],
...     "count_after": [30, 12], "p_value": [0.01, 0.6], "relative_p": np.nan, "relative_ratio": np.nan,
...     "relative_verdict": None, "wdd": np.nan, "wdd_p": np.nan, "wdd_verdict": None,
...     "verdict": ""}), 0.05)["q_value"].iloc[0]), 3)
0.02
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from lagesbild.core.fdr import FDR_METHOD, bh_adjust, interval_level
from lagesbild.core.place_family import ALL
from lagesbild.core.poisson import verdict
from lagesbild.core.relative import RELATIVE_VERDICTS, relative_interval, wdd_verdict

ALL_CATEGORIES = ALL  # the sum over the categories, as in the comparisons
#: each kind of test's raw p-value column -> its Benjamini–Hochberg adjusted one (its own family)
Q_COLUMNS = {"p_value": "q_value", "relative_p": "relative_q", "wdd_p": "wdd_q"}
#: what the family of a table's tests is, by how many activities and places it holds
FAMILY_SCOPE = {"categories": "platsens alla brottskategorier",
                "place": "platsens alla aktiviteter och brottskategorier",
                "activity": "aktivitetens alla platser och brottskategorier",
                "table": "tabellens alla aktiviteter, platser och brottskategorier"}
FAMILY_NOTE = ("Korrigerat för många test ({method}, {pct}) över {scope}{hidden}, varje slags test "
               "för sig: {counts}. p-värdena i tabellen är de korrigerade.")
FAMILY_HIDDEN = ", även kategorier som inte visas"
#: the kinds of test in the family note
FAMILY_KINDS = {"p_value": "före/efter", "relative_p": "mot jämförelseområdet", "wdd_p": "WDD"}


def _family_q(raw: np.ndarray, single: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """BH-adjusted ``raw``: single categories (with the family's ``extra`` tests not shown) as one
    family, a total row adjusted together with them (:func:`lagesbild.core.place_family.adjust_place_family`)."""
    q = np.full(len(raw), np.nan)
    q[single] = bh_adjust(np.concatenate([raw[single], extra]))[:single.sum()]
    if (~single).any():
        with_totals = bh_adjust(np.concatenate([raw[single], extra, raw[~single]]))
        q[~single] = with_totals[len(with_totals) - (~single).sum():]
    return q


def _scope(table: pd.DataFrame) -> str:
    places = table["place_id"].nunique() if "place_id" in table else 1
    acts = table["activity_id"].nunique() if "activity_id" in table else 1
    if places <= 1:
        return FAMILY_SCOPE["place"] if acts > 1 else FAMILY_SCOPE["categories"]
    return FAMILY_SCOPE["activity"] if acts <= 1 else FAMILY_SCOPE["table"]


def _pct(alpha: float) -> str:
    return f"{100 * alpha:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "\u00a0%"


def family_text(fdr: dict, scope: str) -> str:
    """The Swedish note on a table of effects' family: what was adjusted, and how many were tested and
    found significant per kind of test ('' when nothing was tested).

    Examples
    --------
    >>> fdr = {"alpha": 0.05, "hidden": 3, "p_value": {"m": 24, "discoveries": 2},
    ...        "relative_p": {"m": 20, "discoveries": 0}, "wdd_p": {"m": 0, "discoveries": 0}}
    >>> family_text(fdr, FAMILY_SCOPE["place"])  # doctest: +NORMALIZE_WHITESPACE
    'Korrigerat för många test (Benjamini–Hochberg, 5\\xa0%) över platsens alla aktiviteter och
    brottskategorier, även kategorier som inte visas, varje slags test för sig: före/efter 24 test
    (2 säkerställda), mot jämförelseområdet 20 test (ingen säkerställd). p-värdena i tabellen är de
    korrigerade.'
    """
    parts = []
    for col, label in FAMILY_KINDS.items():
        m, r = fdr[col]["m"], fdr[col]["discoveries"]
        if m:
            sure = "ingen säkerställd" if r == 0 else f"{r} säkerställd" + ("a" if r > 1 else "")
            parts.append(f"{label} {m} test ({sure})")
    if not parts:
        return ""
    return FAMILY_NOTE.format(method=FDR_METHOD, pct=_pct(fdr["alpha"]), scope=scope,
                              hidden=FAMILY_HIDDEN if fdr.get("hidden") else "", counts=", ".join(parts))


def adjust_effects(table: pd.DataFrame, alpha: float, *, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Benjamini–Hochberg over a table of effects, each kind of test (:data:`Q_COLUMNS`) its own family.

    Parameters
    ----------
    table : DataFrame
        Rows of :func:`before_after` (or :func:`activity_effects`) with raw ``p_value``,
        ``relative_p`` and ``wdd_p`` (NaN: not tested); an earlier adjustment's q columns are ignored.
    alpha : float
        The false discovery rate of each kind of test.
    extra : DataFrame, optional
        ``category`` and the raw p-value columns of the family's tests not shown (single categories
        left out by the user's choice), adjusted with the table's and then dropped.

    Returns
    -------
    DataFrame
        A copy with ``q_value``, ``relative_q`` and ``wdd_q``; ``significant``,
        ``relative_significant``, ``wdd_significant`` and the three verdicts from q < alpha (rows not
        tested keep theirs); ``attrs['fdr']`` = ``{"alpha", "hidden", "p_value": {"m", "discoveries"},
        "relative_p": {...}, "wdd_p": {...}, "note"}`` (``hidden`` the family's rows not shown, ``m``
        counts the family's tests, shown or not; ``discoveries`` the significant ones shown).

    Examples
    --------
    Four categories with before/after p-values 0.01, 0.04, 0.03 and 0.20 (the last not shown): alone,
    three would read "säkerställd"; as one family only the first does.

    >>> t = pd.DataFrame({"category": ["a", "b", "c"], "count_before": [10, 10, 10],
    ...     "count_after": [30, 20, 22], "p_value": [0.01, 0.04, 0.03], "relative_p": np.nan,
    ...     "relative_ratio": np.nan, "relative_verdict": None, "wdd": np.nan, "wdd_p": np.nan,
    ...     "wdd_verdict": None, "verdict": ""})
    >>> extra = pd.DataFrame({"category": ["d"], "p_value": [0.2], "relative_p": [np.nan],
    ...                       "wdd_p": [np.nan]})
    >>> out = adjust_effects(t, 0.05, extra=extra)
    >>> out["q_value"].round(4).tolist(), out["significant"].tolist()
    ([0.04, 0.0533, 0.0533], [True, False, False])
    >>> out["verdict"].tolist()
    ['ökning, statistiskt säkerställd', 'ingen säkerställd förändring', 'ingen säkerställd förändring']
    """
    out = table.copy()
    extra = extra if extra is not None else pd.DataFrame(columns=["category", *Q_COLUMNS])
    extra = extra[extra["category"] != ALL_CATEGORIES]
    single = (out["category"] != ALL_CATEGORIES).to_numpy()
    fdr: dict = {"alpha": alpha, "hidden": len(extra)}
    flags = {}
    for col, q_col in Q_COLUMNS.items():
        raw = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float)
        more = pd.to_numeric(extra[col], errors="coerce").to_numpy(dtype=float)
        q = _family_q(raw, single, more)
        out[q_col] = q
        tested = np.isfinite(raw)
        flags[col] = (tested, np.nan_to_num(q, nan=1.0) < alpha)
        fdr[col] = {"m": int(tested.sum() + np.isfinite(more).sum()),
                    "discoveries": int((flags[col][1] & tested).sum())}
        if col == "relative_p":
            levels = _family_levels(raw, single, more, alpha)
    tested, sig = flags["p_value"]
    if len(out):
        a, b = out["count_before"].to_numpy(), out["count_after"].to_numpy()
        out["significant"] = pd.array([bool(s) if t else pd.NA for t, s in zip(tested, sig, strict=True)],
                                      dtype="boolean")
        out["verdict"] = [verdict(int(x), int(y), q, alpha) if t else v for t, x, y, q, v in
                          zip(tested, a, b, out["q_value"], out["verdict"], strict=True)]
        tested, sig = flags["relative_p"]
        ratio = pd.to_numeric(out["relative_ratio"], errors="coerce").to_numpy(dtype=float)
        sig = sig & (ratio != 1)
        out["relative_significant"] = pd.array([bool(s) if t else pd.NA for t, s in zip(tested, sig, strict=True)],
                                               dtype="boolean")
        out["relative_verdict"] = [
            RELATIVE_VERDICTS[("up" if r > 1 else "down") if s else "none"] if t else v
            for t, s, r, v in zip(tested, sig, ratio, out["relative_verdict"], strict=True)]
        tested, _ = flags["wdd_p"]
        out["wdd_significant"] = pd.array([bool(s) if t else pd.NA for t, s in zip(tested, flags["wdd_p"][1], strict=True)],
                                          dtype="boolean")
        out["wdd_verdict"] = [wdd_verdict(w, q, alpha) if t else v for t, w, q, v in
                              zip(tested, out["wdd"], out["wdd_q"], out["wdd_verdict"], strict=True)]
    fdr["note"] = family_text(fdr, _scope(out))
    if "relative_ci_low" in out:
        out = relative_intervals(out, levels)
    out.attrs["fdr"] = fdr
    return out


def _family_levels(raw: np.ndarray, single: np.ndarray, extra: np.ndarray, alpha: float) -> np.ndarray:
    """Each row's Benjamini–Yekutieli level ``1 − R·α/m`` (:func:`lagesbild.core.fdr.interval_level`) in
    the family its q-value comes from (:func:`_family_q`): ``m`` the family's tests and ``R`` its BH
    rejections, shown or not (the single categories with ``extra``; a total row with them too)."""
    levels = np.full(len(raw), np.nan)
    family = np.concatenate([raw[single], extra])
    for rows, fam in ((single, family), (~single, np.concatenate([family, raw[~single]]))):
        if rows.any():
            levels[rows] = interval_level(int(np.isfinite(fam).sum()),
                                          int((np.nan_to_num(bh_adjust(fam), nan=1.0) < alpha).sum()), alpha)
    return levels


def relative_intervals(table: pd.DataFrame, level, *, made_at: float = 0.95) -> pd.DataFrame:
    """The relative tests' intervals (``relative_ci_low/high``) at the Benjamini–Yekutieli level of
    their family (``level``: one for every row, or each row's: :func:`_family_levels`), so the interval
    excludes 1 exactly when the adjusted verdict says "säkerställd": BH rejects the p-values below
    ``R·α/m``, and the test's own interval at ``1 − R·α/m`` excludes 1 exactly then. The level is in
    ``relative_ci_level`` (NaN where nothing was tested), as the trends' ``ci_level``.

    With the counts in the table (``count_before/after``, ``comparison_before/after``) every tested row's
    interval is that of the test deciding its verdict
    (:func:`lagesbild.core.relative.relative_interval`, with the row's ``relative_phi`` and
    ``relative_nu``): Fisher's minlike test inverted, or the quasi test's G²/φ against ``F(1, ν)``.
    Until 2026-12 it was the conditional central interval widened by ``√φ`` (rows under 100 crimes) or
    the 95 % interval stretched on the log scale: (68, 44) against (221, 221) had p 0.0448 beside
    0.413–1.007. A table without the counts (not made by :mod:`lagesbild.core.effects`) has each side's
    distance from the ratio on the log scale stretched by ``z(level) / z(made_at)``.

    Examples
    --------
    A 95 % interval 1–4 around 2 at 99 %, without counts: ``k = 2.5758 / 1.9600 = 1.3142``, so
    ``2 · 2^(∓1.3142)``.

    >>> t = pd.DataFrame({"relative_ratio": [2.0], "relative_ci_low": [1.0], "relative_ci_high": [4.0]})
    >>> out = relative_intervals(t, 0.99)
    >>> round(float(out["relative_ci_low"].iloc[0]), 3), round(float(out["relative_ci_high"].iloc[0]), 3)
    (0.804, 4.973)
    >>> float(out["relative_ci_level"].iloc[0])
    0.99

    (68, 44) against (221, 221), Fisher's p 0.0448: the interval excludes 1 at 95 %, not at 99 %.

    >>> t = pd.DataFrame({"relative_ratio": [0.65], "relative_ci_low": [0.4], "relative_ci_high": [1.0],
    ...                   "count_before": [68], "count_after": [44], "comparison_before": [221],
    ...                   "comparison_after": [221], "relative_phi": [1.0], "relative_nu": [math.nan]})
    >>> [round(float(relative_intervals(t, v)["relative_ci_high"].iloc[0]), 3) for v in (0.95, 0.99)]
    [0.996, 1.14]
    """
    out = table.copy()
    ratio, low, high = (pd.to_numeric(out[c], errors="coerce").to_numpy(dtype=float)
                        for c in ("relative_ratio", "relative_ci_low", "relative_ci_high"))
    levels = np.broadcast_to(np.asarray(level, dtype=float), ratio.shape).copy()
    counts = ("count_before", "count_after", "comparison_before", "comparison_after")
    if all(c in out for c in counts):
        low, high = _inverted_at(out, counts, ratio, low, high, levels)
    else:
        k = stats.norm.ppf(0.5 + levels / 2) / stats.norm.ppf(0.5 + made_at / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            b = np.log(ratio)
            low, high = (np.where(low > 0, np.exp(b - k * (b - np.log(low))), low),
                         np.where(np.isfinite(high), np.exp(b + k * (np.log(high) - b)), high))
    out["relative_ci_low"], out["relative_ci_high"] = low, high
    out["relative_ci_level"] = np.where(~np.isnan(ratio), levels, np.nan)
    return out


def _inverted_at(out: pd.DataFrame, counts, ratio, low, high, levels):
    """:func:`lagesbild.core.relative.relative_interval` at each tested row's level from its counts,
    ``φ`` (``relative_phi``, 1 when missing) and ``ν`` (``relative_nu``, ∞ when missing); rows without
    counts keep ``low``/``high``."""
    t0, t1, c0, c1 = (pd.to_numeric(out[c], errors="coerce").to_numpy(dtype=float) for c in counts)
    phi, nu = (pd.to_numeric(out[c], errors="coerce").to_numpy(dtype=float) if c in out
               else np.full(len(out), np.nan) for c in ("relative_phi", "relative_nu"))
    low, high = np.array(low, dtype=float), np.array(high, dtype=float)
    for i in np.flatnonzero(~np.isnan(ratio) & ~np.isnan(levels)):
        if np.isnan([t0[i], t1[i], c0[i], c1[i]]).any():
            continue
        table = np.array([[t1[i], t0[i]], [c1[i], c0[i]]], dtype=np.int64)
        low[i], high[i] = relative_interval(table, float(levels[i]), 1.0 if np.isnan(phi[i]) else float(phi[i]),
                                            math.inf if np.isnan(nu[i]) else float(nu[i]))
    return low, high
