"""Population files as SCB publishes them: PxWeb downloads (title, blank and Källa lines, "0180 Stockholm"
labels), the shared DeSO file's pop_YYYY columns, rows split by kön or ålder, area names with suffixes,
and files whose areas match no place."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import pytest

from lagesbild.analysis import base
from lagesbild.analysis.place import place_comparison
from lagesbild.errors import InputError
from lagesbild.settings import ROOT, load_settings
from lagesbild.sources.population import read_population

DATA = ROOT / "tests" / "data" / "population"


def table_for(store, path):
    return base.population_table(store, load_settings({}, population_file=str(path)))


def rates(store, monkeypatch, path, place, periods=("2021", "2022")):
    """The comparison of two whole years of demo data (it ends in August 2023)."""
    monkeypatch.setenv("LAGESBILD_POPULATION_FILE", str(path))
    return place_comparison(store, place, list(periods), categories=["inbrott"]).iloc[0]


# ----- item 1: rows split by kön or ålder ---------------------------------------------------------
def test_rows_split_by_kon_are_summed_and_the_note_says_so(demo_store, monkeypatch):
    with open(DATA / "kon_split.csv", encoding="utf-8") as f:  # the reference: män + kvinnor by hand
        rows = list(csv.DictReader(f))
    total = {y: sum(int(r[y]) for r in rows) for y in ("2022", "2023")}
    assert total == {"2022": 11200, "2023": 11300}
    out = rates(demo_store, monkeypatch, DATA / "kon_split.csv", "varberg")
    assert out["rate_a"] == pytest.approx(1000 * out["count_a"] / total["2022"])  # 2021: nearest known year
    assert out["rate_b"] == pytest.approx(1000 * out["count_b"] / total["2022"])
    assert "summan av befolkningsfilens rader per kön (män, kvinnor)" in out["note"]


def test_the_total_row_is_used_when_the_file_has_one(tmp_path):
    path = tmp_path / "kon.csv"
    path.write_text('"region","kön","2022"\n"Vårberg","män",5600\n"Vårberg","kvinnor",5500\n'
                    '"Vårberg","totalt",11100\n', encoding="utf-8")
    assert read_population(path).values.tolist() == [["Vårberg", 2022, 11100]]
    path.write_text("region;ålder;kön;år;folkmängd\nX;totalt ålder;män;2022;50\nX;totalt ålder;kvinnor;2022;60\n"
                    "X;totalt ålder;totalt;2022;110\nX;0-4 år;totalt;2022;7\n", encoding="utf-8")
    assert read_population(path).values.tolist() == [["X", 2022, 110]]


def test_a_complete_age_split_is_summed_a_partial_one_refused(tmp_path):
    path = tmp_path / "alder.csv"
    path.write_text("region;ålder;år;folkmängd\nX;0-4 år;2022;10\nX;5-64 år;2022;20\nX;65+ år;2022;30\n",
                    encoding="utf-8")
    assert read_population(path)[["area", "year", "population"]].values.tolist() == [["X", 2022, 60]]
    path.write_text("region;ålder;år;folkmängd\nX;0-4 år;2022;10\nX;5-64 år;2022;20\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_population(path)
    [e] = err.value.errors
    assert (e.line, e.column) == (3, "ålder") and "'X' år 2022" in e.reason and "rad 2 och 3" in e.reason


@pytest.mark.parametrize("text, column, line", [
    ("region,civilstånd,2022\nX,ogift,10\nX,gift,20\n", "civilstånd", 3),  # no total, not kön/ålder
    ("region,kön,2022\nX,män,10\nY,män,12\nY,kvinnor,13\n", "kön", 2),  # only a part of X
    ("område;år;folkmängd\nX;2022;10\nX;2022;12\n", None, 3),  # two figures for one area and year
])
def test_an_ambiguous_split_is_refused_never_one_row_kept(tmp_path, text, column, line):
    path = tmp_path / "split.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_population(path)
    assert [(e.line, e.column) for e in err.value.errors] == [(line, column)]
    assert "inte entydig" in err.value.reason


# ----- item 2: SCB's real layouts -----------------------------------------------------------------
def test_pxweb_download_with_title_blank_and_source_lines(demo_store, monkeypatch):
    table = read_population(DATA / "pxweb_kommun.csv")
    assert table.values.tolist() == [["0180", 2021, 978770, "Stockholm"], ["0180", 2022, 984748, "Stockholm"],
                                     ["0180", 2023, 988943, "Stockholm"]]
    matched = table_for(demo_store, DATA / "pxweb_kommun.csv")
    assert matched.values.tolist() == [["stockholm", 2021, 978770], ["stockholm", 2022, 984748],
                                       ["stockholm", 2023, 988943]]
    out = rates(demo_store, monkeypatch, DATA / "pxweb_kommun.csv", "stockholm")
    assert out["rate_a"] == pytest.approx(1000 * out["count_a"] / 978770)
    assert out["rate_b"] == pytest.approx(1000 * out["count_b"] / 984748)


def test_a_semicolon_file_with_a_source_line_below_the_table(tmp_path):
    path = tmp_path / "p5c.csv"
    path.write_text("Område;2022;2023\nVårberg;11 200;11 300\n\nKälla: SCB\n", encoding="utf-8")
    assert read_population(path).values.tolist() == [["Vårberg", 2022, 11200], ["Vårberg", 2023, 11300]]


def test_kommun_labels_give_the_code_and_the_name(tmp_path):
    # the code is matched as a place id, the name as a place name (base.population_table)
    path = tmp_path / "kod.csv"
    path.write_text('"region","2022"\n"0180 Stockholm",984748\n"0114 Upplands Väsby",48000\n', encoding="utf-8")
    table = read_population(path)
    assert table[["area", "name"]].values.tolist() == [["0180", "Stockholm"], ["0114", "Upplands Väsby"]]


def test_the_shared_deso_file_columns_pop_yyyy():
    path = DATA / "deso_public_head.csv"
    with open(path, encoding="utf-8") as f:  # the reference: csv.DictReader
        expected = [[r["deso"], y, int(r[f"pop_{y}"])] for r in csv.DictReader(f) for y in (2010, 2023)]
    assert read_population(path).values.tolist() == expected
    shared = ROOT.parent / "shared" / "data" / "public" / "scb-deso-stockholms-lan" / "deso_population_2010_2023.csv"
    if shared.is_file():  # developers' machines: the whole public file (8 DeSO lack a 2010 figure)
        with open(shared, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        table = read_population(shared)
        assert len(table) == sum(bool(r["pop_2010"]) + bool(r["pop_2023"]) for r in rows)
        assert table["population"].sum() == sum(int(r[k]) for r in rows for k in ("pop_2010", "pop_2023") if r[k])


def test_a_file_without_a_header_is_refused_not_read_as_years(tmp_path):
    path = tmp_path / "utan_rubrik.csv"
    path.write_text("Vårberg;2022;11 200\nVårberg;2023;11 300\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_population(path)
    assert "hittar ingen rubrikrad" in err.value.reason and "pop_2010" in err.value.reason


# ----- item 3: suffixes and files matching no place -----------------------------------------------
def test_area_names_with_stadsdel_suffixes_match_places(demo_store, monkeypatch):
    table = table_for(demo_store, DATA / "stadsdel_suffix.csv")
    assert table.values.tolist() == [["varberg", 2022, 11200], ["varberg", 2023, 11300],
                                     ["skarholmen", 2022, 38000], ["skarholmen", 2023, 38200]]
    out = rates(demo_store, monkeypatch, DATA / "stadsdel_suffix.csv", "skarholmen")
    assert out["rate_b"] == pytest.approx(1000 * out["count_b"] / 38000)


def test_a_file_matching_no_place_is_refused_naming_areas_and_deso(demo_store):
    with pytest.raises(InputError) as err:
        table_for(demo_store, DATA / "pxweb_deso.csv")
    text = err.value.message()
    assert "pxweb_deso.csv" in text and "0180C3420, 0180C3440" in text
    assert "DeSO-områden" in text and "summeras inte till platser" in text


def test_cli_refuses_a_deso_file_with_exit_2_and_no_traceback(demo_store_path):
    env = {**os.environ, "LAGESBILD_DB": str(demo_store_path),
           "LAGESBILD_POPULATION_FILE": str(DATA / "pxweb_deso.csv")}
    res = subprocess.run([sys.executable, "-m", "lagesbild", "compare", "--place", "varberg", "--periods",
                          "2022", "2023", "--format", "json"], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=300)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr + res.stdout
    assert "0180C3420" in res.stderr and "DeSO" in res.stderr


@pytest.mark.parametrize("figure", ["99999999999999999999", "25000000", "1²"])
def test_cli_refuses_a_population_no_place_has_with_exit_2_and_no_traceback(demo_store_path, tmp_path, figure):
    """20 digits were an OverflowError traceback; "1²" passed str.isdigit() and failed int()."""
    path = tmp_path / "befolkning.csv"
    path.write_text(f"Område;2022;2023\nVårberg;{figure};11300\n", encoding="utf-8")
    env = {**os.environ, "LAGESBILD_DB": str(demo_store_path), "LAGESBILD_POPULATION_FILE": str(path)}
    res = subprocess.run([sys.executable, "-m", "lagesbild", "compare", "--place", "varberg", "--periods",
                          "2021–2022", "2022–2023"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert res.returncode == 2 and "Traceback" not in res.stderr + res.stdout
    assert f'rad 2, kolumn "2022", värde "{figure}"' in res.stderr
