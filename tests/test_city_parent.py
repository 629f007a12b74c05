"""The city is the larger place only of places that can lie in it. Göteborg, read in from Brå's
yearly tables beside the demo's Stockholm, was drawn on Plats and in the pack as "Andel av
Stockholm"; a kommun or län is never part of the city, nor is a place whose box lies outside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagesbild import analysis
from lagesbild.analysis import base
from tests.square_place import demo_with_files

YEARLY = Path(__file__).resolve().parent / "data" / "bra" / "bra_omraden_ar.csv"


@pytest.fixture(scope="module")
def with_goteborg(demo_store_path, tmp_path_factory):
    return demo_with_files(demo_store_path, tmp_path_factory.mktemp("city-parent"), {"crimes": YEARLY})


def test_a_kommun_outside_the_city_gets_no_share_of_the_city(with_goteborg):
    settings, store = with_goteborg
    row = base.place(store, "goteborg")
    assert row["kind"] == "kommun"
    assert base.parent_ids(store, row) == []
    view = analysis.place_view(store, settings, "goteborg")
    assert view["parent_names"] == {} and "shares" not in view


def test_places_in_the_city_keep_their_district_and_the_city(with_goteborg):
    settings, store = with_goteborg
    assert base.parent_ids(store, base.place(store, "hasselby-torg")) == ["hasselby-vallingby", "stockholm"]
    assert base.parent_ids(store, base.place(store, "hasselby-vallingby")) == ["stockholm"]
    view = analysis.place_view(store, settings, "hasselby-torg")
    assert set(view["shares"]["parent_id"].dropna()) == {"hasselby-vallingby", "stockholm"}
