"""Trygghet's Excel download of a place in a kommun whose survey rows are the city level (desk9's
fictitious Mölnbo in Södertälje) headed Södertälje's shares "Andel i staden" and the differences
"Skillnad mot staden (procentenheter)". They name Södertälje, as the page now does."""

from __future__ import annotations

import base64
import io

import openpyxl

from lagesbild.settings import load_settings
from lagesbild.store import Store
from tests.sheets import sheet_rows
from tests.test_recheck_desk9_survey_kommun import _store


def test_the_survey_download_names_the_kommun(tmp_path):
    db = _store(tmp_path)
    cfg = load_settings({}, data_dir=str(tmp_path), db=str(db))
    from lagesbild.web import create_app
    from lagesbild.web.export_controls import chart_download

    create_app(cfg, Store(cfg.db_url))
    sent, message = chart_download({"fmt": "xlsx", "graph": "survey-table", "path": "/trygghet",
                                    "search": "?plats=molnbo"})
    assert message == ""
    ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))["Siffror"]
    headers = [c.value for c in ws[1]]
    assert "Andel i Södertälje" in headers and "Skillnad mot Södertälje (procentenheter)" in headers
    assert not any("staden" in str(h) for h in headers), headers
    row = next(r for r in sheet_rows(ws) if r["År"] == 2026)
    # Mölnbo 30 % of 40 against the rest of Södertälje (0,27·900 − 0,30·40)/860 = 26,86 %: +3,14 p.e.
    assert abs(row["Skillnad mot Södertälje (procentenheter)"] - 3.14) < 0.01
