"""What ``demo`` may go on from without ``--force``: a store holding nothing but the demo's own
sources (an interrupted demo keeps its places; :func:`lagesbild.demo.load.holds_only_demo`). The CLI's
refusal "databasen är inte tom" is to use it (a change of lagesbild/cli/data.py, proposed with the
subprocess test in the ops5 report)."""

from __future__ import annotations

from lagesbild.demo.load import PLACES, holds_only_demo
from lagesbild.ingest import ingest_file
from lagesbild.store import Store

SMALL = PLACES.parents[1] / "tests" / "data" / "incidenter_3006.csv"


def test_the_demos_own_places_are_only_demo_and_anything_else_is_not():
    store = Store("sqlite://")
    assert holds_only_demo(store)
    ingest_file(store, "places", PLACES, source="demo-platser")  # what an interrupted demo keeps
    assert holds_only_demo(store)
    ingest_file(store, "incidents", SMALL, crs=3006, source="polisens-export")
    assert not holds_only_demo(store)


def test_places_of_the_users_own_are_not_the_demos():
    store = Store("sqlite://")
    ingest_file(store, "places", PLACES, source="kommunens-platser")
    assert not holds_only_demo(store)
