"""Crime, population and survey files shaped like the downloads as they come, in forms the other
tests do not use: footnote marks on place and category names, and more (one test per defect found
in a re-check)."""

from __future__ import annotations

import csv
import json

import pytest

from lagesbild.analysis import place_view
from lagesbild.analysis.base import whole_years
from lagesbild.settings import ROOT, load_settings
from lagesbild.sources.survey import read_survey
from lagesbild.store import Store
from tests.fixtures_sources import write_xlsx
from tests.test_bra_exports import _ingest, _number

MARKED = ("\ufeffAnmälda brott, antal\n\nRegion;Brott;2023;2024\n"
          "Stockholm¹;Misshandel;8 100;8 000\n"
          "Luleå;Narkotikabrott²;500;..\n"
          "Boden 3);Misshandel;50;51\n\n"
          "¹ Kommungränsen ändrad 2024.\n² Inklusive eget bruk.\n3) Preliminära uppgifter.\n"
          "Källa: Brottsförebyggande rådet (Brå)\n")


def test_footnote_marks_on_place_and_category_names_are_cut(write_text, tmp_path):
    path = write_text(MARKED, "marks.csv")
    rc, out, rows = _ingest(path, tmp_path)
    assert rc == 0, out
    lines = MARKED.lstrip("\ufeff").splitlines()
    table = list(csv.reader(lines[2:6], delimiter=";"))
    expected = {}
    for place, cat, text in [("stockholm", "misshandel", "Stockholm¹"), ("lulea", "narkotikabrott", "Luleå"),
                             ("boden", "misshandel", "Boden 3)")]:
        row = next(r for r in table if r[0] == text)
        for year in ("2023", "2024"):
            value = _number(row[table[0].index(year)])
            expected[(place, cat, f"{year}-01-01", f"{year}-12-31")] = (value, False)
    assert rows == expected


HEADER = ["Region", "Brott", "2022", "2023"]
RATES = [HEADER, ["Stockholm", "Misshandel", 817, 822]]  # per 100 000 inhabitants
COUNTS = [HEADER, ["Stockholm", "Misshandel", 8100, 8200]]


def test_a_sheet_named_per_100_000_is_never_read_as_counts(tmp_path):
    both = write_xlsx(tmp_path / "both.xlsx", {"Per 100 000 inv": RATES, "Antal": COUNTS})
    rc, out, rows = _ingest(both, tmp_path / "a")
    assert rc == 0, out
    assert rows == {("stockholm", "misshandel", f"{y}-01-01", f"{y}-12-31"): (n, False)
                    for y, n in zip(HEADER[2:], COUNTS[1][2:], strict=True)}
    only = write_xlsx(tmp_path / "only.xlsx", {"Per 100 000 inv": RATES})
    rc, out, rows = _ingest(only, tmp_path / "b")
    assert rc == 2 and out.startswith("Fel: only.xlsx") and "Per 100 000 inv" in out, out
    assert rows == {}


def test_two_sheets_with_tables_are_refused_not_one_dropped(tmp_path):
    other = [HEADER, ["Göteborg", "Misshandel", 5100, 5200]]
    path = write_xlsx(tmp_path / "two.xlsx", {"Info": [["Källa: Brå"]], "Antal": COUNTS, "Antal 2": other})
    rc, out, rows = _ingest(path, tmp_path / "a")
    assert rc == 2, out
    assert out.startswith("Fel: two.xlsx") and '"Antal", "Antal 2"' in out and "sheet:" in out
    assert "Traceback" not in out and rows == {}


POLICE_MARKED = ("Trygghetsmätning\nOmråde: Skärholmen\n\nFråga;2021;2022;2023¹\n"
                 "Nedskräpning;47,5 %;45 %;44 %\nSkadegörelse²;28;27;..\nAntal svarande;845;801;776\n\n"
                 "¹ Preliminära siffror.\n² Inklusive klotter.\nKälla: Polisen\n")


def _police_expected(text: str) -> dict:
    """(area, indicator, year) -> (share, respondents), read by hand from the police table above."""
    head, *body = csv.reader(text.splitlines()[3:7], delimiter=";")
    years = [int(h[:4]) for h in head[1:]]
    n = dict(zip(years, (int(v) for v in body[-1][1:]), strict=True))
    out = {}
    for row in body[:-1]:
        name = row[0].rstrip("¹²")
        for year, cell in zip(years, row[1:], strict=True):
            if cell != "..":
                out[("Skärholmen", name, year)] = (round(float(cell.rstrip(" %").replace(",", ".")) / 100, 9), n[year])
    return out


