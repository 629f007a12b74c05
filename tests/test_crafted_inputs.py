"""Crafted requests and inputs (found by an independent re-check of the hardening): Dash requests whose
``outputs`` do not match the callback they name or whose values no component sends, clientside callbacks
asked of the server, JSON nested past the parser's recursion, upload folders left behind, numbers past a
float's range, GeoJSON with NaN, YAML tags, link injection through place names and ids. Real requests
through the Flask test client on stores built by code."""

from __future__ import annotations

import json
import logging
import os
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts
from tests.test_fuzz_inputs import FUZZ, Target
from tests.test_web_security import login

PASSWORDS = {"lasse": "läsarens-lösenord", "ann": "analytikerns-lösenord", "ada": "adminens-lösenord"}
ROLES = {"lasse": "läsare", "ann": "analytiker", "ada": "admin"}


@pytest.fixture()
def site(tmp_path):
    """(app, store, settings) with one account per role."""
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "r.sqlite"), max_upload_mb=1)
    store = Store(cfg.db_url)
    for name, role in ROLES.items():
        accounts.add_user(store, name, PASSWORDS[name], role)
    return create_app(cfg, store), store, cfg


def _client(app, name):
    c = app.server.test_client()
    assert login(c, name, PASSWORDS[name]).status_code == 302
    c.get("/")
    return c, {"X-CSRFToken": c.get_cookie("_csrf_token").value}


def _body(app, output_id, outputs):
    key = next(k for k in app.callback_map if f"..{output_id}." in k or k.startswith(output_id + "."))
    spec = app.callback_map[key]
    return {"output": key, "outputs": outputs, "changedPropIds": [],
            "inputs": [{**i, "value": None} for i in spec["inputs"]],
            "state": [{**s, "value": None} for s in spec.get("state", [])]}


# ----- outputs that are not the named callback's ---------------------------------------------------
HARMLESS = [{"id": "ov-content", "property": "children"}, {"id": "x", "property": "disabled"}]


@pytest.mark.parametrize("output_id", ["map-content", "pat-content", "dt-report"])
def test_the_role_is_read_from_the_callback_dash_runs_not_from_outputs(site, output_id, caplog):
    """A reader who names the map's callback but lists harmless outputs is refused by the guard (403),
    not let through to the callback (which then failed with a server error and a traceback)."""
    app, _, _ = site
    c, headers = _client(app, "lasse")
    body = _body(app, output_id, HARMLESS if output_id != "pat-content" else HARMLESS[0])
    with caplog.at_level(logging.ERROR):
        r = c.post("/_dash-update-component", json=body, headers=headers)
    assert r.status_code == 403 and "kräver rollen analytiker" in r.get_json()["error"]
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


def test_outputs_that_do_not_match_the_callback_are_a_bad_request(site, caplog):
    app, _, _ = site
    c, headers = _client(app, "ada")
    for output_id, outputs in [("map-content", HARMLESS), ("pat-content", HARMLESS[0]),
                               ("ov-content", {"id": "ov-content", "property": "style"}),
                               ("ov-content", [{"id": "ov-content", "property": "children"}])]:
        with caplog.at_level(logging.ERROR):
            r = c.post("/_dash-update-component", json=_body(app, output_id, outputs), headers=headers)
        assert r.status_code == 400 and "Felaktig begäran" in r.get_data(as_text=True), output_id
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    # the right outputs still reach the callback
    ok = c.post("/_dash-update-component", headers=headers,
                json=_body(app, "pat-content", {"id": "pat-content", "property": "children"}))
    assert ok.status_code == 200 and "pat-content" in ok.get_data(as_text=True)


# ----- JSON nested past the parser --------------------------------------------------------------------
@pytest.mark.parametrize("name", ["lasse", "ada"])
def test_a_deeply_nested_json_body_is_a_bad_request(site, name, caplog):
    """``[[[[…]]]]`` 100 000 deep made json raise RecursionError (not ValueError): 500, and the error
    logger itself failed on the same body."""
    app, _, _ = site
    c, headers = _client(app, name)
    for payload in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        with caplog.at_level(logging.ERROR):
            r = c.post("/_dash-update-component", data=payload, headers=headers,
                       content_type="application/json")
        assert r.status_code == 400 and "Felaktig begäran" in r.get_data(as_text=True)
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


