"""Tests for lagesbild.sources.incidents (incident-level crime) and lagesbild.sources.idhash."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from lagesbild.errors import InputError
from lagesbild.sources.idhash import SeenIds
from lagesbild.sources.incident_crs import detect_crs
from lagesbild.sources.incidents import OUTPUT, iter_incidents, read_incidents
from tests.fixtures_sources import DATA


def to_3006(epsg, xs, ys):
    return Transformer.from_crs(epsg, 3006, always_xy=True).transform(np.asarray(xs), np.asarray(ys))


def test_golden_3006_with_separate_time_column():
    r = read_incidents(DATA / "incidenter_3006.csv")
    assert r.errors == [] and r.meta["crs"] == 3006 and not r.meta["swapped_axes"]
    t = r.table
    assert t.columns.tolist() == OUTPUT
    assert t["incident_id"].tolist() == ["H-1", "H-2", "H-3", "H-4"]
    assert t["category"].tolist() == ["narkotikabrott", "skadegorelse", "tillgrepp_butik", "personran"]
    assert t["occurred_at"].tolist() == [pd.Timestamp(f"2019-03-0{i + 1} 2{i}:15") for i in range(4)]
    raw = pd.read_csv(DATA / "incidenter_3006.csv")
    np.testing.assert_allclose(t["x"], raw["E"])
    np.testing.assert_allclose(t["y"], raw["N"])
    assert t["line"].tolist() == [2, 3, 4, 5]


def test_golden_3011_swedish_axes_decimal_comma_cp1252():
    r = read_incidents(DATA / "incidenter_3011.csv")
    assert r.errors == [] and r.meta["crs"] == 3011 and r.meta["swapped_axes"]
    assert r.meta["encoding"] == "windows-1252" and r.notes == ["FIKTIVA DEMODATA för test"]
    raw = pd.read_csv(DATA / "incidenter_3011.csv", sep=";", decimal=",", comment="#",
                      encoding="cp1252")
    x, y = to_3006(3011, raw["Y"], raw["X"])  # Swedish X is the northing
    np.testing.assert_allclose(r.table["x"], x, atol=1e-6)
    np.testing.assert_allclose(r.table["y"], y, atol=1e-6)
    assert r.table["occurred_at"].iloc[0] == pd.Timestamp("2018-05-10 14:30")
    assert r.table["line"].tolist() == [3, 4, 5, 6]


def test_golden_4326_with_utc_offsets():
    r = read_incidents(DATA / "incidenter_4326.tsv")
    assert r.errors == [] and r.meta["crs"] == 4326
    x, y = to_3006(4326, [17.8329, 17.8336, 17.9436], [59.3614, 59.3620, 59.3623])
    np.testing.assert_allclose(r.table["x"], x, atol=1e-6)
    np.testing.assert_allclose(r.table["y"], y, atol=1e-6)
    assert r.table["occurred_at"].tolist() == [
        pd.Timestamp("2020-01-01 12:00"),  # +01:00 is Swedish winter time
        pd.Timestamp("2020-07-01 12:00"),  # 10:00 UTC is 12:00 summer time
        pd.Timestamp("2020-03-29 02:30"),  # naive stays as written
    ]
    assert r.table["category"].tolist() == ["narkotikabrott", "tillgrepp_butik", "ran"]
    assert str(r.table["occurred_at"].dtype) == "datetime64[ns]"


def test_ambiguous_coordinates_ask_for_crs():
    with pytest.raises(InputError) as info:
        read_incidents(DATA / "incidenter_tvetydig.csv")
    assert "--crs 3006" in str(info.value) and "--crs 3011" in str(info.value)
    r = read_incidents(DATA / "incidenter_tvetydig.csv", crs=3011)
    x, y = to_3006(3011, [195000, 201000], [6600000, 6610000])
    np.testing.assert_allclose(r.table["x"], x, atol=1e-6)
    r = read_incidents(DATA / "incidenter_tvetydig.csv", crs="EPSG:3006")
    assert r.table["x"].tolist() == [195000.0, 201000.0]
    with pytest.raises(InputError, match="koordinatsystem"):
        read_incidents(DATA / "incidenter_tvetydig.csv", crs="inget")


def test_unrecognised_coordinates_ask_for_crs(write_text):
    with pytest.raises(InputError, match="--crs"):
        read_incidents(write_text("Id;Datum;Brott;X;Y\n1;2020-01-01;Rån;5;5\n"))


def test_a_repeated_row_without_ids_is_named_by_its_date_not_by_the_id_made_for_it(write_text):
    """The message showed the hash id made from the row ("h-bb76d25c697476b8"), a value not in the file."""
    text = "Brottsdatum,Klockslag,Brottskategori,E,N\n" + "2019-03-01,20:15,Skadegörelse,661016.3,6583721.2\n" * 2
    result = read_incidents(write_text(text), crs=3006)
    (error,) = result.errors
    assert (error.line, error.column, error.value) == (3, "Brottsdatum", "2019-03-01")
    assert "samma datum, tid, kategori och koordinater som rad 2" in error.reason


def test_detect_crs_table():
    assert detect_crs(np.array([674_000.0]), np.array([6_580_000.0])) == [(3006, False)]
    assert detect_crs(np.array([154_000.0]), np.array([6_580_000.0])) == [(3011, False)]
    assert detect_crs(np.array([6_580_000.0]), np.array([154_000.0])) == [(3011, True)]
    assert detect_crs(np.array([18.07]), np.array([59.33])) == [(4326, False)]
    assert set(detect_crs(np.array([190_000.0]), np.array([6_600_000.0]))) == {(3006, False),
                                                                              (3011, False)}


def test_rejections(write_text):
    path = write_text(
        "Id,Datum,Brottstyp,E,N\n"
        "A,2020-01-01 10:00,Rån,674000,6580000\n"   # 2 ok
        "B,2020-02-30,Rån,674000,6580000\n"         # 3 impossible date
        "A,2020-01-02,Rån,674000,6580000\n"         # 4 duplicate id
        ",2020-01-02,Rån,674000,6580000\n"          # 5 missing id: an id from its content
        "C,,Rån,674000,6580000\n"                   # 6 missing date
        "D,2020-01-02,Rån,,6580000\n"               # 7 missing coordinate
        "E,2020-01-02,Rån,674000,6080000\n"         # 8 outside Sweden
        "F,2099-01-02,Rån,674000,6580000\n"         # 9 future
        "G,2020-01-02,,674000,6580000\n"            # 10 missing category
        "H,2020-01-02,Rån,6,5,6580000\n"            # 11 ragged row
        "I,2020-01-02,Rån,abc,6580000\n")           # 12 not a number
    r = read_incidents(path)
    got = [(e.line, e.column, e.reason.split(" (")[0]) for e in r.errors]
    assert got == [
        (3, "Datum", "datumet finns inte eller kunde inte tolkas"),
        (4, "Id", "id:t förekommer redan på rad 2"),
        (6, "Datum", "datum saknas"),
        (7, "E", "koordinat saknas"),
        (8, "E/N", "koordinaten ligger utanför Sverige"),
        (9, "Datum", "datumet ligger i framtiden"),
        (10, "Brottstyp", "brottskategori saknas"),
        (11, None, "raden har 6 fält men rubrikraden har 5"),
        (12, "E", "koordinaten kunde inte tolkas som ett tal"),
    ]
    made = r.table["incident_id"].tolist()
    assert made[0] == "A" and made[1].startswith("h-") and len(made) == 2
    assert r.meta["generated_ids"] == 1
    assert read_incidents(path).table["incident_id"].tolist() == made  # stable


@pytest.mark.parametrize(("value", "date_format", "reason"), [
    ("9999-12-31", None, "datumet ligger i framtiden"),
    ("3000-01-01 12:30", None, "datumet ligger i framtiden"),
    ("2262-12-31T08:00+01:00", None, "datumet ligger i framtiden"),
    ("1600-01-01", None, "datumet ligger före 1950 – orimligt tidigt; är datumet fel?"),
    ("1900-01-01", None, "datumet ligger före 1950 – orimligt tidigt; är datumet fel?"),  # a system's empty date, was stored
    ("31.12.9999", "DD.MM.YYYY", "datumet ligger i framtiden"),
    ("01.01.1111", "DD.MM.YYYY", "datumet ligger före 1950 – orimligt tidigt; är datumet fel?"),
    ("9999-02-30", None, "datumet finns inte eller kunde inte tolkas"),
    ("30.02.9999", "DD.MM.YYYY", "datumet finns inte eller kunde inte tolkas"),
])
def test_a_real_date_beyond_pandas_years_is_too_late_or_too_early(write_text, value, date_format, reason):
    # pandas holds years 1678-2261 only; a real date outside them was called unreadable
    other = "02.01.2020" if date_format else "2020-01-02"
    path = write_text(f"Id,Datum,Brottstyp,E,N\nA,{value},Rån,674000,6580000\n"
                      f"B,{other},Rån,674000,6580000\n")
    r = read_incidents(path, date_format=date_format) if date_format else read_incidents(path)
    assert [(e.line, e.column, e.value, e.reason.split(" (")[0]) for e in r.errors] == [
        (2, "Datum", value, reason)]
    assert r.table["incident_id"].tolist() == ["B"]


def test_rows_without_ids_get_content_ids_and_identical_rows_are_repeats(write_text):
    path = write_text("Datum,Brottstyp,Lat,Lon\n2024-03-15 21:30,Rån,59.3674,17.8433\n"
                      "2024-03-15 21:30,Rån,59.3674,17.8433\n2024-03-15 21:31,Rån,59.3674,17.8433\n")
    r = read_incidents(path)
    assert [(e.line, e.reason.split(" (")[0]) for e in r.errors] == [
        (3, "samma datum, tid, kategori och koordinater som rad 2")]
    assert len(set(r.table["incident_id"])) == 2 and r.meta["generated_ids"] == 3


@pytest.mark.parametrize("text, fmt, expected", [
    ("03/15/2024 09:30 PM", None, "2024-03-15 21:30"),
    ("15/03/2024 21:30", None, "2024-03-15 21:30"),
    ("03/04/2024 09:30 PM", "MM/DD/YYYY hh:mm AM/PM", "2024-03-04 21:30"),
    ("03/04/2024 21:30", "DD/MM/YYYY HH:mm", "2024-04-03 21:30"),
    ("03.04.2024", "%d.%m.%Y", "2024-04-03 00:00")])
def test_date_formats(write_text, text, fmt, expected):
    path = write_text(f"Id,Datum,Brottstyp,Lat,Lon\nA,{text},Rån,59.3674,17.8433\n")
    r = read_incidents(path, date_format=fmt)
    assert r.errors == [] and r.table["occurred_at"][0] == pd.Timestamp(expected)


def test_ambiguous_dates_are_refused_with_a_clear_message(write_text):
    path = write_text("Id,Datum,Brottstyp,Lat,Lon\nA,03/04/2024 09:30,Rån,59.3674,17.8433\n"
                      "B,05/06/2024 10:30,Rån,59.3674,17.8433\n")
    with pytest.raises(InputError, match="--date-format"):
        read_incidents(path)


def test_unknown_categories_reported_once_at_the_end(write_text):
    lines = [f"{i};2020-01-01;{'Ofog' if i % 2 else 'Rån'};674000;6580000" for i in range(10)]
    parts = list(iter_incidents(write_text("Id;Datum;Brott;E;N\n" + "\n".join(lines) + "\n"),
                                chunk_rows=3))
    assert [len(p.table) for p in parts] == [2, 1, 2, 0, 0]
    # explained once (at the first such row), and every rejected row listed (--keep-valid counts them)
    assert [len(p.errors) for p in parts] == [0, 0, 0, 0, 5]
    assert '"Ofog" (5 rader, första på rad 3)' in parts[-1].errors[0].reason
    assert [e.line for e in parts[-1].errors] == [3, 5, 7, 9, 11]
    fixed = read_incidents(write_text("Id;Datum;Brott;E;N\n" + "\n".join(lines) + "\n", name="b.csv"),
                           categories={"Ofog": "skadegorelse"})
    assert fixed.errors == [] and len(fixed.table) == 10


def test_streaming_chunks_and_duplicates_across_chunks(write_text):
    n = 3000
    ids = [f"K{i}" for i in range(n)]
    ids[2500] = "K10"  # repeats an id from the first chunk
    rng = np.random.default_rng(7)
    e = rng.uniform(660_000, 690_000, n).round(1)
    nn = rng.uniform(6_570_000, 6_600_000, n).round(1)
    body = "\n".join(f"{ids[i]};2021-0{1 + i % 9}-1{i % 10} 0{i % 10}:30;Klotter;{e[i]};{nn[i]}"
                     for i in range(n))
    path = write_text("Id;Tidpunkt;Brottskategori;E;N\n" + body + "\n")
    parts = list(iter_incidents(path, chunk_rows=700))
    assert len(parts) == 5 and all(len(p.table) <= 700 for p in parts)
    errors = [e for p in parts for e in p.errors]
    assert [(x.line, x.reason) for x in errors] == [(2502, "id:t förekommer redan på rad 12")]
    whole = read_incidents(path)
    streamed = pd.concat([p.table for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(streamed, whole.table)
    assert len(whole.table) == n - 1
    np.testing.assert_allclose(whole.table["x"], np.delete(e, 2500))


def test_xlsx_incidents(make_xlsx):
    path = make_xlsx({"Anmälningar": [
        ["Händelse-id", "Tidpunkt", "Brottskategori", "Latitud", "Longitud"],
        ["X1", dt.datetime(2022, 6, 1, 23, 5), "Misshandel", 59.2946, 17.9225],
        ["X2", dt.datetime(2022, 6, 2), "Olaga hot", 59.2946, 17.9225],
    ]})
    r = read_incidents(path)
    assert r.errors == [] and r.meta["sheet"] == "Anmälningar"
    assert r.table["occurred_at"].tolist() == [pd.Timestamp("2022-06-01 23:05"),
                                               pd.Timestamp("2022-06-02")]
    x, y = to_3006(4326, [17.9225, 17.9225], [59.2946, 59.2946])
    assert r.table["x"].iloc[0] == pytest.approx(x[0]) and r.table["y"].iloc[0] == pytest.approx(y[0])


CELL = st.text(alphabet=list("a1-:. ,;å9"), max_size=10)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.lists(CELL, max_size=6), max_size=10))
def test_property_malformed_rows_give_row_errors(write_text, body):
    good = "OK1;2020-01-01;Rån;674000;6580000"
    text = "Id;Datum;Brott;E;N\n" + good + "\n" + "\n".join(";".join(r) for r in body) + "\n"
    try:
        r = read_incidents(write_text(text), chunk_rows=4)
    except InputError:
        return
    assert not {e.line for e in r.errors} & set(r.table["line"])
    assert r.table["incident_id"].is_unique
    assert r.table["x"].between(181_896, 1_086_313).all()


@settings(deadline=None)
@given(ids=st.lists(st.text(alphabet="abcå1", max_size=4), max_size=60), chunk=st.integers(1, 9))
def test_property_seen_ids_match_pandas(ids, chunk):
    seen = SeenIds()
    lines = np.arange(2, len(ids) + 2)
    dups, firsts = [], []
    for start in range(0, len(ids), chunk):
        d, f = seen.check(pa.array(ids[start:start + chunk]), lines[start:start + chunk])
        dups += d.tolist()
        firsts += f.tolist()
    s = pd.Series(ids, dtype=object)
    assert dups == s.duplicated().tolist()
    first_line = pd.Series(lines).groupby(s.to_numpy()).transform("min").tolist() if ids else []
    assert firsts == first_line


def test_read_ahead_stops_with_the_consumer():
    import threading

    from lagesbild.sources.ahead import read_ahead
    closed = threading.Event()

    def endless():
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()

    before = threading.active_count()
    items = read_ahead(endless())
    assert [next(items) for _ in range(3)] == [0, 1, 2]
    items.close()
    assert closed.wait(5) and threading.active_count() == before


def test_streaming_stops_early_without_leaking_threads(write_text):
    import threading

    lines = [f"K{i};2020-01-01;Rån;674000;6580000" for i in range(50)]
    before = threading.active_count()
    parts = iter_incidents(write_text("Id;Datum;Brott;E;N\n" + "\n".join(lines) + "\n"), chunk_rows=5)
    assert len(next(parts).table) == 5
    parts.close()
    assert threading.active_count() == before
    assert str(read_incidents(write_text("Id;Datum;Brott;E;N\nA;2020-01-01;Rån;674000;6580000\n",
                                         name="b.csv")).table["incident_id"].dtype) == "string"


@pytest.mark.parametrize("date, time, expected", [
    ("2020-03-05", "9.30", "2020-03-05 09:30"),                     # the time column completes a date
    ("2020-03-05 18:00", "09:30", "2020-03-05 18:00"),              # the date's own time wins
    ("2013-10-27T01:30+02:00", "09:30", "2013-10-27 01:30"),        # also with an offset (used to crash)
    ("2020-01-05T12:00Z", "", "2020-01-05 13:00"),
])
def test_separate_time_column_only_completes_dates_without_a_time(write_text, date, time, expected):
    path = write_text(f"Id;Datum;Tid;Brottskategori;E;N\nA;{date};{time};Rån;674000;6580000\n")
    r = read_incidents(path)
    assert r.errors == []
    assert r.table["occurred_at"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [expected]


def test_a_date_pandas_reads_with_a_zone_in_the_middle_is_a_row_error(write_text):
    path = write_text("Id;Datum;Brottskategori;E;N\nA;2020-01-05T12:00Z 09:00;Rån;674000;6580000\n"
                      "B;2020-01-06;Rån;674000;6580000\n")
    r = read_incidents(path)
    assert r.table["incident_id"].tolist() == ["B"]
    assert [(e.line, e.column) for e in r.errors] == [(2, "Datum")]


def test_the_summary_says_which_coordinate_was_read_as_north(tmp_path):
    """A file whose X column holds the northing (Swedish notation) is read the other way round than
    x = east; that choice was made silently (``meta["swapped_axes"]`` only), now the summary says it."""
    from lagesbild.ingest import ingest_file
    from lagesbild.ingest.incidents import SWAPPED_AXES
    from lagesbild.store import Store

    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    swapped = ingest_file(store, "incidents", DATA / "incidenter_3011.csv")
    plain = ingest_file(store, "incidents", DATA / "incidenter_3006.csv")
    assert SWAPPED_AXES in swapped.message and "nordkoordinat" not in plain.message


def test_the_summary_says_how_many_times_fall_in_the_hour_summer_time_skips(tmp_path):
    """2023-03-26 02:30 was no time on a Swedish clock; it was read silently (a UTC export written as
    local, or a typo). It is still read as written, and the summary counts such times."""
    from lagesbild.ingest import ingest_file
    from lagesbild.ingest.report import NONEXISTENT
    from lagesbild.store import Store

    path = tmp_path / "h.csv"
    path.write_text("Händelse-id;Datum;Brottskategori;X;Y\n"
                    "1;2023-03-26 02:30;Rån;674000;6580000\n2;2023-03-26 02:59;Rån;674000;6580000\n"
                    "3;2023-03-26 03:00;Rån;674000;6580000\n4;2022-03-27 01:59;Rån;674000;6580000\n"
                    "5;2023-10-29 02:30;Rån;674000;6580000\n", encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    rep = ingest_file(store, "incidents", path)
    assert rep.accepted == 5 and NONEXISTENT.format(n=2, what="händelser har", they="de", written="skrivna",
                                                              lines="rad 2 och 3") in rep.message  # 02:30, 02:59 of 26 March