def _survey_rows(result) -> dict:
    t = result.table
    return {(a, i, int(y)): (round(float(s), 9), int(n)) for a, i, y, s, n in zip(
        t["area"], t["indicator"], t["year"], t["share"], t["respondents"], strict=True)}


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_police_survey_with_footnote_marks_and_a_title_area(write_text, encoding):
    expected = _police_expected(POLICE_MARKED)
    assert len(expected) == 5  # the marked year 2023 is a year like the others
    result = read_survey(write_text(POLICE_MARKED, "polis.csv", encoding))
    assert result.errors == []
    assert _survey_rows(result) == expected


def test_police_survey_xlsx_names_its_area_in_a_title_line(tmp_path):
    rows = [line.split(";") if line else [] for line in POLICE_MARKED.splitlines()]
    result = read_survey(write_xlsx(tmp_path / "polis.xlsx", {"Tabell": rows}))
    assert result.errors == []
    assert _survey_rows(result) == _police_expected(POLICE_MARKED)


QUARTERS = ("Anmälda brott, antal\r\n\r\nBrott\tRegion\t2023K1\t2023K2\t2023K3\t2023K4\t2024K1\t2024K2"
            "\t2024K3\t2024K4\r\nMisshandel\t0180 Stockholm\t1 200\t1 210\t1 220\t1 230\t1 100\t1 110\t1 120"
            "\t1 130\r\nStöld\t0180 Stockholm\t5 000\t5 010\t5 020\t5 030\t6 000\t6 010\t6 020\t..\r\n")


def test_quarterly_counts_compare_year_with_year_as_four_whole_quarters(write_text, tmp_path, capsys):
    """Four quarters tile a year: the year is their sum; a year with a '..' quarter is not judged."""
    from lagesbild.cli import main

    path = write_text(QUARTERS, "kvartal.tsv", "cp1252")
    db = str(tmp_path / "s.sqlite")
    assert main(["--db", db, "ingest", "crimes", str(path), "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "compare", "--place", "Stockholm", "--periods", "2023", "2024",
                 "--format", "json"]) == 0
    got = {r["category"]: r for r in json.loads(capsys.readouterr().out)}
    head, *body = csv.reader(QUARTERS.splitlines()[2:], delimiter="\t")
    sums = {}
    for row in body:
        for year in ("2023", "2024"):
            cells = [_number(c) for h, c in zip(head, row, strict=True) if h.startswith(year)]
            sums[(row[0], year)] = None if None in cells else sum(cells)
    assert (got["misshandel"]["count_a"], got["misshandel"]["count_b"]) == (
        sums[("Misshandel", "2023")], sums[("Misshandel", "2024")])
    assert got["misshandel"]["verdict"] == "minskning, statistiskt säkerställd"
    assert "summan av källans 4 delperioder" in got["misshandel"]["note"]
    assert got["stold"]["count_a"] == sums[("Stöld", "2023")] and sums[("Stöld", "2024")] is None
    assert got["stold"]["verdict"].startswith("kan inte bedömas: uppgift saknas")
    store = Store(f"sqlite:///{db}")
    assert [p.label for p in whole_years(store, "stockholm")] == ["2023", "2024"]
    view = place_view(store, load_settings({}), "stockholm")  # the Plats page's table of counts
    counts = view["counts"].set_index(["category", "period"])
    assert counts.loc[("misshandel", "2023"), "count"] == sums[("Misshandel", "2023")]
    assert counts.loc[("stold", "2023"), "months_missing"] == 0
    assert counts.loc[("stold", "2024"), "months_missing"] == 12  # a '..' quarter: no sum


NATIONAL_ROWS = ("Anmälda brott, antal\n\nRegion;Brott;2023;2024\nHela landet;Samtliga brott;1 480 000;1 450 000\n"
                 "00 Riket;Misshandel;90 000;91 000\n0180 Stockholm;Samtliga brott;180 000;170 000\n"
                 "0180 Stockholm;Misshandel;8 100;8 000\n")


