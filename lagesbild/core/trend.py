"""Trend in counts over three or more periods: Poisson regression, with Mann–Kendall as a second opinion.

**Poisson regression.** ``count_i ~ Poisson(exposure_i · exp(a + b·t_i))`` with ``t_i`` the period's
position in time (its middle, in periods of the typical length after the first: 0, 1, 2, … for
consecutive periods, 0, 1, 3, 4 when a year between them is left out), fitted by maximum likelihood (Newton–Raphson; the same model as statsmodels'
``GLM(counts, [1, i], family=Poisson(), offset=log(exposure))``). ``rate_ratio = exp(b)`` is the factor
by which the rate changes from one period to the next (per year for yearly periods). The p-value that
decides the verdict is the likelihood-ratio test of ``b = 0`` (chi-square, 1 df), which behaves better
than the Wald test for small counts and
stays defined when all crimes fall in the first or the last period (the maximum likelihood estimate of
``b`` is then infinite, and the interval one-sided: :func:`lagesbild.core.trend_profile._edge_interval`);
the Wald p-value is reported too. The model assumes Poisson variation between
periods; ``dispersion`` (Pearson chi-square / (n − 2)) above 1 means more variation than that, which
the test then takes into account (below). The 95 % interval is the profile-likelihood one of that
test, the ``exp(b)`` it does not reject (:mod:`lagesbild.core.trend_profile`): it excludes 1 exactly
when the verdict says "säkerställd". The Wald interval ``exp(b ± 1.96·se)`` shown before disagreed with
the verdict near the 5 % line (0.1–0.2 % of random series; [93, 83, 68]: p 0.0498, Wald 0.734–1.0003).

**Overdispersion.** Given the dispersion of the place × category estimated from its monthly history
(:mod:`lagesbild.core.dispersion`), the verdict uses the quasi-Poisson F test instead:
``F = LR / φ`` against ``F(1, ν)``, and the interval holds the ``b`` with ``LR(b)/φ`` under the
95 % quantile of ``F(1, ν)``, so that it excludes 1 when the test says so. The monthly history cannot see periods that are higher or lower throughout
(a year of many events): the periods' own Pearson dispersion ``X² / (n − 2)`` can. When it is the
larger, it is ``φ`` and ``ν = n − 2`` (quasi-Poisson on the periods, as statsmodels'
``GLM(...).fit(scale="X2")`` with an F test), and a note says so. With too short a history and no
more variation between the periods than Poisson's, the Poisson test is kept and the verdict says so.

**Small counts.** The likelihood-ratio and F tests are large-sample approximations: trendless
Poisson counts over three periods of mean 1 were a trend in 9.8 % of cases at 5 %. Where fewer than 5
crimes are expected in some period under no trend (Cochran's rule, as the two-period test), the p-value
is never below the exact conditional test's (:mod:`lagesbild.core.exact_trend`, whose interval is then
the one that p-value implies, so that it excludes 1 exactly when the bounded p-value is below 5 %).

**Three periods.** The periods' own dispersion has one degree of freedom, too uncertain to show a level
shifting from year to year; below the monthly one it is not used. Trendless negative-binomial months
(20 a month, the yearly level shifting 22 % or 10 % s.d.) were a trend in 10 % and 6 % of three-year
series at 5 % (``tests/test_recheck_stats3_trend.py``): every three-period test carries ``NOTES["three"]``.

**Mann–Kendall** (the second opinion) and the distributions' tails and quantiles are in
:mod:`lagesbild.core.trend_stats`.

Examples
--------
>>> r = trend([120, 100, 85, 70])
>>> round(r.rate_ratio, 3), r.verdict
(0.837, 'minskande trend, statistiskt säkerställd')
>>> r.mk_s, round(r.mk_tau, 2)
(-6, -1.0)
>>> trend([10, 12]).verdict
'för få perioder för trendtest'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from lagesbild.core.dispersion import METHOD_QUASI, Dispersion, quasi_trend_p
from lagesbild.core.exact_trend import floor_small_counts
from lagesbild.core.trend_profile import profile_interval
from lagesbild.core.trend_stats import (  # noqa: F401  (t_quantile, z_quantile: imported from here)
    _chi2_sf_1,
    _norm_sf,
    _t_sf,
    mann_kendall,
    mk_can_decide,
    t_quantile,
    z_quantile,
)

VERDICTS = {
    "up": "ökande trend, statistiskt säkerställd",
    "down": "minskande trend, statistiskt säkerställd",
    "none": "ingen säkerställd trend",
    "few": "för få perioder för trendtest",
    "missing": "kan inte bedömas: data saknas för {n}",
    "overlap": "kan inte bedömas: perioderna överlappar",
    "mixed": "kan inte bedömas: perioderna kommer från olika källor",
}
EXACT_SUFFIX = " (Poissontest: för kort historik)"
NOTES = {
    "zero": "Inga brott i någon period.",
    "mk_differs": "Mann–Kendall-testet (p = {p}) ger inte samma slutsats.",
    "between": "Perioderna varierar mer än månaderna visar (spridningskvot {d}); testet räknar med det "
               "(kvasi-Poisson på perioderna, {df}).",
    "spacing": "Perioderna följer inte direkt på varandra; trenden är räknad på tiden mellan dem.",
    "three": "Med bara tre perioder går det inte att skatta hur mycket nivån skiftar från period till "
             "period utöver månadernas variation: en period som var hög eller låg rakt igenom kan se ut "
             "som en trend, så en säkerställd trend är en signal att titta närmare på, inte ett bevis.",
}
MIN_PERIODS = 3
CI_LEVEL = 0.95
MAX_ITER = 100


@dataclass(frozen=True)
class TrendResult:
    """The outcome of :func:`trend` (NaN where a value cannot be computed)."""

    n_periods: int
    rate_ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    p_value_wald: float
    dispersion: float
    mk_s: int
    mk_tau: float
    mk_p: float
    significant: bool
    verdict: str
    note: str
    method: str = "Poisson"
    #: the degrees of freedom of the test's denominator (``inf``: the Poisson test), which the interval
    #: uses too (``F(1, ν)``; :func:`lagesbild.core.trend_family.fcr_intervals` at the family's level)
    ci_df: float = math.inf

    def as_dict(self) -> dict:
        """The fields as a plain dict (the values are numbers and texts: no deep copy needed)."""
        return {name: getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(TrendResult.__dataclass_fields__)


def format_p(p: float, alpha: float = 0.05) -> str:
    """A p-value for Swedish text that never disagrees with the verdict at ``alpha``.

    Three significant digits (more if needed) so that the shown value is on the same side of
    ``alpha`` as the p-value itself; ``< 0,001`` below 0.001.

    Examples
    --------
    >>> format_p(0.0123), format_p(1e-6), format_p(0.0498), format_p(0.04999)
    ('0,0123', '< 0,001', '0,0498', '0,04999')
    >>> format_p(0.5)
    '0,500'
    """
    if p < 0.001:
        return "< 0,001"
    for digits in range(3, 12):
        text = f"{float(f'{p:.{digits}g}'):.{digits}g}"
        shown = float(text)
        if (shown < alpha) == (p < alpha):
            break
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(shown)))) if shown else digits
    return f"{shown:.{decimals}f}".replace(".", ",")


def _loglik(y, mu) -> float:
    """The Poisson log-likelihood: ``scipy.stats.poisson.logpmf`` summed, from the same formula
    (``xlogy(y, mu) - gammaln(y + 1) - mu``) without its argument checks, for counts (non-negative
    whole numbers) and non-negative means; anything else goes through scipy."""
    y, mu = np.asarray(y), np.asarray(mu)
    if y.shape != mu.shape or not (np.all(y >= 0) and np.all(np.floor(y) == y) and np.all(mu >= 0)):
        return float(np.sum(stats.poisson.logpmf(y, mu)))
    return float(np.sum(special.xlogy(y, mu) - special.gammaln(y + 1) - mu))


def _loglik_of(y: np.ndarray):
    """:func:`_loglik` of the counts ``y`` as a function of the means: what depends on ``y`` alone (its
    check and ``gammaln(y + 1)``) done once, not at every step of a fit (the same numbers, bit for bit:
    tests/test_recheck_perf12_trend.py)."""
    y = np.asarray(y)
    if not (np.all(y >= 0) and np.all(np.floor(y) == y)):
        return lambda mu: _loglik(y, mu)
    log_factorial = special.gammaln(y + 1)

    def loglik(mu) -> float:
        mu = np.asarray(mu)
        if y.shape != mu.shape or not np.all(mu >= 0):
            return _loglik(y, mu)
        return float(np.sum(special.xlogy(y, mu) - log_factorial - mu))
    return loglik


def _fit(y: np.ndarray, x: np.ndarray, offset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Newton–Raphson with step halving for the Poisson log-linear model; returns (beta, covariance)."""
    X = np.column_stack([np.ones_like(x), x])
    beta = np.array([math.log(y.sum() / np.exp(offset).sum()), 0.0])
    loglik = _loglik_of(y)
    ll = loglik(np.exp(X @ beta + offset))
    for _ in range(MAX_ITER):
        mu = np.exp(X @ beta + offset)
        hess = X.T @ (mu[:, None] * X)
        step = np.linalg.solve(hess, X.T @ (y - mu))
        for _ in range(30):
            new = beta + step
            new_ll = loglik(np.exp(X @ new + offset))
            if new_ll >= ll - 1e-12:
                break
            step = step / 2
        beta, converged = new, np.max(np.abs(new - beta)) < 1e-10
        ll = new_ll
        if converged:
            break
    mu = np.exp(X @ beta + offset)
    return beta, np.linalg.inv(X.T @ (mu[:, None] * X))


