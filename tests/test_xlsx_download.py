"""The Excel download of the numbers behind every chart and table (lagesbild/web/numbers.py).

The files are opened with openpyxl and their numbers compared with the analysis layer's result and with
counts made here from the generated incidents; a place named like a formula and small counts of a
sensitive category check the pack's neutralising and suppression.
"""

from __future__ import annotations

import base64
import io
import json
from unittest import mock

import openpyxl
import pytest
from dash import dash_table, dcc, no_update

from lagesbild.settings import load_settings
from lagesbild.store import Store
from tests import test_web_callbacks as small
from tests.sheets import sheet_rows

FORMULA_NAME = '=HYPERLINK("http://x")'
PLACE_SEARCH = "?kat=narkotikabrott&kat=vald_nara_relation&per=2020-2021&per=2021-2022"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """(settings, store, incidents, app) on the small store, the square "torg" named like a formula."""
    folder = tmp_path_factory.mktemp("xlsx")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"),
                        organisation="SDF Testdistriktet")
    store = Store(cfg.db_url)
    inc = small._incidents()
    boxes = {**small.BOXES, "torg": (FORMULA_NAME, *small.BOXES["torg"][1:])}
    with mock.patch.dict(small.BOXES, boxes):
        small._write(store, inc)
    from lagesbild.web import create_app

    return cfg, store, inc, create_app(cfg, store)


def _workbook(sent) -> openpyxl.Workbook:
    assert sent["filename"].endswith(".xlsx")
    return openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))


_rows = sheet_rows  # the data rows of a sheet as dicts by header


def _download(graph: str, path: str, search: str):
    from lagesbild.web.export_controls import chart_download

    return chart_download({"fmt": "xlsx", "graph": graph, "path": path, "search": search})


def test_place_comparison_xlsx_has_the_analysis_numbers_suppressed_and_neutralised(env):
    settings, store, inc, _ = env
    from lagesbild.analysis.place import place_comparison
    from lagesbild.web.numbers import HEADERS

    sent, message = _download("place-comparison", "/plats/torg", PLACE_SEARCH)
    assert message == ""
    wb = _workbook(sent)
    assert wb.sheetnames == ["Siffror", "Om siffrorna"]
    ws = wb["Siffror"]
    assert {c.value for c in ws[1]} <= set(HEADERS.values())  # a Swedish header row
    rows = _rows(ws)
    ref = place_comparison(store, "torg", ["2020-2021", "2021-2022"],
                           categories=["narkotikabrott", "vald_nara_relation"])
    drugs = ref[ref["category"] == "narkotikabrott"].iloc[0]
    got = next(r for r in rows if r["Kategori-id"] == "narkotikabrott")
    # like for like: the same months (Sep–Mar) of both years, as the later one runs to 31 March
    assert got["Antal A"] == int(drugs["count_a"]) == small.hand_count(inc, "torg", "narkotikabrott",
                                                                       "2020-09-01", "2021-03-31")
    assert got["Antal B"] == int(drugs["count_b"]) == small.hand_count(inc, "torg", "narkotikabrott",
                                                                       "2021-09-01", "2022-03-31")
    assert got["p-värde"] == pytest.approx(float(drugs["p_value"]))
    assert got["Kategori"] == "Narkotikabrott" and got["Säkerställd"] in ("ja", "nej")
    # the place's name would be a formula: written as text with the neutralising apostrophe
    assert got["Plats"] == "'" + FORMULA_NAME
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells) and not any(c.value.startswith("=") for c in cells)
    # a sensitive category with fewer than suppress_below: the count and what gives it away hidden
    hidden = next(r for r in rows if r["Kategori-id"] == "vald_nara_relation")
    small_ref = ref[ref["category"] == "vald_nara_relation"].iloc[0]
    assert int(small_ref["count_b"]) < settings.suppress_below
    assert hidden["Antal B"] == "–" and hidden["p-värde"] == "–" and hidden["Förändring"] == "–"
    assert next(r for r in rows if r["Kategori-id"] == "alla")["Antal B"] == "–"  # the total gives it away
    notes = [r[0] for r in ws.iter_rows(values_only=True) if isinstance(r[0], str)]
    assert any(n.startswith("– = färre än 5 anmälda brott i en känslig kategori") for n in notes)
    assert any(n.startswith("Källa: Polisen, anmälda brott; bearbetning SDF Testdistriktet") for n in notes)
    about = dict(wb["Om siffrorna"].iter_rows(min_row=2, values_only=True))
    assert about["Plats"] == "'" + FORMULA_NAME and about["Perioder"] == "2020–2021 och 2021–2022"
    assert about["Sida"] == "/plats/torg" + PLACE_SEARCH
    assert "Fiktiva data: demodata, inte verklig brottsstatistik." in notes  # the store holds demo data


def test_chart_numbers_are_the_frame_the_chart_was_drawn_from(env):
    _, store, inc, _ = env
    sent, message = _download("place-trend_years", "/plats/torg", PLACE_SEARCH)
    assert message == ""
    rows = [r for r in _rows(_workbook(sent)["Siffror"]) if r["Kategori-id"] == "narkotikabrott"]
    by_period = {r["Period"]: r["Antal"] for r in rows}
    assert by_period == {"2020–2021": small.hand_count(inc, "torg", "narkotikabrott", "2020-09-01",
                                                       "2021-08-31"),
                         "2021–2022": small.hand_count(inc, "torg", "narkotikabrott", "2021-09-01",
                                                       "2022-08-31")}