# ----- upload folders --------------------------------------------------------------------------------
def _upload(app, c, headers, data: bytes, filename: str, kind: str):
    import base64

    key = next(k for k in app.callback_map if k.startswith("..dt-report.children...dt-pending"))
    spec = app.callback_map[key]
    values = {"dt-upload": "data:text/csv;base64," + base64.b64encode(data).decode(), "dt-kind": kind}
    state = {"dt-upload": filename, "dt-crs": None, "dt-source": "prov"}
    outs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in key.strip(".").split("...")]
    body = {"output": key, "outputs": outs, "changedPropIds": ["dt-upload.contents"],
            "inputs": [{**i, "value": values.get(i["id"])} for i in spec["inputs"]],
            "state": [{**s, "value": state.get(s["id"])} for s in spec["state"]]}
    r = c.post("/_dash-update-component", json=body, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_json()["response"]


def test_refused_and_old_uploads_do_not_pile_up(site):
    """Every upload was kept in its own folder forever, refused ones too: many small uploads filled the
    disk (and kept incident-level files around). A refused file that no mapping form can retry is removed
    at once, and folders older than a day at the next upload."""
    app, _, cfg = site
    root = Path(cfg.data_dir) / "uppladdningar"
    c, headers = _client(app, "ann")
    for i in range(5):  # not a places file at all: refused, no form
        out = _upload(app, c, headers, b"\x00\x01 inget %d" % i, f"../../skräp{i}.geojson", "places")
        assert "inget lästes in" in str(out["dt-report"])
    assert list(root.iterdir()) == []
    # a table with unknown columns gets the mapping form: its file stays for "Pröva igen"
    out = _upload(app, c, headers, "Okänd;Kolumn\n1;2\n".encode(), "okänd.csv", "crimes")
    kept = list(root.iterdir())
    assert len(kept) == 1 and list(kept[0].iterdir())
    old = time.time() - 2 * 24 * 3600
    os.utime(kept[0], (old, old))
    _upload(app, c, headers, b"\x00", "tom.geojson", "places")
    assert list(root.iterdir()) == []


# ----- numbers past a float's range, NaN in geometries ----------------------------------------------
@pytest.fixture(scope="module")
def places_store(tmp_path_factory):
    from lagesbild.ingest import ingest_file, open_store
    from lagesbild.settings import ROOT

    folder = tmp_path_factory.mktemp("places")
    store = open_store(load_settings({}, data_dir=str(folder), db=str(folder / "base.sqlite")))
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    store.engine.dispose()
    return folder / "base.sqlite"


def _fresh(places_store, tmp_path):
    import shutil

    from lagesbild.ingest import open_store

    shutil.copy(places_store, tmp_path / "s.sqlite")
    return open_store(load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite")))


def _refused(store, kind, path) -> str:
    from lagesbild.errors import InputError
    from lagesbild.ingest import ingest_file

    before = store.dump()
    with pytest.raises(InputError) as info:
        ingest_file(store, kind, path)
    assert store.dump() == before
    return info.value.message()


def test_a_count_of_400_digits_is_refused_not_stored_as_missing(places_store, tmp_path):
    """``999…9`` (400 digits) became infinity, which was neither invalid nor fractional: the row was
    read in with its count empty ("saknas"), silently."""
    store = _fresh(places_store, tmp_path)
    path = tmp_path / "brott.csv"
    path.write_text("Plats;Brottskategori;Månad;Antal\nvarberg;Skadegörelse;2024-01;" + "9" * 400
                    + "\nvarberg;Skadegörelse;2024-02;99999999999999999999\n", encoding="utf-8")
    message = _refused(store, "crimes", path)
    assert 'rad 2, kolumn "Antal", värde "999' in message and "kunde inte tolkas som ett tal" in message
    assert 'rad 3, kolumn "Antal", värde "99999999999999999999": talet är för stort' in message


def test_respondents_of_400_digits_are_refused(places_store, tmp_path):
    store = _fresh(places_store, tmp_path)
    path = tmp_path / "trygghet.csv"
    path.write_text("Område;År;Indikator;Andel;Svarande\nvarberg;2024;Otrygg;50 %;" + "9" * 400 + "\n",
                    encoding="utf-8")
    assert 'rad 2, kolumn "Svarande"' in _refused(store, "survey", path)


def _square(corner: str) -> str:
    return ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"ny","namn":'
            '"Ny","typ":"torg"},"geometry":{"type":"Polygon","coordinates":[[[17.94,59.27],'
            f'[{corner},59.27],[17.96,59.28],[17.94,59.27]]]}}}}]}}')


@pytest.mark.parametrize("corner, expected", [
    ("NaN", "(rad 1, tecken 169: NaN är inget tal i JSON"),
    ("-Infinity", "(rad 1, tecken 169: -Infinity är inget tal i JSON"),
    ("9" * 5000, "(rad 1, tecken 169: ett tal har för många siffror)")])
def test_geojson_with_nan_or_a_huge_integer_is_refused_not_a_traceback(places_store, tmp_path, corner,
                                                                      expected):
    """Python's json reads NaN/Infinity (GEOS then failed in make_valid) and stops at 4 300 digits
    with a ValueError that was not caught: both ended in a traceback, exit code 1."""
    store = _fresh(places_store, tmp_path)
    path = tmp_path / "platser.geojson"
    path.write_text(_square(corner), encoding="utf-8")
    assert expected in _refused(store, "places", path)


def test_a_geopackage_with_a_nan_coordinate_is_refused(places_store, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Polygon

    store = _fresh(places_store, tmp_path)
    path = tmp_path / "platser.gpkg"
    square = Polygon([(17.94, 59.27), (float("nan"), 59.27), (17.96, 59.28), (17.94, 59.27)])
    gpd.GeoDataFrame({"id": ["ny"], "namn": ["Ny"], "typ": ["torg"]}, geometry=[square],
                     crs="EPSG:4326").to_file(path, driver="GPKG")
    message = _refused(store, "places", path)
    assert 'rad 1, kolumn "geometry"' in message and "inte är ett tal (NaN eller oändlig)" in message


def test_the_cli_refuses_a_nan_geojson_with_exit_code_2(places_store, tmp_path):
    import shutil
    import subprocess
    import sys

    from lagesbild.settings import ROOT

    shutil.copy(places_store, tmp_path / "s.sqlite")
    (tmp_path / "p.geojson").write_text(_square("NaN"), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(tmp_path / "s.sqlite"), "ingest",
                          "places", str(tmp_path / "p.geojson")], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert res.returncode == 2 and res.stderr.startswith("Fel: p.geojson: filen kunde inte läsas")
    assert "Traceback" not in res.stderr


# ----- YAML's own typed values ------------------------------------------------------------------------
@pytest.mark.parametrize("line, expected", [
    ("  id: !!binary aGVsbG8=", "rad 2, tecken 7: typmarkeringen !!binary kan inte användas här"),
    ("  id: !!set {a: null}", "rad 2, tecken 7: typmarkeringen !!set kan inte användas här"),
    ("  id: !!omap [a: 1]", "rad 2, tecken 7: typmarkeringen !!omap kan inte användas här"),
    ("  id: !!pairs [a: 1]", "rad 2, tecken 7: typmarkeringen !!pairs kan inte användas här")])
def test_yaml_binary_and_set_values_are_refused(places_store, tmp_path, line, expected):
    """``id: !!binary aGVsbG8=`` was read in with the id ``b'hello'`` (Python's bytes repr)."""
    store = _fresh(places_store, tmp_path)
    path = tmp_path / "plan.yaml"
    path.write_text(f"- aktivitet: x\n{line}\n  plats: varberg\n  start: 2020-09-01\n", encoding="utf-8")
    assert expected in _refused(store, "activities", path)


# ----- the users command with bad input ----------------------------------------------------------------
def _users(db, *args, stdin: bytes):
    import subprocess
    import sys

    from lagesbild.settings import ROOT

    return subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), "users", *args],
                          input=stdin, capture_output=True, cwd=ROOT, timeout=120)


