"""The command line, run as users run it: a subprocess, Swedish messages, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lagesbild.settings import ROOT


def run(*args, db, input_env=None):
    env = {**os.environ, "LAGESBILD_DB": str(db), **(input_env or {})}
    return subprocess.run([sys.executable, "-m", "lagesbild", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=300)


def test_status_json_of_demo_store_says_demo(demo_store_path):
    res = run("status", "--format", "json", db=demo_store_path)
    data = json.loads(res.stdout)
    assert res.returncode == 0
    assert data["demodata"] is True and data["data_till_och_med"] == "2023-08-31"
    assert {"demo-incidenter", "demo-platser"} <= {s["källa"] for s in data["källor"]}
    assert any(s["fiktiv"] for s in data["källor"] if s["källa"] == "demo-incidenter")


def test_status_text_warns_about_fictitious_data(demo_store_path):
    res = run("status", db=demo_store_path)
    assert "FIKTIVA DEMODATA" in res.stdout


def test_compare_reproduces_real_hasselby_figures_through_the_cli(demo_store_path):
    res = run("compare", "--place", "Hässelby torg", "--from", "2019-01-01", "--to", "2019-11-30",
              "--vs-from", "2018-01-01", "--vs-to", "2018-11-30", "--category", "skadegorelse",
              "valdsbrott", "narkotikabrott", "tillgrepp_butik", "--format", "json", db=demo_store_path)
    rows = {r["category"]: r for r in json.loads(res.stdout)}
    assert (rows["skadegorelse"]["count_a"], rows["skadegorelse"]["count_b"]) == (274, 142)
    assert (rows["narkotikabrott"]["count_a"], rows["narkotikabrott"]["count_b"]) == (32, 60)
    assert rows["skadegorelse"]["verdict"] == "minskning, statistiskt säkerställd"
    assert rows["narkotikabrott"]["verdict"] == "ökning, statistiskt säkerställd"
    assert rows["valdsbrott"]["verdict"] == "ingen säkerställd förändring"
    for key in ("place", "period_a", "period_b", "start_a", "end_b", "change", "pct_change",
                "p_value", "significant"):
        assert key in rows["valdsbrott"]


@pytest.mark.parametrize("periods", [["2019-2020", "2020-2021"], ["2019–2020", "2020–2021"]])
def test_compare_accepts_hyphen_and_en_dash(demo_store_path, periods):
    res = run("compare", "--place", "varberg", "--periods", *periods, "--format", "csv",
              db=demo_store_path)
    assert res.returncode == 0
    assert "2019–2020;2020–2021" in res.stdout


def test_unknown_place_is_a_swedish_error_without_traceback(demo_store_path):
    res = run("compare", "--place", "Atlantis", "--periods", "2019-2020", "2020-2021",
              db=demo_store_path)
    assert res.returncode == 2
    assert "okänd plats" in res.stderr.lower() and "Traceback" not in res.stderr


def test_demo_force_and_remove_together_are_refused_and_the_store_left(tmp_path):
    """'demo --force --remove' did one of the two silently; it is one or the other."""
    db = tmp_path / "s.sqlite"
    assert run("ingest", "places", ROOT / "geodata" / "places.geojson", db=db).returncode == 0
    before = db.read_bytes()
    res = run("demo", "--force", "--remove", db=db)
    assert res.returncode == 2 and "går inte ihop med --force" in res.stderr and "Traceback" not in res.stderr
    assert db.read_bytes() == before


def test_missing_file_is_a_clear_error(tmp_path):
    res = run("ingest", "crimes", tmp_path / "finns-inte.csv", db=tmp_path / "s.sqlite")
    assert res.returncode == 2
    assert "finns inte" in res.stderr and "Traceback" not in res.stderr


def test_ingest_bad_file_exits_2_and_names_line_and_column(tmp_path):
    db = tmp_path / "s.sqlite"
    assert run("ingest", "places", ROOT / "geodata" / "places.geojson", db=db).returncode == 0
    bad = tmp_path / "brott.csv"
    bad.write_bytes("Plats;Brottskategori;Månad;Antal\nVårberg;Narkotika;13 2020;3\n".encode("cp1252"))
    res = run("ingest", "crimes", bad, db=db)
    assert res.returncode == 2
    assert "rad 2" in res.stderr and "Månad" in res.stderr and "Traceback" not in res.stderr


def test_survey_and_effect_commands(demo_store_path):
    survey = run("survey", "--place", "hasselby-torg", "--format", "json", db=demo_store_path)
    rows = json.loads(survey.stdout)
    real = [r for r in rows if r["year"] == 2019 and r["indicator"].startswith("Berusade")]
    assert round(real[0]["share"] * 100) == 23 and round(real[0]["district_share"] * 100) == 9
    effect = run("effect", "--activity", "hv-platssamverkan-hasselby-torg", db=demo_store_path)
    assert effect.returncode == 0 and "inte bevis på effekt" in effect.stdout


def test_hotspots_geojson(demo_store_path):
    res = run("hotspots", "--area", "hasselby-vallingby", "--category", "skadegorelse", "--period",
              "2021-2022", "--format", "geojson", db=demo_store_path)
    data = json.loads(res.stdout)
    assert data["type"] == "FeatureCollection"
    assert {"z", "p", "klass"} <= set(data["features"][0]["properties"])
    lon, lat = data["features"][0]["geometry"]["coordinates"][0][0][:2]
    assert 17 < lon < 19 and 59 < lat < 60


ENGLISH_ARGPARSE = ("usage:", "positional arguments", "options:", "show this help message and exit",
                    "invalid choice", "the following arguments are required", "error:")


@pytest.mark.parametrize("args", [["--help"], ["ingest", "--help"], ["pack", "--help"], ["chart", "--help"]])
def test_help_is_swedish(args):
    proc = subprocess.run([sys.executable, "-m", "lagesbild", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("användning: python -m lagesbild")
    assert "flaggor:" in proc.stdout and "visa den här hjälpen och avsluta" in proc.stdout
    assert not [w for w in ENGLISH_ARGPARSE if w in proc.stdout]
    if args == ["--help"]:
        assert "positionella argument:" in proc.stdout


def test_every_value_of_every_command_has_a_swedish_metavar():
    """No ``--place PLACE``: every argument that takes a value shows a Swedish placeholder in --help."""
    import argparse

    from lagesbild.cli import build_parser
    from lagesbild.cli.swedish import swedish_metavars

    parser = build_parser()
    assert swedish_metavars(parser) == []
    shown = []
    def walk(p):
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    walk(sub)
            elif action.nargs != 0 and action.choices is None:
                shown.append(action.metavar)
    walk(parser)
    english = {"PLACE", "CATEGORY", "DATE", "AUTHOR", "DB", "SOURCE", "MAPPING", "AREA", "ACTIVITY", "UNTIL"}
    assert shown and None not in shown and not english & set(shown)
    help_text = subprocess.run([sys.executable, "-m", "lagesbild", "notes", "add", "--help"],
                               capture_output=True, text=True, cwd=ROOT, timeout=120).stdout
    assert "--place PLATS" in help_text and "--author FÖRFATTARE" in help_text


@pytest.mark.parametrize("args, message", [
    (["finnsinte"], "ogiltigt val: 'finnsinte'"), (["ingest"], "följande argument krävs: TYP, FIL"),
    (["status", "--okand"], "okända argument: --okand")])
def test_argument_errors_are_swedish(args, message):
    proc = subprocess.run([sys.executable, "-m", "lagesbild", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert message in proc.stderr and "fel: " in proc.stderr
    assert not [w for w in ENGLISH_ARGPARSE if w in proc.stderr]


def test_every_argument_of_every_command_has_a_help_text():
    """`--help` explains every argument (``ingest``'s FIL and the commands' --format had none)."""
    import argparse

    from lagesbild.cli import build_parser

    missing = []

    def walk(parser, path):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif not isinstance(action, argparse._HelpAction) and action.help != argparse.SUPPRESS \
                    and not (action.help or "").strip():
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    walk(build_parser(), "lagesbild")
    assert not missing, missing


@pytest.mark.parametrize("args, message", [
    (["compare", "--place", "x", "--alpha", "fem"], "argument --alpha: 'fem' är inte ett tal från 0,001 till 0,2"),
    (["chart", "--chart", "trend", "--place", "x", "--out", "a.png", "--dpi", "hög"],
     "argument --dpi: 'hög' är inte ett heltal från 72 till 600")])
def test_a_value_of_the_wrong_kind_is_named_in_swedish(args, message):
    """What is allowed, in Swedish, not Python's type name 'float' (or 'int')."""
    proc = subprocess.run([sys.executable, "-m", "lagesbild", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert message in proc.stderr, proc.stderr


def test_compare_text_notes_are_worded_as_on_screen(demo_store_path):
    """The CLI's notes under the comparison name the categories a note is about and give each
    population note once, over every year it covers (they were one sentence per row, unnamed); the
    categories' dispersions are one note."""
    res = run("compare", "--place", "varberg", "--periods", "2021-2022", "2022-2023", db=demo_store_path)
    assert res.returncode == 0
    notes = [line for line in res.stdout.splitlines() if "mer än slumpen" in line
             or line.startswith("Befolkningen")]
    # every category's dispersion in one note, each named with its factor (one note per category
    # filled the notes of a place with many categories)
    dispersion = [n for n in notes if "gånger" in n]
    assert len(dispersion) == 1 and dispersion[0].startswith(
        "Testen tar hänsyn till att antalen varierar mer än slumpen (kvasi-Poisson): ")
    assert dispersion[0].count(" gånger") > 1
    population = [n for n in notes if n.startswith("Befolkningen")]
    assert population == ["Befolkningen 2021 och 2022 är interpolerad mellan kända år."]  # not "2021–2022", a Sep–Aug year
    rows = json.loads(run("compare", "--place", "varberg", "--periods", "2021-2022", "2022-2023",
                          "--format", "json", db=demo_store_path).stdout)
    assert all(r["note"].count("Befolkningen") <= 1 for r in rows)


def test_status_names_the_latest_ingests_in_swedish(demo_store_path):
    """The latest ingests by their Swedish kind, counts with thousands grouped ('incidents', '68030')."""
    text = run("status", db=demo_store_path).stdout.split("Senaste inläsningar:")[1]
    log = json.loads(run("status", "--format", "json", db=demo_store_path).stdout)["senaste_inläsningar"]
    incidents = next(r for r in log if r["typ"] == "incidents")
    assert incidents["godkända"] >= 1000
    grouped = f"{incidents['godkända']:,}".replace(",", "\u00a0")
    assert f"anmälda brott (händelsenivå), {incidents['fil']}: {grouped} godkända" in text
    assert not any(f" {word} " in text for word in ("incidents", "activities", "survey", "places"))


def test_effect_text_names_the_place_and_the_comparison_area(demo_store_path):
    """The effect's head names places by name, and says 'inget' for no comparison area (it printed
    ids and 'Jämförelseområde: None')."""
    torg = run("effect", "--activity", "hv-platssamverkan-hasselby-torg", db=demo_store_path).stdout
    assert torg.splitlines()[0].endswith("), Hässelby torg")
    assert "Jämförelseområde: resten av stadsdelsområdet (Hässelby-Vällingby)" in torg
    district = run("effect", "--activity", "hl-2017-trygga-uppvaxten", db=demo_store_path).stdout
    assert "Jämförelseområde: inget" in district and "None" not in district


def test_effect_text_names_each_places_comparison_area(demo_store_path):
    """An activity at two places: the head named the first place's comparison area only, as if it
    held for both."""
    import pandas as pd

    from lagesbild import analysis
    from lagesbild.cli.analysis import _effect_text
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    store = open_store(load_settings({}, db=str(demo_store_path), data_dir=str(demo_store_path.parent)))
    one = analysis.activity_effect(store, "hv-platssamverkan-hasselby-torg", months=12, alpha=0.05)
    other = one.assign(place_id="vallingby-centrum",
                       comparison="resten av stadsdelsområdet (Hässelby-Vällingby), utan Hässelby torg")
    text = _effect_text(pd.concat([one, other], ignore_index=True), {},
                        {"hasselby-torg": "Hässelby torg", "vallingby-centrum": "Vällingby centrum"})
    head = text.splitlines()[:3]
    assert head[2] == ("Jämförelseområden: Hässelby torg: resten av stadsdelsområdet (Hässelby-Vällingby); "
                       "Vällingby centrum: resten av stadsdelsområdet (Hässelby-Vällingby), utan "
                       "Hässelby torg"), head
    assert head[0].endswith("(start 2019-02-01)")  # the activity, not one of its places


@pytest.mark.parametrize("args, flag, allowed", [
    (["compare", "--place", "x", "--alpha", "0"], "--alpha", "ett tal från 0,001 till 0,2"),  # was "not given"
    (["compare", "--place", "x", "--alpha", "5"], "--alpha", "ett tal från 0,001 till 0,2"),  # was a traceback
    (["hotspots", "--area", "x", "--period", "2022–2023", "--cell-size", "0"], "--cell-size",
     "ett tal från 25 till 5000"),
    (["hotspots", "--area", "x", "--period", "2022–2023", "--cell-size", "1e9"], "--cell-size",
     "ett tal från 25 till 5000"),  # was 0 cells and 0 crimes, exit 0
    (["hotspots", "--area", "x", "--period", "2022–2023", "--cell-size", "nan"], "--cell-size",
     "ett tal från 25 till 5000"),
    (["effect", "--activity", "x", "--months", "-3"], "--months", "ett heltal från 1 till 60"),
    (["effect", "--activity", "x", "--months", "0"], "--months", "ett heltal från 1 till 60"),
    (["chart", "--chart", "trend", "--place", "x", "--out", "a.png", "--width-cm", "-3"], "--width-cm",
     "ett tal från 6 till 60"),  # was a traceback
    (["chart", "--chart", "trend", "--place", "x", "--out", "a.png", "--dpi", "100000"], "--dpi",
     "ett heltal från 72 till 600"),  # was a broken PNG, exit 0
    (["quick", "--place", "x", "--until", "2023-02-30"], "--until", "ÅÅÅÅ-MM-DD"),  # was a traceback
    (["notes", "list", "--since", "99999-01-01"], "--since", "ÅÅÅÅ-MM-DD"),  # was a traceback
])
def test_a_value_outside_its_range_stops_the_command_before_it_runs(args, flag, allowed, capsys):
    from lagesbild.cli import main

    with pytest.raises(SystemExit) as stop:
        main(args)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and f"argument {flag}: " in err and allowed in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("width_cm, dpi", [(2.5, 300), (16, 100_000), (float("nan"), 300), (16, 10)])
def test_the_chart_export_refuses_a_size_it_cannot_draw(width_cm, dpi, tmp_path):
    import plotly.graph_objects as go

    from lagesbild.export.figure import export_figure
    from lagesbild.export.render import RenderError

    with pytest.raises(RenderError, match="Diagrammet kan inte sparas med"):
        export_figure(go.Figure(), tmp_path / "a.png", width_cm=width_cm, dpi=dpi, title="T", place="P",
                      periods=["2022–2023"], source_line="Källa: test")
    assert not list(tmp_path.iterdir())  # refused before anything was drawn or written



def test_quick_with_a_last_day_after_the_data_says_so(demo_store_path):
    proc = run("quick", "--place", "hasselby-torg", "--until", "2099-01-01", db=demo_store_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "fram till 2099-01-01" in proc.stderr and "välj en sista dag inom de inlästa brotten" in proc.stderr


def test_the_installed_command_names_itself_in_its_usage_lines():
    """``lagesbild --help`` (the console script) said "användning: python -m lagesbild"."""
    script = Path(sys.executable).parent / "lagesbild"  # beside the Python running the tests
    proc = subprocess.run([str(script), "compare"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("användning: lagesbild compare"), proc.stderr
    assert "lagesbild compare: fel: följande argument krävs: --place" in proc.stderr
