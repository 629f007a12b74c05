"""The effects tables' interval against the comparison area agrees with the adjusted verdict.

stats9 (5214076) made relative_test's interval the inversion of its own test, but every effects table
(Plats före/efter, Åtgärdsplan, the pack) then went through effect_family.relative_intervals, which made
the interval again at the family's Benjamini–Yekutieli level the old way (the conditional central
interval widened by √φ under 100 crimes, else the 95 % one stretched by z(level)/z(0.95)):
(68, 44) against (221, 221), p 0.0448 ('säkerställd'), was shown as 0.413–1.007 again. Now each row's
interval is the deciding test's own at the level 1 − R·α/m of the family its q-value comes from, so it
excludes 1 exactly when the adjusted verdict says "säkerställd".

References: the BH rejections from scipy.stats.false_discovery_control; Fisher's minlike p-value from
scipy's nchypergeom_fisher, its outermost ends by brentq on a fine grid; the quasi interval from
statsmodels' Poisson GLM log-likelihood (G² of a fixed odds ratio) against φ times scipy's F(1, ν)
quantile.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from scipy.optimize import brentq

from lagesbild.core.effect_family import adjust_effects, relative_intervals
from lagesbild.core.relative import relative_test

ALPHA = 0.05


def _row(category, treated, control, disp=None) -> dict:
    r = relative_test(treated, control, ALPHA, dispersion=disp)
    return {"category": category, "count_before": treated[0], "count_after": treated[1],
            "comparison_before": control[0], "comparison_after": control[1], "p_value": np.nan,
            "verdict": "", "wdd": np.nan, "wdd_p": np.nan, "wdd_verdict": None, **r}


def _outside(row) -> bool:
    return bool(row["relative_ci_low"] > 1 or row["relative_ci_high"] < 1)


def _minlike(table, psi: float) -> float:
    """Minlike p at odds ratio psi from scipy's nchypergeom_fisher (probabilities within 1e-7)."""
    (a, b), (c, d) = table
    dist = stats.nchypergeom_fisher(a + b + c + d, a + b, a + c, psi)
    lo, hi = max(0, (a + c) - (c + d)), min(a + b, a + c)
    pmf = dist.pmf(np.arange(lo, hi + 1))
    return float(pmf[pmf <= dist.pmf(a) * (1 + 1e-7)].sum())


def _fisher_reference(table, level):
    """The outermost odds ratios with minlike p ≥ 1 − level: a 400-point log grid, then brentq."""
    alpha = 1 - level
    grid = np.linspace(-7, 7, 400)
    ok = [i for i, g in enumerate(grid) if _minlike(table, math.exp(g)) >= alpha]
    f = lambda g: _minlike(table, math.exp(g)) - alpha  # noqa: E731
    return (math.exp(brentq(f, grid[ok[0] - 1], grid[ok[0]], xtol=1e-11)),
            math.exp(brentq(f, grid[ok[-1]], grid[ok[-1] + 1], xtol=1e-11)))


def _glm_lr(table, psi: float) -> float:
    """G² of odds ratio psi: statsmodels' Poisson GLM with the interaction fixed by an offset."""
    y = np.asarray(table, dtype=float).ravel()
    x = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 1], [1, 0, 0]], dtype=float)
    fit = sm.GLM(y, x, family=sm.families.Poisson(), offset=np.array([math.log(psi), 0, 0, 0])).fit()
    return 2 * (float(np.sum(stats.poisson.logpmf(y, y))) - fit.llf)


def _quasi_reference(table, level, phi, nu):
    crit = phi * stats.f.ppf(level, 1, nu)
    centre = math.log(table[0][0] * table[1][1] / (table[0][1] * table[1][0]))
    f = lambda g: _glm_lr(table, math.exp(g)) - crit  # noqa: E731
    step = 1.0
    while f(centre - step) < 0 or f(centre + step) < 0:
        step *= 2
    return math.exp(brentq(f, centre - step, centre)), math.exp(brentq(f, centre, centre + step))


def _bh_level(ps) -> float:
    """1 − max(R, 1)·α/m of a family of raw p-values (NaN: not tested), R from scipy's BH."""
    ps = np.asarray(ps, dtype=float)
    ps = ps[np.isfinite(ps)]
    r = int((stats.false_discovery_control(ps, method="bh") < ALPHA).sum())
    return 1 - max(r, 1) * ALPHA / len(ps)


def test_stats8_example_in_an_effects_table():
    """(68, 44) against (221, 221): p 0.0448, 'säkerställd' alone, its interval now excludes 1 there too
    (it was 0.413–1.007 after relative_intervals)."""
    t = pd.DataFrame([_row("a", (68, 44), (221, 221))])
    assert math.isclose(t["relative_p"].iloc[0], stats.fisher_exact([[44, 68], [221, 221]]).pvalue)
    out = adjust_effects(t, ALPHA).iloc[0]
    assert bool(out["relative_significant"]) and _outside(out)
    ref = _fisher_reference([[44, 68], [221, 221]], 0.95)
    assert math.isclose(out["relative_ci_low"], ref[0], rel_tol=2e-3)
    assert math.isclose(out["relative_ci_high"], ref[1], rel_tol=2e-3)
    direct = relative_intervals(pd.DataFrame([_row("a", (68, 44), (221, 221))]), 0.95).iloc[0]
    assert direct["relative_ci_high"] < 1


