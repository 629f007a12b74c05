"""Crime, population and survey files shaped like the downloads as they come, in forms the other
tests do not use: footnote marks on place and category names, and more (one test per defect found
in a re-check)."""

from __future__ import annotations

import csv

from tests.test_bra_exports import _ingest, _number

MARKED = ("\ufeffAnmälda brott, antal\n\nRegion;Brott;2023;2024\n"
          "Stockholm¹;Misshandel;8 100;8 000\n"
          "Luleå;Narkotikabrott²;500;..\n"
          "Boden 3);Misshandel;50;51\n\n"
          "¹ Kommungränsen ändrad 2024.\n² Inklusive eget bruk.\n3) Preliminära uppgifter.\n"
          "Källa: Brottsförebyggande rådet (Brå)\n")


def test_footnote_marks_on_place_and_category_names_are_cut(write_text, tmp_path):
    path = write_text(MARKED, "marks.csv")
    rc, out, rows = _ingest(path, tmp_path)
    assert rc == 0, out
    lines = MARKED.lstrip("\ufeff").splitlines()
    table = list(csv.reader(lines[2:6], delimiter=";"))
    expected = {}
    for place, cat, text in [("stockholm", "misshandel", "Stockholm¹"), ("lulea", "narkotikabrott", "Luleå"),
                             ("boden", "misshandel", "Boden 3)")]:
        row = next(r for r in table if r[0] == text)
        for year in ("2023", "2024"):
            value = _number(row[table[0].index(year)])
            expected[(place, cat, f"{year}-01-01", f"{year}-12-31")] = (value, False)
    assert rows == expected
