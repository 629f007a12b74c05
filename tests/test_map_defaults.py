"""Karta opens on what it can draw: the category (and district) with the most incidents.

A file of monthly counts (no points) for a torg with 4 000 weapons offences a month made the largest
category "vapenbrott", and Karta opened on it with "För få brott (0)" where the demo's incidents hold
thousands of points of other categories."""

from __future__ import annotations

import pytest

from lagesbild.analysis import maps
from tests.square_place import demo_with_square_place

MONTHS = [(y, m) for y in (2021, 2022, 2023) for m in range(1, 13) if (y, m) <= (2023, 8)]


@pytest.fixture(scope="module")
def with_counts_file(demo_store_path, tmp_path_factory):
    return demo_with_square_place(
        demo_store_path, tmp_path_factory.mktemp("map-defaults"), lon=17.91, lat=59.275, d=0.003,
        rows=[("Vapenbrott", y, m, 4000) for y, m in MONTHS],
        properties={"place_id": "vapentorg", "namn": "Vapentorget", "typ": "torg",
                    "stadsdelsomrade": "skarholmen", "befolkning": 3000, "ungefarlig": False})


def test_the_map_opens_on_the_category_with_most_incidents(with_counts_file):
    _settings, store = with_counts_file
    incidents = store.incidents()
    hidden = set(maps.base.sensitive_categories(store))
    by_category = incidents[~incidents["category"].isin(hidden)].groupby("category").size()
    got = maps.defaults(store)
    assert got["category"] != "vapenbrott"
    assert got["category"] == by_category.idxmax()
