"""The bundled yearly population (SCB DeSO sums and Stockholm kommun's series) and its use in comparisons."""

from __future__ import annotations

import csv
import json
import math

import geopandas as gpd
import pandas as pd
import pytest

from lagesbild.analysis import base
from lagesbild.analysis.place import place_comparison
from lagesbild.settings import ROOT, load_settings
from lagesbild.sources.population import read_population

SHARED = ROOT.parent / "shared" / "data" / "public"
DISTRICT = "hagersten-alvsjo"


def bundled() -> pd.DataFrame:
    return read_population(base.BUNDLED_POPULATION).set_index(["area", "year"])["population"]


def deso_sum_2023(place_id: str) -> int:
    """Independent recomputation: SCB DeSO representative points inside the district (geopandas sjoin)."""
    folder = SHARED / "scb-deso-stockholms-lan"
    deso = gpd.read_file(folder / "deso_stockholm.json")
    with open(folder / "deso_population_2010_2023.csv", encoding="utf-8") as f:
        pop = {r["deso"]: int(r["pop_2023"]) for r in csv.DictReader(f) if r["pop_2023"]}
    district = gpd.read_file(ROOT / "lagesbild" / "data" / "geo" / "builtin.geojson")
    district = district[district["place_id"] == place_id]
    points = gpd.GeoDataFrame({"id": deso["id"]}, geometry=deso.representative_point(), crs=deso.crs)
    inside = gpd.sjoin(points, district[["geometry"]], predicate="within")
    return sum(pop.get(i, 0) for i in inside["id"])


def test_bundled_district_equals_a_recomputation_from_scb_deso():
    table = bundled()
    # hand-picked from the SCB DeSO file: the 65 DeSO of Hägersten-Älvsjö, 2010 and 2023
    assert table[(DISTRICT, 2010)] == 98185 and table[(DISTRICT, 2023)] == 126157
    if SHARED.is_dir():  # developers' machines: recompute from the public files themselves
        assert table[(DISTRICT, 2023)] == deso_sum_2023(DISTRICT)


def test_bundled_city_is_stockholm_kommuns_yearly_series():
    table = bundled()
    years = table.loc["stockholm"]
    assert list(years.index) == list(range(2010, 2025))
    assert years[2021] == 978770 and years[2022] == 984748  # SCB BefolkningNy, by hand from the file
    if SHARED.is_dir():
        series = json.loads((SHARED / "scb-stockholm-population-yearly" / "population.json").read_text())
        assert {r["year"]: r["pop"] for r in series["city"] if r["year"] >= 2010} == years.to_dict()


def test_small_places_are_not_given_whole_deso_areas():
    areas = set(bundled().index.get_level_values("area"))
    assert {"hasselby-torg", "skarholmen-centrum"}.isdisjoint(areas)
    assert {"bredang", "varberg", "farsta"} <= areas


@pytest.fixture
def no_population_file(monkeypatch):
    monkeypatch.delenv("LAGESBILD_POPULATION_FILE", raising=False)


def test_rates_of_two_years_use_two_populations(demo_store, no_population_file):
    out = place_comparison(demo_store, DISTRICT, ["2021", "2022"], categories=["inbrott"]).iloc[0]
    pop_2021 = 98185 + (126157 - 98185) * 11 / 13  # interpolated by hand between 2010 and 2023
    pop_2022 = 98185 + (126157 - 98185) * 12 / 13
    assert out["rate_a"] == pytest.approx(1000 * out["count_a"] / pop_2021)
    assert out["rate_b"] == pytest.approx(1000 * out["count_b"] / pop_2022)
    assert pop_2021 != pop_2022
    # the two periods' notes as one, over both years
    assert out["note"].count("Befolkningen") == 1
    assert "Befolkningen 2021 och 2022 är interpolerad mellan kända år." in out["note"]  # not "2021–2022"


def test_the_city_uses_known_years_without_an_interpolation_note(demo_store, no_population_file):
    out = place_comparison(demo_store, "stockholm", ["2021", "2022"], categories=["inbrott"]).iloc[0]
    assert out["rate_a"] == pytest.approx(1000 * out["count_a"] / 978770)
    assert out["rate_b"] == pytest.approx(1000 * out["count_b"] / 984748)
    assert "interpolerad" not in out["note"]


def test_places_missing_from_the_bundled_file_keep_their_stored_population(demo_store, no_population_file):
    place = base.resolve_place(demo_store, "skarholmen-centrum")
    out = place_comparison(demo_store, "skarholmen-centrum", ["2021", "2022"], categories=["inbrott"]).iloc[0]
    assert out["rate_a"] == pytest.approx(1000 * out["count_a"] / place["population"])
    assert "interpolerad" not in out["note"]
    torg = place_comparison(demo_store, "hasselby-torg", ["2021", "2022"]).iloc[0]
    assert math.isnan(torg["rate_a"])  # 611 inhabitants (stored): below the floor


def test_a_population_file_replaces_the_bundled_one(demo_store, tmp_path):
    path = tmp_path / "folkmangd.csv"
    path.write_text("område;år;folkmängd\nHägersten-Älvsjö;2021;100000\nHägersten-Älvsjö;2022;125000\n",
                    encoding="utf-8")
    table = base.population_table(demo_store, load_settings({}, population_file=str(path)))
    assert table.values.tolist() == [[DISTRICT, 2021, 100000], [DISTRICT, 2022, 125000]]
    default = base.population_table(demo_store, load_settings({}, population_file=""))
    assert set(default["place_id"]) >= {DISTRICT, "stockholm", "bredang"}
    assert "skarholmen-centrum" not in set(default["place_id"])
    # the stadsdel Kungsholmen (not stored in the demo) never adds figures to the stadsdelsområde by name
    assert not default.duplicated(["place_id", "year"]).any()
    kungsholmen = default[(default["place_id"] == "kungsholmen") & (default["year"] == 2023)]
    assert kungsholmen["population"].tolist() == [bundled()[("kungsholmen", 2023)]]


def test_reader_skips_comment_lines_and_keeps_file_line_numbers(tmp_path):
    from lagesbild.errors import InputError

    path = tmp_path / "med_kommentar.csv"
    path.write_text("# Källa: SCB\n# två rader\nområde,namn,år,folkmängd\nx,Ett namn,2010,12\nx,Ett namn,2011,tolv\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_population(path)
    assert [(e.line, e.value) for e in err.value.errors] == [(5, "tolv")]
    path.write_text("# Källa: SCB\nområde,namn,år,folkmängd\nx,Ett namn,2010,12\n", encoding="utf-8")
    assert read_population(path).values.tolist() == [["x", 2010, 12, "Ett namn"]]
