"""Large numbers in an exported XLSX are shown with their thousands grouped (Swedish Excel: "1 872 736";
they showed "1872736"), while staying numbers; years, small counts and dates keep their own format."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd

from lagesbild.export.tables import write_xlsx


def test_large_numbers_are_grouped_and_years_dates_and_small_counts_are_not(tmp_path):
    frame = pd.DataFrame({"År": [2022, 2023], "Antal": [1_872_736, 9_999], "Per 1 000 inv.": [1_719_078.606, 4.86],
                          "Från": [dt.date(2021, 9, 1), dt.date(2022, 9, 1)], "Kategori": ["Inbrott", "=1+1"]})
    path = write_xlsx({"Siffror": frame}, tmp_path / "s.xlsx", notes={"Siffror": ["Källa: test"]})
    ws = openpyxl.load_workbook(path)["Siffror"]
    year, count, rate, day, text = ws[2]
    assert (year.value, year.number_format) == (2022, "General")
    assert (count.value, count.number_format) == (1_872_736, "#,##0")
    assert rate.value == 1_719_078.606 and rate.number_format == "#,##0.0##"
    assert day.is_date and day.value.date() == dt.date(2021, 9, 1) and "yy" in day.number_format
    assert ws["B3"].number_format == "General" and ws["C3"].number_format == "General"  # 9 999 and 4,86
    assert ws["E3"].value == "'=1+1"  # still neutralised