def _regression(y: np.ndarray, exposure: np.ndarray, x: np.ndarray) -> dict:
    """The Poisson fit: ``b``, its standard error, the likelihood-ratio statistic and the Pearson
    dispersion of the periods (``X² / (n − 2)``); ``b`` is ±inf when every crime falls in the first
    (last) period."""
    n = len(y)
    offset = np.log(exposure)
    ll_null = _loglik(y, exposure * y.sum() / exposure.sum())
    positive = np.flatnonzero(y > 0)
    if positive[0] == positive[-1] and positive[0] in (0, n - 1):
        # every crime in the first (or last) period: b -> -inf (+inf), fitted mu -> y exactly
        lr = 2 * (_loglik(y, y.astype(float)) - ll_null)
        return {"b": math.inf if positive[0] == n - 1 else -math.inf, "se": math.nan, "lr": lr,
                "pearson": math.nan}
    centre = x.mean()
    beta, cov = _fit(y.astype(float), x - centre, offset)
    mu = np.exp(beta[0] + beta[1] * (x - centre) + offset)
    return {"b": float(beta[1]), "se": math.sqrt(cov[1, 1]), "lr": 2 * (_loglik(y, mu) - ll_null),
            "pearson": float(np.sum((y - mu) ** 2 / mu) / (n - 2)) if n > 2 else math.nan}


