"""Jämför's default categories are chosen so that every place weighs the same.

Beside a torg of 40 000 crimes a month in four categories Hässelby torg does not have, the default
"de största" categories were the torg's four: Hässelby torg read "saknas" in every row."""

from __future__ import annotations

import pytest

from lagesbild.analysis.side_by_side import side_by_side
from tests.square_place import demo_with_square_place

BIG = ["Cykelstöld", "Bilbrott", "Ofredande", "Olaga hot"]  # none at Hässelby torg in the demo
MONTHS = [(y, m) for y in (2021, 2022, 2023) for m in range(1, 13) if (y, m) <= (2023, 8)]


@pytest.fixture(scope="module")
def with_big_place(demo_store_path, tmp_path_factory):
    return demo_with_square_place(
        demo_store_path, tmp_path_factory.mktemp("big-place"), lon=17.91, lat=59.275, d=0.003,
        rows=[(c, y, m, 40_000 + i) for i, c in enumerate(BIG) for y, m in MONTHS],
        properties={"place_id": "stortorg", "namn": "Stortorget", "typ": "torg",
                    "stadsdelsomrade": "skarholmen", "befolkning": 30000, "ungefarlig": False})


def test_every_place_has_counts_in_the_default_categories(with_big_place):
    settings, store = with_big_place
    out = side_by_side(store, settings, places=["stortorg", "hasselby-torg"], periods=["2021–2022", "2022–2023"])
    table = out["table"]
    for pid in ("stortorg", "hasselby-torg"):
        mine = table[(table["place_id"] == pid) & (table["category"].isin(out["categories"]))]
        assert (mine["count"].fillna(0) > 0).any(), (pid, out["categories"])
    own = set(store.monthly_counts(["hasselby-torg"])["category"])
    assert own & set(out["categories"])
