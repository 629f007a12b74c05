"""The month chart's thick line is the rolling 12 months' mean per month ("tjock: rullande 12 mån
(snitt per månad)", 56 at the end of a year of 672), but the numbers behind it (the pack's CSV/XLSX
and Plats' Excel download) headed the 12 months' *sum* "Rullande 12 månader": a reader looking for the
line's 56 found 672 (same3's finding). The sum is now headed as a sum, and the pack's file also has
the mean the line draws."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from lagesbild.export.charts import months_chart
from lagesbild.export.data import ExportData, parse_periods
from tests.sheets import sheet_rows

PLACE = "hasselby-torg"
PERIODS = ["2021–2022", "2022–2023"]


@pytest.fixture(scope="module")
def chart(demo_store, demo_settings):
    data = ExportData(demo_store, demo_settings)
    return months_chart(data, data.place(PLACE), parse_periods(PERIODS))


def _sum_and_mean_columns(table: pd.DataFrame) -> tuple[str, str]:
    rolling = [c for c in table.columns if c.startswith("Rullande 12")]
    total = [c for c in rolling if "summa" in c]
    mean = [c for c in rolling if "snitt" in c]
    assert len(total) == 1 and len(mean) == 1, rolling
    return total[0], mean[0]


def test_the_packs_rolling_columns_say_sum_and_mean_and_hold_them(chart):
    table = chart.data
    total, mean = _sum_and_mean_columns(table)
    fig = go.Figure(chart.fig)
    checked = 0
    for name, rows in table.groupby("Kategori"):
        rows = rows.sort_values("Månad").reset_index(drop=True)
        counts = pd.to_numeric(rows["Antal anmälda brott"], errors="coerce")
        # the thick line of this category as drawn, by month
        thick = [t for t in fig.data if t.name == name and t.line.width and t.line.width > 2]
        assert len(thick) == 1, name
        drawn = {pd.Timestamp(x).strftime("%Y-%m"): y for x, y in zip(thick[0].x, thick[0].y, strict=True)
                 if y is not None}
        for i in range(11, len(rows)):
            hand = counts.iloc[i - 11:i + 1].sum()  # the 12 months ending here, summed by hand
            assert int(rows.loc[i, total]) == int(hand), (name, rows.loc[i, "Månad"])
            assert float(rows.loc[i, mean]) == pytest.approx(hand / 12), (name, rows.loc[i, "Månad"])
            assert drawn[pd.Timestamp(rows.loc[i, "Månad"]).strftime("%Y-%m")] == pytest.approx(hand / 12)
            checked += 1
    assert checked >= 12


def test_the_web_download_heads_the_rolling_sum_as_a_sum(tmp_path, demo_store, demo_settings):
    from lagesbild.web.numbers import Numbers, xlsx_bytes

    months = pd.DataFrame({"place_id": "hasselby-torg", "category": "skadegorelse",
                           "month": pd.date_range("2022-09-01", periods=2, freq="MS"),
                           "count": [20, 22], "rolling_12": [240, 242]})
    numbers = Numbers(months, "Anmälda brott per månad", place="Hässelby torg", periods=("2022–2023",),
                      counts=("count", "rolling_12"))
    content, _ = xlsx_bytes(numbers, demo_store, demo_settings, page="/plats/hasselby-torg")
    rows = sheet_rows(openpyxl.load_workbook(io.BytesIO(content))["Siffror"])
    heads = [k for k in rows[0] if k.startswith("Rullande 12")]
    assert len(heads) == 1 and "summa" in heads[0], heads
    assert [r[heads[0]] for r in rows] == [240, 242]