def test_users_refuses_a_password_that_is_not_utf8_and_reserved_names(tmp_path):
    """A Latin-1 password on standard input ended in a UnicodeEncodeError traceback (exit 1); a user
    named "(kod)" could pass for the code in the audit log and own the pack jobs code starts."""
    db = tmp_path / "u.sqlite"
    assert _users(db, "add", "eva", "--roll", "admin", "--stdin", stdin="långt-lösen-1\n".encode()).returncode == 0
    for args in (("add", "bo", "--roll", "läsare", "--stdin"), ("passwd", "eva", "--stdin")):
        res = _users(db, *args, stdin="långt-lösen-1\n".encode("latin-1"))
        err = res.stderr.decode()
        assert res.returncode == 2 and err.startswith("Fel: Lösenordet är inte giltig UTF-8-text")
        assert "Traceback" not in err
    res = _users(db, "add", "(kod)", "--roll", "admin", "--stdin", stdin="långt-lösen-1\n".encode())
    assert res.returncode == 2 and "namn som börjar med ( är reserverade" in res.stderr.decode()
    assert [u["username"] for u in accounts.list_users(Store(f"sqlite:///{db}"))] == ["eva"]
    assert accounts.check_password(Store(f"sqlite:///{db}"), "eva", "långt-lösen-1") is not None


