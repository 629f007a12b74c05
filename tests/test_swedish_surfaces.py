"""What a user reads, checked where an independent review found English, raw numbers or wrong words:
chart file names on Plats, the ingest summary, the map's p-values, the survey page and command for a
place without a survey, the chart command's file endings and choices, the pack's folder, role changes
from the command line, and patterns without crimes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lagesbild.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args, db):
    return subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


def test_place_chart_files_have_swedish_names(demo_store):
    """The quick downloads were named "trend-years-hasselby-torg", "survey-…", "shares-…"."""
    from lagesbild.settings import load_settings
    from lagesbild.web.views.place import place_view

    tree = place_view(demo_store, load_settings({}), "hasselby-torg")
    names = [g.config["toImageButtonOptions"]["filename"] for div in tree for g in _walk(div)
             if type(g).__name__ == "Graph"]
    assert names and all(n.endswith("-hasselby-torg") for n in names), names
    assert {"brott-per-period-hasselby-torg", "brott-per-manad-hasselby-torg"} <= set(names)
    english = ("trend", "survey", "shares", "activities", "years", "months")
    assert not [n for n in names if any(w in n.split("-") for w in english)], names


def test_the_ingest_summary_spaces_thousands_and_says_one_row(tmp_path):
    from lagesbild.ingest.run import _count

    assert _count(68030, "rad inläst", "rader inlästa") == "68\u00a0030 rader inlästa"
    assert _count(1, "avvisad", "avvisade") == "1 avvisad"
    path = tmp_path / "brott.csv"
    path.write_text("Plats;Brottskategori;Månad;Antal\nVårberg;Rån;2023-01;3\nVårberg;Rån;2023-02;tre\n",
                    encoding="utf-8")
    res = _cli("ingest", "crimes", path, "--keep-valid", "--no-progress", db=tmp_path / "s.sqlite")
    assert res.returncode == 0 and "brott.csv: 1 rad inläst, 1 avvisad." in res.stdout, res.stdout


def test_the_map_says_small_p_values_as_the_rest_of_the_app():
    import numpy as np
    import pandas as pd
    from shapely.geometry import box

    from lagesbild.figures.maplayers import _gi_traces

    cells = pd.DataFrame({"cell_id": [0], "gi_bin": [3], "count": [40], "z": [5.91], "p": [3e-9]})
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(cells, geometry=[box(670000, 6580000, 670200, 6580200)], crs=3006)
    traces = [t.to_plotly_json() if hasattr(t, "to_plotly_json") else t for t in _gi_traces(gdf)]
    hover = [h for trace in traces for key in ("hovertext", "text", "customdata")
             for h in np.atleast_1d(trace.get(key) if trace.get(key) is not None else [])]
    assert any("p = <\u00a00,001" in str(h) for h in hover) and not any("0,000" in str(h) for h in hover), hover


def test_the_survey_of_a_place_without_one_says_so(demo_store, demo_store_path):
    """/trygghet?plats=farsta dropped Farsta (not among the dropdown's places with a survey) and said
    "ingen plats är vald"; the command printed an empty header."""
    from lagesbild.settings import load_settings
    from lagesbild.web.common import with_named_place
    from lagesbild.web.views.survey import survey_places, survey_view

    def _options(store, place_id):
        return with_named_place(survey_places(store), store, place_id)

    options = _options(demo_store, "farsta")
    assert options[0]["value"] == "farsta" and options[0]["label"].endswith("(ingen mätning)"), options[:2]
    assert "farsta" not in [o["value"] for o in _options(demo_store, "hasselby-torg")]
    shown = str(survey_view(demo_store, load_settings({}), place_id="farsta"))
    assert "det finns ingen trygghetsmätning för Farsta" in shown and "ingen plats är vald" not in shown
    res = _cli("survey", "--place", "farsta", db=demo_store_path)
    lines = res.stdout.strip().splitlines()
    assert res.returncode == 0 and lines[0] == "Det finns ingen trygghetsmätning för Farsta."
    assert lines[1:] == ["OBS: FIKTIVA DEMODATA – inte verklig brottsstatistik (python -m lagesbild demo "
                         "--remove tar bort dem)."]  # the demo store


@pytest.mark.parametrize("out, message", [
    ("c.docx", "ett diagram sparas som PNG, SVG eller PDF"),
    ("c.png --format svg", "filändelsen .png stämmer inte med --format svg"),
])
def test_the_chart_command_refuses_an_ending_it_cannot_write(demo_store_path, tmp_path, out, message):
    """``--out c.docx`` wrote c.docx.png."""
    out, *extra = out.split()
    res = _cli("chart", "--chart", "trend", "--place", "varberg", "--out", tmp_path / out, *extra,
               db=demo_store_path)
    assert res.returncode == 2 and message in res.stderr and not list(tmp_path.iterdir()), res.stderr


def test_choices_are_swedish_and_the_old_english_ones_still_work(demo_store_path, tmp_path):
    res = _cli("chart", "--help", db=demo_store_path)
    assert "{trend,månad,trygghet,karta,andel}" in res.stdout
    res = _cli("chart", "--chart", "cirkel", "--place", "varberg", "--out", tmp_path / "x.png", db=demo_store_path)
    assert res.returncode == 2 and "'cirkel' finns inte; välj trend, månad, trygghet, karta eller andel" in res.stderr
    assert "{kvadrat,hexagon}" in _cli("hotspots", "--help", db=demo_store_path).stdout


def test_the_pack_refuses_a_folder_it_cannot_make_before_drawing(demo_store_path, tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    res = _cli("pack", "--places", "varberg", "--out", blocker / "paket", "--no-progress", db=demo_store_path)
    assert res.returncode == 2 and f"Fel: {blocker}" in res.stderr and "en del av sökvägen är ingen mapp" in res.stderr
    assert "Mötespaket" not in res.stderr  # refused before the first step


def test_roles_change_from_the_command_line(tmp_path, monkeypatch, capsys):
    """The README said the command line changes roles; there was no such command."""
    import io

    db = str(tmp_path / "u.sqlite")
    for name, role in (("anna", "admin"), ("bo", "läsare")):
        monkeypatch.setattr(sys, "stdin", io.StringIO("ett-långt-lösenord\n"))
        assert main(["--db", db, "users", "add", name, "--roll", role, "--stdin"]) == 0
    assert main(["--db", db, "users", "role", "bo", "analytiker"]) == 0
    assert "Kontot bo har nu rollen analytiker." in capsys.readouterr().out
    from lagesbild.analysis.admin import list_users
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    store = open_store(load_settings({}, db=db, data_dir=str(tmp_path)))
    assert {u["username"]: u["role"] for u in list_users(store)} == {"anna": "admin", "bo": "analytiker"}
    assert main(["--db", db, "users", "role", "anna", "läsare"]) == 2  # never the last admin
    assert "det enda med rollen admin" in capsys.readouterr().err


def test_patterns_without_crimes_say_so(demo_store_path):
    # a category without crimes in a year with data (a year without data is refused:
    # tests/test_cli_no_data_periods.py)
    res = _cli("patterns", "--place", "hasselby-torg", "--period", "2022-2023", "--category", "bedrageri_aldre",
               db=demo_store_path)
    assert res.returncode == 0 and "0 brott" in res.stdout and "Flest brott kl." not in res.stdout
    assert "Inga brott under perioden" in res.stdout


def test_the_city_s_share_chart_says_it_has_no_larger_level():
    """`chart --chart andel --place stockholm` said the city 'ligger inte i något inläst
    stadsdelsområde eller någon inläst stad'; it has no larger level to show its share of."""
    from lagesbild.figures.finishing import empty_text
    from lagesbild.figures.share import make_share_chart

    fig = make_share_chart(None, parent_names={}, place="Stockholm")
    assert empty_text(fig) == ("Inget att visa: platsen har ingen större inläst nivå (stadsdelsområde eller "
                               "stad) att visa sin andel av")


def test_the_command_line_csv_has_the_downloads_swedish_headers(demo_store_path, capsys):
    """`--format csv` ("för Excel") wrote the analysis layer's English column names (place_id,
    count_a, p_value, …); it has the Excel downloads' Swedish headers, the JSON keeps the names for
    programs."""
    import csv
    import io

    from lagesbild.cli import main

    capsys.readouterr()
    assert main(["--db", str(demo_store_path), "compare", "--place", "varberg", "--format", "csv"]) == 0
    # the demo's mark is a comment line above the header (tests/test_cli_csv_demo_mark.py)
    header = next(r for r in csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff")), delimiter=";")
                  if not r[0].startswith("# "))
    assert header[:6] == ["Plats-id", "Plats", "Kategori-id", "Kategori", "Period A", "Period B"]
    assert {"Antal A", "Antal B", "p-värde", "Bedömning"} <= set(header)
    assert not {"place_id", "count_a", "p_value", "verdict"} & set(header)
    assert main(["--db", str(demo_store_path), "notes", "list", "--format", "csv"]) == 0
    assert capsys.readouterr().out.lstrip("\ufeff").startswith("Antecknings-id;Plats-id;Plats;Mötesdatum")