def test_rows_for_the_whole_country_are_skipped_and_said_not_refused(write_text, tmp_path):
    rc, out, rows = _ingest(write_text(NATIONAL_ROWS, "riket.csv"), tmp_path)
    assert rc == 0, out
    assert "rader för hela landet (ingen plats här) (2)" in out  # two lines, of two years each (data10: lines, not cells)
    head, *body = csv.reader(NATIONAL_ROWS.splitlines()[2:], delimiter=";")
    cats = {"Samtliga brott": "totalt", "Misshandel": "misshandel"}
    assert rows == {("stockholm", cats[r[1]], f"{y}-01-01", f"{y}-12-31"): (_number(r[head.index(y)]), False)
                    for r in body if r[0] == "0180 Stockholm" for y in ("2023", "2024")}


def _city_layer(tmp_path, name_field: str):
    """A zipped shapefile in SWEREF 99 18 00 laid out as Stockholm stad's stadsdelsnämndsområden."""
    import zipfile

    import geopandas as gpd
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame({"TYP": ["Stadsdelsnämndsområde - gyB"] * 2, "KOMMUN": ["STOCKHOLM"] * 2,
                            name_field: ["Skärholmen", "Hässelby-Vällingby"]},
                           geometry=[box(146000, 6570000, 149000, 6573000),
                                     box(138000, 6587000, 143000, 6592000)], crs=3011)
    folder = tmp_path / name_field
    folder.mkdir()
    gdf.to_file(folder / "sdn_2020.shp", engine="pyogrio", encoding="utf-8")
    path = tmp_path / f"{name_field}.zip"
    with zipfile.ZipFile(path, "w") as z:
        for f in folder.iterdir():
            z.write(f, f.name)
    return path


def test_city_layer_kind_with_a_style_code_is_read_and_a_missing_name_field_named(tmp_path):
    """The city's layer names its areas in "Sdn_omarde" (a DBF cut of "Sdn_område"), which is read
    (tests/test_places.py reads the published file itself); a field no alias knows gets one message
    for the file that names its fields."""
    from lagesbild.errors import InputError
    from lagesbild.sources.places import read_places

    with pytest.raises(InputError) as err:
        read_places(_city_layer(tmp_path, "Benamning"))
    message = str(err.value)
    assert '"TYP", "KOMMUN", "Benamning"' in message and "till namn" in message
    assert len(err.value.errors) == 0  # one message for the file, not two per feature
    for field in ("Sdn_omarde", "Namn"):
        table = read_places(_city_layer(tmp_path, field)).table
        assert table[["place_id", "kind"]].values.tolist() == [
            ["skarholmen", "stadsdelsomrade"], ["hasselby-vallingby", "stadsdelsomrade"]]


PX_LONG = ('"Anmälda brott efter region, brottstyp och år"\n\n"region","brottstyp","år","Anmälda brott"\n'
           '"0180 Stockholm","Misshandel","2023","8 100"\n"0180 Stockholm","Misshandel","2024*","8 000"\n'
           '"2580 Luleå","Narkotikabrott","2023¹",".."\n')


def test_long_table_period_cells_with_a_footnote_mark_are_read_preliminary(write_text, tmp_path):
    rc, out, rows = _ingest(write_text(PX_LONG, "px.csv"), tmp_path)
    assert rc == 0, out
    head, *body = csv.reader(PX_LONG.splitlines()[2:])
    places, cats = {"0180 Stockholm": "stockholm", "2580 Luleå": "lulea"}, {
        "Misshandel": "misshandel", "Narkotikabrott": "narkotikabrott"}
    assert rows == {(places[p], cats[c], f"{y[:4]}-01-01", f"{y[:4]}-12-31"): (_number(n), y[4:] != "")
                    for p, c, y, n in body}


POPULATION_SHEET = [["Folkmängden per region, ålder och år"], [], ["region", "ålder", 2022, 2023],
                    ["0180 Stockholm", "totalt ålder", 978770, 984748],
                    ["1480 Göteborg", "totalt ålder", "595 250", 600100], [], ["Källa: SCB"]]