def _random_family(rng):
    """A table of 2–7 categories (some overdispersed, some small), a total row, and hidden categories."""
    rows, cats = [], int(rng.integers(2, 8))
    for i in range(cats):
        scale = float(rng.choice([3, 8, 20, 60, 200]))
        t0 = int(rng.poisson(scale))
        t1 = int(rng.poisson(scale * rng.choice([0.4, 0.7, 1.0, 1.0, 1.5, 2.2])))
        c0, c1 = (int(v) for v in rng.poisson(scale * rng.choice([2, 5, 20]), 2))
        disp = (float(rng.uniform(1.05, 4)), float(rng.uniform(6, 80))) if rng.random() < 0.4 else None
        rows.append(_row(f"k{i}", (t0, t1), (c0, c1), disp))
    t = pd.DataFrame(rows)
    total = _row("alla", (int(t["count_before"].sum()), int(t["count_after"].sum())),
                 (int(t["comparison_before"].sum()), int(t["comparison_after"].sum())))
    hidden = rng.uniform(0, 1, int(rng.integers(0, 4))) ** 3  # tests not shown, some small
    extra = pd.DataFrame({"category": [f"x{i}" for i in range(len(hidden))], "p_value": np.nan,
                          "relative_p": hidden, "wdd_p": np.nan})
    return pd.concat([t, pd.DataFrame([total])], ignore_index=True), extra


def test_adjusted_verdict_and_shown_interval_agree_over_random_families():
    """0 disagreements over 150 random families (the old code: several, e.g. seed 1's)."""
    rng = np.random.default_rng(10)
    bad, shown, sure = [], 0, 0
    for _ in range(150):
        table, extra = _random_family(rng)
        out = adjust_effects(table, ALPHA, extra=extra)
        for _, r in out[out["relative_ratio"].notna()].iterrows():
            shown += 1
            sure += bool(r["relative_significant"])
            if _outside(r) != bool(r["relative_significant"]):
                bad.append((r["category"], r["count_before"], r["count_after"], r["comparison_before"],
                            r["comparison_after"], r["relative_p"], r["relative_q"], r["relative_ci_low"],
                            r["relative_ci_high"]))
    assert bad == []
    assert sure >= 50 and shown - sure >= 150  # both sides of the verdict were checked


def test_family_intervals_match_scipy_and_statsmodels_at_the_bh_level():
    """Each shown interval is the deciding test's own at 1 − R·α/m of its family (the single categories
    with the hidden ones; the total with them as well): scipy's minlike ends, or statsmodels' profile."""
    rng = np.random.default_rng(4)
    checked = {"fisher": 0, "quasi": 0}
    for _ in range(8):
        table, extra = _random_family(rng)
        out = adjust_effects(table, ALPHA, extra=extra)
        single = out["category"] != "alla"
        fam = np.concatenate([out.loc[single, "relative_p"].to_numpy(float), extra["relative_p"].to_numpy(float)])
        levels = {True: _bh_level(fam),
                  False: _bh_level(np.concatenate([fam, out.loc[~single, "relative_p"].to_numpy(float)]))}
        for is_single, (_, r) in zip(single, out.iterrows(), strict=True):
            if math.isnan(r["relative_ratio"]) or not 0 < r["relative_ratio"] < math.inf:
                continue
            level = levels[bool(is_single)]
            assert math.isclose(r["relative_ci_level"], level, rel_tol=1e-12)
            tab = [[int(r["count_after"]), int(r["count_before"])],
                   [int(r["comparison_after"]), int(r["comparison_before"])]]
            expected = np.outer(np.sum(tab, axis=1), np.sum(tab, axis=0)).min() / np.sum(tab)
            if r["relative_phi"] > 1:
                if expected < 5 or min(min(row) for row in tab) == 0:
                    continue  # the hull with Fisher's (stats9's tests)
                ref, kind, tol = _quasi_reference(tab, level, r["relative_phi"], r["relative_nu"]), "quasi", 1e-5
            else:
                if checked["fisher"] >= 12:
                    continue
                ref, kind, tol = _fisher_reference(tab, level), "fisher", 2e-3
            got = (r["relative_ci_low"], r["relative_ci_high"])
            assert math.isclose(got[0], ref[0], rel_tol=tol) and math.isclose(got[1], ref[1], rel_tol=tol), (
                tab, level, got, ref)
            checked[kind] += 1
    assert checked["fisher"] >= 10 and checked["quasi"] >= 5


def test_quasi_rows_carry_their_degrees_of_freedom():
    """relative_nu: the ν the quasi test used (NaN for Fisher's), so the interval can be made again."""
    r = relative_test((144, 88), (312, 307), dispersion=(1.3, 30.0))
    assert r["relative_nu"] == 30.0 and r["relative_phi"] == 1.3
    assert math.isnan(relative_test((144, 88), (312, 307))["relative_nu"])
    t = pd.DataFrame([_row("a", (88, 144), (307, 312), (1.3, 30.0))])
    out = adjust_effects(t, ALPHA).iloc[0]
    ref = _quasi_reference([[144, 88], [312, 307]], 0.95, 1.3, 30.0)
    assert math.isclose(out["relative_ci_low"], ref[0], rel_tol=1e-5)
    assert math.isclose(out["relative_ci_high"], ref[1], rel_tol=1e-5)


def test_metod_says_what_the_interval_against_the_comparison_area_is():
    """Metod named the level of the interval, not what it is (the inversion of the same test)."""
    from lagesbild.analysis.methods import method_texts

    texts = {t[0]: " ".join(t[1:]) for t in method_texts(alpha=0.05, cell_size=250, min_population=500)}
    effect = texts["Aktiviteters effekt (före och efter)"]
    assert ("Konfidensintervallet för kvoten mot jämförelseområdet är de kvoter som samma test inte "
            "förkastar (Fishers exakta test: de yttersta gränserna; med variation: likelihoodkvottestet mot "
            "F-fördelningen), så att intervallet utesluter 1 precis när skillnaden är säkerställd.") in effect
