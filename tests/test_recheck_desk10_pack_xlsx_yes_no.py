"""The meeting pack's XLSX tables wrote yes/no columns ("Säkerställd", "Samma månader") as Excel
booleans, shown FALSKT/SANT or FALSE/TRUE, while the CSV beside them in the same ZIP and every
"Excel" download of the dashboard (web/numbers.swedish_frame) say "ja"/"nej" (README, "Command
line": the Swedish Excel CSV has ja/nej). Botkyrka re-check: 'Jämförelse Storvretens centrum, …
.xlsx' had Säkerställd = False and Samma månader = True where the CSV row had nej and ja."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd

from lagesbild.export.tables import csv_text, write_xlsx


def test_yes_no_columns_are_ja_nej_in_the_xlsx_as_in_the_csv(tmp_path):
    df = pd.DataFrame({"Kategori": ["Narkotikabrott", "Skadegörelse"], "Antal": [2, 0],
                       "Säkerställd": [False, True], "Samma månader": np.array([True, False])})
    path = write_xlsx({"Jämförelse": df}, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_row=3)]
    assert rows == [["Narkotikabrott", 2, "nej", "ja"], ["Skadegörelse", 0, "ja", "nej"]]
    # the CSV of the same frame, as the pack writes it beside the XLSX
    csv_rows = csv_text(df).lstrip("\ufeff").splitlines()[1:]
    assert csv_rows == ["Narkotikabrott;2;nej;ja", "Skadegörelse;0;ja;nej"]
    # counts stay numbers
    assert isinstance(rows[0][1], int)
