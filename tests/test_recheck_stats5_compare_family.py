"""Jämför platser: which tests the page's Benjamini–Hochberg note counts, and where they are (recheck of
issue #11 by stats5).

With the demo's default choice (Bredäng and its similar places, 2021–2022 against 2022–2023) the note
under the table of changes said "50 jämförelser … 18 är statistiskt säkerställda" while that table
marked one row: the 50 were its 20 changes and the 30 differences between places in another table, 17
of the 18 discoveries among the differences. In one family the many large differences between places
raised the BH threshold for the changes: a change that Plats' own family did not call significant
(Älvsjö/Solberga, våldsbrott, p 0.013) was "säkerställd" here, and among the changes alone there was no
false discovery control. References: statsmodels' ``multipletests(method="fdr_bh")`` per table, and a
seeded simulation of the false discoveries among changes that are all null.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from lagesbild.analysis import side_by_side as sbs
from lagesbild.analysis.place import place_comparison
from lagesbild.web import common
from lagesbild.web.views.side_by_side import compare_view

PERIODS = ["2021–2022", "2022–2023"]


def _changes(p: np.ndarray) -> pd.DataFrame:
    n = len(p)
    return pd.DataFrame({"p_unadjusted": p, "count_a": [100] * n, "count_b": [110] * n, "days_a": [365] * n,
                         "days_b": [365] * n, "method": ["kvasi-Poisson"] * n, "verdict": [""] * n})


def _between(p: np.ndarray) -> pd.DataFrame:
    n = len(p)
    return pd.DataFrame({"name_a": ["A"] * n, "name_b": ["B"] * n, "rate_a": [2.0] * n, "rate_b": [1.0] * n,
                         "method": ["kvasi-Poisson"] * n, "verdict": [None] * n, "p_unadjusted": p})


def test_differences_between_places_do_not_make_null_changes_significant():
    """20 changes without any real change beside 30 differences between places, 17 of them large (the
    demo page's mix): at α = 5 % a change may be called significant in at most about 5 % of pages (BH
    over null tests alone is the family-wise rate α). In one family of all 50 it was 29 %."""
    rng = np.random.default_rng(20261206)
    reps, alpha, hits = 1500, 0.05, 0
    for i in range(reps):
        pc = rng.uniform(size=20)
        pb = np.concatenate([np.full(17, 1e-8), rng.uniform(size=13)])
        changes, between, fdr = sbs._one_family(_changes(pc), _between(pb), alpha)
        hits += bool(changes["significant"].any())
        if i < 20:  # each table's adjusted p-values are statsmodels' BH over that table alone
            assert np.allclose(changes["p_value"], multipletests(pc, method="fdr_bh")[1])
            assert np.allclose(between["p_value"], multipletests(pb, method="fdr_bh")[1])
    assert hits / reps <= 0.065, hits / reps


def _text(node) -> str:
    if isinstance(node, (list, tuple)):
        return " ".join(_text(n) for n in node)
    if node is None or isinstance(node, (int, float, bool)):
        return ""
    if isinstance(node, str):
        return node
    return _text(getattr(node, "children", None))


def _ids(node) -> set:
    if isinstance(node, (list, tuple)):
        return set().union(*(_ids(n) for n in node)) if node else set()
    if node is None or isinstance(node, (str, int, float, bool)):
        return set()
    ident = getattr(node, "id", None)
    own = {ident} if isinstance(ident, str) else set()
    return own | _ids(getattr(node, "children", None))


def _card(tree, table_id):
    """The innermost element holding the table ``table_id`` and its notes (the card)."""
    found = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for n in node:
                walk(n)
            return
        if node is None or isinstance(node, (str, int, float, bool)):
            return
        if "card" in str(getattr(node, "className", "") or "") and table_id in _ids(node):
            found.append(node)
        walk(getattr(node, "children", None))

    walk(tree)
    return found[-1]


def _claimed(text: str) -> int:
    if re.search(r"Ingen (förändring|skillnad) är statistiskt säkerställd", text):
        return 0
    got = re.findall(r"(\d+) är statistiskt säkerställd", text)
    assert len(got) == 1, text
    return int(got[0])


@pytest.fixture(scope="module")
def default_page(demo_store, demo_settings):
    place = common.default_place(demo_store)
    tree = compare_view(demo_store, demo_settings, places=[place], periods=PERIODS, similar=True)
    res = sbs.side_by_side(demo_store, demo_settings, places=[place], periods=PERIODS, similar=3)
    return tree, res


def test_each_tables_note_counts_the_verdicts_that_table_shows(default_page):
    tree, res = default_page
    changes_card, between_card = _card(tree, "cmp-table"), _card(tree, "cmp-between")
    assert changes_card is not between_card
    marked = int(res["changes"]["significant"].sum())
    shown = int(res["between"]["verdict"].str.contains("statistiskt säkerställd").sum())
    assert shown == int(res["between"]["significant"].sum())
    assert _claimed(_text(changes_card)) == marked
    assert _claimed(_text(between_card)) == shown
    # every test shown is in one of the two families: the changes (20) and the differences (30)
    m_changes = int(res["changes"]["p_unadjusted"].notna().sum())
    m_between = int(res["between"]["p_unadjusted"].notna().sum())
    assert (m_changes, m_between) == (20, 30)
    assert f"{m_changes} jämförelser" in _text(changes_card)
    assert f"{m_between} jämförelser" in _text(between_card)


def test_a_change_not_significant_on_plats_is_not_significant_here(demo_store, demo_settings, default_page):
    """Älvsjö/Solberga's våldsbrott (145 → 100, p 0.013): not significant in Plats' family of the
    place's own table; Jämför's 50-test family made it "minskning, statistiskt säkerställd"."""
    _, res = default_page
    ch = res["changes"].set_index(["place_id", "category"])
    row = ch.loc[("alvsjo-solberga", "valdsbrott")]
    assert (row["count_a"], row["count_b"]) == (145, 100)
    own = place_comparison(demo_store, "alvsjo-solberga", PERIODS, alpha=demo_settings.alpha).set_index(
        "category")
    assert not bool(own.loc["valdsbrott", "significant"])
    assert not bool(row["significant"]) and row["verdict"] == "ingen säkerställd förändring"


def test_metod_says_how_jamfor_is_corrected_and_what_quasi_poisson_assumes():
    """Metod said "Alla förändringar och skillnader på sidan korrigeras tillsammans" (no longer so), and
    the quasi-Poisson test's assumptions named only independent months around a smooth trend, not
    that the variance is φ times the mean with the history's φ holding in the compared periods."""
    from lagesbild.analysis.methods import method_texts

    texts = {t[0]: t for t in method_texts(alpha=0.05, cell_size=200, min_population=1000)}
    between = " ".join(texts["Jämförelse mellan platser"])
    assert "på sidan korrigeras tillsammans" not in between
    assert "förändringarna över tid i sidans andra tabell för sig" in between
    assumes = texts["Förändring mellan två perioder"][2]
    assert "varians som är φ gånger medelvärdet" in assumes
    assert "samma φ i de jämförda perioderna som i historiken" in assumes
