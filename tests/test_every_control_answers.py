"""Every control of every page answers on stores of unusual shape: no server error, no 400.

A test per page checks what the page says; this one walks them all the way a user clicking around would
(and an independent checker with data the project has not seen): for each page (each place's page for
the place page), every server callback the page feeds is called over HTTP with the page's own initial
values, then again with each option of each of its dropdowns and radio rows (and an empty multi-choice).
The stores are the odd ones a new installation goes through: empty, places only, a few months of
incidents, a municipality's Brå monthly counts without any shape of its own. The overview's 500 for a
category without counts (``d86a1b3``) is the kind of failure it exists for.
"""

from __future__ import annotations

import json

import dash
import plotly.io.json as pj
import pytest

from lagesbild.cli import main
from lagesbild.ingest import open_store
from lagesbild.settings import ROOT, load_settings

DATA = ROOT / "tests" / "data"
PLACES = ROOT / "geodata" / "places.geojson"
SERVER_ERROR = "Något gick fel"
MAX_OPTIONS = 12
PLACE_PAGES = 3

pytestmark = pytest.mark.slow


def _incidents_csv(path):
    """Five months of incidents at three demo places (SWEREF 99 TM, as the police export them)."""
    points = {"Narkotikabrott": (661016.3, 6583721.2), "Skadegörelse": (661053.3, 6583789.7),
              "Personrån": (667218.0, 6584046.1)}
    rows = ["Händelse-id;Datum;Brottskategori;X;Y"]
    n = 0
    for month in range(1, 6):
        for day in range(1, 28, 3):
            for category, (x, y) in points.items():
                if (day + month + len(category)) % 4:
                    n += 1
                    rows.append(f"H-{n};2024-{month:02d}-{day:02d} 21:15;{category};"
                                f"{x + day:.1f}".replace(".", ",") + f";{y - month:.1f}".replace(".", ","))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _build(kind, folder):
    db = folder / "store.sqlite"
    steps = {"empty": [],
             "places": [["places", str(PLACES)]],
             "five_months": [["places", str(PLACES)], ["incidents", str(_incidents_csv(folder / "h.csv"))]],
             "bra_only": [["crimes", str(DATA / "bra" / "bra_boden_manad.csv")]]}[kind]
    cfg = load_settings({}, data_dir=str(folder), db=str(db))
    open_store(cfg)
    for what, path in steps:
        assert main(["--db", str(db), "ingest", what, path, "--no-progress"]) == 0
    return cfg


class Client:
    """Dash callbacks over HTTP (Flask's test client), as dash-renderer calls them."""

    def __init__(self, app):
        self.http = app.server.test_client()
        self.http.get("/")  # the CSRF cookie; every POST sends it back as a header
        cookie = self.http.get_cookie("_csrf_token")
        self.headers = {"X-CSRFToken": cookie.value} if cookie else {}
        self.deps = {d["output"]: d for d in json.loads(self.http.get("/_dash-dependencies").data)}

    def call(self, key, values, changed):
        dep = self.deps[key]

        def spec(item):
            return {"id": item["id"], "property": item["property"],
                    "value": values.get(f"{item['id']}.{item['property']}")}

        outs = ([dict(zip(("id", "property"), o.rsplit(".", 1), strict=True))
                 for o in key.strip(".").split("...")] if key.startswith("..")
                else dict(zip(("id", "property"), key.rsplit(".", 1), strict=True)))
        body = {"output": key, "outputs": outs, "inputs": [spec(i) for i in dep["inputs"]],
                "state": [spec(s) for s in dep["state"]], "changedPropIds": [changed]}
        return self.http.post("/_dash-update-component", json=body, headers=self.headers)


def _components(node, out):
    """Every component with a text id in a layout tree, by id."""
    if isinstance(node, (list, tuple)):
        for child in node:
            _components(child, out)
        return out
    if not hasattr(node, "to_plotly_json"):
        return out
    if isinstance(getattr(node, "id", None), str):
        out[node.id] = node
    for name in node._prop_names:
        value = getattr(node, name, None)
        if hasattr(value, "to_plotly_json") or (isinstance(value, (list, tuple)) and value
                                                and hasattr(value[0], "to_plotly_json")):
            _components(value, out)
    return out


def _values(components, path, search):
    """``id.property`` → value of every property set in the layout, as the browser would send it."""
    values = {f"{cid}.{name}": getattr(c, name) for cid, c in components.items() for name in c._prop_names
              if getattr(c, name, None) is not None and not hasattr(getattr(c, name), "to_plotly_json")}
    values = {k: json.loads(pj.to_json_plotly(v)) for k, v in values.items()}
    values.update({"_pages_location.pathname": path, "_pages_location.search": search})
    return values


def _walk_page(client, app, path, tree, search=""):
    """Call every server callback the page's controls feed, with each option of each control;
    returns the failures and the number of calls."""
    page = _components(tree, {})
    components = {**_components(app.layout() if callable(app.layout) else app.layout, {}), **page}
    values = _values(components, path, search)
    keys = [key for key, dep in client.deps.items()
            if not dep.get("clientside_function")
            and all(isinstance(i["id"], str) and not i["id"].startswith("{") for i in dep["inputs"] + dep["state"])
            and any(i["id"] in page for i in dep["inputs"])]
    failures, calls = [], 0

    def call(key, vals, changed, label):
        nonlocal calls
        calls += 1
        response = client.call(key, vals, changed)
        text = response.get_data(as_text=True)
        if response.status_code not in (200, 204) or SERVER_ERROR in text or "\\u00e5got gick fel" in text:
            failures.append(f"{label} → {key}: HTTP {response.status_code} {text[:200]}")

    for key in keys:
        first = client.deps[key]["inputs"][0]
        call(key, values, f"{first['id']}.{first['property']}", path + search)
    for cid, component in page.items():
        options = getattr(component, "options", None)
        if not options or "value" not in component._prop_names:
            continue
        multi = isinstance(getattr(component, "value", None), list) or getattr(component, "multi", False)
        choices = [o["value"] if isinstance(o, dict) else o for o in options][:MAX_OPTIONS]
        fed = [k for k in keys if any(i["id"] == cid and i["property"] == "value"
                                      for i in client.deps[k]["inputs"])]
        for key in fed:
            for choice in [*([[]] if multi else []), *([c] if multi else c for c in choices)]:
                call(key, {**values, f"{cid}.value": choice}, f"{cid}.value", f"{path}{search} {cid}={choice!r}")
    return failures, calls


@pytest.mark.parametrize("kind", ["empty", "places", "five_months", "bra_only"])
def test_every_control_of_every_page_answers(kind, tmp_path):
    cfg = _build(kind, tmp_path)
    store = open_store(cfg)
    from lagesbild.web import create_app

    app = create_app(cfg, store)
    client = Client(app)
    failures, calls, pages = [], 0, 0
    for page in dash.page_registry.values():
        if page["path"] == "/konton":  # accounts: nothing to show without login
            continue
        layout = page["layout"]
        if page.get("path_template"):
            ids = list(store.places()["place_id"])[:PLACE_PAGES] + ["finns-inte"]
            views = [(f"/plats/{pid}", "", layout(place_id=pid)) for pid in ids]
        else:
            views = [(page["path"], search, layout() if callable(layout) else layout)
                     for search in ("", "?mote=1")]
        for path, search, tree in views:
            found, n = _walk_page(client, app, path, tree, search)
            failures += found
            calls += n
            pages += 1
    assert pages >= 12 and calls >= 40, (pages, calls)  # the walk reached the pages' callbacks
    assert not failures, "\n".join(failures[:20])
