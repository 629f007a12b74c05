"""Översikt's "Pågående aktiviteter" tile follows the district filter, as the table beside it does.

Filtered to Skärholmen, the tile counted every running activity of the city (dash's "noticed"). Now it
counts the activities at Skärholmen or a place inside it, as Åtgärdsplan lists them for that district.
The reference is counted with pandas from the store's activities, their places and the places' districts.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.figures.overview import running_activities
from lagesbild.web.views.overview import overview_view
from tests.test_web_callbacks import text_of, walk


def _tile(tree, label):
    cards = [c for c in walk(tree) if "tile" in str(getattr(c, "className", "") or "")]
    card = next(c for c in cards if label in text_of(c))
    return text_of(card)


def test_running_activities_of_the_district_only(demo_store, demo_settings):
    places, links, acts = demo_store.places(), demo_store.activity_places(), demo_store.activities()
    inside = {"skarholmen"} | set(places.loc[places["district_id"] == "skarholmen", "place_id"])
    ours = acts[acts["activity_id"].isin(links.loc[links["place_id"].isin(inside), "activity_id"])]
    today = pd.Timestamp.today().normalize()
    by_hand = len(running_activities(ours, on=today))
    everywhere = len(running_activities(acts, on=today))
    assert by_hand < everywhere  # the filter matters in the demo
    tree = overview_view(demo_store, demo_settings, district="skarholmen")
    assert f"Pågående aktiviteter {by_hand} " in _tile(tree, "Pågående aktiviteter") + " "
    whole = overview_view(demo_store, demo_settings)
    assert f"Pågående aktiviteter {everywhere} " in _tile(whole, "Pågående aktiviteter") + " "