def _scaled(fit: dict, disp: Dispersion | None, data: tuple) -> dict:
    """The rate ratio, its interval (the profile-likelihood one of the test,
    :func:`lagesbild.core.trend_profile.profile_interval`) and the p-values of a fit under ``disp``
    (None: Poisson); ``data`` is ``(counts, exposure, positions)``."""
    quasi = disp is not None and disp.quasi
    b, lr = fit["b"], fit["lr"]
    if math.isinf(b):  # one-sided: (low, ∞) or (0, high)
        low, high = profile_interval(*data, disp.phi if quasi else 1.0,
                                     disp.df_resid if quasi else math.inf, CI_LEVEL)
        return {"rate_ratio": math.inf if b > 0 else 0.0, "ci_low": low, "ci_high": high,
                "p_value": _lr_p(lr, disp), "p_value_wald": math.nan, "dispersion": fit["pearson"],
                "ci_df": disp.df_resid if quasi else math.inf}
    se = fit["se"] * (math.sqrt(disp.phi) if quasi else 1.0)
    df = disp.df_resid if quasi else math.inf
    wald = float(2 * _t_sf(abs(b / se), df)) if quasi else float(2 * _norm_sf(abs(b / se)))
    low, high = profile_interval(*data, disp.phi if quasi else 1.0, df, CI_LEVEL)
    return {"rate_ratio": math.exp(b), "ci_low": low, "ci_high": high,
            "p_value": _lr_p(lr, disp), "p_value_wald": wald, "dispersion": fit["pearson"], "ci_df": df}


