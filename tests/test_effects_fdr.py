"""Activity effects as one Benjamini–Hochberg family per table (lagesbild.core.effects.adjust_effects).

The q-values are checked against statsmodels' ``multipletests(method="fdr_bh")``, an implementation
independent of the module's (scipy's ``false_discovery_control`` through ``core/fdr.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from lagesbild.core.effects import ALL_CATEGORIES, activity_effects, before_after
from lagesbild.core.poisson import VERDICTS

ALPHA = 0.05
MONTHS = pd.date_range("2016-01-01", "2020-12-01", freq="MS")
STARTS = pd.to_datetime(["2018-03-01", "2018-09-01", "2019-01-01", "2019-06-01"])


def null_monthly(seed, cats=12, lam=20, district=False, double=None, start=STARTS[0]):
    """Poisson counts at a constant rate per month at ``torg`` (and a district holding it and more):
    no change anywhere, except category ``double`` whose counts at ``torg`` double from ``start``."""
    rng = np.random.default_rng(seed)
    frames = []
    for c in range(cats):
        cat = f"k{c:02d}"
        rate = np.where((start <= MONTHS) & (cat == double), 2 * lam, lam)
        torg = rng.poisson(rate)
        frames.append(pd.DataFrame({"place_id": "torg", "category": cat, "month": MONTHS, "count": torg}))
        if district:
            rest = rng.poisson(4 * lam, len(MONTHS))
            frames.append(pd.DataFrame({"place_id": "sdo", "category": cat, "month": MONTHS,
                                        "count": torg + rest}))
    return pd.concat(frames, ignore_index=True)


def plan(n=4, place="torg"):
    acts = pd.DataFrame({"activity_id": [f"a{i}" for i in range(n)], "aktivitet": [f"A{i}" for i in range(n)],
                         "start_date": STARTS[:n]})
    return acts, pd.DataFrame({"activity_id": acts["activity_id"], "place_id": place})


def places(district=False):
    return pd.DataFrame({"place_id": ["torg", "sdo"], "district_id": ["sdo" if district else None, None],
                         "name": ["Torget", "Stadsdelsområdet"]})


def bh(p):
    return multipletests(np.asarray(p, dtype=float), alpha=ALPHA, method="fdr_bh")[1]


@pytest.fixture(scope="module")
def with_district():
    """Two activities at a place with a district: before/after and relative tests for 6 categories."""
    acts, links = plan(2)
    return activity_effects(null_monthly(11, cats=6, district=True), acts, links, places(True), alpha=ALPHA)


# --- the q-values are Benjamini–Hochberg over the table's family ----------------------------------
@pytest.mark.parametrize(("p", "q"), [("p_value", "q_value"), ("relative_p", "relative_q")])
def test_q_values_equal_statsmodels_over_every_activity_and_category(with_district, p, q):
    t = with_district
    single = t[t["category"] != ALL_CATEGORIES]
    assert len(single) == 12 and single[p].notna().all()
    np.testing.assert_allclose(single[q], bh(single[p]), rtol=1e-12)
    # a total row is adjusted together with the single categories (as a place's comparison table)
    totals = t[t["category"] == ALL_CATEGORIES]
    both = bh(np.concatenate([single[p], totals[p]]))
    np.testing.assert_allclose(totals[q], both[len(single):], rtol=1e-12)
    # significance and verdicts follow q, not p
    judged = t["relative_significant"] if p == "relative_p" else t["significant"]
    assert judged.astype(bool).tolist() == (t[q] < ALPHA).tolist()


def test_wdd_q_values_equal_statsmodels():
    """With a buffer and a comparison area of comparable level the WDD is tested in every category;
    its q-values are BH over the WDD p-values alone."""
    rng = np.random.default_rng(5)
    frames = []
    for c in range(8):
        shift = 1.6 if c < 2 else 1.0  # two categories rise at the place after the start
        for pid, lam in (("torg", 20), ("kontroll", 22), ("buffert", 10), ("buffertkontroll", 11)):
            rate = np.where((STARTS[0] <= MONTHS) & (pid == "torg"), shift * lam, lam)
            frames.append(pd.DataFrame({"place_id": pid, "category": f"k{c}", "month": MONTHS,
                                        "count": rng.poisson(rate)}))
    m = pd.concat(frames, ignore_index=True)
    t = before_after(m, place_id="torg", start=STARTS[0], comparison_ids=["kontroll"],
                     buffer_ids=["buffert"], buffer_comparison_ids=["buffertkontroll"], alpha=ALPHA)
    single = t[t["category"] != ALL_CATEGORIES]
    assert single["wdd_p"].notna().all()
    np.testing.assert_allclose(single["wdd_q"], bh(single["wdd_p"]), rtol=1e-12)
    assert t["wdd_significant"].astype(bool).tolist() == (t["wdd_q"] < ALPHA).tolist()
    for col in ("p_value", "relative_p"):  # each kind of test is its own family
        q = {"p_value": "q_value", "relative_p": "relative_q"}[col]
        np.testing.assert_allclose(single[q], bh(single[col]), rtol=1e-12)


# --- a family that does not depend on what is shown -------------------------------------------------
def test_filtering_categories_leaves_the_other_rows_q_unchanged(with_district):
    acts, links = plan(2)
    m = null_monthly(11, cats=6, district=True)
    some = activity_effects(m, acts, links, places(True), category=["k01", "k04"], alpha=ALPHA)
    one = activity_effects(m, acts, links, places(True), category="k04", alpha=ALPHA)
    full = with_district.set_index(["activity_id", "category"])
    for shown in (some, one):
        single = shown[shown["category"] != ALL_CATEGORIES]
        ref = full.loc[list(zip(single["activity_id"], single["category"], strict=True))]
        for col in ("p_value", "q_value", "relative_p", "relative_q"):
            np.testing.assert_allclose(single[col].to_numpy(float), ref[col].to_numpy(float), rtol=1e-12)
        assert single["verdict"].tolist() == ref["verdict"].tolist()
    assert with_district.attrs["fdr"]["p_value"]["m"] == some.attrs["fdr"]["p_value"]["m"] == 12 + 2
    assert one.attrs["fdr"]["p_value"]["m"] == 12  # the six categories of both activities, no total row


def test_before_after_alone_is_one_family_over_the_places_categories():
    m = null_monthly(4, cats=6)
    every = before_after(m, place_id="torg", start=STARTS[0], alpha=ALPHA)
    single = every[every["category"] != ALL_CATEGORIES]
    np.testing.assert_allclose(single["q_value"], bh(single["p_value"]), rtol=1e-12)
    one = before_after(m, place_id="torg", start=STARTS[0], category="k03", alpha=ALPHA).iloc[0]
    assert one["q_value"] == pytest.approx(single.set_index("category").loc["k03", "q_value"], rel=1e-12)
    assert one["q_value"] > one["p_value"]


# --- the false discovery rate under no change, and a real change still found ----------------------
def test_no_change_anywhere_holds_the_false_discovery_rate():
    """Four activities × 12 categories at a place where nothing changes, 40 seeded tables: judged at
    raw α most tables call some change "statistiskt säkerställd"; after the adjustment the share of
    tables with any false discovery (which under no change is the FDR) stays near α."""
    acts, links = plan(4)
    raw_any = bh_any = 0
    n = 40
    for seed in range(n):
        t = activity_effects(null_monthly(100 + seed), acts, links, places(), alpha=ALPHA)
        single = t[t["category"] != ALL_CATEGORIES]
        assert len(single) == 48 and single["p_value"].notna().all()
        raw_any += bool((t["p_value"] < ALPHA).any())
        found = t["significant"].astype(bool)
        bh_any += bool(found.any())
        assert not t.loc[~found, "verdict"].str.contains("statistiskt säkerställd").any()
    assert raw_any >= n // 2
    assert bh_any <= 4  # expected about α·n = 2; 5 or more has probability 0.05 under BH's bound


def test_a_doubling_is_still_found_among_many_null_categories():
    acts, links = plan(4)
    t = activity_effects(null_monthly(7, double="k05"), acts, links, places(), alpha=ALPHA)
    row = t[(t["activity_id"] == "a0") & (t["category"] == "k05")].iloc[0]
    assert row["q_value"] < ALPHA and bool(row["significant"])
    assert row["verdict"] == VERDICTS["up"]
    others = t[(t["category"] != "k05") & (t["category"] != ALL_CATEGORIES)]
    assert not others["significant"].astype(bool).any()


def test_relative_intervals_widen_to_the_family_level_and_agree_with_the_verdicts():
    """The intervals of the ratio against the comparison area were 95 % beside verdicts adjusted for
    many tests: they could exclude 1 beside "ingen säkerställd skillnad". At the Benjamini–Yekutieli
    level ``1 − max(R, 1)·α/m`` (computed here from the table's own tests and discoveries) an interval
    excludes 1 exactly where the adjusted verdict is a difference, over tables with and without one."""
    acts, links = plan(4)
    found = not_found = 0
    for seed in range(6):
        t = activity_effects(null_monthly(200 + seed, cats=6, district=True,
                                          double="k03" if seed % 2 else None),
                             acts, links, places(True), alpha=ALPHA)
        tested = t[t["relative_p"].notna()]
        sig = tested["relative_significant"].astype(bool)
        # stats10: each row's level is that of the family its q-value comes from: the
        # single categories alone, a total row with them (it was one level, m counting the totals too);
        # statsmodels' BH rejections
        single = (tested["category"] != ALL_CATEGORIES).to_numpy()
        for rows, ps in ((single, tested.loc[single, "relative_p"]), (~single, tested["relative_p"])):
            r = int(multipletests(ps.to_numpy(float), ALPHA, method="fdr_bh")[0].sum())
            assert np.allclose(tested.loc[rows, "relative_ci_level"], 1 - max(r, 1) * ALPHA / len(ps))
        outside = (tested["relative_ci_low"] > 1) | (tested["relative_ci_high"] < 1)
        assert (outside == sig).all(), seed
        assert (tested["relative_ci_low"] <= tested["relative_ratio"]).all()
        assert (tested["relative_ratio"] <= tested["relative_ci_high"]).all()
        found, not_found = found + int(sig.sum()), not_found + int((~sig).sum())
    assert found >= 2 and not_found > 50  # both sides of the verdict were checked


def test_family_note_in_swedish():
    acts, links = plan(4)
    t = activity_effects(null_monthly(7, double="k05"), acts, links, places(), alpha=ALPHA)
    note = t.attrs["fdr"]["note"]
    assert note.startswith("Korrigerat för många test (Benjamini–Hochberg, 5\u00a0%) över platsens alla "
                           "aktiviteter och brottskategorier")
    assert "före/efter 52 test" in note
    one, links1 = plan(1)
    t1 = activity_effects(null_monthly(7, district=True), one, pd.concat([links1, links1.assign(place_id="sdo")]),
                          places(), alpha=ALPHA)
    assert "aktivitetens alla platser och brottskategorier" in t1.attrs["fdr"]["note"]


# --- shown: the table, the Plats page, the pack, the command line and Metod -------------------------
def test_the_effects_table_shows_the_adjusted_p_values_and_one_note(with_district):
    from lagesbild.figures.effects_table import effects_note, make_effects_table
    from lagesbild.figures.format import fmt_p

    t = with_district
    shown = make_effects_table(t)
    assert shown["p-värde"].tolist() == [fmt_p(q) for q in t["q_value"]]
    assert [x.rsplit(" (p-värde ", 1)[1] for x in shown["Jämfört med omgivningen"]] == [
        f"{fmt_p(q)})" for q in t["relative_q"]]
    assert t["q_value"].gt(t["p_value"]).any()  # the adjusted value, not the raw one
    assert effects_note(t) == t.attrs["fdr"]["note"] and "Benjamini–Hochberg" in effects_note(t)


def test_the_place_page_says_once_what_was_adjusted(with_district):
    from lagesbild.web.views.place import _effects_block

    results = {"effects": with_district, "category_names": {}, "place": {"name": "Torget"}, "periods": []}
    def texts(c):
        if isinstance(c, str):
            yield c
        elif isinstance(c, list | tuple):
            for x in c:
                yield from texts(x)
        elif getattr(c, "children", None) is not None:
            yield from texts(c.children)

    shown = list(texts(_effects_block(results, None)))
    assert sum("Korrigerat för många test" in x for x in shown) == 1
    assert with_district.attrs["fdr"]["note"] in shown


def test_the_command_line_text_gives_adjusted_p_values_and_the_note_once(with_district):
    from lagesbild.cli.analysis import _effect_text
    from lagesbild.figures.format import fmt_p

    one = with_district[with_district["activity_id"] == "a0"]
    text = _effect_text(one, {}, {}, with_district.attrs["fdr"]["note"])
    assert text.count("Korrigerat för många test (Benjamini–Hochberg") == 1
    lines = [line for line in text.splitlines() if line.startswith(("k0", "alla"))]
    assert len(lines) == len(one)
    for line, q, rq in zip(lines, one["q_value"], one["relative_q"], strict=True):
        assert f"  {fmt_p(q)}  " in line and f"  {fmt_p(rq)}  " in line


def test_metod_says_the_effects_are_adjusted_per_table():
    from lagesbild.analysis.methods import method_texts

    texts = {t[0]: t for t in method_texts(alpha=0.05, cell_size=200, min_population=1000)}
    effect = texts["Aktiviteters effekt (före och efter)"][1]
    assert "Benjamini–Hochberg" in effect and "varje slags test" in effect


def test_cli_effect_on_the_demo_store(demo_store_path):
    """``lagesbild effect`` prints the adjusted p-values (the JSON has them as ``q_value``) and the
    family's note once."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from lagesbild.figures.format import fmt_p

    def run(*args):
        env = {**os.environ, "LAGESBILD_DB": str(demo_store_path)}
        return subprocess.run([sys.executable, "-m", "lagesbild", "effect", "--activity",
                               "hv-platssamverkan-hasselby-torg", *args], capture_output=True, text=True,
                              env=env, cwd=Path(__file__).parents[1], timeout=300, check=True).stdout

    rows = json.loads(run("--format", "json"))
    text = run()
    assert text.count("Korrigerat för många test (Benjamini–Hochberg") == 1
    table = text.split("\n-")[1].splitlines()[1:len(rows) + 1]
    for line, r in zip(table, rows, strict=True):
        assert f"  {fmt_p(r['q_value'])}  " in line
    assert any(r["q_value"] > r["p_value"] for r in rows)


def _minlike_ends(table, level):
    """Reference (stats10): the outermost odds ratios whose minlike p-value (scipy's nchypergeom_fisher
    pmf, counts no more likely than the observed one) is at least 1 − level, located on a log grid and
    refined by brentq; 0 or ∞ when the grid's end is accepted."""
    import math

    from scipy import stats
    from scipy.optimize import brentq

    (a, b), (c, d) = table
    lo, hi = max(0, (a + c) - (c + d)), min(a + b, a + c)

    def p(g):
        dist = stats.nchypergeom_fisher(a + b + c + d, a + b, a + c, math.exp(g))
        pmf = dist.pmf(np.arange(lo, hi + 1))
        return float(pmf[pmf <= dist.pmf(a) * (1 + 1e-7)].sum()) - (1 - level)

    grid = np.linspace(-12, 12, 600)
    ok = [i for i, g in enumerate(grid) if p(g) >= 0]
    low = 0.0 if ok[0] == 0 else math.exp(brentq(p, grid[ok[0] - 1], grid[ok[0]], xtol=1e-11))
    high = math.inf if ok[-1] == len(grid) - 1 else math.exp(brentq(p, grid[ok[-1]], grid[ok[-1] + 1], xtol=1e-11))
    return low, high


@pytest.mark.parametrize("t0, t1, c0, c1, level", [
    (2, 9, 300, 310, 0.995), (1, 8, 50, 50, 0.9975),  # small counts: a normal stretch was off by 20–60 %
    (0, 30, 600, 620, 0.95), (0, 30, 600, 620, 0.975), (30, 0, 600, 620, 0.975),  # one end at 0 or ∞
    (150, 120, 3000, 3100, 0.995), (100, 100, 500, 520, 0.9975),  # many crimes: it was stretched
])
def test_relative_intervals_at_the_family_level_invert_fishers_test(t0, t1, c0, c1, level):
    """The relative intervals at the Benjamini–Yekutieli level were the 95 % interval stretched by
    z(level)/z(0,95) (NaN at their finite end when a count was 0), then the conditional central
    interval at the level under 100 crimes (scipy's odds_ratio(kind="conditional")), which disagreed
    with Fisher's minlike p-value deciding the verdict (stats10); each is now the outermost odds ratios
    that test does not reject at the level."""
    from lagesbild.core.effect_family import relative_intervals
    from lagesbild.core.relative import relative_test

    row = relative_test((t0, t1), (c0, c1))
    table = pd.DataFrame([{**row, "count_before": t0, "count_after": t1, "comparison_before": c0,
                           "comparison_after": c1}])
    out = relative_intervals(table, level).iloc[0]
    ref = _minlike_ends([[t1, t0], [c1, c0]], level)
    assert (out["relative_ci_low"], out["relative_ci_high"]) == pytest.approx(ref, rel=2e-3)
    assert out["relative_ci_level"] == level


