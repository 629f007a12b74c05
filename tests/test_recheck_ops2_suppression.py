"""Recheck (ops2): a reader's Excel download through the real HTTP route hides small counts of a
sensitive category, as the README promises for every XLSX download ("small counts of sensitive
categories suppressed … as in the pack"), whatever the role (a guard: it held before this recheck).

The reference counts are hand counts of the small store's incidents (``tests/test_web_callbacks``),
not numbers taken from the export code.
"""

from __future__ import annotations

import base64
import io
import json
import re

import openpyxl
import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts
from tests import test_web_callbacks as small
from tests.sheets import sheet_rows

SEARCH = "?kat=narkotikabrott&kat=vald_nara_relation&per=2020-2021&per=2021-2022"


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("ops2supp")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"))
    store = Store(cfg.db_url)
    inc = small._incidents()
    small._write(store, inc)
    accounts.add_user(store, "lasse", "läsarens-lösenord", "läsare")
    c = create_app(cfg, store).server.test_client()
    c.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").get_data(as_text=True)).group(1)
    assert c.post("/login", data={"username": "lasse", "password": "läsarens-lösenord",
                                  "csrf_token": token, "next": "/"}).status_code == 302
    c.get("/")
    return c, inc, cfg


def test_a_readers_xlsx_hides_a_small_sensitive_count(reader):
    c, inc, cfg = reader
    ident = {"table": "place-comparison", "type": "lb-table-req"}
    body = {"output": '..{"table":["MATCH"],"type":"lb-table-download"}.data...'
                      '{"table":["MATCH"],"type":"lb-table-msg"}.children..',
            "outputs": [{"id": {"table": "place-comparison", "type": t}, "property": p}
                        for t, p in (("lb-table-download", "data"), ("lb-table-msg", "children"))],
            "inputs": [{"id": ident, "property": "data",
                        "value": {"fmt": "xlsx", "graph": "place-comparison", "path": "/plats/torg",
                                  "search": SEARCH}}],
            "state": [], "changedPropIds": [json.dumps(ident, separators=(",", ":")) + ".data"]}
    r = c.post("/_dash-update-component", json=body, headers={"X-CSRFToken": c.get_cookie("_csrf_token").value})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    sent = next(v["data"] for v in r.get_json()["response"].values() if "data" in v)
    rows = sheet_rows(openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))["Siffror"])
    # hand counts: the sensitive category's later year is below the threshold, the drug crimes are not
    small_b = small.hand_count(inc, "torg", "vald_nara_relation", "2021-09-01", "2022-03-31")
    drugs_b = small.hand_count(inc, "torg", "narkotikabrott", "2021-09-01", "2022-03-31")
    assert 0 < small_b < cfg.suppress_below <= drugs_b
    by_cat = {row["Kategori-id"]: row for row in rows}
    assert by_cat["vald_nara_relation"]["Antal B"] == "–"
    assert by_cat["alla"]["Antal B"] == "–"  # the total would give the hidden count away
    assert by_cat["narkotikabrott"]["Antal B"] == drugs_b
