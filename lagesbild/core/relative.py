"""Relative effects of an activity: the place's change against a comparison area's, and caveats.

**The primary test** compares ratios, not absolute changes. With ``T₀, T₁`` the place's counts before
and after and ``C₀, C₁`` the comparison area's, the question is whether ``T₁/T₀`` differs from
``C₁/C₀``: the ratio of ratios ``(T₁/T₀)/(C₁/C₀)`` is 1 when both changed by the same factor. For
Poisson counts, conditional on the margins of the 2 × 2 table ``[[T₀, T₁], [C₀, C₁]]`` the count ``T₁``
is hypergeometric when the ratios are equal, so the exact conditional test is Fisher's exact test of
that table (:func:`scipy.stats.fisher_exact` of ``[[T₁, T₀], [C₁, C₀]]``); the estimate is the
conditional maximum likelihood odds ratio (as :func:`scipy.stats.contingency.odds_ratio`, computed by
:func:`lagesbild.core.oddsratio.conditional_odds_ratio`), its interval the odds ratios the test deciding
the verdict does not reject (:func:`relative_interval`), so it excludes 1 exactly when p < alpha.
When the place and the rest of the district both rise by 10 %, the ratio is 1 and the verdict "ingen
säkerställd skillnad". Fisher's test assumes Poisson variation; when the areas' monthly counts vary
``φ > 1`` times more (each area's own dispersion from its monthly history, combined by
:func:`combined_dispersion`), the likelihood-ratio statistic of the table is divided by ``φ`` against ``F(1, ν)``
(Rao–Scott, :func:`lagesbild.core.dispersion.quasi_share_p`) and the interval is the odds ratios whose
likelihood-ratio statistic over ``φ`` that test does not reject; the WDD's variance is multiplied by
``φ`` likewise.

**The WDD** (weighted displacement difference, Wheeler & Ratcliffe 2018) compares absolute changes. It
is shown only as the paper defines it: with a displacement buffer around the place and a control area
whose baseline is comparable to the place's (here: between half and twice the place's count before);
otherwise it is left out and a note says why.

**Caveats.** Regression to the mean: an activity started because crime was at a peak would likely see a
fall anyway. A warning is given when the highest three-month total of the (up to) 24 months before the
start ends in one of the last three months before it (an activity often starts a month or two after a
surge) and is 20 % above their average. On series without any change and a start month drawn at random
that is about one in six (one in fifteen with the last three months alone). Seasonality: windows shorter than 12
months compare different seasons.

Examples
--------
>>> r = relative_test((100, 110), (1000, 1100))
>>> round(r["relative_ratio"], 3), r["relative_p"], r["relative_verdict"]
(1.0, 1.0, 'ingen säkerställd skillnad mot jämförelseområdet')
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import norm

from lagesbild.core.dispersion import SMALL_EXPECTED, quasi_share_p
from lagesbild.core.oddsratio import conditional_odds_ratio, minlike_interval, profile_interval
from lagesbild.core.poisson import SMALLEST_P
from lagesbild.core.trend_profile import critical

RELATIVE_VERDICTS = {
    "down": "minskning jämfört med jämförelseområdet, statistiskt säkerställd",
    "up": "ökning jämfört med jämförelseområdet, statistiskt säkerställd",
    "none": "ingen säkerställd skillnad mot jämförelseområdet",
}
NO_CONTROL_CRIMES = "kan inte bedömas: jämförelseområdet hade inga brott före eller efter start"
PEAK_FACTOR = 1.2  # the last three months must also exceed the period's average by 20 %
COMPARABLE = (0.5, 2.0)  # control baseline within this factor of the treated baseline for the WDD
NOTE_WDD_NO_BUFFER = ("WDD visas inte: den kräver ett förskjutningsområde (buffert) runt platsen "
                      "(Wheeler & Ratcliffe 2018).")
NOTE_WDD_NOT_COMPARABLE = ("WDD visas inte: jämförelseområdet hade {c} brott före start mot platsens "
                           "{t}; WDD kräver ett jämförelseområde med jämförbar nivå (halva till dubbla).")
WARN_RTM = ("Regression mot medelvärdet: de tre månaderna före start var de högsta under de senaste "
            "{n} månaderna; en nedgång efteråt kan komma av sig själv.")
WARN_RTM_LATE = ("Regression mot medelvärdet: de tre månader i rad som hade flest brott under de senaste "
                 "{n} månaderna slutade {k} före start och ingår i perioden före; en nedgång efteråt kan "
                 "komma av sig själv.")
RTM_RECENT = 3  # the peak's last month is one of the last three months before the start
WARN_SEASON = ("Säsong: fönstren är {k} månader, kortare än ett år, så de jämför olika årstider.")
WDD_VERDICTS = {
    "down": "minskning jämfört med jämförelseområdet, statistiskt säkerställd",
    "up": "ökning jämfört med jämförelseområdet, statistiskt säkerställd",
    "none": "ingen säkerställd skillnad mot jämförelseområdet",
}
RELATIVE_COLUMNS = ["relative_ratio", "relative_ci_low", "relative_ci_high", "relative_p",
                    "relative_significant", "relative_verdict", "relative_phi", "relative_nu"]


def relative_test(treated, control, alpha: float = 0.05, dispersion=None, *, estimate: bool = True) -> dict:
    """Test of equal after/before ratios in the place and the comparison area: exact conditional
    (Fisher), or with ``dispersion = (φ, ν)`` and ``φ > 1`` the quasi test of the same table.

    Parameters
    ----------
    treated, control : (before, after)
        Counts in windows of equal length.
    alpha : float
        Significance level.
    dispersion : (float, float), optional
        ``φ`` and its degrees of freedom ``ν``; None or ``φ ≤ 1``: Fisher's exact test.
    estimate : bool, default True
        False: the p-value only (``relative_ratio`` and its interval NaN, not significant), without
        the conditional estimate's costly interval — for tests that only enter a family's adjustment.

    Returns
    -------
    dict
        ``relative_ratio`` (conditional ML estimate of ``(T₁/T₀)/(C₁/C₀)``; < 1 = the place fell
        relative to the comparison), ``relative_ci_low``/``relative_ci_high`` (at ``1 − alpha``: the
        inversion of the test giving ``relative_p``, :func:`relative_interval`), ``relative_p`` (two-sided), ``relative_significant``,
        ``relative_verdict``, ``relative_phi`` (``φ``, at least 1) and ``relative_nu`` (its degrees of
        freedom; NaN for Fisher's test), so the interval can be made again at another level.

    Examples
    --------
    >>> r = relative_test((207, 110), (308, 318))
    >>> round(r["relative_ratio"], 2), r["relative_p"] < 0.001, r["relative_verdict"]
    (0.52, True, 'minskning jämfört med jämförelseområdet, statistiskt säkerställd')
    """
    (t0, t1), (c0, c1) = treated, control
    table = np.array([[t1, t0], [c1, c0]], dtype=np.int64)  # odds ratio = (T₁/T₀)/(C₁/C₀)
    if c0 + c1 == 0:  # nothing to compare with: not "no difference" (it said so, p = 1)
        return {"relative_ratio": math.nan, "relative_ci_low": math.nan, "relative_ci_high": math.nan,
                "relative_p": math.nan, "relative_significant": pd.NA,
                "relative_verdict": NO_CONTROL_CRIMES, "relative_phi": math.nan,
                "relative_nu": math.nan}
    if (table.sum(axis=1) == 0).any() or (table.sum(axis=0) == 0).any():
        return {"relative_ratio": math.nan, "relative_ci_low": math.nan, "relative_ci_high": math.nan,
                "relative_p": 1.0, "relative_significant": False,
                "relative_verdict": RELATIVE_VERDICTS["none"], "relative_phi": math.nan,
                "relative_nu": math.nan}
    phi, nu = dispersion if dispersion is not None else (1.0, math.inf)
    if estimate:  # scipy's conditional estimate (core/oddsratio.py); the interval of the test below
        ratio = conditional_odds_ratio(table, 0.95)[0]
        low, high = relative_interval(table, 1 - alpha, phi, nu)
    else:
        ratio = low = high = math.nan
    if phi <= 1:
        p = float(stats.fisher_exact(table).pvalue)
    else:
        p = float(quasi_share_p([t0], [c0], [t1], [c1], [phi], [nu])[0])
    significant = p < alpha and ratio != 1 and not math.isnan(ratio)
    key = ("up" if ratio > 1 else "down") if significant else "none"
    return {"relative_ratio": ratio, "relative_ci_low": low, "relative_ci_high": high,
            "relative_p": min(1.0, p), "relative_significant": bool(significant),
            "relative_verdict": RELATIVE_VERDICTS[key], "relative_phi": max(1.0, phi),
            "relative_nu": float(nu) if phi > 1 else math.nan}


def relative_interval(table, level: float, phi: float = 1.0, nu: float = math.inf) -> tuple[float, float]:
    """The interval of the ratio of ratios that inverts the test deciding :func:`relative_test`'s
    verdict, so it excludes 1 exactly when that test's p-value is below ``1 − level``.

    ``φ ≤ 1``: the odds ratios Fisher's exact test (minlike two-sided p-value, as
    :func:`scipy.stats.fisher_exact`) does not reject, conditional on the margins; that set need not
    be an interval, and its outermost ends are given (Blaker's construction, its convex hull:
    :func:`lagesbild.core.oddsratio.minlike_interval`). ``φ > 1``: the odds ratios whose table
    likelihood-ratio statistic over ``φ`` stays under the ``F(1, ν)`` quantile
    (:func:`lagesbild.core.oddsratio.profile_interval`); where a cell is expected to hold fewer than
    :data:`lagesbild.core.dispersion.SMALL_EXPECTED` crimes the quasi test's p-value is never below
    Fisher's, so the interval is the hull of both. Until 2026-12 the interval was the conditional
    central (Cornfield) one, widened by ``√φ``: (68, 44) against (221, 221) had p 0.0448 beside
    0.413–1.007 (35 of 3 000 random tables disagreed; 31 of 3 000 in the quasi branch).

    Examples
    --------
    >>> [round(v, 3) for v in relative_interval([[44, 68], [221, 221]], 0.95)]  # p = 0.0448
    [0.419, 0.996]
    """
    table = np.asarray(table, dtype=np.int64)
    if phi <= 1:
        return minlike_interval(table, level)
    low, high = profile_interval(table, phi * critical(level, nu))
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    if np.outer(rows, cols).min() / table.sum() < SMALL_EXPECTED:  # only then the (costly) Fisher hull
        fisher = minlike_interval(table, level)
        low, high = min(low, fisher[0]), max(high, fisher[1])
    return low, high


def combined_dispersion(treated, control, treated_disp, control_disp) -> tuple[float, float]:
    """``(φ, ν)`` of the ratio of ratios ``(T₁/T₀)/(C₁/C₀)`` from each area's own ``(φ, ν)``.

    The log ratio of ratios has the Poisson variance ``v_T + v_C`` with ``v_T = 1/T₀ + 1/T₁`` and
    ``v_C = 1/C₀ + 1/C₁``; when the areas vary ``φ_T`` and ``φ_C`` times more than Poisson it is
    ``φ_T·v_T + φ_C·v_C``. Their ratio is the table's design effect
    ``φ = (φ_T·v_T + φ_C·v_C) / (v_T + v_C)`` (Rao–Scott: the likelihood-ratio statistic divided by
    it is again chi-square), and ``ν`` its Welch–Satterthwaite degrees of freedom
    ``(φ_T v_T + φ_C v_C)² / ((φ_T v_T)²/ν_T + (φ_C v_C)²/ν_C)``. Equal dispersions give that
    dispersion. A count of 0 counts as ½ (its variance has no finite value).

    Examples
    --------
    A place of about 450 crimes a year (Poisson) against a comparison area of 24 000 that varies 100
    times more than Poisson: the comparison area's share of the variance is small, not 100 times.

    >>> phi, nu = combined_dispersion((454, 645), (24099, 31277), (1.0, 68.0), (100.0, 40.0))
    >>> round(phi, 2), round(nu, 1)
    (2.9, 79.2)
    >>> [round(v, 1) for v in combined_dispersion((10, 20), (30, 40), (3.0, 20.0), (3.0, 20.0))]
    [3.0, 33.5]
    """
    (t0, t1), (c0, c1) = treated, control
    v_t = 1.0 / max(t0, 0.5) + 1.0 / max(t1, 0.5)
    v_c = 1.0 / max(c0, 0.5) + 1.0 / max(c1, 0.5)
    return design_effect([(v_t, *treated_disp), (v_c, *control_disp)])


def design_effect(parts, *, as_float: bool = True) -> tuple:
    """``(φ, ν)`` of a log contrast whose independent parts have the Poisson variances ``v`` and vary
    ``φ`` times more than Poisson, each estimated on ``ν`` degrees of freedom (``parts``: ``(v, φ, ν)``).

    ``φ = Σ φᵢvᵢ / Σ vᵢ`` (the contrast's variance over its Poisson variance: the Rao–Scott design
    effect) and ``ν = (Σ φᵢvᵢ)² / Σ (φᵢvᵢ)²/νᵢ`` (Welch–Satterthwaite). ``as_float=False`` keeps numpy
    arrays of parts elementwise (the share test's, :func:`lagesbild.core.shares.share_dispersion`). Used for the ratio of ratios
    (:func:`combined_dispersion`) and for two places' rates (Jämför: ``v = 1/count``).

    Examples
    --------
    Two places of 40 and 4 000 crimes, the larger varying 50 times more than Poisson: its share of the
    variance is small, so the contrast varies about 1.5 times more, not 50.

    >>> [round(x, 2) for x in design_effect([(1 / 40, 1.0, 30.0), (1 / 4000, 50.0, 30.0)])]
    [1.49, 54.0]
    """
    weighted = [(v * phi, nu) for v, phi, nu in parts]
    total = sum(w for w, _ in weighted)
    phi = total / sum(v for v, _, _ in parts)
    nu = total ** 2 / sum(w ** 2 / nu for w, nu in weighted)
    return (float(phi), float(nu)) if as_float else (phi, nu)


def wdd_note(treated_before, control_before, has_buffer: bool) -> str:
    """Why the WDD is not shown ('' when it is: a buffer and a comparable control baseline).

    Examples
    --------
    >>> wdd_note(200, 300, True), wdd_note(100, 2000, True)[:40]
    ('', 'WDD visas inte: jämförelseområdet hade 2')
    """
    if not has_buffer:
        return NOTE_WDD_NO_BUFFER
    lo, hi = COMPARABLE
    if treated_before is None or control_before is None or not (
            lo * treated_before <= control_before <= hi * treated_before) or treated_before == 0:
        return NOTE_WDD_NOT_COMPARABLE.format(c=control_before, t=treated_before)
    return ""


def regression_to_mean_warning(monthly_counts: pd.Series, first_after: pd.Timestamp,
                               lookback: int = 24) -> str:
    """A warning when the three months before ``first_after`` are the peak of the months before it.

    Parameters
    ----------
    monthly_counts : Series
        The place's counts indexed by month (first days), covered months only.
    first_after : Timestamp
        The first month of the after window.
    lookback : int
        Months before the start considered (at least 12 must be there).

    Examples
    --------
    >>> idx = pd.date_range("2019-01-01", periods=24, freq="MS")
    >>> s = pd.Series([10] * 21 + [18, 20, 22], index=idx)
    >>> regression_to_mean_warning(s, pd.Timestamp("2021-01-01"))[:30]
    'Regression mot medelvärdet: de'
    >>> regression_to_mean_warning(pd.Series([10] * 24, index=idx), pd.Timestamp("2021-01-01"))
    ''
    """
    start = first_after - pd.DateOffset(months=lookback)
    window = monthly_counts[(monthly_counts.index >= start) & (monthly_counts.index < first_after)]
    window = window.reindex(pd.date_range(start, first_after - pd.DateOffset(months=1), freq="MS"))
    window = window.dropna()
    if len(window) < 12:
        return ""
    sums = window.rolling(3).sum().dropna()
    recent = sums.iloc[-RTM_RECENT:].to_numpy()
    # the latest of the recent three-month totals that is the peak (an activity is often started a
    # month or two after a surge: with only the last three months checked, 2 of 16 significant falls
    # after a start one month after the peak were warned of; tests/test_recheck_stats3_effects.py)
    at = np.flatnonzero(recent >= sums.max())
    if not len(at) or recent[at[-1]] <= PEAK_FACTOR * 3 * window.mean():
        return ""
    late = len(recent) - 1 - int(at[-1])  # months between the peak's last month and the start's eve
    if late == 0:
        return WARN_RTM.format(n=len(window))
    return WARN_RTM_LATE.format(n=len(window), k="1 månad" if late == 1 else f"{late} månader")


def season_warning(k: int) -> str:
    """A warning when the before/after windows are shorter than a year.

    Examples
    --------
    >>> season_warning(6)
    'Säsong: fönstren är 6 månader, kortare än ett år, så de jämför olika årstider.'
    >>> season_warning(12)
    ''
    """
    return WARN_SEASON.format(k=k) if 0 < k < 12 else ""


def wdd_test(treated, control, buffer=None, buffer_control=None, phi: float = 1.0) -> dict:
    """Weighted displacement difference and its two-sided z test (Wheeler & Ratcliffe 2018).

    Parameters
    ----------
    treated, control : (before, after)
        Counts in the treated and the comparison area, in windows of equal length.
    buffer : (before, after), optional
        Counts in a displacement (buffer) area around the treated one.
    buffer_control : (before, after), optional
        Counts in the buffer's own comparison area. When a buffer is given without one, the
        comparison area serves for both; its counts then enter twice, and the variance counts them
        with weight 2² = 4 instead of the paper's sum over distinct areas.
    phi : float
        The counts' dispersion (≥ 1): the Poisson variance is multiplied by it.

    Returns
    -------
    dict
        ``wdd`` (negative = fell relative to the comparison), ``wdd_var`` (Poisson variance × ``phi``),
        ``wdd_z`` (0 when the variance is 0) and ``wdd_p`` (two-sided, in (0, 1]).

    Examples
    --------
    The paper's example (treated 207 → 110, control 308 → 318, buffer 178 → 157, buffer control
    150 → 140):

    >>> r = wdd_test((207, 110), (308, 318), (178, 157), (150, 140))
    >>> r["wdd"], r["wdd_var"], round(r["wdd_z"], 2)
    (-118, 1568, -2.98)
    """
    (t0, t1), (c0, c1) = treated, control
    est, var = (t1 - t0) - (c1 - c0), t0 + t1 + c0 + c1
    if buffer is not None:
        d0, d1 = buffer
        if buffer_control is None:
            est += (d1 - d0) - (c1 - c0)
            var += d0 + d1 + 3 * (c0 + c1)
        else:
            e0, e1 = buffer_control
            est += (d1 - d0) - (e1 - e0)
            var += d0 + d1 + e0 + e1
    if phi > 1:
        var = var * float(phi)
    z = est / math.sqrt(var) if var > 0 else 0.0
    p = min(1.0, max(2 * float(norm.sf(abs(z))), SMALLEST_P))
    return {"wdd": est, "wdd_var": var, "wdd_z": z, "wdd_p": p}


def wdd_verdict(wdd: float, p: float, alpha: float) -> str:
    """The Swedish verdict of a WDD and its p-value."""
    if not p < alpha or wdd == 0:
        return WDD_VERDICTS["none"]
    return WDD_VERDICTS["up" if wdd > 0 else "down"]
