"""Crafted control values of the right type but a shape or choice no control sends (a list for a single
dropdown, a number for a checklist, 13/40 as a date, minus one click, a place that does not exist) on the
demo store: a Swedish 400 before or instead of the callback, never a 500 and a logged traceback (60 such
requests ended in 500 before :mod:`lagesbild.web.controls`). Real requests through the Flask test client;
the table of controls is checked against the layouts every page renders."""

from __future__ import annotations

import json
import logging
import sqlite3

import dash
import pytest

from lagesbild.settings import load_settings
from lagesbild.store import accounts
from lagesbild.web.controls import CONTROLS, DATE, MANY, ONE, OPTIONS, TEXT, URL, plausible_control
from tests.test_crafted_inputs import _outputs
from tests.test_web_security import login

PASSWORD = "adminens-lösenord"
ROUTER = ".._pages_content.children..._pages_store.data.."

#: values of a plausible JSON type that the shape never sends
WRONG_SHAPE = {ONE: [["zz"], ["zz", "yy"]], MANY: ["zz", 3.5, -1, [None], [["x"]]],
               TEXT: [3.5, -1, ["zz"]], DATE: ["not-a-date", "2099-13-40", "2024-02-30", "20240101"],
               URL: [None], OPTIONS: ["x", ["2016–2017"], [{"label": "a"}], 3]}


@pytest.fixture(scope="module")
def demo_site(demo_store_path, tmp_path_factory):
    """(app, logged-in client, headers) on a copy of the demo store, as an admin."""
    from lagesbild.ingest import open_store
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("controls")
    src, dst = sqlite3.connect(demo_store_path), sqlite3.connect(folder / "demo.sqlite")
    src.backup(dst)  # the WAL's pages too (a file copy can miss the demo's last writes)
    src.close(), dst.close()
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "demo.sqlite"), max_upload_mb=1)
    store = open_store(cfg)
    accounts.add_user(store, "ada", PASSWORD, "admin")
    app = create_app(cfg, store)
    c = app.server.test_client()
    assert login(c, "ada", PASSWORD).status_code == 302
    c.get("/")
    return app, c, {"X-CSRFToken": c.get_cookie("_csrf_token").value}


def _bodies(app, ident, prop, value, others=None):
    """A request for every server callback reading ``ident.prop``, with ``value`` there, the values
    ``others`` gives by id, and nothing elsewhere (as a page sends before its controls are filled)."""
    others = others or {}
    for key, spec in app.callback_map.items():
        if "callback" not in spec or any(isinstance(i, list) for i in spec["inputs"]):
            continue
        parts = {k: [{**i, "value": others.get((i["id"], i["property"]), others.get(i["id"]))}
                     for i in spec.get(k, [])] for k in ("inputs", "state")}
        hits = [(k, n) for k in parts for n, i in enumerate(parts[k])
                if i["id"] == ident and i["property"] == prop]
        for k, n in hits:
            parts[k][n]["value"] = value
            yield key, {"output": key, "outputs": _outputs(key), "changedPropIds": [], **parts}


def test_a_control_value_of_a_shape_its_component_never_sends_is_a_bad_request(demo_site, caplog):
    app, c, headers = demo_site
    tried = 0
    for (ident, prop), shape in CONTROLS.items():
        for bad in WRONG_SHAPE[shape]:
            for key, body in _bodies(app, ident, prop, bad):
                with caplog.at_level(logging.ERROR):
                    r = c.post("/_dash-update-component", json=body, headers=headers)
                assert r.status_code == 400 and "Felaktig begäran" in r.get_data(as_text=True), \
                    (key, ident, bad, r.status_code)
                tried += 1
    assert tried > 150
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


@pytest.mark.parametrize("clicks", [-1, 2 ** 40])
def test_a_click_count_no_browser_reaches_is_a_bad_request(demo_site, clicks):
    app, c, headers = demo_site
    _key, body = next(_bodies(app, "pl-add", "n_clicks", clicks))
    assert c.post("/_dash-update-component", json=body, headers=headers).status_code == 400


def test_a_choice_no_control_offers_is_refused_with_its_reason_never_a_server_error(demo_site, caplog):
    """Right shape, unknown value: a place, period, category or kind that does not exist. The page
    either shows its own message (200) or answers 400 with the analysis layer's Swedish reason."""
    app, c, headers = demo_site
    statuses = {}
    for (ident, prop), shape in CONTROLS.items():
        if shape not in (ONE, MANY):
            continue
        for key, body in _bodies(app, ident, prop, "zz" if shape == ONE else ["zz", "yy"]):
            with caplog.at_level(logging.ERROR):
                r = c.post("/_dash-update-component", json=body, headers=headers)
            assert r.status_code in (200, 204, 400), (key, ident, r.status_code)
            statuses[(key, ident)] = (r.status_code, r.get_data(as_text=True))
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    notes = statuses[("pn-list.children", "pl-place")]
    assert notes[0] == 400 and "Okänd plats: 'zz'" in notes[1]
    compare = statuses[("cmp-content.children", "cmp-places")]
    assert compare[0] == 200 and "Okänd plats" in json.dumps(json.loads(compare[1]), ensure_ascii=False)  # the page says it
    kind = next(v for (k, i), v in statuses.items() if i == "pl-kind")
    assert kind[0] == 400 and "Okänd periodtyp: 'zz'" in kind[1]


