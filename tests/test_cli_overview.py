"""``overview`` on the command line: the dashboard's Översikt, the same numbers as the page.

The JSON rows are the analysis layer's (:func:`lagesbild.analysis.overview.overview_table`) and every
count the web page's table shows is the CLI's; a year without data, an unknown district and a period
that is not a year are refused in Swedish with exit code 2.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from lagesbild.analysis.overview import overview_table
from lagesbild.cli import main
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from tests.test_web_callbacks import by_id

CATS = ["skadegorelse", "narkotikabrott"]


@pytest.fixture(scope="module")
def env(demo_store_path):
    cfg = load_settings({}, data_dir=str(demo_store_path.parent), db=str(demo_store_path))
    store = open_store(cfg)
    from lagesbild.web import create_app

    create_app(cfg, store)
    return cfg, store


def _cli_json(capsys, path, *args) -> list[dict]:
    capsys.readouterr()
    assert main(["--db", str(path), "overview", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_json_is_the_analysis_layer_s_table(env, demo_store_path, capsys):
    cfg, store = env
    rows = _cli_json(capsys, demo_store_path, "--period", "2021-2022", "--category", *CATS)
    res = overview_table(store, cfg, period="2021–2022", categories=CATS)
    cmp = res["comparison"]
    assert len(rows) == len(cmp) > 0
    assert {r["period_b"] for r in rows} == {"2021–2022"} and {r["period_a"] for r in rows} == {"2020–2021"}
    for r, (_, d) in zip(rows, cmp.iterrows(), strict=True):
        assert (r["place_id"], r["category"], r["count_a"], r["count_b"], r["verdict"]) == \
               (d["place_id"], d["category"], d["count_a"], d["count_b"], d["verdict"])
        assert r["p_value"] == pytest.approx(d["p_value"], rel=1e-12)
    names = dict(zip(res["rows"]["place_id"], res["rows"]["name"], strict=True))
    assert all(r["place"] == names[r["place_id"]] for r in rows)


def test_every_count_on_the_web_page_is_the_cli_s(env, demo_store_path, capsys):
    rows = _cli_json(capsys, demo_store_path, "--category", *CATS)
    page = sys.modules["lagesbild.web.pages.overview"]
    table = by_id(page.update(None, CATS, None, False), "ov-matrix")
    heads = {c["id"]: c["name"].replace("\u00ad", "") for c in table.columns}
    shown = {}
    for rec in table.data:
        place = re.sub(r"\\(.)", r"\1", rec["plats"].split("](")[0].lstrip("["))  # markdown escapes
        for cid, text in rec.items():
            if cid.startswith("c"):
                shown[(place, heads[cid])] = int(text.lstrip("▲▼ ").split(" *(")[0].replace("&nbsp;", "").replace(" ", ""))
    cli = {(r["place"], r["category_name"]): r["count_b"] for r in rows}
    assert shown and set(shown) == set(cli)
    assert shown == cli


def test_a_district_keeps_its_own_places(env, demo_store_path, capsys):
    rows = _cli_json(capsys, demo_store_path, "--district", "Skärholmen")
    assert {r["place_id"] for r in rows} == {"skarholmen", "bredang", "skarholmen-centrum", "satra", "varberg"}


def test_the_text_marks_only_significant_changes(demo_store_path):
    out = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(demo_store_path), "overview"],
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith("Anmälda brott 2022–2023 jämfört med 2021–2022")
    assert "Hässelby torg (torg)" in out and "Benjamini–Hochberg" in out
    assert "▲" not in out.split("\n", 1)[1].split("Benjamini")[0]  # none is significant in the demo's latest year
    assert out.rstrip().endswith("tar bort dem).")  # the demo's note


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "1999-2000"], "det finns inga anmälda brott för 1999–2000; välj ett av åren 2016–2017"),
    (["--period", "T1", "2022"], "T1 2022 är inte ett september–augusti-år"),
    (["--district", "Atlantis"], "Okänd plats: 'Atlantis'"),
])
def test_refusals_are_swedish_with_exit_code_2(demo_store_path, args, message):
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(demo_store_path), "overview", *args],
                         capture_output=True, text=True)
    assert res.returncode == 2 and message in res.stderr and "Traceback" not in res.stderr
