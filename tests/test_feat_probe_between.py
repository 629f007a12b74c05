"""Jämför: a place too small for rates against its own district (probe of issue #15).

Hässelby torg (611 inhabitants in the demo, below min_population_for_rates) against Hässelby-Vällingby
is tested against the district without the square. The reason it cannot be is the square's rate;
the rest of the district (tens of thousands of inhabitants) has a meaningful one and is not named.
"""

from __future__ import annotations

from lagesbild.analysis.side_by_side import side_by_side


def test_only_the_small_place_is_named_when_its_rest_has_no_rate_because_of_it(demo_store, demo_settings):
    res = side_by_side(demo_store, demo_settings, places=["hasselby-torg", "hasselby-vallingby", "vallingby-centrum"],
                       periods=["2021–2022", "2022–2023"], categories=["skadegorelse"])
    b = res["between"].set_index(["place_a", "place_b"])
    assert b.loc[("hasselby-torg", "hasselby-vallingby"), "verdict"] == (
        "kan inte bedömas: brott per 1 000 invånare är inte meningsfullt för Hässelby torg")
    assert b.loc[("hasselby-torg", "vallingby-centrum"), "verdict"] == (
        "kan inte bedömas: brott per 1 000 invånare är inte meningsfullt för Hässelby torg")
    # the district against the rest of it without Vällingby centrum is still tested
    assert b.loc[("hasselby-vallingby", "vallingby-centrum"), "method"] is not None
