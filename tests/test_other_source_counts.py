"""A place whose counts come from another source than its district's: no share, no rest, no test.

A file of monthly counts for one torg, read in beside the demo's incidents for its district
(Skärholmen), gives the torg more crimes than the district holds. Plats drew its share of the district
as "50 000 %"; Jämför compared it with "Skärholmen utom torget" at −11 572 crimes and said only that
the rate was not meaningful. Now neither: the share is not drawn and says why, and the rest of the
district has no count, its comparison saying that the counts come from different sources.
"""

from __future__ import annotations

import math

import pytest

from lagesbild.analysis.side_by_side import side_by_side
from tests.square_place import demo_with_square_place

PLACE = "eget-torg"


MONTHS = [(y, m) for y in (2021, 2022, 2023) for m in range(1, 13) if (y, m) <= (2023, 8)]


@pytest.fixture(scope="module")
def mixed(demo_store_path, tmp_path_factory):
    rows = [("Narkotikabrott", y, m, 900 + m) for y, m in MONTHS]
    rows += [("Cykelstöld", y, m, 50 + m) for y, m in MONTHS]  # none in the demo
    return demo_with_square_place(
        demo_store_path, tmp_path_factory.mktemp("other-source"), lon=17.91, lat=59.275, d=0.003, rows=rows,
        properties={"place_id": PLACE, "namn": "Eget torg", "typ": "torg", "stadsdelsomrade": "skarholmen",
                    "befolkning": 3000, "ungefarlig": False})


def test_jamfor_gives_the_rest_of_the_district_no_count_and_says_why(mixed):
    settings, store = mixed
    out = side_by_side(store, settings, places=[PLACE, "skarholmen"], categories=["narkotikabrott"],
                       periods=["2021–2022", "2022–2023"])
    changes = out["changes"].set_index("place_id")
    place, district = (int(changes.loc[p, "count_b"]) for p in (PLACE, "skarholmen"))
    assert place == sum(900 + m for m in range(1, 13))  # Sep 2022 – Aug 2023: twelve months of the file
    assert place > district  # the district's incidents hold fewer: two sources that do not nest
    row = out["between"].iloc[0]
    assert row["name_b"] == "Skärholmen utom Eget torg"
    assert math.isnan(row["count_b"]) and math.isnan(row["rate_b"]) and math.isnan(row["p_value"])
    assert row["verdict"].startswith("kan inte bedömas: Eget torg har fler brott än Skärholmen")
    assert "olika källor" in row["verdict"]


def test_plats_draws_no_share_above_the_whole(mixed):
    settings, store = mixed
    from lagesbild.web.views.place import place_results

    res = place_results(store, settings, PLACE, categories=["narkotikabrott"])
    shares = res["shares"]
    district = shares[shares["parent_id"] == "skarholmen"]
    bigger = district["count_place"] > district["count_parent"]
    assert bigger.sum() >= 2  # the years of the file (before it, the demo's incidents on the square)
    assert district.loc[bigger, "share"].isna().all()
    within = district[~bigger & (district["count_parent"] > 0)]
    assert len(within) and (within["share"] == within["count_place"] / within["count_parent"]).all()


def test_karta_of_a_place_with_counts_but_no_points_says_so(mixed):
    """Karta drew the torg as a grid of empty cells with "För få brott (0)", beside the 678 cykelstölder
    Plats shows for the same year: those are counts per month without a place on the map."""
    settings, store = mixed
    from lagesbild.analysis.maps import map_layers

    res = map_layers(store, settings, area=PLACE, category=["cykelstold"], period="2022–2023")
    assert res["incidents"] == 0  # the demo has no cykelstöld
    assert res["problem"] == ("kartan kräver brott på händelsenivå med koordinater; för Eget torg finns under "
                              "perioden bara antal per månad eller år (678 brott), som inte har något läge")
    assert sum(50 + m for m in range(1, 13)) == 678  # Sep 2022 – Aug 2023 of the file
    district = map_layers(store, settings, area="skarholmen", category=["narkotikabrott"], period="2022–2023")
    assert district["problem"] is None and district["incidents"] > 0