# ----- fuzzing where tests/test_fuzz_inputs.py leaves gaps: geometries, numbers of any length ---------
COORD = st.one_of(st.floats(17.0, 19.0), st.floats(59.0, 60.0), st.floats(allow_nan=True),
                  st.integers(-10**30, 10**30), st.sampled_from(["HUGE", 1e308, -0.0]))
GEOMETRY = st.one_of(
    st.builds(lambda ring, kind: {"type": kind, "coordinates": [ring] if kind == "Polygon" else [[ring]]},
              st.lists(st.lists(COORD, min_size=0, max_size=3), min_size=0, max_size=6),
              st.sampled_from(["Polygon", "MultiPolygon"])),
    st.builds(lambda t, c: {"type": t, "coordinates": c},
              st.sampled_from(["Point", "LineString", "Polygon", "GeometryCollection", "Nonsense"]),
              st.recursive(COORD, lambda kids: st.lists(kids, max_size=3), max_leaves=12)),
    st.none())


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory):
    from lagesbild.ingest import ingest_file
    from lagesbild.settings import ROOT

    t = Target(tmp_path_factory.mktemp("fuzz2"))
    ingest_file(t.store, "places", ROOT / "geodata" / "places.geojson")
    return t


@FUZZ
@given(geometries=st.lists(GEOMETRY, min_size=1, max_size=3))
def test_random_place_geometries_are_refused_or_read(fuzz_target, geometries):
    """NaN, Infinity and integers of thousands of digits in coordinates (written as JSON allows and as
    Python's json writes them) are refused with a Swedish message, never a GEOS or ValueError crash."""
    import json

    features = [{"type": "Feature", "properties": {"id": f"fz{i}", "namn": f"Fuzz {i}", "typ": "torg"},
                 "geometry": g} for i, g in enumerate(geometries)]
    text = json.dumps({"type": "FeatureCollection", "features": features})
    fuzz_target.check("places", text.replace('"HUGE"', "9" * 5000).encode("utf-8"), ".geojson")


DIGITS = st.one_of(st.integers(0, 10**6).map(str), st.integers(1, 5000).map(lambda n: "9" * n),
                   st.integers(1, 400).map(lambda n: "1" + "0" * n + ",5"),
                   st.sampled_from(["1e400", "2147483648", "2147483647", "-0", "0,0"]))


@FUZZ
@given(kind=st.sampled_from(["crimes", "survey"]), cells=st.lists(DIGITS, min_size=1, max_size=4))
def test_numbers_of_any_length_are_refused_or_read_never_stored_empty(fuzz_target, kind, cells):
    if kind == "crimes":
        rows = [f"varberg;Skadegörelse;2019-{i + 1:02d};{c}" for i, c in enumerate(cells)]
        text = "Plats;Brottskategori;Månad;Antal\n" + "\n".join(rows) + "\n"
    else:
        rows = [f"varberg;{2015 + i};Otrygg;50 %;{c}" for i, c in enumerate(cells)]
        text = "Område;År;Indikator;Andel;Svarande\n" + "\n".join(rows) + "\n"
    fuzz_target.check(kind, text.encode("utf-8"), ".csv")
    if kind == "crimes":
        counts = fuzz_target.store.engine.connect().exec_driver_sql(
            "select count(*) from crime_counts where count is null").scalar()
    else:
        counts = fuzz_target.store.engine.connect().exec_driver_sql(
            "select count(*) from survey where respondents is null").scalar()
    assert counts == 0  # a cell with digits is a number or a refusal, never "saknas"