def _effective(fit: dict, n: int, disp: Dispersion | None) -> tuple[Dispersion | None, bool]:
    """The dispersion the test uses: the monthly history's, or the periods' own when that is larger
    (``(dispersion, from the periods)``)."""
    month = disp.phi if disp is not None and disp.quasi else 1.0
    between = fit["pearson"]
    if n > 2 and np.isfinite(between) and between > month:
        return Dispersion(between, between, n - 2, 0, METHOD_QUASI, ""), True
    return disp, False


def _lr_p(lr: float, disp: Dispersion | None) -> float:
    if disp is not None and disp.quasi:
        return quasi_trend_p(lr, disp)
    return float(_chi2_sf_1(max(lr, 0.0)))


def _validate(counts, exposure) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(counts, dtype=float)
    if y.ndim != 1 or np.any(~np.isfinite(y)) or np.any(y < 0) or np.any(y != np.round(y)):
        raise ValueError("Antalen måste vara icke-negativa heltal.")
    e = np.ones_like(y) if exposure is None else np.asarray(exposure, dtype=float)
    if e.shape != y.shape or np.any(~np.isfinite(e)) or np.any(e <= 0):
        raise ValueError("Exponeringen måste vara ett positivt tal per period.")
    return y.astype(np.int64), e


def untested(n: int, verdict: str, note: str = "") -> TrendResult:
    """The result of ``n`` periods that were not tested, with the verdict saying why.

    Examples
    --------
    >>> untested(2, VERDICTS["few"]).verdict, untested(2, VERDICTS["few"]).significant
    ('för få perioder för trendtest', False)
    """
    nan = math.nan
    return TrendResult(n, nan, nan, nan, nan, nan, nan, 0, nan, nan, False, verdict, note)


def trend(counts, *, exposure=None, alpha: float = 0.05,
          dispersion: Dispersion | None = None, positions=None) -> TrendResult:
    """Test for a trend in counts over three or more periods.

    Parameters
    ----------
    counts : sequence of int
        Counts in chronological order.
    exposure : sequence of float or None
        The periods' exposures (e.g. days); None = equal.
    positions : sequence of float or None
        The periods' places in time, in periods (:func:`period_positions`); None = consecutive
        (0, 1, 2, …). The rate ratio is per period.
    alpha : float
        Significance level of the verdict.
    dispersion : Dispersion or None
        The monthly history's dispersion (:func:`lagesbild.core.dispersion.history_dispersion`):
        the quasi-Poisson F test when it applies; the Poisson test otherwise, and then the verdict
        says the history was too short. None keeps the Poisson test without comment.

    Returns
    -------
    TrendResult
        The verdict follows the likelihood-ratio p-value (scaled by the dispersion when given; never
        below the exact test's where a period expects fewer than 5 crimes); a note says when the
        Mann–Kendall test disagrees or when the counts are overdispersed.

    Examples
    --------
    >>> r = trend([30, 31, 29, 32], exposure=[365, 366, 365, 365])
    >>> r.verdict, r.significant
    ('ingen säkerställd trend', False)
    >>> trend([0, 0, 0]).note
    'Inga brott i någon period.'
    """
    return trend_with_profile(counts, exposure=exposure, alpha=alpha, dispersion=dispersion,
                              positions=positions)[0]


