"""The action plan's effects (Åtgärdsplan): before/after every shown activity at each of its places.

The q-values are checked against statsmodels' ``multipletests(method="fdr_bh")`` over the whole
table's family, the rows against the place page's own computation for one activity.
"""

from __future__ import annotations

import numpy as np
from statsmodels.stats.multitest import multipletests

from lagesbild.analysis.plan import plan_effects
from lagesbild.figures.plan_effects import make_plan_effects_table


def bh(p):
    return multipletests(np.asarray(p, dtype=float), method="fdr_bh")[1]


def test_the_whole_table_is_one_benjamini_hochberg_family(demo_settings, demo_store):
    settings, store = demo_settings, demo_store
    effects = plan_effects(store, settings)
    tested = effects[effects["p_value"].notna()]
    # every activity with a start date, at each of its places, every category and the total
    started = store.activities().dropna(subset=["start_date"])["activity_id"]
    assert set(tested["activity_id"]) == set(started)
    for p, q in (("p_value", "q_value"), ("relative_p", "relative_q")):
        rows = effects[effects[p].notna()]
        single, totals = rows[rows["category"] != "alla"], rows[rows["category"] == "alla"]
        # the single categories of every activity and place are one family; each total row is
        # adjusted together with them (as on the place page)
        np.testing.assert_allclose(single[q], bh(single[p]), rtol=1e-12)
        both = bh(np.concatenate([single[p], totals[p]]))
        np.testing.assert_allclose(totals[q], both[len(single):], rtol=1e-12)
    assert "tabellens alla aktiviteter, platser och brottskategorier" in effects.attrs["fdr"]["note"]


def test_a_filter_keeps_its_activities_only(demo_settings, demo_store):
    settings, store = demo_settings, demo_store
    effects = plan_effects(store, settings, place_id="hasselby-torg")
    assert set(effects["place_id"]) == {"hasselby-torg"}
    assert set(effects["activity_id"]) == {"hv-platssamverkan-hasselby-torg"}
    # the same counts as the place page's effects (its family differs: its q-values may)
    from lagesbild.analysis.place import place_effects

    own = place_effects(store, settings, "hasselby-torg")
    cols = ["category", "count_before", "count_after", "p_value"]
    merged = effects[cols].merge(own[cols], on="category", suffixes=("", "_place"))
    assert len(merged) == len(own) > 2
    assert (merged["count_before"] == merged["count_before_place"]).all()
    assert (merged["count_after"] == merged["count_after_place"]).all()
    assert np.allclose(merged["p_value"], merged["p_value_place"])


def test_one_row_per_activity_and_place_naming_its_significant_categories(demo_settings, demo_store):
    settings, store = demo_settings, demo_store
    effects = plan_effects(store, settings)
    names = dict(zip(store.categories()["category_id"], store.categories()["name"], strict=True))
    table = make_plan_effects_table(effects, category_names=names, place_names={})
    pairs = effects[["activity_id", "place_id"]].drop_duplicates()
    assert len(table) == len(pairs)
    for row, (_, pair) in zip(table.to_dict("records"), pairs.iterrows(), strict=True):
        rows = effects[(effects["activity_id"] == pair["activity_id"])
                       & (effects["place_id"] == pair["place_id"])]
        total = rows[rows["category"] == "alla"].iloc[0]
        assert row["Före"].startswith(f"{total['count_before']:,}".replace(",", "\u00a0") + " (")
        found = rows[(rows["category"] != "alla") & rows["significant"].fillna(False).astype(bool)]
        listed = row["Kategorier med säkerställd förändring"]
        assert (listed == "ingen") == found.empty
        for cat in found["category"]:
            assert names.get(cat, cat) in listed
    assert (table["Kategorier med säkerställd förändring"] != "ingen").any()  # both kinds shown