def test_a_well_formed_request_still_gets_its_page(demo_site):
    """The checks refuse what no control sends, not what they do: the place page for a real place,
    its categories and two periods; an unknown place with the same choices is named on the page."""
    app, c, headers = demo_site
    chosen = {"pl-cats": ["inbrott"], "pl-periods": ["2019–2020", "2020–2021"]}
    for place, said in (("hasselby-torg", "Hässelby torg"), ("zz", "platsen 'zz' finns inte i databasen")):
        body = next(b for k, b in _bodies(app, "pl-place", "value", place, chosen)
                    if k == "pl-content.children")
        r = c.post("/_dash-update-component", json=body, headers=headers)
        text = json.dumps(r.get_json(), ensure_ascii=False) if r.is_json else r.get_data(as_text=True)
        assert r.status_code in (200, 400) and said in text, (place, r.status_code, text[:300])


#: values of the right shape that no control offers (a text for a fixed choice, a number for an id)
ODD_ONE = ["x", "", 0, -1, 1e308, 2 ** 70, "../../etc/passwd", "a" * 10000, "2099–2100", "\x00"]
ODD_MANY = [["x"], [""], ["a"] * 500, [0, -1], [1e308], ["../x"], ["2022–2023", "2022/23"]]


def _page_values(app, c, headers) -> dict:
    """(id, property) → value of every component as the pages render it (their defaults), for the
    page paths and links a user opens."""
    router = app.callback_map[ROUTER]
    out: dict = {}

    def walk(node):
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and isinstance(props.get("id"), str):
                for prop in ("value", "date", "data"):
                    if prop in props:
                        out.setdefault((props["id"], prop), props[prop])
            for v in (props or {}).values() if isinstance(props, dict) else node.values():
                walk(v)
    for path, search in [(p["path"], "") for p in dash.page_registry.values()] + [
            ("/plats/hasselby-torg", ""), ("/jamfor", "?plats=bredang&plats=varberg"), ("/monster", "?plats=varberg")]:
        body = {"output": ROUTER, "outputs": _outputs(ROUTER), "changedPropIds": [],
                "inputs": [{**i, "value": path if i["property"] == "pathname" else search}
                           for i in router["inputs"]],
                "state": [{**s, "value": None} for s in router.get("state", [])]}
        walk(c.post("/_dash-update-component", json=body, headers=headers).get_json())
    return out


def test_an_odd_choice_beside_the_pages_own_values_is_refused_or_shown_never_a_server_error(demo_site, caplog):
    """Each control's crafted value with every other input as the page fills it (the callbacks run
    past their early exits): 35 such requests ended in 500 and a logged traceback, among them a map
    mode "x", a Mönster period "x", categories [0, -1] and one period written twice on Jämför."""
    app, c, headers = demo_site
    others = _page_values(app, c, headers)
    tried, failed = 0, []
    for (ident, prop), shape in CONTROLS.items():
        if shape not in (ONE, MANY):
            continue
        for odd in ODD_ONE if shape == ONE else ODD_MANY:
            for key, body in _bodies(app, ident, prop, odd, others):
                with caplog.at_level(logging.ERROR):
                    r = c.post("/_dash-update-component", json=body, headers=headers)
                tried += 1
                if r.status_code not in (200, 204, 400):
                    failed.append((key, ident, repr(odd)[:30], r.status_code))
    assert failed == [], "\n".join(map(str, failed))
    assert tried > 500
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


@pytest.mark.parametrize("screen", ["[Infinity, 768]", "[1e308, 1e308]", "[-5, 0]", '["x", 768]', "[1920]"])
def test_a_crafted_map_screen_size_draws_the_map_at_a_size_it_allows(demo_site, screen, caplog):
    """The map's drawing size comes from the browser's window ([Infinity, 768] was an OverflowError)."""
    app, c, headers = demo_site
    others = _page_values(app, c, headers)
    key, body = next((k, b) for k, b in _bodies(app, "map-screen", "data", "SCREEN", others)
                     if "map-content" in k)
    text = json.dumps(body).replace('"SCREEN"', screen)
    with caplog.at_level(logging.ERROR):
        r = c.post("/_dash-update-component", data=text, headers={**headers, "Content-Type": "application/json"})
    assert r.status_code in (200, 400), r.status_code
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