# ----- Markdown in the overview's place column ----------------------------------------------------------
HOSTILE_ID = "x) [Klicka här](https://evil.example/"


def test_a_place_id_cannot_add_a_link_to_the_overview(places_store, tmp_path):
    """The overview wrote the place id raw into its Markdown link: an id from the places file such as
    ``x) [Klicka här](https://evil.example/`` added a link to another site under the place's name."""
    import json

    from plotly.utils import PlotlyJSONEncoder

    from lagesbild.web.views.overview import overview_view

    store = _one_place_store(places_store, tmp_path, HOSTILE_ID, "Ondtorg [x](https://evil.example)",
                             lambda m: 7)
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    shown = json.dumps(overview_view(store, settings, period=None, categories=None, district=None,
                                     meeting=False), cls=PlotlyJSONEncoder, ensure_ascii=False)
    cell = json.loads('"' + re.search(r'"plats": "((?:[^"\\]|\\.)*Ondtorg(?:[^"\\]|\\.)*)"', shown).group(1)
                      + '"')
    assert "](https" not in cell and "](/plats/x%29%20%5BKlicka" in cell, cell
    assert cell.count("](") == 1  # one link: the place's own
    # the quoted link opens the place's page
    import sys

    from lagesbild.web import create_app
    from lagesbild.web.chart_source import _components

    app = create_app(settings, store)
    with app.server.test_request_context("/"):
        page = sys.modules["lagesbild.web.pages.place"].layout(place_id=quote(HOSTILE_ID, safe=""))
    chosen = [c.value for c in _components(page) if getattr(c, "id", None) == "pl-place"]
    assert chosen == [HOSTILE_ID]


def _one_place_store(places_store, tmp_path, place_id: str, name: str, count):
    """A fresh store holding one small place (a torg) and its monthly skadegörelse 2019–2021,
    ``count(month)`` crimes a month, both read in by the ingest."""
    from lagesbild.ingest import ingest_file

    store = _fresh(places_store, tmp_path)
    square = [[17.94, 59.27], [17.96, 59.27], [17.96, 59.28], [17.94, 59.28], [17.94, 59.27]]
    (tmp_path / "p.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"id": place_id, "namn": name, "typ": "torg"},
        "geometry": {"type": "Polygon", "coordinates": [square]}}]}), encoding="utf-8")
    assert ingest_file(store, "places", tmp_path / "p.geojson").status == "ok"
    lines = "".join(f"{place_id};Skadegörelse;{y}-{m:02d};{count(m)}\n" for y in (2019, 2020, 2021)
                    for m in range(1, 13))
    (tmp_path / "b.csv").write_text("Plats;Brottskategori;Månad;Antal\n" + lines, encoding="utf-8")
    assert ingest_file(store, "crimes", tmp_path / "b.csv").status == "ok"
    return store


# ----- links drawn by plotly from names -----------------------------------------------------------------
EVIL_NAME = '<a href="https://evil.example/">Ondtorg</a>'


def test_a_place_name_cannot_put_a_link_into_an_exported_chart(places_store, tmp_path):
    """plotly.js draws ``<a href>`` in any text as a link: a place named
    ``<a href="https://evil.example/">Ondtorg</a>`` gave the exported SVG (and the meeting pack's
    charts) a link to another site in its subtitle."""

    from lagesbild.web import create_app
    from lagesbild.web.chart_source import figure_for
    from lagesbild.web.export_controls import export_chart_bytes

    store = _one_place_store(places_store, tmp_path, "ond", EVIL_NAME, lambda m: 5 + m % 3)
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    app = create_app(settings, store)
    with app.server.test_request_context("/"):
        fig = figure_for("/plats/ond", "", "place-trend_years")
        svg = export_chart_bytes(fig, "svg", settings)[0].decode("utf-8")
    assert "evil.example" in svg and "Ondtorg" in svg  # the name is shown, as text
    assert "&#60;a href=" in svg  # drawn as the text it is
    assert not re.search(r"<a[\s>]", svg) and "xlink:href=\"https" not in svg  # no link element


