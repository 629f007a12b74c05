"""The demo store plus files of a test's own, as several tests build it.

:func:`demo_with_files` copies the demo store into a folder and reads files in; :func:`demo_with_square_place` copies the demo store into ``folder``, writes a GeoJSON of one square
(``lon``, ``lat`` its centre, ``d`` half its side in degrees) with the place's properties and a CSV of
monthly counts (``rows``: ``(category name, year, month, count)``), and reads both in; the settings
and the store come back.
"""

from __future__ import annotations

import json
from pathlib import Path

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.e2e_support import copy_sqlite


def square(lon: float, lat: float, d: float) -> list:
    """A GeoJSON polygon's rings: the square of half side ``d`` degrees around (``lon``, ``lat``)."""
    return [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]]


def demo_with_files(demo_store_path: Path, folder: Path, files: dict, name: str = "store.sqlite"):
    """(settings, store): the demo store copied into ``folder`` with ``files`` (kind -> path) read in,
    each wholly (every row accepted)."""
    copy_sqlite(demo_store_path, folder / name)
    settings = load_settings({}, data_dir=str(folder), db=str(folder / name))
    store = open_store(settings)
    for kind, path in files.items():
        report = ingest_file(store, kind, path)
        assert report.status == "ok" and report.accepted and not report.rejected, (kind, report.message)
    return settings, store


def demo_with_square_place(demo_store_path: Path, folder: Path, *, lon: float, lat: float, d: float,
                           properties: dict, rows: list, name: str = "store.sqlite"):
    """(settings, store): the demo store in ``folder`` plus the place and its counts, read in."""
    (folder / "places.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square(lon, lat, d)},
         "properties": properties}]}, ensure_ascii=False), encoding="utf-8")
    lines = ["Plats;Brottskategori;Månad;Antal"]
    lines += [f"{properties['namn']};{category};{y}-{m:02d};{n}" for category, y, m, n in rows]
    (folder / "crimes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return demo_with_files(demo_store_path, folder, {"places": folder / "places.geojson",
                                                     "crimes": folder / "crimes.csv"}, name)