@pytest.mark.parametrize("version", ["x", 2 ** 40, [1]])
def test_a_note_is_saved_and_answered_whatever_version_counter_the_browser_holds(demo_site, version, caplog):
    """The notes' version counter is the browser's: "x" saved the note and then answered 500."""
    app, c, headers = demo_site
    key = next(k for k in app.callback_map if "pn-status.children" in k)
    text = f"Version {version!r}: anteckningen sparas."
    body = {"output": key, "outputs": _outputs(key), "changedPropIds": ["pn-add.n_clicks"],
            "inputs": [{"id": "pn-add", "property": "n_clicks", "value": 1}, []],
            "state": [{"id": "pl-place", "property": "value", "value": "varberg"},
                      {"id": "pn-date", "property": "date", "value": "2023-10-01"},
                      {"id": "pn-text", "property": "value", "value": text},
                      {"id": "pn-version", "property": "data", "value": version}]}
    with caplog.at_level(logging.ERROR):
        r = c.post("/_dash-update-component", json=body, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    answer = r.get_json()["response"]
    assert answer["pn-status"]["children"].startswith("Anteckningen sparades")
    assert answer["pn-version"]["data"] == 1
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


# ----- the table against the rendered layouts ------------------------------------------------------------
#: what each component sends (dcc's own types)
SHAPE_OF = {"Dropdown": lambda p: MANY if p.get("multi") else ONE, "Checklist": lambda p: MANY,
            "RadioItems": lambda p: ONE, "Input": lambda p: ONE if p.get("type") == "number" else TEXT,
            "Textarea": lambda p: TEXT, "DatePickerSingle": lambda p: DATE}
PROPERTY_OF = {"DatePickerSingle": "date"}


def _controls(node, found, values):
    """(id, property) → shape of every control in a rendered layout (JSON as Dash serves it)."""
    if isinstance(node, list):
        for n in node:
            _controls(n, found, values)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and node.get("type") in SHAPE_OF and isinstance(props.get("id"), str):
            kind, prop = node["type"], PROPERTY_OF.get(node["type"], "value")
            found[(props["id"], prop)] = SHAPE_OF[kind](props)
            values.append((props["id"], prop, props.get(prop)))
        for v in (props or {}).values() if isinstance(props, dict) else node.values():
            _controls(v, found, values)


def test_every_control_a_callback_reads_is_in_the_table_with_its_components_shape(demo_site):
    app, c, headers = demo_site
    found, values = {}, []
    _controls(json.loads(c.get("/_dash-layout").get_data(as_text=True)), found, values)
    router = app.callback_map[ROUTER]
    for page in dash.page_registry.values():
        body = {"output": ROUTER, "outputs": _outputs(ROUTER), "changedPropIds": [],
                "inputs": [{**i, "value": page["path"] if i["property"] == "pathname" else ""}
                           for i in router["inputs"]],
                "state": [{**s, "value": None} for s in router.get("state", [])]}
        r = c.post("/_dash-update-component", json=body, headers=headers)
        assert r.status_code == 200, page["path"]
        _controls(r.get_json(), found, values)
    read = {(i["id"], i["property"]) for spec in app.callback_map.values() if "callback" in spec
            for i in spec["inputs"] + spec.get("state", []) if isinstance(i, dict)}
    rendered = {k: v for k, v in found.items() if k in read}
    assert {k: CONTROLS.get(k) for k in rendered} == rendered
    assert set(CONTROLS) - set(rendered) == {("_pages_location", "pathname"), ("_pages_location", "search"),
                                             ("dt-upload", "contents"), ("dt-upload", "filename"),
                                             ("lb-pack-periods", "options")}  # a state, not a value
    assert found.get(("dt-upload", "value")) is None  # the upload is not a value control: its own entries
    assert len(values) > 40
    assert [v for v in values if not plausible_control(*v)] == []  # what the pages start with passes


@pytest.mark.parametrize("options", ["x", ["2016–2017"], [{"label": "a"}], 3])
def test_pack_period_options_of_a_shape_the_dropdown_never_has_are_a_bad_request(demo_site, options, caplog):
    """sec3: the pack's period options are read back as a state; "x" or ["a"] there ended in a 500 and
    a logged traceback (`pack_follows` read each as a dict). Dropdown options are a list of
    {"label", "value"}; anything else is a Swedish 400 before the callback runs."""
    app, c, headers = demo_site
    others = {"pl-place": "hasselby-torg", "pl-periods": ["2019–2020"]}
    bodies = list(_bodies(app, "lb-pack-periods", "options", options, others))
    assert bodies
    for key, body in bodies:
        with caplog.at_level(logging.ERROR):
            r = c.post("/_dash-update-component", json=body, headers=headers)
        assert r.status_code == 400 and "Felaktig begäran" in r.get_data(as_text=True), (key, r.status_code)
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