def test_a_link_in_a_name_is_text_in_the_charts_on_screen():
    import plotly.graph_objects as go

    from lagesbild.web import components as ui

    for fig in (go.Figure(go.Bar(x=[EVIL_NAME], y=[3], hovertext=[EVIL_NAME]),
                          layout={"title": {"text": EVIL_NAME}}),
                {"data": [{"type": "bar", "x": [EVIL_NAME], "y": [3]}], "layout": {"title": {"text": EVIL_NAME}}}):
        card = ui.chart(fig, "prov")
        graph = next(c for c in _components_of(card) if c.__class__.__name__ == "Graph")
        shown = json.dumps(graph.figure if isinstance(graph.figure, dict) else graph.figure.to_plotly_json(),
                           default=str)
        assert "<a href" not in shown and "&lt;a href" in shown


def _components_of(node):
    from lagesbild.web.chart_source import _components

    return list(_components(node))


# ----- the mapping form's state, sent back by the browser ---------------------------------------------
@pytest.mark.parametrize("bad", [{"columns": 5}, {"categories": [["x"]]}, {"constants": 7},
                                 {"base": [1]}, {"saved": ["x"]}, {"save_as": {"a": 1}},
                                 {"suggestions": "x"}, {"upload": 3}, {"path": 3}, {"kind": None}])
def test_a_crafted_mapping_state_is_ignored_not_a_server_error(site, bad, caplog):
    """The Data page's mapping form keeps its state in the browser; a state with the right upload
    path but other types ('columns': 5, 'saved': ['x']) made "Pröva igen", "Ladda ner som YAML" and
    "Glöm mappningen" fail with a server error and a traceback (an SQL error for the audit log)."""
    app, _, _ = site
    c, headers = _client(app, "ann")
    out = _upload(app, c, headers, "Okänd;Kolumn\n1;2\n".encode(), "okänd.csv", "crimes")
    state = {**out["dt-map-state"]["data"], **bad}
    for start in ("..dt-report.children@", "..dt-yaml-file.data", "dt-saved.children@"):
        key = next(k for k in app.callback_map if k.startswith(start))
        spec = app.callback_map[key]
        outs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in key.strip(".").split("...")]

        def item(i):
            if '["ALL"]' in str(i["id"]):  # the form's ALL fields: none (the callback map's ids are text)
                return []
            return {**i, "value": state if i["id"] == "dt-map-state" else 1}

        body = {"output": key, "outputs": outs if key.startswith("..") else outs[0], "changedPropIds": [],
                "inputs": [item(i) for i in spec["inputs"]], "state": [item(s) for s in spec["state"]]}
        with caplog.at_level(logging.ERROR):
            r = c.post("/_dash-update-component", json=body, headers=headers)
        assert r.status_code in (200, 204), (start, r.status_code)
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


@pytest.mark.parametrize("bad", [{"name": ["x"]}, {"kind": ["crimes"]}, {"name": None}, {"mapping": [1]},
                                 {"crs": 5}, {"save": {"name": ["a"], "headers": []}}, "lista"])
def test_a_crafted_pending_upload_is_refused_not_a_server_error(site, bad, caplog):
    """"Läs in" reads the validated upload the browser sends back; a crafted one (a list for its name
    or kind, a missing name) ended in a server error and a traceback."""
    app, store, _ = site
    c, headers = _client(app, "ann")
    out = _upload(app, c, headers, "Okänd;Kolumn\n1;2\n".encode(), "okänd.csv", "crimes")
    good = {"upload": out["dt-map-state"]["data"]["upload"], "kind": "crimes", "name": "okänd.csv", "crs": None,
            "source": None, "mapping": None}
    pending = [good["upload"]] if bad == "lista" else {**good, **bad}
    body = _commit_body(app, pending)
    before = store.dump()
    with caplog.at_level(logging.ERROR):
        r = c.post("/_dash-update-component", json=body, headers=headers)
    assert r.status_code == 200 and "ingen kontrollerad fil" in r.get_data(as_text=True)
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert store.dump() == before


