"""Tests for lagesbild.sources.survey (safety-survey results)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.sources.survey import OUTPUT, read_survey
from tests.fixtures_sources import DATA


def rows(result):
    return [(r.area, r.level, r.year, r.indicator, round(r.share, 6),
             None if pd.isna(r.respondents) else int(r.respondents), bool(r.fictitious), r.line)
            for r in result.table.itertuples()]


def test_golden_cp1252_semicolon_percent_decimal_comma():
    r = read_survey(DATA / "trygghet_cp1252.csv")
    assert r.errors == [] and r.meta["share_scale"] == "percent"
    assert r.meta["encoding"] == "windows-1252"
    berusade, narkotika = "Berusade personer stör ordningen", "Narkotikapåverkade personer stör ordningen"
    assert rows(r) == [
        ("Hässelby torg", "plats", 2019, berusade, 0.23, None, False, 3),
        ("Hässelby-Vällingby", "stadsdelsomrade", 2019, berusade, 0.09, None, False, 4),
        ("Hässelby torg", "plats", 2019, narkotika, 0.20, None, False, 5),
        ("Hässelby-Vällingby", "stadsdelsomrade", 2019, narkotika, 0.08, None, False, 6),
        ("Stockholm", "stad", 2019, narkotika, 0.065, 4812, True, 7),
    ]
    t = r.table
    assert t.columns.tolist() == OUTPUT
    assert str(t["respondents"].dtype) == "Int64" and t["year"].dtype == "int64"


def test_golden_fractions_english_headers():
    r = read_survey(DATA / "trygghet_andel.csv")
    assert r.errors == [] and r.meta["share_scale"] == "fraction"
    indicator = "Otrygg utomhus sent en kväll"
    assert rows(r) == [
        ("Vårberg", "plats", 2021, indicator, 0.41, 230, False, 2),
        ("Skärholmen", "stadsdelsomrade", 2021, indicator, 0.33, 1104, False, 3),
        ("Stockholm", "stad", 2021, indicator, 0.22, None, False, 4),
    ]


@pytest.mark.parametrize("header,values,scale,first", [
    ("Andel", ["0,23", "0,09"], "fraction", 0.23),
    ("Andel", ["23", "9"], "percent", 0.23),
    ("Andel (%)", ["0,5", "1"], "percent", 0.005),   # the header says percent
    ("Procent", ["0,5", "1"], "percent", 0.005),
    ("Andel", ["0,5 %", "1"], "percent", 0.005),     # a value says percent
])
def test_share_scale_decided_per_file(write_text, header, values, scale, first):
    body = "\n".join(f"Torget;plats;2020;Fråga {i};{v}" for i, v in enumerate(values))
    r = read_survey(write_text(f"Område;Nivå;År;Indikator;{header}\n{body}\n"))
    assert r.meta["share_scale"] == scale and r.errors == []
    assert r.table["share"].iloc[0] == pytest.approx(first)


@pytest.mark.parametrize("values,reason", [
    (["150 %", "20"], "andelen ska ligga mellan 0 och 100 %"),
    (["-5", "20"], "andelen kan inte vara negativ"),
    (["-5", "0,2"], "andelen kan inte vara negativ"),  # all at most 1: read as fractions
    (["1,5 ", "0,2"], None),  # "1,5" makes the column percent: 1.5 %
])
def test_a_share_outside_its_scale_says_which_way(write_text, values, reason):
    body = "\n".join(f"Torget;plats;2020;Fråga {i};{v}" for i, v in enumerate(values))
    r = read_survey(write_text(f"Område;Nivå;År;Indikator;Andel\n{body}\n"))
    assert [e.reason for e in r.errors] == ([reason] if reason else [])
    assert all(e.line == 2 and e.column == "Andel" for e in r.errors)


def test_mapping_sets_scale_and_level(write_text):
    path = write_text("Område;År;Fråga;Andel\nTorget;2020;Otrygg;0,5\n")
    r = read_survey(path, mapping={"options": {"share": "percent"}, "constants": {"level": "stad"}})
    assert r.table["share"].tolist() == [0.005] and r.table["level"].tolist() == ["stad"]
    assert read_survey(path).table["level"].tolist() == [None]  # ingest takes it from the place
    with pytest.raises(InputError, match="percent"):
        read_survey(path, mapping={"options": {"share": "promille"}})


@pytest.mark.parametrize("written,level", [
    ("plats", "plats"), ("Plats", "plats"), ("stadsdel", "stadsdelsomrade"),
    ("Stadsdelsområde", "stadsdelsomrade"), ("hela staden", "stad"), ("Staden", "stad"),
    ("stad", "stad"),
])
def test_level_synonyms(write_text, written, level):
    r = read_survey(write_text(f"Område;Nivå;År;Fråga;Andel\nX;{written};2020;F;10\n"))
    assert r.table["level"].tolist() == [level]


def test_bad_rows(write_text):
    path = write_text(
        "Område;Nivå;År;Fråga;Andel;Antal svarande;Fiktiv\n"
        "Bredäng;plats;2020;Otrygg;30;100;nej\n"       # 2 ok
        "Bredäng;plats;2020;Otrygg;31;100;nej\n"       # 3 duplicate
        ";plats;2020;Otrygg;30;100;nej\n"              # 4 empty area
        "Bredäng;planet;2020;Otrygg;30;100;nej\n"      # 5 unknown level
        "Bredäng;plats;tjugo;Otrygg;30;100;nej\n"      # 6 bad year
        "Bredäng;plats;2021;Otrygg;;100;nej\n"         # 7 missing share ("..": withheld, no error)
        "Bredäng;plats;2022;Otrygg;130;100;nej\n"      # 8 above 100 %
        "Bredäng;plats;2023;Otrygg;30;-5;nej\n"        # 9 negative respondents
        "Bredäng;plats;2024;Otrygg;30;100;kanske\n"    # 10 bad Fiktiv
        "Bredäng;plats;2025;;30;100;nej\n")            # 11 empty indicator
    r = read_survey(path)
    got = [(e.line, e.column) for e in r.errors]
    assert got == [(3, "Fråga"), (4, "Område"), (5, "Nivå"), (6, "År"), (7, "Andel"), (8, "Andel"),
                   (9, "Antal svarande"), (10, "Fiktiv"), (11, "Fråga")]
    assert "rad 2" in r.errors[0].reason and "mellan 0 och 100 %" in r.errors[5].reason
    assert r.table["line"].tolist() == [2]


def test_notes_mark_fictitious_when_no_column(write_text):
    r = read_survey(write_text("# FIKTIVA DEMODATA\nOmråde;År;Fråga;Andel\nA;2020;F;10\n"))
    assert r.table["fictitious"].tolist() == [True]
    r = read_survey(write_text("Område;År;Fråga;Andel\nA;2020;F;10\n", name="b.csv"))
    assert r.table["fictitious"].tolist() == [False]


def test_xlsx_with_percent_cells(make_xlsx):
    path = make_xlsx({"Resultat": [
        ["Trygghetsmätning 2019"], [],
        ["Område", "Nivå", "År", "Påstående", "Andel", "Svarande"],
        ["Hässelby torg", "plats", 2019, "Berusade personer stör ordningen", 0.23, 87],
        ["Hässelby-Vällingby", "stadsdelsområde", 2019, "Berusade personer stör ordningen", 0.09, 1200],
    ]}, formats={("Resultat", "E4"): "0%", ("Resultat", "E5"): "0%"})
    r = read_survey(path)
    assert r.errors == [] and r.meta["share_scale"] == "percent"
    assert r.table["share"].tolist() == pytest.approx([0.23, 0.09])
    assert r.table["line"].tolist() == [4, 5]


def test_missing_columns(write_text):
    with pytest.raises(InputError, match="Andel"):
        read_survey(write_text("Område;År;Fråga\nA;2020;F\n"))


CELL = st.text(alphabet=list("a1,.%; 9-å"), max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.lists(CELL, max_size=7), max_size=10))
def test_property_malformed_rows_give_row_errors(write_text, body):
    text = "Område;Nivå;År;Fråga;Andel;Svarande\n" + "\n".join(";".join(r) for r in body) + "\n"
    try:
        r = read_survey(write_text(text))
    except InputError:
        return
    assert not {e.line for e in r.errors} & set(r.table["line"])
    assert r.table["share"].between(0, 1).all()
    assert (r.table["respondents"].dropna() >= 0).all()
