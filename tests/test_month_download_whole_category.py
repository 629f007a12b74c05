"""The web's Excel file of a month chart hides a sensitive category whole when one month is small.

The pack learnt this (the trend chart's period total less the eleven months shown gave a hidden month
away); the "Excel" download under Plats' month chart still hid month by month, and showed the rolling
12-month sums beside them: one sum less the month before's is a month less the same month a year
earlier, so a hidden month could be worked out from the shown ones. Now every month and every rolling
sum of a category with one hidden month is hidden; other categories are left as they are.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from tests.sheets import sheet_rows
from tests.test_xlsx_download import env  # noqa: F401  (the small store: vald_nara_relation sensitive)


def _months() -> pd.DataFrame:
    months = pd.date_range("2021-01-01", periods=4, freq="MS")
    sensitive = [9, 3, 8, 7]   # one month below 5
    other = [2, 1, 4, 3]       # small, but not a sensitive category
    return pd.DataFrame({
        "place_id": "torg", "category": ["vald_nara_relation"] * 4 + ["narkotikabrott"] * 4,
        "month": list(months) * 2, "count": sensitive + other,
        "rolling_12": [50, 51, 52, 53, 20, 21, 22, 23]})


def test_one_small_month_hides_its_category_whole_in_the_month_download(env):  # noqa: F811
    settings, store, _, _ = env
    from lagesbild.web.numbers import Numbers, xlsx_bytes

    numbers = Numbers(_months(), "Anmälda brott per månad", place="Torget", periods=("2021",),
                      counts=("count", "rolling_12"))
    content, _ = xlsx_bytes(numbers, store, settings, page="/plats/torg")
    rows = sheet_rows(openpyxl.load_workbook(io.BytesIO(content))["Siffror"])
    by_cat = {}
    for r in rows:
        by_cat.setdefault(r["Kategori-id"], []).append(r)
    sensitive = by_cat["vald_nara_relation"]
    assert len(sensitive) == 4
    assert all(r["Antal"] == "–" for r in sensitive)  # 9, 8 and 7 too, not only the 3
    assert all(r["Rullande 12 månader, summa"] == "–" for r in sensitive)  # the rolling sums with them
    assert [r["Rullande 12 månader, summa"] for r in by_cat["narkotikabrott"]] == [20, 21, 22, 23]
    assert [r["Antal"] for r in by_cat["narkotikabrott"]] == [2, 1, 4, 3]  # not sensitive: shown
