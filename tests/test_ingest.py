"""Ingest rules: all-or-nothing, no-op on repeat, replacement by newer exports, keep-valid reports."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, validate_file

HEADER = "Plats;Brottskategori;Månad;Antal\n"


def write(tmp_path, name, text, encoding="cp1252"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_aggregated_file_is_stored_per_place_and_month(places_store, tmp_path):
    f = write(tmp_path, "brott.csv", HEADER + "Hässelby torg;Narkotika;januari 2020;3\n"
                                     "Hässelby torg;Butiksstöld;2020-02;1 204\n")
    rep = ingest_file(places_store, "crimes", f)
    got = places_store.monthly_counts()
    assert rep.accepted == 2 and rep.status == "ok"
    assert sorted(zip(got["category"], got["month"].dt.month, got["count"], strict=False)) == [
        ("narkotikabrott", 1, 3), ("tillgrepp_butik", 2, 1204)]


def test_repeating_an_ingest_is_a_noop_that_says_so(places_store, tmp_path):
    f = write(tmp_path, "brott.csv", HEADER + "Hässelby torg;Narkotika;2020-01;3\n")
    ingest_file(places_store, "crimes", f)
    before = places_store.dump()
    rep = ingest_file(places_store, "crimes", f)
    assert rep.status == "noop" and "redan inläst" in rep.message
    assert places_store.dump() == before


def test_newer_export_replaces_overlapping_months(places_store, tmp_path):
    old = write(tmp_path, "jan-feb.csv", HEADER + "Vårberg;Narkotika;2020-01;3\nVårberg;Narkotika;2020-02;4\n")
    new = write(tmp_path, "feb-mar.csv", HEADER + "Vårberg;Narkotika;2020-02;6\nVårberg;Narkotika;2020-03;1\n")
    ingest_file(places_store, "crimes", old)
    rep = ingest_file(places_store, "crimes", new)
    got = places_store.monthly_counts().set_index("month")["count"]
    assert rep.replaced == 1
    assert got.sum() == 3 + 6 + 1


def test_bad_rows_write_nothing_and_name_file_line_column_value(places_store, tmp_path):
    f = write(tmp_path, "fel.csv", HEADER + "Vårberg;Narkotika;2020-01;3\n"
                                  "Vårberg;Narkotika;2020-02;-4\n"
                                  "Atlantis;Narkotika;2020-03;2\n")
    before = places_store.dump()
    with pytest.raises(InputError) as exc:
        ingest_file(places_store, "crimes", f)
    text = exc.value.message()
    assert "fel.csv" in text and "rad 3" in text and '"-4"' in text and "Atlantis" in text
    assert places_store.dump() == before


def test_unknown_category_lists_every_unknown_value(places_store, tmp_path):
    f = write(tmp_path, "kat.csv", HEADER + "Vårberg;Fuskbrott;2020-01;3\nVårberg;Hittepå;2020-02;1\n")
    with pytest.raises(InputError) as exc:
        ingest_file(places_store, "crimes", f)
    assert "Fuskbrott" in exc.value.message() and "Hittepå" in exc.value.message()


def test_keep_valid_writes_valid_rows_and_a_report(places_store, tmp_path):
    f = write(tmp_path, "blandat.csv", HEADER + "Vårberg;Narkotika;2020-01;3\nVårberg;Narkotika;2020-02;tre\n")
    rep = ingest_file(places_store, "crimes", f, keep_valid=True)
    assert (rep.accepted, rep.rejected) == (1, 1)
    report = pd.read_csv(rep.report_path, sep=";", encoding="utf-8-sig")
    assert report["rad"].tolist() == [3] and report["värde"].tolist() == ["tre"]


def test_validate_reports_without_writing(places_store, tmp_path):
    f = write(tmp_path, "test.csv", HEADER + "Vårberg;Narkotika;2020-01;3\nVårberg;Narkotika;2020-02;tre\n")
    before = places_store.dump()
    rep = validate_file(places_store, "crimes", f)
    assert rep.status == "invalid" and rep.accepted == 1 and len(rep.errors) == 1
    assert places_store.dump() == before


INCIDENT_HEADER = "Händelse-id;Datum;Brottskategori;X;Y\n"


def _torg_point():
    """A point well inside the Hässelby torg polygon (EPSG:3006), computed from the geodata."""
    import geopandas as gpd

    from lagesbild.settings import ROOT

    gdf = gpd.read_file(ROOT / "geodata" / "places.geojson").to_crs(3006)
    c = gdf[gdf["place_id"] == "hasselby-torg"].geometry.iloc[0].centroid
    return (round(c.x, 1), round(c.y, 1))


TORG = _torg_point()


def incident_rows(n, start=0, month="2021-03"):
    return "".join(f"I{start + i};{month}-{(i % 27) + 1:02d} 12:00;Skadegörelse;"
                   f"{TORG[0] + i % 7:.1f};{TORG[1]:.1f}\n".replace(".", ",") for i in range(n))


def test_incident_counts_go_to_every_containing_place(places_store, tmp_path):
    f = write(tmp_path, "inc.csv", INCIDENT_HEADER + incident_rows(5))
    ingest_file(places_store, "incidents", f)
    got = places_store.monthly_counts().groupby("place_id")["count"].sum().to_dict()
    assert got == {"hasselby-torg": 5, "hasselby-vallingby": 5, "stockholm": 5}


def test_incident_ingest_failing_in_a_late_chunk_leaves_store_unchanged(places_store, tmp_path):
    ok = write(tmp_path, "ok.csv", INCIDENT_HEADER + incident_rows(10, month="2021-01"))
    ingest_file(places_store, "incidents", ok)
    before = places_store.dump()
    bad_tail = "X999;2021-02-30 10:00;Skadegörelse;674310;6585380\n"
    f = write(tmp_path, "bad.csv", INCIDENT_HEADER + incident_rows(250_000 // 100, month="2021-02")
              + bad_tail)
    with pytest.raises(InputError) as exc:
        ingest_file(places_store, "incidents", f)
    assert "2021-02-30" in exc.value.message()
    assert places_store.dump() == before


def test_duplicate_incident_ids_are_rejected(places_store, tmp_path):
    f = write(tmp_path, "dup.csv", INCIDENT_HEADER + incident_rows(3) + incident_rows(1))
    with pytest.raises(InputError, match="förekommer redan"):
        ingest_file(places_store, "incidents", f)


def test_reingesting_places_recounts_incidents(places_store, tmp_path):
    f = write(tmp_path, "inc.csv", INCIDENT_HEADER + incident_rows(4))
    ingest_file(places_store, "incidents", f)
    import geopandas as gpd

    from lagesbild.settings import ROOT

    gdf = gpd.read_file(ROOT / "geodata" / "places.geojson")
    gdf = gdf[gdf["place_id"] != "hasselby-torg"]
    small = tmp_path / "places.geojson"
    gdf.to_file(small, driver="GeoJSON")
    # the torg itself stays stored (ingest replaces by id), its counts are rebuilt from the polygons
    ingest_file(places_store, "places", small)
    got = places_store.monthly_counts().groupby("place_id")["count"].sum().to_dict()
    assert got["hasselby-vallingby"] == 4 and got["hasselby-torg"] == 4


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12),
                                st.text(max_size=8)), min_size=1, max_size=6))
def test_malformed_rows_never_crash_and_never_half_write(places_store, tmp_path_factory, cells):
    folder = tmp_path_factory.mktemp("h")
    body = "".join(";".join(c.replace(";", ",").replace("\n", " ").replace("\r", " ") for c in row)
                   + "\n" for row in cells)
    f = folder / "x.csv"
    f.write_text(HEADER + body, encoding="utf-8")
    before = places_store.dump()
    try:
        ingest_file(places_store, "crimes", f)
    except InputError as exc:
        assert exc.message()
        assert places_store.dump() == before


def test_survey_without_level_column_takes_level_from_place_kind(places_store, tmp_path):
    f = write(tmp_path, "tr.csv", "Område;År;Indikator;Andel (%);Antal svarande\n"
                                  "Hässelby torg;2021;Nedskräpning;41,5;220\n"
                                  "Hässelby-Vällingby;2021;Nedskräpning;30;1200\n"
                                  "Stockholm;2021;Nedskräpning;25;9000\n")
    ingest_file(places_store, "survey", f)
    got = places_store.survey().set_index("place_id")
    assert got.loc["hasselby-torg", "level"] == "plats"
    assert got.loc["hasselby-vallingby", "level"] == "stadsdelsomrade"
    assert got.loc["stockholm", "level"] == "stad"
    assert got.loc["hasselby-torg", "share"] == pytest.approx(0.415)


def test_mapping_file_maps_unknown_incident_category(places_store, tmp_path):
    f = write(tmp_path, "inc.csv", INCIDENT_HEADER + incident_rows(2).replace("Skadegörelse", "Klotterbrott X"))
    with pytest.raises(InputError, match="Klotterbrott X"):
        ingest_file(places_store, "incidents", f)
    m = tmp_path / "map.yaml"
    m.write_text('categories:\n  "Klotterbrott X": skadegorelse\n', encoding="utf-8")
    rep = ingest_file(places_store, "incidents", f, mapping=str(m))
    assert rep.accepted == 2


def test_extraction_date_is_recorded_per_source(places_store, tmp_path):
    import datetime as dt

    f = write(tmp_path, "u.csv", HEADER + "Vårberg;Narkotika;2020-01;3\n")
    ingest_file(places_store, "crimes", f, extracted_at="2020-02-03")
    src = places_store.sources().set_index("source")
    assert src.loc["polisen-brott", "extracted_at"] == dt.date(2020, 2, 3)


def test_nul_bytes_in_a_csv_are_a_clear_rejection(places_store, tmp_path):
    f = tmp_path / "nul.csv"
    f.write_text(HEADER + "0;\x000;;\n\x000;0;;\n", encoding="utf-8")
    before = places_store.dump()
    with pytest.raises(InputError):
        ingest_file(places_store, "crimes", f)
    assert places_store.dump() == before


def test_store_reports_latest_crime_extraction_date(places_store, tmp_path):
    import datetime as dt

    a = write(tmp_path, "a.csv", HEADER + "Vårberg;Narkotika;2020-01;3\n")
    b = write(tmp_path, "b.csv", INCIDENT_HEADER + incident_rows(1))
    ingest_file(places_store, "crimes", a, extracted_at="2020-02-03")
    ingest_file(places_store, "incidents", b, extracted_at="2021-04-01")
    assert places_store.extracted_at() == dt.date(2021, 4, 1)