def _commit_body(app, pending) -> dict:
    """The request the Data page's "Läs in" button sends with ``pending`` as the pending upload."""
    key = next(k for k in app.callback_map if k.startswith("..dt-result"))
    spec = app.callback_map[key]
    outs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in key.strip(".").split("...")]
    values = {"dt-commit": 1, "dt-pending": pending, "dt-keep": []}
    return {"output": key, "outputs": outs, "changedPropIds": ["dt-commit.n_clicks"],
            "inputs": [{**i, "value": values.get(i["id"])} for i in spec["inputs"]],
            "state": [{**s, "value": values.get(s["id"])} for s in spec["state"]]}


def test_a_pending_upload_as_the_page_sends_it_is_still_read_in(site):
    app, store, _ = site
    c, headers = _client(app, "ann")
    out = _upload(app, c, headers, "Plats;Brottskategori;Månad;Antal\nvarberg;Skadegörelse;2020-01;4\n"
                  .encode(), "brott.csv", "crimes")
    pending = out["dt-pending"]["data"]
    assert pending and "save" not in pending  # the validate callback's pending has no "save"
    body = _commit_body(app, pending)
    r = c.post("/_dash-update-component", json=body, headers=headers)
    assert r.status_code == 200 and "ingen kontrollerad fil" not in r.get_data(as_text=True)
    assert store.counts()["crime_counts"] == 1


# ----- values of a type no component sends ------------------------------------------------------------
WRONG = {"value": [{"a": 1}, True, [["x"]]], "search": [5, {"q": 1}], "pathname": [["/"]],
         "n_clicks": [True, "1"], "date": [20230101], "contents": [{"x": 1}], "filename": [7]}


def test_a_value_of_a_type_no_component_sends_is_a_bad_request_on_every_callback(site, caplog):
    """A dict for a dropdown's value, a number for a URL's search, ``true`` for a place: every callback
    that reads such a property answers a Swedish 400 before it runs (they ended in a 500 and a logged
    traceback on most pages)."""
    app, _, _ = site
    c, headers = _client(app, "ada")
    tried = 0
    for key, spec in app.callback_map.items():
        if not isinstance(spec.get("inputs"), list) or any(isinstance(i, list) for i in spec["inputs"]):
            continue
        items = [("inputs", n, i) for n, i in enumerate(spec["inputs"])] + \
                [("state", n, s) for n, s in enumerate(spec.get("state", []))]
        for part, n, item in items:
            for bad in WRONG.get(item["property"], []):
                body = {"output": key, "outputs": _outputs(key), "changedPropIds": [],
                        "inputs": [{**i, "value": None} for i in spec["inputs"]],
                        "state": [{**s, "value": None} for s in spec.get("state", [])]}
                body[part][n] = {**item, "value": bad}
                with caplog.at_level(logging.ERROR):
                    r = c.post("/_dash-update-component", json=body, headers=headers)
                assert r.status_code == 400 and "Felaktig begäran" in r.get_data(as_text=True), (key, item, bad)
                tried += 1
    assert tried > 100  # every page's dropdowns, links and buttons
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


def test_a_clientside_callback_asked_of_the_server_is_a_bad_request(site, caplog):
    """The browser runs these (the menu's links, the meeting toggle, printing); asked of the server with
    any values they ended in a 500 and a logged traceback."""
    app, _, _ = site
    c, headers = _client(app, "ada")
    clientside = [k for k, spec in app.callback_map.items() if "callback" not in spec]
    assert len(clientside) >= 4
    for key in clientside:
        spec = app.callback_map[key]
        body = {"output": key, "outputs": _outputs(key), "changedPropIds": [],
                "inputs": [[] if isinstance(i, list) else {**i, "value": None} for i in spec["inputs"]],
                "state": [[] if isinstance(s, list) else {**s, "value": None} for s in spec.get("state", [])]}
        with caplog.at_level(logging.ERROR):
            r = c.post("/_dash-update-component", json=body, headers=headers)
        assert r.status_code == 400, key
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


def _outputs(key: str):
    """The ``outputs`` dash-renderer sends for a callback key (``..a.x...b.y..`` or ``a.x``)."""
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    outs = []
    for p in parts:
        ident, prop = p.rsplit(".", 1)
        outs.append({"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop})
    return outs if key.startswith("..") else outs[0]
