"""SCB population tables as Statistikdatabasen (PX-Web) downloads them, and as Excel saves them again.

Excel's "Unicode-text" (UTF-16 with a byte-order mark) was decoded as Windows-1252: every value was
"�"-garbage and the file was refused ("året måste vara fyra siffror", value '"\\x002\\x000…'). The
Windows-1252 PX-Web file with an age split is a guard. The rates are checked by hand: a year's count
over that year's population (per 1 000).
"""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main
from lagesbild.sources.population import read_population

PX_LONG = ('"Folkmängden per region, ålder och år"\r\n\r\n"region","ålder","år","Folkmängd"\r\n'
           '"0180 Stockholm","totalt ålder","2024",1010000\r\n'
           '"0180 Stockholm","totalt ålder","2025",1025000\r\n\r\n"Källa: SCB"\r\n')
PX_AGES = ('"Folkmängden per region, ålder och år"\r\n\r\n"region";"ålder";"2024";"2025"\r\n'
           '"0180 Stockholm";"0-19 år";"200 000";"201 000"\r\n'
           '"0180 Stockholm";"20-64 år";"650 000";"660 000"\r\n'
           '"0180 Stockholm";"65+ år";"160 000";"164 000"\r\n')  # sums: 1 010 000 and 1 025 000
CRIMES = ("Område;Brott;2024;2025\r\nStockholms kommun;Narkotikabrott;12 000;11 500\r\n")


@pytest.mark.parametrize(("text", "encoding"), [(PX_LONG, "utf-16"), (PX_LONG, "utf-16-be-bom"),
                                                (PX_AGES, "cp1252")])
def test_a_px_web_population_file_is_read_whatever_excel_saved_it_as(tmp_path, text, encoding):
    path = tmp_path / "folkmangd.csv"
    raw = (b"\xfe\xff" + text.encode("utf-16-be")) if encoding == "utf-16-be-bom" else text.encode(encoding)
    path.write_bytes(raw)
    frame = read_population(path)
    got = sorted((r.area, int(r.year), int(r.population)) for r in frame.itertuples())
    assert got == [("0180", 2024, 1_010_000), ("0180", 2025, 1_025_000)]


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_rates_use_each_years_population_from_a_unicode_text_file(tmp_path, capsys, monkeypatch, encoding):
    pop = tmp_path / "folkmangd.txt"
    pop.write_bytes(PX_LONG.encode(encoding))
    crimes = tmp_path / "bra.csv"
    crimes.write_text(CRIMES, encoding="utf-8")
    db = tmp_path / "s.sqlite"
    monkeypatch.setenv("LAGESBILD_POPULATION_FILE", str(pop))
    assert main(["--db", str(db), "ingest", "crimes", str(crimes), "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "compare", "--place", "Stockholm", "--periods", "2024", "2025",
                 "--format", "json"]) == 0
    row, = json.loads(capsys.readouterr().out)
    assert row["rate_a"] == pytest.approx(12_000 / 1_010_000 * 1000)  # 11,88 per 1 000 and year
    assert row["rate_b"] == pytest.approx(11_500 / 1_025_000 * 1000)  # 11,22
