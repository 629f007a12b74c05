"""``compare`` printed p-values adjusted over the place's categories (Benjamini–Hochberg, as Plats)
without saying so. Botkyrka re-check: ``compare --place Tullinge --periods 2023 2024 --category
personran`` printed 6 → 0 with p 0,156 where the exact test gives 0,031 (scipy.stats.binomtest(0, 6,
0.5) = 2 · 0,5⁶ = 0,03125), the 0,156 being that p times the place's five categories; Plats says
"5 jämförelser har korrigerats för många test … 1 här, 4 för platsens övriga kategorier" under
its table, the command printed nothing of it.

Reference: the file below has two categories at Vårberg, so one shown is one of two tests."""

from __future__ import annotations

import pandas as pd

from lagesbild.cli import main
from lagesbild.ingest import ingest_file
from tests.test_ingest import write

MONTHS = pd.date_range("2021-01-01", "2023-12-01", freq="MS")


def crimes_file(tmp_path):
    lines = ["Område;Brottstyp;Månad;Antal"]
    for m in MONTHS:
        lines.append(f"Vårberg;Narkotika;{m:%Y-%m};{0 if m.year == 2023 else 1 if m.month <= 6 else 0}")
        lines.append(f"Vårberg;Skadegörelse;{m:%Y-%m};{3 + m.month % 3}")
    return write(tmp_path, "brott.csv", "\n".join(lines) + "\n", encoding="utf-8")


def test_one_category_says_its_p_value_is_adjusted_with_the_others(places_store, settings, tmp_path, capsys):
    ingest_file(places_store, "crimes", crimes_file(tmp_path), extracted_at="2024-01-05")
    assert main(["--db", settings.db_url, "compare", "--place", "Vårberg", "--periods", "2022", "2023",
                 "--category", "narkotikabrott"]) == 0
    out = capsys.readouterr().out.replace("\u00a0", " ")
    assert "2 jämförelser har korrigerats för många test (Benjamini–Hochberg, 5 %): 1 här, 1 för " \
           "platsens övriga kategorier." in out


def test_every_category_says_how_many_tests_were_made(places_store, settings, tmp_path, capsys):
    ingest_file(places_store, "crimes", crimes_file(tmp_path), extracted_at="2024-01-05")
    assert main(["--db", settings.db_url, "compare", "--place", "Vårberg", "--periods", "2022", "2023"]) == 0
    out = capsys.readouterr().out.replace("\u00a0", " ")
    # Narkotikabrott, Skadegörelse and their sum: three tests shown together
    assert "3 jämförelser visas samtidigt och har korrigerats för många test (Benjamini–Hochberg, 5 %)." in out
