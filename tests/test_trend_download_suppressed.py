"""The Excel file of Plats' "Trend över perioder" hides the trend of a sensitive category with small counts.

Every other download of the place (the comparison, the charts' numbers) hid a sensitive category's small
counts and what gives them away, but the trend table declared no count columns, so a läsare could
download the rate ratio, its interval and p-value of a category whose counts were "–" beside it (found
by the security review sec4). The trend's smallest period count now decides, as a count does.
"""

from __future__ import annotations

import base64
import io
from unittest import mock

import openpyxl
import pandas as pd
import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store
from tests import test_web_callbacks as small
from tests.sheets import sheet_rows

SEARCH = ("?kat=narkotikabrott&kat=vald_nara_relation&per=2019-2020&per=2020-2021&per=2021-2022")
# a handful of a sensitive category inside the square (the district's own, drawn over it, adds a few)
FEW = {"2019-11-15": 1, "2020-01-20": 1, "2020-10-10": 1, "2021-02-14": 1, "2021-10-03": 1, "2022-01-12": 1}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trend-xlsx")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"))
    store = Store(cfg.db_url)
    # three whole Sep–Aug years (the trend table needs three whole periods)
    months = pd.date_range("2019-09-01", "2022-08-01", freq="MS")
    with mock.patch.object(small, "MONTHS", months):
        inc = small._incidents()
    minx, miny, maxx, maxy = small.BOXES["torg"][4]
    extra = [("vald_nara_relation", pd.Timestamp(day) + pd.Timedelta(hours=12 + i), minx + 50 + i, miny + 50)
             for day, n in FEW.items() for i in range(n)]
    extra = pd.DataFrame(extra, columns=["category", "occurred_at", "x", "y"])
    extra["incident_id"] = [f"few{i}" for i in range(len(extra))]
    inc = pd.concat([inc, extra], ignore_index=True)
    with mock.patch.object(small, "MONTHS", months):
        small._write(store, inc)
    from lagesbild.web import create_app

    return cfg, store, inc, create_app(cfg, store)


def _rows(graph: str) -> list[dict]:
    from lagesbild.web.export_controls import chart_download

    sent, message = chart_download({"fmt": "xlsx", "graph": graph, "path": "/plats/torg", "search": SEARCH})
    assert message == ""
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    return sheet_rows(wb["Siffror"])


def test_the_trend_of_a_small_sensitive_category_is_hidden_in_its_download(env):
    _, _, inc, _ = env
    counts = [small.hand_count(inc, "torg", "vald_nara_relation", f"{y}-09-01", f"{y + 1}-08-31")
              for y in (2019, 2020, 2021)]
    assert all(0 < n < 5 for n in counts), counts  # every period below the threshold of 5
    rows = _rows("place-trend")
    hidden = next(r for r in rows if r["Kategori-id"] == "vald_nara_relation")
    statistics = ["Kvot per period", "Konfidensintervall, nedre", "Konfidensintervall, övre", "p-värde",
                  "p-värde före korrigering", "Överspridning", "Mann–Kendalls tau", "Mann–Kendalls p-värde",
                  "Säkerställd"]
    assert {h: hidden[h] for h in statistics} == dict.fromkeys(statistics, "–")
    assert not any(ch.isdigit() for ch in str(hidden["Bedömning"]))  # a short text, no ratio in it
    # a category that is not sensitive keeps its trend
    drugs = next(r for r in rows if r["Kategori-id"] == "narkotikabrott")
    assert all(isinstance(drugs[h], float) for h in statistics[:5])
    # the comparison beside it hides the same category's counts, as before
    comparison = next(r for r in _rows("place-comparison") if r["Kategori-id"] == "vald_nara_relation")
    assert comparison["Antal B"] == "–"
