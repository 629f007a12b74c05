"""SCB's tables name the total over kön "män och kvinnor" (Statistikdatabasen's folkmängd tables with a
kön column). Such a row was called "bara en del av befolkningen (kön)" and the whole file refused, although
it is the total. Hand-written file; the expected figures are its cells."""

from __future__ import annotations

import pytest

from lagesbild.errors import InputError
from lagesbild.sources.population import read_population

TITLE = '"Folkmängden per region, ålder, kön och år"\r\n\r\n'


@pytest.mark.parametrize("total", ["män och kvinnor", "Kvinnor och män", "totalt"])
def test_the_total_over_kon_is_read_as_the_population(tmp_path, total):
    path = tmp_path / "folkmangd.csv"
    path.write_bytes((TITLE + '"region";"ålder";"kön";"2022";"2023"\r\n'
                      f'"0180 Stockholm";"totalt ålder";"{total}";"984 748";"988 943"\r\n'
                      f'"0184 Solna";"totalt ålder";"{total}";"85 185";"86 123"\r\n'
                      '\r\n"Källa: SCB"\r\n').encode("utf-8-sig"))
    got = read_population(path)
    assert got[["area", "year", "population"]].values.tolist() == [
        ["0180", 2022, 984748], ["0180", 2023, 988943], ["0184", 2022, 85185], ["0184", 2023, 86123]]


def test_the_total_beside_its_parts_is_used_not_added(tmp_path):
    path = tmp_path / "folkmangd.csv"
    path.write_text('"region";"kön";"2023"\n"0184 Solna";"män";"42 000"\n"0184 Solna";"kvinnor";"44 123"\n'
                    '"0184 Solna";"män och kvinnor";"86 123"\n', encoding="cp1252")
    assert read_population(path)[["area", "year", "population"]].values.tolist() == [["0184", 2023, 86123]]


def test_guard_men_alone_is_still_a_part(tmp_path):
    path = tmp_path / "folkmangd.csv"
    path.write_text('"region";"kön";"2023"\n"0184 Solna";"män";"42 000"\n', encoding="utf-8")
    with pytest.raises(InputError):
        read_population(path)


def test_an_xlsx_workbook_with_a_notes_sheet_first_is_read_from_its_table(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "Information"
    info.append(["Folkmängd per kommun"])
    info.append(["Källa: SCB"])
    table = wb.create_sheet("Tabell")
    for row in (["region", "2022", "2023"], ["0180 Stockholm", 984748, 988943], ["0184 Solna", "85 185", 86123]):
        table.append(row)
    path = tmp_path / "folkmangd.xlsx"
    wb.save(path)
    assert read_population(path)[["area", "year", "population"]].values.tolist() == [
        ["0180", 2022, 984748], ["0180", 2023, 988943], ["0184", 2022, 85185], ["0184", 2023, 86123]]
