"""Shared fixtures: stores built by code (empty, with places, with the full demo)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings

PLACES = ROOT / "geodata" / "places.geojson"


@pytest.fixture
def settings(tmp_path):
    """Settings pointing at an empty folder."""
    return load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "store.sqlite"))


@pytest.fixture
def store(settings):
    """An empty store (categories synced)."""
    return open_store(settings)


@pytest.fixture
def places_store(store):
    """A store with the demo places and districts."""
    ingest_file(store, "places", PLACES)
    return store


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory) -> Path:
    """A store with the whole demo loaded once per session (copy it before writing)."""
    from lagesbild.demo.load import load_demo

    folder = tmp_path_factory.mktemp("demo")
    s = load_settings({}, data_dir=str(folder), db=str(folder / "demo.sqlite"))
    load_demo(open_store(s), s)
    return folder / "demo.sqlite"


@pytest.fixture(scope="session")
def demo_store(demo_store_path):
    """The session's demo store, read-only by convention."""
    s = load_settings({}, data_dir=str(demo_store_path.parent), db=str(demo_store_path))
    return open_store(s)
