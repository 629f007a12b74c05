"""A police incident file read before any place file: the ingest says the incidents are kept but
counted nowhere yet, and a place file read later counts them and covers their months, exactly as
when the places came first (it compared nothing: 'data saknas för 24 månader', because the source
had no covered months to recover). References: the file's points inside the square counted with
pandas, and the same files read in the other order."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from lagesbild.cli import main

SQUARE = (318_500.0, 6_398_500.0, 320_500.0, 6_400_500.0)  # SWEREF 99 TM, in Göteborg


def incident_file(folder, *, start: str, n: int, seed: int, spread: float, name: str = "händelser.csv"):
    """A police-style incident file (``;``, decimal comma, SWEREF 99 TM) of ``n`` incidents from
    ``start`` to 31 Aug 2023 around the square's middle, and its rows as a frame (the reference)."""
    rng = np.random.default_rng(seed)
    hours = pd.date_range(start, "2023-08-31 23:00", freq="h")
    when = pd.DatetimeIndex(np.sort(rng.choice(hours.to_numpy(), n)))
    cats = rng.choice(["Skadegörelse", "Narkotikabrott"], n)
    x, y = 319_500 + rng.normal(0, spread, n), 6_399_500 + rng.normal(0, spread, n)
    lines = ["Händelse-id;Datum;Brottskategori;X;Y"] + [
        f"G{i};{when[i]:%Y-%m-%d %H:%M};{cats[i]};{x[i]:.1f};{y[i]:.1f}".replace(".", ",") for i in range(n)]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, pd.DataFrame({"when": when, "cat": cats, "x": np.round(x, 1), "y": np.round(y, 1)})


def write_files(folder):
    incidents, frame = incident_file(folder, start="2021-09-01", n=2_000, seed=7, spread=900)
    x0, y0, x1, y1 = SQUARE
    places = folder / "platser.geojson"
    places.write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        "features": [{"type": "Feature", "properties": {"id": "gbg-centrum", "namn": "Göteborg centrum",
                                                        "typ": "centrum"},
                      "geometry": {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1],
                                                                       [x0, y0]]]}}]}), encoding="utf-8")
    return incidents, places, frame


def compared(capsys, db) -> list[dict]:
    capsys.readouterr()
    assert main(["--db", str(db), "compare", "--place", "Göteborg centrum", "--periods", "2021–2022",
                 "2022–2023", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_incidents_read_before_the_places_are_counted_when_the_places_come(tmp_path, capsys):
    incidents, places, frame = write_files(tmp_path)
    late = tmp_path / "late.sqlite"
    capsys.readouterr()
    assert main(["--db", str(late), "ingest", "incidents", str(incidents)]) == 0
    assert "inga platser med gräns ännu: händelserna är sparade" in capsys.readouterr().out
    assert main(["--db", str(late), "ingest", "places", str(places)]) == 0
    rows = {r["category"]: r for r in compared(capsys, late)}

    x0, y0, x1, y1 = SQUARE
    inside = frame[(frame["x"] > x0) & (frame["x"] < x1) & (frame["y"] > y0) & (frame["y"] < y1)]
    year_b = inside["when"] >= pd.Timestamp("2022-09-01")
    for cat, name in (("skadegorelse", "Skadegörelse"), ("narkotikabrott", "Narkotikabrott")):
        mine = inside["cat"] == name
        assert (rows[cat]["count_a"], rows[cat]["count_b"]) == (int((mine & ~year_b).sum()), int((mine & year_b).sum()))
        assert not rows[cat]["verdict"].startswith("kan inte bedömas")

    first = tmp_path / "first.sqlite"  # the usual order gives the same table
    assert main(["--db", str(first), "ingest", "places", str(places)]) == 0
    assert main(["--db", str(first), "ingest", "incidents", str(incidents)]) == 0
    usual = {r["category"]: r for r in compared(capsys, first)}
    for cat, r in usual.items():
        for key in ("count_a", "count_b", "p_value", "verdict"):
            assert rows[cat][key] == pytest.approx(r[key]) if key == "p_value" else rows[cat][key] == r[key]
