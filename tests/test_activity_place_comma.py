"""An activity's place whose name has a comma (desk10: "Storvretens centrum, Skäftingebacken och
Hågelby gårds område") was split at the comma in the plan's Plats cell — the list separator — and
refused as two unknown places, "okänd plats: Storvretens centrum". A run of parts that names a stored
place is that place; other commas still separate places."""

from __future__ import annotations

import json

import openpyxl
import pytest

from lagesbild.cli import main
from lagesbild.settings import load_settings
from lagesbild.store import Store

LONG = "Storvretens centrum, Skäftingebacken och Hågelby gårds område"


def _square(x, y):
    return [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]]


def _places(path):
    features = [{"type": "Feature", "properties": {"Kod": pid, "Namn": name, "TYP": "omrade"},
                 "geometry": {"type": "Polygon", "coordinates": _square(17.80 + i / 50, 59.20)}}
                for i, (pid, name) in enumerate([("storvreten", LONG), ("alby", "Alby")])]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def _plan(path, cell):
    if path.suffix == ".xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["Aktivitet", "Plats", "Löptid"])
        ws.append(["Ordningsvakter", cell, "2026-01-01 – 2026-12-31"])
        wb.save(path)
    else:
        path.write_text(f'- aktivitet: Ordningsvakter\n  plats: "{cell}"\n  löptid: 2026-01-01 – 2026-12-31\n',
                        encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
@pytest.mark.parametrize(("cell", "want"), [
    (LONG, {"storvreten"}),
    (f"Alby, {LONG}", {"alby", "storvreten"}),
    (f"{LONG}; Alby", {"alby", "storvreten"}),
    ("Alby", {"alby"}),  # a guard
])
def test_a_place_name_with_a_comma_is_one_place(tmp_path, suffix, cell, want):
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "places", str(_places(tmp_path / "p.geojson")), "--no-progress"]) == 0
    assert main(["--db", str(db), "ingest", "activities", str(_plan(tmp_path / f"plan{suffix}", cell)),
                 "--no-progress"]) == 0
    store = Store(load_settings({}, data_dir=str(tmp_path), db=str(db)).db_url)
    assert set(store.activity_places()["place_id"]) == want


def test_unknown_parts_are_still_refused(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "places", str(_places(tmp_path / "p.geojson")), "--no-progress"]) == 0
    code = main(["--db", str(db), "ingest", "activities",
                 str(_plan(tmp_path / "plan.yaml", "Storvretens centrum, Okänt")), "--no-progress"])
    assert code == 2
    assert 'värde "Storvretens centrum": okänd plats' in capsys.readouterr().err