def trend_with_profile(counts, *, exposure=None, alpha: float = 0.05, dispersion: Dispersion | None = None,
                       positions=None) -> tuple[TrendResult, tuple | None]:
    """:func:`trend`, and what its interval is made of when it is the profile-likelihood one:
    ``(counts, exposure, positions, φ, ν)`` as tuples and numbers, for
    :func:`lagesbild.core.trend_profile.profile_interval` at another level
    (:func:`lagesbild.core.trend_family.fcr_intervals`, through
    :func:`lagesbild.core.exact_trend.trend_interval`); None for an untested series and an interval
    implied by the exact test's bound (small counts, a finite estimate)."""
    if not 0 < alpha < 1:
        raise ValueError(f"Signifikansnivån måste ligga mellan 0 och 1, inte {alpha!r}.")
    y, e = _validate(counts, exposure)
    n = len(y)
    if n < MIN_PERIODS:
        return untested(n, VERDICTS["few"]), None
    if y.sum() == 0:
        result = untested(n, VERDICTS["none"], NOTES["zero"])
        return TrendResult(**{**result.as_dict(), "p_value": 1.0, "mk_p": 1.0}), None
    x = np.arange(n, dtype=float) if positions is None else _positions(positions, n)
    fit = _regression(y, e, x)
    used, between = _effective(fit, n, dispersion)
    scaled = _scaled(fit, used, (y, e, x))
    reg = floor_small_counts(scaled, y, e, x, CI_LEVEL)  # exact test's bound at small counts
    s, tau, mk_p = mann_kendall(y / e)
    significant = reg["p_value"] < alpha and reg["rate_ratio"] != 1
    direction = "up" if reg["rate_ratio"] > 1 else "down"
    quasi = used is not None and used.quasi
    notes = [dispersion.note] if dispersion is not None and dispersion.note and not between else []
    if between:
        notes.append(NOTES["between"].format(d=f"{used.phi:.1f}".replace(".", ","), df=_df_text(n - 2)))
    if np.any(np.abs(np.diff(x) - 1) > 0.1):
        notes.append(NOTES["spacing"])
    mk_direction = "up" if s > 0 else "down"
    if mk_can_decide(n, alpha) and ((mk_p < alpha) != significant or (significant and mk_direction != direction)):
        notes.append(NOTES["mk_differs"].format(p=format_p(mk_p)))
    if n == MIN_PERIODS:  # one degree of freedom for the periods' own variation (on every row: a
        notes.append(NOTES["three"])  # family's adjustment can change the verdict, not the note)
    text = VERDICTS[direction if significant else "none"]
    if dispersion is not None and not quasi:
        text += EXACT_SUFFIX
    profile = None
    if reg is scaled or math.isinf(fit["b"]):  # the profile interval, not one the bound implies
        profile = (tuple(y.tolist()), tuple(e.tolist()), tuple(x.tolist()), used.phi if quasi else 1.0,
                   reg["ci_df"])
    return TrendResult(n_periods=n, **reg, mk_s=s, mk_tau=tau, mk_p=mk_p, significant=bool(significant),
                       verdict=text, note=" ".join(notes),
                       method="kvasi-Poisson" if quasi else "Poisson"), profile


def _df_text(df: int) -> str:
    """Degrees of freedom in Swedish, singular for one ('1 frihetsgrad', '3 frihetsgrader')."""
    return "1 frihetsgrad" if df == 1 else f"{df} frihetsgrader"


def _positions(positions, n: int) -> np.ndarray:
    x = np.asarray(positions, dtype=float)
    if x.shape != (n,) or not np.all(np.isfinite(x)) or np.any(np.diff(x) <= 0):
        raise ValueError("Periodernas lägen i tiden måste vara stigande tal, ett per period.")
    return x - x[0]


def period_positions(starts, days) -> np.ndarray:
    """Where periods lie in time, for :func:`trend`: each period's middle (its start plus half its
    days) after the first one's, in periods of the median length.

    Examples
    --------
    >>> starts = pd.to_datetime(["2017-09-01", "2018-09-01", "2020-09-01"])
    >>> period_positions(starts, [365, 365, 365]).round(3).tolist()  # 2019–2020 left out
    [0.0, 1.0, 3.003]
    """
    given = np.asarray(starts)
    if given.dtype.kind == "M":  # datetime64 already: what pandas gives, without its Series (0.3 ms)
        start = given.astype("datetime64[s]").astype(np.int64) / 86400.0
    else:
        start = pd.to_datetime(pd.Series(starts)).to_numpy(dtype="datetime64[s]").astype(np.int64) / 86400.0
    length = np.asarray(days, dtype=float)
    middle = start + length / 2
    return (middle - middle[0]) / float(np.median(length))
