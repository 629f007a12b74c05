"""A stated design effect below 1 (stats4's review).

Before, a file's ``Designeffekt`` of 0,8 (or ``Effektivt antal svarande`` above the respondents) was
silently made 1: the row said nothing, so a reader could not tell that the file's figure was not used.
Weighting alone cannot give a design effect below 1 (Kish's ``n·Σw²/(Σw)²`` ≥ 1, checked here on
random weights); a stratified design can, but the file does not say how its figure was made, so the
honest choice is the simple random sample's interval (never narrower) and a note naming the figure.
References: Wilson's interval by hand, statsmodels' z test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportions_ztest

from lagesbild.analysis.methods import method_texts
from lagesbild.core.survey import survey_table

PLACES = pd.DataFrame({"place_id": ["torget", "sdo", "stad"], "district_id": ["sdo", None, None]})


def frame(deff_place, deff_district=None):
    return pd.DataFrame({
        "place_id": ["torget", "torget", "sdo"], "level": ["plats", "plats", "stadsdelsområde"],
        "year": [2021, 2023, 2023], "indicator": "oro", "share": [0.30, 0.22, 0.25],
        "respondents": pd.array([400, 420, 3000], dtype="Int64"), "fictitious": False,
        "design_effect": [deff_place, deff_place, deff_district]})


def wilson(p, n, z=1.959963984540054):
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_kish_design_effect_is_never_below_one():
    rng = np.random.default_rng(4)
    for _ in range(500):
        w = rng.lognormal(0, rng.uniform(0, 2), rng.integers(2, 300))
        assert len(w) * (w ** 2).sum() / w.sum() ** 2 >= 1 - 1e-12


def test_a_stated_design_effect_below_one_is_used_as_one_and_the_row_says_so():
    row = survey_table(frame(0.8), PLACES, place_id="torget", fdr=False, includes_place=False).iloc[-1]
    # the simple random sample's interval and test (n = 420 and 400), not n / 0.8
    assert (row.ci_lo, row.ci_hi) == pytest.approx(wilson(0.22, 420), abs=1e-12)
    _, p = proportions_ztest([0.22 * 420, 0.30 * 400], [420, 400])
    assert row.p_value == pytest.approx(p, rel=1e-9)
    assert "designeffekten 0,8, under 1" in row.note
    assert "räknar med 1" in row.note


def test_a_comparison_areas_stated_design_effect_below_one_is_named_too():
    row = survey_table(frame(None, 0.9), PLACES, place_id="torget", fdr=False,
                       includes_place=False).iloc[-1]
    assert "designeffekten 0,9, under 1" in row.note
    plain = survey_table(frame(None, None), PLACES, place_id="torget", fdr=False,
                         includes_place=False).iloc[-1]
    assert "under 1" not in plain.note
    assert row.p_district == pytest.approx(plain.p_district, rel=1e-12)


def test_the_method_text_says_a_design_effect_below_one_counts_as_one():
    texts = {t[0]: t for t in method_texts(alpha=0.05, cell_size=200, min_population=1000)}
    assert "designeffekt under 1 räknas som 1" in texts["Trygghetsmätningen"][2]


def test_the_weighting_note_names_whose_design_effect_it_uses():
    # only the district's survey is weighted: the note said "(platsens 1)", naming a figure of 1 as
    # the reason and not the district's 1,8 that the test used
    row = survey_table(frame(None, 1.8), PLACES, place_id="torget", fdr=False, includes_place=False).iloc[-1]
    assert "stadsdelsområdets 1,8" in row.note and "platsens 1" not in row.note
    _, p = proportions_ztest([0.22 * 420, 0.25 * 3000 / 1.8], [420, 3000 / 1.8])
    assert row.p_district == pytest.approx(p, rel=1e-9)
    both = survey_table(frame(1.6, 1.8), PLACES, place_id="torget", fdr=False, includes_place=False).iloc[-1]
    assert "platsens 1,6, föregående mätningens 1,6, stadsdelsområdets 1,8" in both.note
