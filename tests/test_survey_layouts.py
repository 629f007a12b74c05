"""Safety surveys in their published layouts (sample files with fictitious numbers)."""

from __future__ import annotations

import csv

from lagesbild.ingest import ingest_file
from lagesbild.settings import ROOT
from lagesbild.sources.survey import read_survey
from tests.fixtures_sources import write_xlsx

EXAMPLES = ROOT / "data" / "examples"
POLICE = EXAMPLES / "polisen_trygghetsmatning.csv"
CITY = EXAMPLES / "stockholm_trygghetsmatning.csv"


def _rows(path, first):
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    return list(csv.reader(lines[start:], delimiter=";"))


def test_police_table_layout():
    r = read_survey(POLICE)
    assert r.errors == [] and r.meta["layout"] == "polisen"
    head, *body = _rows(POLICE, "Fråga;")
    n = dict(zip(head[1:], next(x for x in body if x and x[0] == "Antal svarande")[1:], strict=True))
    got = r.table.set_index(["indicator", "year"])
    for row in body:
        if not row or row[0] in ("Antal svarande",) or row[0].startswith("Källa"):
            continue
        for year, cell in zip(head[1:], row[1:], strict=True):
            if cell == "..":
                assert (row[0], int(year)) not in got.index
                continue
            rec = got.loc[(row[0], int(year))]
            assert rec["share"] == float(cell.replace(",", ".")) / 100
            assert rec["respondents"] == int(n[year])
    assert set(r.table["area"]) == {"Skärholmen"} and r.table["fictitious"].all()


def test_stockholm_city_layout():
    r = read_survey(CITY)
    assert r.errors == [] and r.meta["layout"] == "stockholms-stad"
    got = r.table.set_index(["area", "indicator", "year"])
    rec = got.loc[("Skärholmen", "Otrygg utomhus sent en kväll i området", 2021)]
    assert (rec["share"], rec["respondents"], rec["level"]) == (0.33, 1090, "stadsdelsomrade")
    assert ("Hässelby-Vällingby", "Oro för att utsättas för brott", 2023) not in got.index
    assert len(r.table) == 17


def test_police_table_as_xlsx(tmp_path):
    rows = [line.split(";") if line else [] for line in POLICE.read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]
    x = read_survey(write_xlsx(tmp_path / "t.xlsx", {"Tabell": rows}), mapping={
        "constants": {"area": "Skärholmen"}})
    c = read_survey(POLICE)
    cols = ["area", "year", "indicator", "share", "respondents"]
    assert x.errors == [] and x.table[cols].equals(c.table[cols])


def test_published_layouts_load_into_a_fresh_store(store):
    a = ingest_file(store, "survey", POLICE)
    b = ingest_file(store, "survey", CITY)
    assert (a.rejected, b.rejected) == (0, 0) and (a.accepted, b.accepted) == (24, 17)
    s = store.survey()
    assert set(s["place_id"]) == {"skarholmen", "hasselby-vallingby", "stockholm"}
    assert s["fictitious"].all()