def test_scb_population_as_xlsx_is_read_like_the_csv(tmp_path):
    from lagesbild.errors import InputError
    from lagesbild.sources.population import read_population

    got = read_population(write_xlsx(tmp_path / "folkmangd.xlsx", {"Tabell": POPULATION_SHEET}))
    head, *body = POPULATION_SHEET[2:5]
    expected = [[r[0][:4], year, int(str(r[head.index(year)]).replace(" ", "")), r[0][5:]]
                for r in body for year in (2022, 2023)]
    assert got[["area", "year", "population", "name"]].values.tolist() == expected
    bad = [row[:] for row in POPULATION_SHEET]
    bad[4][3] = "ca 600 000"
    with pytest.raises(InputError) as err:
        read_population(write_xlsx(tmp_path / "fel.xlsx", {"Tabell": bad}))
    assert [(e.line, e.column, e.value) for e in err.value.errors] == [(5, "2023", "ca 600 000")]


def test_long_survey_table_with_marked_area_and_indicator(write_text):
    text = "Område;År;Indikator;Andel (%);Antal svarande\nSkärholmen¹;2023;Otrygg utomhus²;34,4;1 066\n"
    result = read_survey(write_text(text, "lang.csv"))
    assert result.errors == []
    row = text.splitlines()[1].split(";")
    assert _survey_rows(result) == {("Skärholmen", "Otrygg utomhus", int(row[1])): (
        round(float(row[3].replace(",", ".")) / 100, 9), int(row[4].replace(" ", "")))}


