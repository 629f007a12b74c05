"""A place with a long Swedish name, an activity named at length and 19 categories: the before/after
table wrote the activity's 100-character name on each of its twenty rows, ten lines each in its
narrow column (five pages for one activity); the name now stands whole on the activity's first row
only (cut at a word on its other rows), and the zip's data file has it on every row."""

from __future__ import annotations

import json

from lagesbild.analysis.place import place_effects
from lagesbild.export.content import Table
from lagesbild.export.data import ExportData
from lagesbild.export.sections import effects_table
from lagesbild.ingest import ingest_file
from tests.square_place import square
from tests.test_recheck_pack2_bigplan import CATEGORIES, months

NAME = "Vårbergs centrum med torget, gångtunneln och stråket mot Vårbergstoppen och Skärholmsvägen"
ACTIVITY = ("Samordnad platssamverkan med fastighetsägare, lokalpolis, SL och näringsidkare kring "
            "Vårbergs centrum och stråket mot Vårbergstoppen")


def test_a_long_activity_name_stands_once_in_the_before_after_table(places_store, settings, tmp_path):
    places = tmp_path / "plats.geojson"
    places.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": square(17.882, 59.276, 0.004)},
        "properties": {"place_id": "varbergs-centrum-lang", "namn": NAME, "typ": "torg",
                       "stadsdelsomrade": "skarholmen", "befolkning": 5200, "ungefarlig": False}}]},
        ensure_ascii=False), encoding="utf-8")
    crimes = tmp_path / "brott.csv"
    crimes.write_text("Plats;Brottskategori;Månad;Antal\n" + "".join(
        f"{NAME};{cat};{m};{10 + (i * 7 + k) % 13}\n" for i, cat in enumerate(CATEGORIES)
        for k, m in enumerate(months("2019-01", "2023-12"))), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"- id: lang\n  aktivitet: {ACTIVITY}\n  prioriterat område: Ordningsvakter\n"
                    "  plats: [varbergs-centrum-lang]\n  löptid: Tillsvidare\n  start: 2021-09-01\n",
                    encoding="utf-8")
    for kind, path in (("places", places), ("crimes", crimes), ("activities", plan)):
        assert ingest_file(places_store, kind, path).status == "ok"
    data = ExportData(places_store, settings)
    table = next(b for b in effects_table(data, data.place("varbergs-centrum-lang")) if isinstance(b, Table))
    raw = place_effects(places_store, settings, "varbergs-centrum-lang")
    assert len(table.rows) == len(raw) == 20  # a short table: every category
    assert [r[0] for r in table.rows] == [ACTIVITY] + ["Samordnad platssamverkan med …"] * 19
    assert table.data["Aktivitet"].tolist() == [ACTIVITY] * 20


def test_the_share_chart_shows_the_categories_the_district_has_months_of(places_store, settings, tmp_path):
    """The place's file has 19 categories, Skärholmen's only Skadegörelse: the pack's share chart took
    the place's three largest (none of which Skärholmen has) and said there was nothing to show."""
    from lagesbild.export.charts import share_chart
    from lagesbild.export.data import parse_periods

    places = tmp_path / "plats.geojson"
    places.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": square(17.882, 59.276, 0.004)},
        "properties": {"place_id": "varbergs-centrum-lang", "namn": NAME, "typ": "torg",
                       "stadsdelsomrade": "skarholmen", "befolkning": 5200, "ungefarlig": False}}]},
        ensure_ascii=False), encoding="utf-8")
    span = months("2020-09", "2023-08")
    crimes = tmp_path / "brott.csv"
    crimes.write_text("Plats;Brottskategori;Månad;Antal\n" + "".join(  # Skadegörelse the smallest
        f"{NAME};{cat};{m};{20 + i}\n" for i, cat in enumerate(CATEGORIES) for m in span)
        + "".join(f"Skärholmen;Skadegörelse;{m};{90 + k % 5}\n" for k, m in enumerate(span)), encoding="utf-8")
    for kind, path in (("places", places), ("crimes", crimes)):
        assert ingest_file(places_store, kind, path).status == "ok"
    data = ExportData(places_store, settings)
    chart = share_chart(data, data.place("varbergs-centrum-lang"), parse_periods(["2021–2022", "2022–2023"]))
    assert "Skadegörelse" in set(chart.data["Kategori"])
    rows = chart.data[(chart.data["Kategori"] == "Skadegörelse") & (chart.data["Jämfört med"] == "Skärholmen")]
    place_year = 12 * (20 + CATEGORIES.index("Skadegörelse"))
    district = [sum(90 + k % 5 for k in range(12 * y, 12 * y + 12)) for y in (1, 2)]  # Sep 2021 is month 12
    assert list(rows["Antal på platsen"]) == [place_year, place_year]
    assert list(rows["Antal totalt"]) == district
    assert [round(v, 9) for v in rows["Andel"]] == [round(place_year / d, 9) for d in district]
