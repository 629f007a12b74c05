"""Tests of the bundled demo data: places, the fictitious incident generator, survey and action plan.

The real Hässelby torg figures are typed in here from the source document, and the counts are
computed independently of the generator: pandas reads the CSV, pyproj projects the place polygons
from ``geodata/places.geojson`` and shapely tests point-in-polygon.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
import yaml
from pyproj import Transformer
from shapely.geometry import shape

from lagesbild.demo.generate import generate_incidents
from lagesbild.demo.survey import write_survey

ROOT = Path(__file__).resolve().parent.parent
PLACES = ROOT / "geodata" / "places.geojson"
SURVEY = ROOT / "data" / "demo" / "trygghetsmatning.csv"
PLAN = ROOT / "data" / "demo" / "atgardsplan.yaml"
DISTRICTS = ("hasselby-vallingby", "hagersten-alvsjo", "skarholmen")

# Hässelby-Vällingby's action plan: police statistics for Hässelby torg, Jan–Nov 2018 vs Jan–Nov 2019.
REAL_TORG = {"Skadegörelse": (274, 142), "Tillgrepp i butik": (60, 31),
             "Våldsbrott": (62, 51), "Narkotikabrott": (32, 60)}


def _places_3006() -> dict[str, shapely.Geometry]:
    fc = json.loads(PLACES.read_text(encoding="utf-8"))
    tf = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    out = {}
    for feat in fc["features"]:
        geom = shape(feat["geometry"])
        out[feat["properties"]["place_id"]] = shapely.transform(
            geom, lambda xy: np.column_stack(tf.transform(xy[:, 0], xy[:, 1])))
    return out


def _read_incidents(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, sep=";", encoding="cp1252", skiprows=1, decimal=",", dtype={"Händelse-id": str})
    df["Datum"] = pd.to_datetime(df["Datum"], format="%Y-%m-%d %H:%M")
    return df


def _torg_counts(df: pd.DataFrame, torg: shapely.Geometry, year: int) -> dict[str, int]:
    inside = shapely.contains_xy(torg, df["X"].to_numpy(), df["Y"].to_numpy())
    window = (df["Datum"] >= f"{year}-01-01") & (df["Datum"] < f"{year}-12-01")
    return df.loc[inside & window, "Brottskategori"].value_counts().to_dict()


@pytest.fixture(scope="module")
def places() -> dict[str, shapely.Geometry]:
    return _places_3006()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    return generate_incidents(tmp_path_factory.mktemp("demo") / "brott.csv")


@pytest.fixture(scope="module")
def incidents(demo_file) -> pd.DataFrame:
    return _read_incidents(demo_file)


# ---------------------------------------------------------------- places


def test_places_file_contents_and_size(places):
    fc = json.loads(PLACES.read_text(encoding="utf-8"))
    props = {f["properties"]["place_id"]: f["properties"] for f in fc["features"]}
    assert PLACES.stat().st_size < 1.5e6
    assert props["stockholm"]["typ"] == "stad"
    assert sum(p["typ"] == "stadsdelsomrade" for p in props.values()) == 13
    expected = {"hasselby-torg": "torg", "vallingby-centrum": "centrum", "skarholmen-centrum": "centrum",
                "alvsjo-solberga": "utsatt_omrade", "fruangen": "omrade", "varberg": "utsatt_omrade",
                "bredang": "utsatt_omrade", "satra": "omrade"}
    for place_id, kind in expected.items():
        p = props[place_id]
        assert p["typ"] == kind
        assert p["stadsdelsomrade"] in DISTRICTS
        assert p["ungefarlig"] is (kind in ("torg", "centrum"))
        assert places[p["stadsdelsomrade"]].contains(places[place_id])
        assert p["befolkning"] > 0 and p["kalla"]
    assert all(g.is_valid for g in places.values())
    # The city is the union of its districts: areas add up (slivers between districts < 0.1 %).
    district_area = sum(g.area for pid, g in places.items() if props[pid]["typ"] == "stadsdelsomrade")
    assert places["stockholm"].area == pytest.approx(district_area, rel=1e-3)


def test_squares_lie_where_the_sources_say(places):
    tf = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    # Hässelby gård tunnelbana, Vällingby and Skärholmen tunnelbana (lon, lat): within 300 m.
    for place_id, lon, lat in (("hasselby-torg", 17.8439, 59.3670), ("vallingby-centrum", 17.8722, 59.3633),
                               ("skarholmen-centrum", 17.9070, 59.2770)):
        assert places[place_id].distance(shapely.Point(tf.transform(lon, lat))) < 300


# ---------------------------------------------------------------- incidents


def test_same_seed_gives_identical_bytes(demo_file, tmp_path):
    again = generate_incidents(tmp_path / "again.csv")
    assert again.read_bytes() == demo_file.read_bytes()


def test_file_looks_like_a_police_export(demo_file):
    raw = demo_file.read_bytes()
    lines = raw.decode("cp1252").split("\r\n")
    assert lines[0].startswith("# FIKTIVA DEMODATA – genererade av lagesbild (seed 20190201)")
    assert "Hässelby torg jan–nov 2018/2019" in lines[0]
    assert lines[1] == "Händelse-id;Datum;Brottskategori;X;Y"
    row = re.compile(r"^[A-Z0-9-]+;\d{4}-\d\d-\d\d \d\d:\d\d;[^;]+;\d{6,7},\d;\d{7},\d$")
    assert all(row.match(line) for line in lines[2:-1])
    assert lines[-1] == ""


def test_real_hasselby_torg_figures(incidents, places):
    got18 = _torg_counts(incidents, places["hasselby-torg"], 2018)
    got19 = _torg_counts(incidents, places["hasselby-torg"], 2019)
    for category, (n18, n19) in REAL_TORG.items():
        assert (got18.get(category, 0), got19.get(category, 0)) == (n18, n19), category


def test_real_figures_hold_for_any_seed(tmp_path, places):
    df = _read_incidents(generate_incidents(tmp_path / "seed7.csv", seed=7))
    got18 = _torg_counts(df, places["hasselby-torg"], 2018)
    got19 = _torg_counts(df, places["hasselby-torg"], 2019)
    assert {c: (got18[c], got19[c]) for c in REAL_TORG} == REAL_TORG


def test_all_points_inside_the_three_districts(incidents, places):
    union = shapely.union_all([places[d] for d in DISTRICTS])
    assert shapely.contains_xy(union, incidents["X"].to_numpy(), incidents["Y"].to_numpy()).all()


def test_period_volume_and_vocabulary(incidents, places):
    assert incidents["Datum"].min() >= pd.Timestamp("2016-09-01")
    assert incidents["Datum"].max() <= pd.Timestamp("2023-08-31 23:59")
    assert 60_000 <= len(incidents) <= 100_000
    assert incidents["Händelse-id"].is_unique
    assert set(incidents["Brottskategori"]) == {
        "Skadegörelse", "Tillgrepp i butik", "Våldsbrott", "Narkotikabrott", "Personrån", "Inbrott",
        "Våld i nära relation", "Bedrägeri mot äldre"}
    xs, ys = incidents["X"].to_numpy(), incidents["Y"].to_numpy()
    for district in DISTRICTS:
        inside = incidents[shapely.contains_xy(places[district], xs, ys)]
        per_year = inside.groupby(inside["Datum"].dt.year).size().loc[2017:2022]
        assert per_year.between(1_500, 6_000).all(), district


def test_concentration_at_places(incidents, places):
    """Places are denser than their districts (incidents per km²)."""
    xs, ys = incidents["X"].to_numpy(), incidents["Y"].to_numpy()

    def density(pid):
        return shapely.contains_xy(places[pid], xs, ys).sum() / places[pid].area

    for place_id, district in (("hasselby-torg", "hasselby-vallingby"), ("vallingby-centrum", "hasselby-vallingby"),
                               ("skarholmen-centrum", "skarholmen")):
        assert density(place_id) > 5 * density(district), place_id
    for place_id, district in (("varberg", "skarholmen"), ("bredang", "skarholmen"),
                               ("alvsjo-solberga", "hagersten-alvsjo")):
        assert density(place_id) > 1.3 * density(district), place_id


def test_seasonality_and_time_of_week(incidents):
    month = incidents["Datum"].dt.month
    damage = incidents["Brottskategori"] == "Skadegörelse"
    assert (damage & month.isin([6, 7, 8])).sum() > 1.2 * (damage & month.isin([12, 1, 2])).sum()
    violence = incidents[incidents["Brottskategori"] == "Våldsbrott"]
    weekend = violence["Datum"].dt.dayofweek >= 5
    night = violence["Datum"].dt.hour < 4
    # Weekend small hours are more violent than weekday small hours, per day.
    assert (weekend & night).sum() / 2 > 1.5 * (~weekend & night).sum() / 5
    shop = incidents[incidents["Brottskategori"] == "Tillgrepp i butik"]
    assert shop["Datum"].dt.hour.between(9, 20).mean() > 0.85


def test_platssamverkan_change_is_visible(incidents, places):
    """Fictitious continuation: criminal damage at the square stays lower after Feb 2019."""
    torg = shapely.contains_xy(places["hasselby-torg"], incidents["X"].to_numpy(), incidents["Y"].to_numpy())
    damage = incidents[torg & (incidents["Brottskategori"] == "Skadegörelse")]
    before = damage["Datum"].between("2017-02-01", "2019-01-31 23:59").sum()
    after = damage["Datum"].between("2019-02-01", "2021-01-31 23:59").sum()
    assert after < 0.7 * before


# ---------------------------------------------------------------- survey


def test_survey_real_rows():
    lines = SURVEY.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# FIKTIVA DEMODATA")
    df = pd.read_csv(SURVEY, sep=";", skiprows=1, decimal=",", encoding="utf-8")
    assert list(df.columns) == ["Område", "Nivå", "År", "Indikator", "Andel (%)", "Antal svarande", "Fiktiv"]
    real = df[df["Fiktiv"] == "nej"].set_index(["Område", "Indikator"])["Andel (%)"]
    assert real.to_dict() == {
        ("Hässelby torg", "Berusade personer stör ordningen"): 23,
        ("Hässelby-Vällingby", "Berusade personer stör ordningen"): 9,
        ("Hässelby torg", "Narkotikapåverkade personer stör ordningen"): 20,
        ("Hässelby-Vällingby", "Narkotikapåverkade personer stör ordningen"): 8,
    }
    assert (df.loc[df["Fiktiv"] == "nej", "År"] == 2019).all()
    assert df.loc[df["Fiktiv"] == "nej", "Antal svarande"].isna().all()
    fict = df[df["Fiktiv"] == "ja"]
    assert len(fict) == len(df) - 4 and fict["Antal svarande"].gt(0).all()
    assert fict["Andel (%)"].between(0, 100).all()
    assert set(df["Nivå"]) == {"plats", "stadsdelsomrade", "stad"}
    assert set(df["År"]) == {2017, 2019, 2021, 2023}
    names = {f["properties"]["namn"] for f in json.loads(PLACES.read_text(encoding="utf-8"))["features"]}
    assert set(df["Område"]) <= names


def test_survey_file_is_the_generator_output(tmp_path):
    assert write_survey(tmp_path / "t.csv").read_bytes() == SURVEY.read_bytes()


# ---------------------------------------------------------------- action plan


def test_action_plan_activities():
    plan = yaml.load(PLAN.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    ids = [a["id"] for a in plan]
    assert len(ids) == len(set(ids))
    known = {f["properties"]["place_id"] for f in json.loads(PLACES.read_text(encoding="utf-8"))["features"]}
    by_id = {a["id"]: a for a in plan}
    real = set()
    for act in plan:
        assert set(act["plats"]) <= known, act["id"]
        for year, periods in (act.get("uppföljning") or {}).items():
            assert isinstance(year, int)
            for period, entry in periods.items():
                assert period in ("T1", "T2", "VB")
                assert set(entry) == {"mål uppfyllt", "genomförda aktiviteter"}
                if not entry["genomförda aktiviteter"].startswith("(Fiktiv uppföljning)"):
                    real.add((act["id"], year, period))
    # Only follow-ups quoted from the sources lack the "(Fiktiv uppföljning)" marker.
    assert real == {("hv-platssamverkan-hasselby-torg", 2019, "VB"), ("ha-samverkan-fokus-alvsjo-solberga", 2023, "T1"),
                    ("ha-platssamverkan-fruangen", 2023, "T1"), ("hl-2017-trygga-uppvaxten", 2017, "T1")}
    torg = by_id["hv-platssamverkan-hasselby-torg"]
    assert str(torg["start"]) == "2019-02-01" and torg["mötesfrekvens"] == "1 gång per månad"
    assert torg["plats"] == ["hasselby-torg"]
    assert str(by_id["hv-platssamverkan-vallingby-centrum"]["start"]) == "2020-09-01"
    names = " ".join(a.get("aktivitet") or a.get("åtgärd") for a in plan)
    for needle in ("Vårberg", "Bredäng", "Sätra", "Skärholmen", "Fokus Älvsjö/Solberga",
                   "Trygghetsinventeringar"):
        assert needle in names
    assert sum(a["prioriterat område"] == "Unga i risk för kriminalitet" for a in plan) >= 2
    old = [a for a in plan if "åtgärd" in a]
    assert old and all({"ansvarig", "samverkansforum", "prioriterade aktiviteter", "polisens åtagande",
                         "finansiering", "kommunikation"} <= set(a) for a in old)