def _installed(tmp_path):
    """The package as ``pip install .`` puts it: alone in a site folder, no checkout around it."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(ROOT / "lagesbild", site / "lagesbild",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return site


def _run_installed(site, cwd, *args, env=None):
    import os
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**environ, "PYTHONPATH": str(site), **(env or {})})


def test_an_installed_package_reads_demo_data_from_the_clone_and_says_so_elsewhere(tmp_path):
    site, elsewhere = _installed(tmp_path), tmp_path / "elsewhere"
    elsewhere.mkdir()
    show = ["-c", "from lagesbild.settings import load_settings; print(load_settings({}).data_dir)"]
    assert _run_installed(site, ROOT, *show).stdout.strip() == str(ROOT / "data" / "local")
    assert _run_installed(site, elsewhere, *show).stdout.strip() == str(elsewhere / "data" / "local")
    db = tmp_path / "demo.sqlite"
    res = _run_installed(site, elsewhere, "-m", "lagesbild", "--db", f"sqlite:///{db}", "demo")
    assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
    assert res.stderr.startswith(f"Fel: {elsewhere / 'geodata' / 'places.geojson'}: demodata finns inte här")
    assert not db.exists() or Store(f"sqlite:///{db}").places().empty
    res = _run_installed(site, ROOT, "-m", "lagesbild", "--db", f"sqlite:///{db}", "demo",
                         env={"LAGESBILD_DATA_DIR": str(tmp_path / "local")})
    assert res.returncode == 0, res.stderr
    assert len(Store(f"sqlite:///{db}").places()) > 0


def test_city_survey_with_a_two_row_header_is_refused_not_read_as_nothing(tmp_path, capsys):
    """Year cells merged over "Andel (%)" and "Antal svar": every row has a cell with no header. That
    is said (file, row, column, value, reason) with exit code 2, never '0 rader inlästa'."""
    from lagesbild.cli import main

    rows = [["Stockholms stads trygghetsmätning"], ["Indikator", "Område", 2021, None, 2023, None],
            [None, None, "Andel (%)", "Antal svar", "Andel (%)", "Antal svar"],
            ["Otrygg utomhus sent en kväll", "Skärholmen", 33.0, 1090, 34.4, 1066]]
    path = write_xlsx(tmp_path / "stad.xlsx", {"Tabell": rows})
    db = str(tmp_path / "s.sqlite")
    assert main(["--db", db, "ingest", "survey", str(path), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert 'stad.xlsx, blad "Tabell", rad 4, kolumn "F", värde "1066"' in err, err
    assert "sammanslagen" in err and "Traceback" not in err
    assert Store(f"sqlite:///{db}").places().empty


def test_counts_grouped_with_a_comma_or_a_point_are_refused_never_read_small(write_text, tmp_path):
    """'8,000' from an English-locale export is 8 000, but 8 by Swedish decimal comma: refused, and
    the store is left as it was; '8,0' stays eight."""
    text = 'Region,Brott,2023,2024\nStockholm,Misshandel,"8,000","9,000"\nStockholm,Rån,"1.250","8,0"\n'
    rc, out, rows = _ingest(write_text(text, "en.csv"), tmp_path)
    assert rc == 2 and rows == {}, out
    cells = [(line, col, value) for line, row in enumerate(csv.reader(text.splitlines()), start=1)
             for col, value in zip(["", "", "2023", "2024"], row, strict=True) if value in ("8,000", "9,000", "1.250")]
    for line, col, value in cells:
        assert f'en.csv, rad {line}, kolumn "{col}", värde "{value}": antalet kan läsas både' in out
    assert out.count("antalet kan läsas både") == len(cells) == 3
    rc, out, rows = _ingest(write_text("Region;Brott;2023\nStockholm;Misshandel;8,0\n", "sv.csv"), tmp_path / "b")
    assert rc == 0 and rows == {("stockholm", "misshandel", "2023-01-01", "2023-12-31"): (8, False)}, out


def test_survey_respondents_grouped_with_a_comma_are_refused(write_text):
    text = ("Område;År;Indikator;Andel (%);Antal svarande\nSkärholmen;2023;Otrygg;34,4;1,066\n"
            "Skärholmen;2022;Otrygg;33,0;1,000\nSkärholmen;2021;Otrygg;32,0;1 090\n")
    result = read_survey(write_text(text, "svar.csv"))
    assert [(e.line, e.value) for e in result.errors] == [(2, "1,066"), (3, "1,000")]
    assert all("antalet kan läsas både" in e.reason for e in result.errors)
    row = text.splitlines()[3].split(";")
    assert _survey_rows(result) == {("Skärholmen", "Otrygg", int(row[1])): (0.32, int(row[4].replace(" ", "")))}


def test_a_wide_table_with_an_unknown_place_names_each_row_once(tmp_path, capsys):
    """Brå's wide yearly table with a place the store lacks: the same error for each of a row's ten
    year cells was printed ten times (and filled the 20 lines shown with two rows)."""
    from lagesbild.cli import main

    years = range(2015, 2025)
    lines = ["Område;Brott;" + ";".join(f"{y} Antal" for y in years)]
    lines += [f"Hisingen;{crime};" + ";".join("100" for _ in years)
              for crime in ("Narkotikabrott", "Skadegörelsebrott", "Misshandel inkl. grov")]
    path = tmp_path / "hisingen.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.sqlite")
    assert main(["--db", db, "ingest", "crimes", str(path), "--no-progress"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert "30 fel" in err[0]
    rows = [line for line in err if "Hisingen" in line]
    assert [line.split(",")[1].strip() for line in rows] == ["rad 2", "rad 3", "rad 4"]
    assert all(line.endswith("(10 gånger)") for line in rows)


def test_the_upload_page_lists_a_repeated_error_once_with_how_many_times():
    from lagesbild.errors import RowError
    from lagesbild.web.views.data import error_table

    same = RowError("hisingen.csv", 2, "Område", "Hisingen", "okänd plats")
    other = RowError("hisingen.csv", 3, "2016 Antal", "x", "inte ett tal")
    table = error_table([same] * 10 + [other])
    assert table.to_dict("records") == [
        {"Rad": "2", "Kolumn": "Område", "Värde": "Hisingen", "Orsak": "okänd plats", "Gånger": "10"},
        {"Rad": "3", "Kolumn": "2016 Antal", "Värde": "x", "Orsak": "inte ett tal", "Gånger": "1"}]
    assert list(error_table([other]).columns) == ["Rad", "Kolumn", "Värde", "Orsak"]


@pytest.mark.parametrize("text", ["Plats;Brottskategori;Månad;Antal\n", "Område;Brott;2023 Antal;2024 Antal\r\n"])
def test_a_file_with_a_header_alone_is_refused_not_read_as_nothing(tmp_path, capsys, text):
    """A header and no rows (the wrong sheet exported, a filter left on): "0 rader inlästa", exit 0 and
    an ingest in the log; now exit 2 with the reason, and the check on the Data page says the same."""
    from lagesbild.cli import main
    from lagesbild.ingest import open_store, validate_file

    path = tmp_path / "brott.csv"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "crimes", str(path), "--no-progress"]) == 2
    assert "inga rader att läsa in" in capsys.readouterr().err
    store = open_store(load_settings({}, data_dir=str(tmp_path), db=str(db)))
    assert store.counts()["crime_counts"] == 0 and store.ingest_log().empty
    report = validate_file(store, "crimes", path)
    assert report.status == "invalid" and "inga rader att läsa in" in report.errors[0].reason
