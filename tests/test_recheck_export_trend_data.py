"""The numbers behind an exported years chart never say 0 for a year without any data: a category whose
data begin later (a monthly file of more categories beside older data) had "Antal anmälda brott 0"
beside "Månader utan data 12" in the pack's CSV and XLSX; a year without data is missing, never 0."""

from __future__ import annotations

import pandas as pd

from lagesbild.export.charts import trend_chart
from lagesbild.export.data import ExportData, parse_periods
from lagesbild.ingest import ingest_file
from tests.test_recheck_export_dataend import MONTHLY_HEADER, _months


def test_a_year_without_data_is_empty_in_the_trend_numbers_not_zero(places_store, settings, tmp_path):
    lines = [f"Vårberg;Skadegörelse;{m};{20 + i % 5}" for i, m in enumerate(_months("2019-09", "2023-08"))]
    lines += [f"Vårberg;Narkotikabrott;{m};{7 + i % 3}" for i, m in enumerate(_months("2021-09", "2023-08"))]
    path = tmp_path / "vaarberg.csv"
    path.write_text(MONTHLY_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    assert ingest_file(places_store, "crimes", path).status == "ok"
    data = ExportData(places_store, settings)
    chart = trend_chart(data, data.place("varberg"), parse_periods(["2021–2022", "2022–2023"]))
    table = chart.data.set_index(["Kategori", "Period"])
    # Narkotikabrott has no month before Sep 2021: its earlier years are missing, not 0
    early = table.loc[("Narkotikabrott", "2019–2020")]
    assert early["Månader utan data"] == 12
    assert pd.isna(early["Antal anmälda brott"])
    # its years with data, and every year of Skadegörelse, keep their counts (summed by hand)
    assert table.loc[("Narkotikabrott", "2021–2022"), "Antal anmälda brott"] == sum(7 + i % 3 for i in range(12))
    assert table.loc[("Skadegörelse", "2019–2020"), "Antal anmälda brott"] == sum(20 + i % 5 for i in range(12))
