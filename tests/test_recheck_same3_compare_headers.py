"""The pack's comparison data file and Plats' Excel download of the same table head the same column
alike: the pack said "Lika med lika" where the download says "Samma månader" (same3's finding)."""

from __future__ import annotations

import base64
import io

import openpyxl
import pytest

from lagesbild.export.data import ExportData, parse_periods
from lagesbild.export.sections import comparison_table

PLACE = "hasselby-torg"
PERIODS = ["2021–2022", "2022–2023"]


@pytest.fixture(scope="module")
def app(demo_store, demo_settings):
    from lagesbild.web import create_app

    create_app(demo_settings, demo_store)


def test_the_packs_comparison_file_has_the_downloads_headers(app, demo_store, demo_settings):
    from lagesbild.web.export_controls import chart_download

    data = ExportData(demo_store, demo_settings)
    pack = comparison_table(data, data.place(PLACE), parse_periods(PERIODS)).data
    sent, message = chart_download({"fmt": "xlsx", "graph": "place-comparison", "path": f"/plats/{PLACE}",
                                    "search": "?per=2021-2022&per=2022-2023"})
    assert message == ""
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))["Siffror"]
    download = [c.value for c in sheet[1]]
    missing = [c for c in pack.columns if c not in download]
    assert missing == [], (missing, download)