def test_overview_table_numbers_match_the_analysis_table(env):
    settings, store, _, _ = env
    from lagesbild.analysis.overview import overview_table

    sent, message = _download("ov-matrix", "/", "")
    assert message == ""
    rows = _rows(_workbook(sent)["Siffror"])
    ref = overview_table(store, settings)["comparison"]
    assert len(rows) == len(ref)
    small_b = set(ref.loc[(ref["category"] == "vald_nara_relation") & (ref["count_b"] < 5), "place_id"])
    assert small_b  # the test needs a small sensitive count
    for r, (_, x) in zip(rows, ref.iterrows(), strict=True):
        assert (r["Plats-id"], r["Kategori-id"]) == (x["place_id"], x["category"])
        # hidden: the small count itself and the place's total over categories that would give it away
        hide = x["place_id"] in small_b and x["category"] in ("vald_nara_relation", "alla")
        assert r["Antal B"] == ("–" if hide else int(x["count_b"]))


def test_every_chart_and_number_table_on_every_page_has_its_numbers(env):
    """Generic: every dcc.Graph of every page registered for export carries its numbers, so a new page
    that shows a chart without them fails here."""
    from lagesbild.web.chart_source import PAGES, _components, _content
    from lagesbild.web.numbers import numbers_of

    text_tables = {"map-activities", "data-sources"}  # lists of activities and sources, no numbers
    seen = 0
    for key in PAGES:
        path = "/plats/torg" if key == "/plats" else key
        for node in _components(_content(path, PLACE_SEARCH if key == "/plats" else "")):
            if isinstance(node, (dcc.Graph, dash_table.DataTable)) and node.id not in text_tables:
                assert numbers_of(node) is not None, f"{path}: {node.id} has no numbers"
                seen += 1
    assert seen >= 10


def test_map_numbers_need_the_role_analytiker_and_a_bad_request_gets_a_reason(env):
    from lagesbild.web import auth
    from lagesbild.web.chart_source import RoleRefused

    with mock.patch.object(auth, "current_role", lambda: "läsare"), \
            pytest.raises(RoleRefused, match="analytiker"):  # answered with 403 (callback_roles.py)
        _download("map-graph", "/karta", "")
    sent, message = _download("map-graph", "/karta", "")
    assert message == "" and _rows(_workbook(sent)["Siffror"])  # admin outside a request
    sent, message = _download("nope", "/plats/torg", PLACE_SEARCH)
    assert sent is no_update and "finns inte på sidan" in message


def test_the_flask_route_sends_the_file_of_a_table(env):
    """The real request the Excel button makes: the Dash callback route of the running app."""
    _, _, _, app = env
    client = app.server.test_client()
    client.get("/")
    token = client.get_cookie("_csrf_token")
    headers = {"X-CSRFToken": token.value} if token else {}
    key = next(k for k in app.callback_map if '"lb-table-download"' in k)
    out = [{"id": {"table": "place-comparison", "type": t}, "property": p}
           for t, p in (("lb-table-download", "data"), ("lb-table-msg", "children"))]
    payload = {"fmt": "xlsx", "graph": "place-comparison", "path": "/plats/torg", "search": PLACE_SEARCH}
    body = {"output": key, "outputs": out,
            "inputs": [{"id": {"table": "place-comparison", "type": "lb-table-req"}, "property": "data",
                        "value": payload}],
            "state": [], "changedPropIds": [json.dumps({"table": "place-comparison", "type": "lb-table-req"},
                                                      separators=(",", ":")) + ".data"]}
    r = client.post("/_dash-update-component", json=body, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    sent = next(v["data"] for v in r.get_json()["response"].values() if "data" in v)
    rows = _rows(_workbook(sent)["Siffror"])
    assert {r["Kategori-id"] for r in rows} == {"narkotikabrott", "vald_nara_relation", "alla"}


def test_data_page_tables_download_the_store_summary(env):
    _, store, inc, _ = env
    sent, message = _download("data-log", "/data", "")
    assert message == ""
    rows = _rows(_workbook(sent)["Siffror"])
    log = store.ingest_log()
    assert len(rows) == len(log) and {"Tid", "Fil", "Godkända rader"} <= set(rows[0])
    accepted = {r["Fil"]: r["Godkända rader"] for r in rows}
    assert accepted["brott.csv"] == len(inc)
    sent, message = _download("data-counts", "/data", "")
    assert message == "" and any(r["Antal"] == len(inc) for r in _rows(_workbook(sent)["Siffror"]))


def test_survey_chart_numbers_are_the_survey_analysis(env):
    settings, store, _, _ = env
    from lagesbild.analysis.survey import survey_view

    sent, message = _download("survey-latest", "/trygghet", "?plats=torg")
    assert message == ""
    rows = _rows(_workbook(sent)["Siffror"])
    ref = survey_view(store, settings, place_id="torg")["table"]
    assert [(r["Indikator"], r["År"], r["Andel"]) for r in rows] == [
        (x["indicator"], int(x["year"]), pytest.approx(float(x["share"]))) for _, x in ref.iterrows()]
    assert sorted(r["Andel"] for r in rows) == pytest.approx([0.23, 0.30, 0.4])  # as written to the store
