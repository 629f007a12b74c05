"""The overview of a category the store knows but has no counts for (the demo's "Bilbrott": a
category of the built-in list that no file gave).

The year-level test of two whole years (``core/year_level.py``, this session) reshaped an empty table
of rows and the callback answered 500 ("Något gick fel på servern"); found by the dashboard benchmark,
whose overview walks every category. The places are listed with nothing compared.
"""

from __future__ import annotations

from lagesbild import analysis as an


def test_a_category_without_counts_gives_an_overview_without_numbers(demo_store, demo_settings):
    store = demo_store
    known = set(store.categories()["category_id"])
    counted = set(store.monthly_counts()["category"])
    empty = sorted(known - counted)
    assert "bilbrott" in empty
    period = an.sep_aug_years(store)[-1].label
    res = an.overview_table(store, demo_settings, period=period, categories=["bilbrott"])
    assert res["problem"] is None and len(res["rows"]) > 0
    assert res["comparison"].empty  # no count anywhere: no row is compared, nothing called a change
