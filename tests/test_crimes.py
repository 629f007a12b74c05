"""Tests for lagesbild.sources.crimes (aggregated reported crime) and lagesbild.sources.dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild import clock
from lagesbild.errors import InputError
from lagesbild.sources.crimes import OUTPUT, read_crimes
from lagesbild.sources.dates import parse_period
from tests.fixtures_sources import DATA

NA = pd.NA


def rows(result):
    t = result.table
    return [(r.place, r.category, r.period_start.date().isoformat(), r.period_end.date().isoformat(),
             None if pd.isna(r.count) else int(r.count), bool(r.preliminary), int(r.line))
            for r in t.itertuples()]


def test_golden_semicolon_cp1252_month_names():
    r = read_crimes(DATA / "brott_semikolon_cp1252.csv")
    assert r.errors == [] and r.meta["layout"] == "lång"
    assert r.notes == ["Källa: Polisen, anmälda brott (utdrag för test)"]
    assert rows(r) == [
        ("Hässelby torg", "skadegorelse", "2018-01-01", "2018-01-31", 274, False, 3),
        ("Hässelby torg", "tillgrepp_butik", "2018-02-01", "2018-02-28", 60, False, 4),
        ("Hässelby torg", "valdsbrott", "2018-03-01", "2018-03-31", 62, False, 5),
        ("Hässelby torg", "narkotikabrott", "2019-01-01", "2019-01-31", 32, False, 6),
        ("Skärholmen", "skadegorelse", "2019-01-01", "2019-01-31", 1234, False, 7),
        ("Skärholmen", "skadegorelse", "2019-02-01", "2019-02-28", None, False, 8),
        ("Skärholmen", "skadegorelse", "2019-03-01", "2019-03-31", 12, True, 9),
    ]
    t = r.table
    assert t.columns.tolist() == OUTPUT
    assert str(t["count"].dtype) == "Int64" and str(t["period_start"].dtype) == "datetime64[ns]"
    assert r.meta["columns"] == {"place": "Plats", "category": "Brottskategori", "period": "Månad",
                                 "count": "Antal"}


def test_golden_utf8_bom_comma_iso_dates_and_ranges():
    r = read_crimes(DATA / "brott_lang_bom.csv")
    assert r.errors == [] and r.meta["bom"] and r.meta["delimiter"] == ","
    assert rows(r) == [
        ("Hässelby torg", "tillgrepp_butik", "2019-01-01", "2019-01-31", 31, False, 2),
        ("Hässelby torg", "narkotikabrott", "2019-01-01", "2019-01-31", 60, False, 3),
        ("Hässelby torg", "skadegorelse", "2019-02-01", "2019-02-28", None, False, 4),
        ("Vällingby centrum", "inbrott", "2018-01-01", "2018-11-30", 17, False, 6),
    ]


def test_golden_tab_years_and_sep_aug_years():
    r = read_crimes(DATA / "brott_ar.tsv")
    assert r.errors == [] and r.meta["delimiter"] == "\t"
    assert rows(r) == [
        ("Hässelby-Vällingby", "personran", "2019-01-01", "2019-12-31", 41, False, 2),
        ("Hässelby-Vällingby", "personran", "2019-09-01", "2020-08-31", 38, False, 3),
        ("Hässelby-Vällingby", "bedrageri_aldre", "2019-09-01", "2020-08-31", 9, False, 4),
        ("Hässelby-Vällingby", "vald_nara_relation", "2018-01-01", "2018-11-30", 55, False, 5),
    ]


def test_golden_wide_layout_with_title_totals_and_place_given():
    r = read_crimes(DATA / "brott_bred.csv", place="Hässelby torg")
    assert r.errors == [] and r.meta["layout"] == "bred" and r.meta["header_line"] == 3
    assert r.meta["ignored_columns"] == ["Totalt"] and r.meta["skipped_totals"] == 1  # one "Totalt" line (3 cells)
    assert rows(r) == [
        ("Hässelby torg", "narkotikabrott", "2020-01-01", "2020-01-31", 5, False, 4),
        ("Hässelby torg", "narkotikabrott", "2020-02-01", "2020-02-29", 7, False, 4),
        ("Hässelby torg", "narkotikabrott", "2020-03-01", "2020-03-31", None, True, 4),
        ("Hässelby torg", "skadegorelse", "2020-01-01", "2020-01-31", 20, False, 5),
        ("Hässelby torg", "skadegorelse", "2020-02-01", "2020-02-29", 18, False, 5),
        ("Hässelby torg", "skadegorelse", "2020-03-01", "2020-03-31", 21, True, 5),
    ]


def test_excel_month_columns_are_months_as_csv_text_and_as_xlsx_dates(tmp_path):
    """Swedish Excel shows month columns as "jan-23" (format mmm-yy): saved as CSV that text said
    "hittade ingen rubrikrad"; in the workbook they are dates of the 1st, and a column formatted as a
    year (yyyy) was read as January of it."""
    import openpyxl

    csv_path = tmp_path / "m.csv"
    csv_path.write_text("Plats;Brottskategori;dec-22;jan-23\nVårberg;Rån;3;4\n", encoding="utf-8")
    assert [r[2:5] for r in rows(read_crimes(csv_path))] == [
        ("2022-12-01", "2022-12-31", 3), ("2023-01-01", "2023-01-31", 4)]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Plats", "Brottskategori", dt.datetime(2022, 12, 1), dt.datetime(2023, 1, 1),
                  dt.datetime(2021, 1, 1)])
    sheet.append(["Vårberg", "Rån", 3, 4, 40])
    for cell, shown in zip(sheet[1][2:], ["mmm-yy", "[$-41D]mmm-yy", "yyyy"], strict=True):
        cell.number_format = shown
    book.save(tmp_path / "m.xlsx")
    assert sorted(r[2:5] for r in rows(read_crimes(tmp_path / "m.xlsx"))) == [
        ("2021-01-01", "2021-12-31", 40), ("2022-12-01", "2022-12-31", 3), ("2023-01-01", "2023-01-31", 4)]


def test_wide_layout_needs_a_place():
    with pytest.raises(InputError, match="plats"):
        read_crimes(DATA / "brott_bred.csv")
    r = read_crimes(DATA / "brott_bred.csv", mapping={"constants": {"place": "Vårberg"}})
    assert set(r.table["place"]) == {"Vårberg"}


def test_xlsx_wide_with_date_headers_and_place_column(make_xlsx):
    path = make_xlsx({"Brott": [
        ["Anmälda brott per plats och månad"], [],
        ["Plats", "Brottskategori", dt.datetime(2020, 1, 1), dt.datetime(2020, 2, 1), "Summa"],
        ["Vårberg", "Narkotika", 3, 4, 7],
        ["Bredäng", "Personrån", 1, None, 1],
    ]})
    r = read_crimes(path)
    assert r.errors == [] and r.meta["sheet"] == "Brott"
    assert rows(r) == [
        ("Vårberg", "narkotikabrott", "2020-01-01", "2020-01-31", 3, False, 4),
        ("Vårberg", "narkotikabrott", "2020-02-01", "2020-02-29", 4, False, 4),
        ("Bredäng", "personran", "2020-01-01", "2020-01-31", 1, False, 5),
        ("Bredäng", "personran", "2020-02-01", "2020-02-29", None, False, 5),
    ]


def test_bad_rows_are_rejected_with_line_column_and_reason(write_text):
    path = write_text(
        "Plats;Brottskategori;Månad;Antal\n"
        "Sätra;Narkotika;2020-01;4\n"        # 2 ok
        "Sätra;Narkotika;2020-01;5\n"        # 3 duplicate of 2
        ";Narkotika;2020-02;1\n"             # 4 empty place
        "Sätra;Narkotika;2020-02-30;1\n"     # 5 impossible date
        "Sätra;Narkotika;2020-03;-2\n"       # 6 negative
        "Sätra;Narkotika;2020-04;fyra\n"     # 7 not a number
        "Sätra;Narkotika;2020-05;2,5\n"      # 8 not whole
        "Sätra;Narkotika;maj;2\n"            # 9 unreadable period
        "Sätra;;2020-06;2\n")                # 10 empty category
    r = read_crimes(path)
    got = [(e.line, e.column, e.value, e.reason) for e in r.errors]
    assert got == [
        (3, "Antal", "5", "samma plats, kategori och period som rad 2"),
        (4, "Plats", "", "platsen saknas"),
        (5, "Månad", "2020-02-30", "datumet 2020-02-30 finns inte"),
        (6, "Antal", "-2", "antalet får inte vara negativt"),
        (7, "Antal", "fyra", "antalet kunde inte tolkas som ett tal"),
        (8, "Antal", "2,5", "antalet måste vara ett heltal"),
        (9, "Månad", "maj", got[6][3]),
        (10, "Brottskategori", "", "brottskategorin saknas"),
    ]
    assert "okänd period" in got[6][3]
    assert r.table["line"].tolist() == [2]


def test_periods_starting_after_today_or_the_extraction_date_are_rejected(write_text):
    next_month = (pd.Timestamp(clock.now()) + pd.offsets.MonthBegin(1)).strftime("%Y-%m")
    path = write_text("Plats;Brottskategori;Månad;Antal\n"
                      f"Sätra;Narkotika;2020-01;4\nSätra;Narkotika;2099-12;5\nSätra;Rån;{next_month};1\n")
    got = [(e.line, e.column, e.value, e.reason) for e in read_crimes(path).errors]
    assert got == [(3, "Månad", "2099-12", "perioden ligger i framtiden"),
                   (4, "Månad", next_month, "perioden ligger i framtiden")]
    r = read_crimes(path, extracted=dt.date(2019, 12, 31))
    assert [(e.line, e.reason) for e in r.errors] == [
        (n, "perioden börjar efter uttagsdatumet 2019-12-31") for n in (2, 3, 4)]
    assert read_crimes(path, extracted=dt.date(2020, 1, 1)).table["line"].tolist() == [2]
    wide = write_text(f"Brott;dec 2019;jan 2020;{next_month}\nRån;1;2;3\n")
    assert [(e.column, e.reason) for e in read_crimes(wide, place="Sätra").errors] == [
        (next_month, "perioden ligger i framtiden")]


def test_wide_errors_name_the_period_column(write_text):
    r = read_crimes(write_text("Brott;jan 2021;feb 2021\nRån;1;-1\n"), place="Sätra")
    assert [(e.line, e.column, e.value) for e in r.errors] == [(2, "feb 2021", "-1")]


def test_unknown_categories_one_error_and_mapping_fixes_it(write_text, tmp_path):
    path = write_text("Plats;Brott;År;Antal\nA;Bus;2019;1\nA;Bus;2020;2\nA;Ofog;2021;3\nA;Rån;2019;4\n")
    r = read_crimes(path)
    # one error per rejected row (so --keep-valid counts and lists each); the first explains them all
    assert [(e.line, e.column) for e in r.errors] == [(2, "Brott"), (3, "Brott"), (4, "Brott")]
    err = r.errors[0]
    assert '"Bus" (2 rader, första på rad 2)' in err.reason and '"Ofog" (1 rad, på rad 4)' in err.reason
    assert "categories:" in err.reason
    assert r.table["category"].tolist() == ["ran"]
    mapping = tmp_path / "mappning.yaml"
    mapping.write_text('categories:\n  Bus: skadegorelse\n  "ofog": Skadegörelse\n', encoding="utf-8")
    fixed = read_crimes(path, mapping=mapping)
    assert fixed.errors == [] and fixed.table["category"].tolist() == ["skadegorelse"] * 3 + ["ran"]


def test_mapping_file_columns(write_text):
    path = write_text("Geografi;Brottsrubrik;Tid;Värde\nSätra;Rån;2019-05;7\n")
    with pytest.raises(InputError, match="rubrikrad"):
        read_crimes(path)
    mapping = {"columns": {"place": "Geografi", "period": "Tid", "count": "Värde"}}
    r = read_crimes(path, mapping=mapping)
    assert rows(r) == [("Sätra", "ran", "2019-05-01", "2019-05-31", 7, False, 2)]


@pytest.mark.parametrize("text,start,end", [
    ("2020-01-01", "2020-01-01", "2020-01-31"), ("2020-01-15", "2020-01-01", "2020-01-31"),
    ("2020-01", "2020-01-01", "2020-01-31"), ("januari 2020", "2020-01-01", "2020-01-31"),
    ("jan 2020", "2020-01-01", "2020-01-31"), ("2020 januari", "2020-01-01", "2020-01-31"),
    ("Jan. 2020", "2020-01-01", "2020-01-31"), ("FEBRUARI 2024", "2024-02-01", "2024-02-29"),
    ("2019", "2019-01-01", "2019-12-31"), ("2019–2020", "2019-09-01", "2020-08-31"),
    ("2019-2020", "2019-09-01", "2020-08-31"), ("2019/20", "2019-09-01", "2020-08-31"),
    ("2018-01-01–2018-11-30", "2018-01-01", "2018-11-30"), ("jan–nov 2018", "2018-01-01", "2018-11-30"),
    ("T2 2021", "2021-05-01", "2021-08-31"), ("2011-12", "2011-12-01", "2011-12-31"),
])
def test_parse_period(text, start, end):
    s, e, _ = parse_period(text)
    assert (s.isoformat(), e.isoformat()) == (start, end)


@pytest.mark.parametrize("text", ["", "2020-13", "2020-02-30", "2019–2021", "hösten", "1850"])
def test_parse_period_rejects(text):
    with pytest.raises(ValueError):
        parse_period(text)


MONTH_NAMES = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
               "oktober", "november", "december"]


@settings(deadline=None)
@given(year=st.integers(1950, 2090), month=st.integers(1, 12), day=st.integers(1, 28),
       form=st.integers(0, 5), upper=st.booleans())
def test_property_month_spellings_agree(year, month, day, form, upper):
    name = MONTH_NAMES[month - 1]
    text = [f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}", f"{name} {year}",
            f"{name[:3]} {year}", f"{year} {name}", f"{name[:3]}. {year}"][form]
    start, end, prel = parse_period(text.upper() if upper else text)
    assert start == dt.date(year, month, 1) and not prel
    assert end == (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()


CELL = st.text(alphabet=list("aå1-.,; 2%x\t"), max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.lists(CELL, min_size=0, max_size=6), max_size=12))
def test_property_malformed_rows_give_row_errors(write_text, body):
    text = "Plats;Brottskategori;Månad;Antal\n" + "\n".join(";".join(r) for r in body) + "\n"
    try:
        r = read_crimes(write_text(text))
    except InputError:
        return
    bad_lines = {e.line for e in r.errors}
    assert not bad_lines & set(r.table["line"])
    assert (r.table["count"].dropna() >= 0).all()
    assert r.table["category"].notna().all() and (r.table["place"] != "").all()
    assert (r.table["period_end"] >= r.table["period_start"]).all()


def test_constants_stand_in_for_missing_columns(write_text):
    path = write_text("Plats;jan 2021;feb 2021\nSätra;1;2\nVårberg;3;4\n")
    r = read_crimes(path, mapping={"constants": {"category": "Narkotika"}})
    assert r.errors == [] and set(r.table["category"]) == {"narkotikabrott"}
    assert r.table["count"].tolist() == [1, 2, 3, 4]
    path = write_text("Plats;Brott;Antal\nSätra;Rån;5\n", name="ar.csv")
    r = read_crimes(path, mapping={"constants": {"period": "2019–2020"}})
    assert rows(r) == [("Sätra", "ran", "2019-09-01", "2020-08-31", 5, False, 2)]
