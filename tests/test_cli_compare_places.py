"""``compare-places`` on the command line: the dashboard's Jämför platser, the same numbers as the page.

The JSON is :func:`lagesbild.analysis.side_by_side.side_by_side`'s, and the differences between places
the page shows (ratio, verdict, adjusted p) are the CLI's; wrong place lists are refused in Swedish
with exit code 2.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lagesbild.analysis.side_by_side import BETWEEN_NOTE, side_by_side
from lagesbild.cli import main
from lagesbild.figures.format import fmt_num, fmt_p
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from lagesbild.web.views.side_by_side import compare_view
from tests.test_web_callbacks import by_id


@pytest.fixture(scope="module")
def env(demo_store_path):
    cfg = load_settings({}, data_dir=str(demo_store_path.parent), db=str(demo_store_path))
    return cfg, open_store(cfg)


def _json(capsys, path, *args) -> dict:
    capsys.readouterr()
    assert main(["--db", str(path), "compare-places", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_json_is_the_analysis_layer_s(env, demo_store_path, capsys):
    cfg, store = env
    out = _json(capsys, demo_store_path, "--places", "Bredäng", "varberg", "--periods", "2020-2021", "2021-2022")
    res = side_by_side(store, cfg, places=["bredang", "varberg"], periods=["2020–2021", "2021–2022"])
    assert [p["place_id"] for p in out["places"]] == ["bredang", "varberg"]
    assert out["periods"] == ["2020–2021", "2021–2022"]
    for key, cols in (("table", ["place_id", "category", "period", "count"]),
                      ("between", ["category", "place_a", "place_b", "count_a", "count_b", "verdict"])):
        assert len(out[key]) == len(res[key]) > 0
        assert [tuple(r[c] for c in cols) for r in out[key]] == \
               [tuple(r[c] for c in cols) for r in res[key].to_dict("records")]
    assert [r["p_value"] for r in out["between"]] == pytest.approx(list(res["between"]["p_value"]), rel=1e-12)
    assert out["fdr_note"] == res["fdr"]["note"]


def test_the_page_shows_the_cli_s_differences(env, demo_store_path, capsys):
    cfg, store = env
    out = _json(capsys, demo_store_path, "--places", "bredang", "varberg")
    table = by_id(compare_view(store, cfg, places=["bredang", "varberg"], periods=None), "cmp-between")
    shown = {r["_category"]: (r["Kvot"], r["Bedömning"], r["p (justerat)"]) for r in table.data}
    cli = {r["category"]: (fmt_num(r["rate_ratio"], 2), r["verdict"], fmt_p(r["p_value"])) for r in out["between"]}
    assert shown and shown == cli


def test_one_place_with_similar_places_and_the_text(demo_store_path):
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(demo_store_path), "compare-places",
                          "--places", "bredang", "--similar", "--category", "skadegorelse"],
                         capture_output=True, text=True, check=True)
    assert res.stdout.startswith("Jämför platser: Bredäng, ") and "(liknande)" in res.stdout
    assert "Skillnader mellan platserna" in res.stdout and BETWEEN_NOTE in res.stdout
    assert "Benjamini–Hochberg" in res.stdout and "FIKTIVA DEMODATA" in res.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--places", "bredang"], "ange två till fyra platser, eller en plats och --similar"),
    (["--places", "bredang", "bredang"], "Samma plats är vald mer än en gång: Bredäng"),
    (["--places", "bredang", "varberg", "satra", "fruangen", "hasselby-torg"], "Välj mellan 2 och 4 olika platser"),
    (["--places", "bredang", "Atlantis"], "Okänd plats: 'Atlantis'"),
    (["--places", "bredang", "varberg", "--periods", "2022–2023", "2022/23"], "2022–2023"),
])
def test_refusals_are_swedish_with_exit_code_2(demo_store_path, args, message):
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(demo_store_path), "compare-places", *args],
                         capture_output=True, text=True)
    assert res.returncode == 2 and message in res.stderr and "Traceback" not in res.stderr


def test_the_csv_of_differences_has_swedish_headers(demo_store_path, capsys):
    assert main(["--db", str(demo_store_path), "compare-places", "--places", "bredang", "varberg",
                 "--format", "csv", "--table", "skillnader"]) == 0
    lines = capsys.readouterr().out.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("# FIKTIVA DEMODATA")
    assert lines[1].startswith("Kategori-id;Period;Plats A-id;Plats B-id;Plats A;Plats B;Antal A;Antal B")
