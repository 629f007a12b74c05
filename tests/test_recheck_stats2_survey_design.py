"""A weighted survey's design effect widens its intervals and tests (recheck by stats2).

Weighted shares (``Viktad andel``) were tested with their respondents as if they were a simple random
sample. With a design effect ``deff`` (Kish: ``n·Σw²/(Σw)²``) the sample counts as ``n / deff``
respondents. References: statsmodels' Wilson interval and two-proportion z test on the effective
sample, and Kish's formula by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from lagesbild.analysis.methods import method_texts
from lagesbild.core.survey import survey_table

PLACES = pd.DataFrame({"place_id": ["torget", "sdo", "stad"], "district_id": ["sdo", None, None]})


def kish(weights) -> float:
    w = np.asarray(weights, float)
    return len(w) * (w ** 2).sum() / w.sum() ** 2


def frame(deff):
    return pd.DataFrame({
        "place_id": ["torget", "torget"], "level": ["plats", "plats"], "year": [2021, 2023],
        "indicator": ["oro", "oro"], "share": [0.30, 0.22],
        "respondents": pd.array([400, 420], dtype="Int64"), "fictitious": [False, False],
        "design_effect": [deff, deff]})


def test_the_interval_and_test_use_the_effective_number_of_respondents():
    rng = np.random.default_rng(1)
    deff = kish(rng.lognormal(0, 0.7, 420))  # weights of a post-stratified sample: deff about 1.6
    assert 1.3 < deff < 2.0
    row = survey_table(frame(deff), PLACES, place_id="torget", fdr=False).iloc[-1]
    n_eff, prev_eff = 420 / deff, 400 / deff
    lo, hi = proportion_confint(0.22 * n_eff, n_eff, alpha=0.05, method="wilson")
    assert (row.ci_lo, row.ci_hi) == pytest.approx((lo, hi), abs=1e-12)
    _, p = proportions_ztest([0.22 * n_eff, 0.30 * prev_eff], [n_eff, prev_eff])
    # at most 300 effective respondents each: never below Barnard's exact test of the answers they hold
    a, m, b, k = round(0.22 * n_eff), round(n_eff), round(0.30 * prev_eff), round(prev_eff)
    assert max(m, k) <= 300
    p = max(p, stats.barnard_exact([[a, b], [m - a, k - b]], pooled=True).pvalue)
    assert row.p_value == pytest.approx(p, rel=1e-9)
    assert int(row.respondents) == 420  # the respondents shown stay the respondents
    assert "designeffekten" in row.note


def test_the_same_change_is_no_longer_significant_when_the_weights_double_the_variance():
    plain = survey_table(frame(None), PLACES, place_id="torget", fdr=False).iloc[-1]
    weighted = survey_table(frame(2.0), PLACES, place_id="torget", fdr=False).iloc[-1]
    assert plain.p_value < 0.05 < weighted.p_value  # 30 % -> 22 % of 400/420: p 0.009 vs 0.065
    assert weighted.ci_hi - weighted.ci_lo > 1.35 * (plain.ci_hi - plain.ci_lo)  # about √2 wider
    assert "designeffekten" not in plain.note


def test_the_method_text_says_the_interval_assumes_a_simple_random_sample():
    texts = {t[0]: t for t in method_texts(alpha=0.05, cell_size=200, min_population=1000)}
    assumes = texts["Trygghetsmätningen"][2]
    assert "enkelt slumpmässigt urval" in assumes and "designeffekt" in assumes
