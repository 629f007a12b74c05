"""CSV output of the command line never hands a spreadsheet a formula (OWASP CSV injection).

Names come from the user's files (places, survey indicators, activities); ``compare``, ``survey``,
``effect`` and ``hotspots --format csv`` write them through the one neutraliser of
:mod:`lagesbild.export.safety`, like the meeting pack's CSV and XLSX.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from lagesbild.cli.analysis import emit
from lagesbild.export.safety import DANGEROUS_FIRST
from lagesbild.settings import ROOT

PAYLOADS = ["=cmd|' /C calc'!A0", "+46 8 123", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_emit_csv_prefixes_every_dangerous_text_cell(payload, capsys):
    emit(pd.DataFrame({"place": [payload], "count": [-3], payload: ["ok"]}), "csv", str)
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline=""), delimiter=";"))
    assert rows[0][2] == "'" + payload and rows[1][0] == "'" + payload
    assert rows[1][1] == "-3"  # numbers stay numbers


def _run(*args, db):
    env = {**os.environ, "LAGESBILD_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "lagesbild", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=300)


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") for c in row]


def _assert_neutral(text: str, payloads) -> None:
    cells = _cells(text)
    for payload in payloads:
        assert "'" + payload in cells, (payload, cells[:40])
    assert not [c for c in cells if c.startswith(DANGEROUS_FIRST) and not _is_number(c)]


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
        return True
    except ValueError:
        return False


@pytest.fixture(scope="module")
def formula_store(tmp_path_factory):
    """A store whose place, indicators and activity are named like formulas."""
    folder = tmp_path_factory.mktemp("formulas")
    db = folder / "s.sqlite"
    place = PAYLOADS[0]
    square = [[17.94, 59.27], [17.96, 59.27], [17.96, 59.28], [17.94, 59.28], [17.94, 59.27]]
    (folder / "p.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"id": "formel", "namn": place, "typ": "torg"},
        "geometry": {"type": "Polygon", "coordinates": [square]}}]}, ensure_ascii=False))
    months = pd.period_range("2018-09", "2022-08", freq="M")
    lines = ["Plats;Brottskategori;Månad;Antal"] + [
        f"formel;Skadegörelse;{m};{10 + i % 7}" for i, m in enumerate(months)]
    (folder / "brott.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "trygghet.csv").write_text(
        "Område;År;Indikator;Andel;Svarande\n" + "".join(
            f"formel;{year};{p};{20 + year % 3} %;100\n" for p in PAYLOADS[1:4] for year in (2020, 2021)),
        encoding="utf-8")
    (folder / "plan.yaml").write_text(
        f"- id: formel-aktivitet\n  aktivitet: \"{PAYLOADS[3]}\"\n  plats: formel\n"
        "  start: 2020-09-01\n  slut: tillsvidare\n", encoding="utf-8")
    for kind, name in (("places", "p.geojson"), ("crimes", "brott.csv"), ("survey", "trygghet.csv"),
                       ("activities", "plan.yaml")):
        res = _run("ingest", kind, folder / name, db=db)
        assert res.returncode == 0, res.stderr
    return db


def test_compare_csv_neutralises_the_place_name(formula_store):
    res = _run("compare", "--place", "formel", "--periods", "2019–2020", "2020–2021", "--format",
               "csv", db=formula_store)
    assert res.returncode == 0, res.stderr
    _assert_neutral(res.stdout, [PAYLOADS[0]])


def test_survey_csv_neutralises_indicators(formula_store):
    res = _run("survey", "--place", "formel", "--format", "csv", db=formula_store)
    assert res.returncode == 0, res.stderr
    _assert_neutral(res.stdout, PAYLOADS[1:4])


def test_effect_csv_neutralises_the_activity_name(formula_store):
    res = _run("effect", "--activity", "formel-aktivitet", "--format", "csv", db=formula_store)
    assert res.returncode == 0, res.stderr
    _assert_neutral(res.stdout, [PAYLOADS[3]])


def test_hotspots_csv_goes_through_the_neutraliser(demo_store_path):
    res = _run("hotspots", "--area", "hasselby-vallingby", "--period", "2021–2022", "--format", "csv",
               db=demo_store_path)
    assert res.returncode == 0, res.stderr
    # the demo's mark is a comment line above the header (tests/test_cli_csv_demo_mark.py)
    header = next(r for r in csv.reader(io.StringIO(res.stdout.lstrip("\ufeff")), delimiter=";")
                  if not r[0].startswith("# "))
    assert "Klass" in header and "Gi*-klass" in header  # the downloads' Swedish headers
    assert not [c for c in _cells(res.stdout) if c.startswith(DANGEROUS_FIRST) and not _is_number(c)]


def test_emit_csv_is_the_exports_swedish_excel_csv(capsys):
    """The CLI's CSV is the download's: BOM (Excel reads å, ä, ö), ja/nej, dates, decimal comma; the
    CLI wrote True/False and no BOM, so Excel showed "VÃ¥rberg"."""
    df = pd.DataFrame({"plats": ["Vårberg"], "säkerställd": [True], "p": [0.0125],
                       "månad": [pd.Timestamp("2024-02-01")], "ok": [False]})
    emit(df, "csv", str)
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")
    assert out.splitlines()[1] == "Vårberg;ja;0,0125;2024-02-01;nej"
