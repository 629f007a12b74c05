"""SCB's PX-Web population table cut off in its last row: the row is refused with its line and value,
never dropped as if it were a note under the table (Nacka vanished and the file was read without a
word). Notes under the table are still cut off."""

from __future__ import annotations

import pytest

from lagesbild.errors import InputError
from lagesbild.sources.population import read_population

HEAD = '"Folkmängden efter region och år"\n\n"region","2022","2023","2024"\n"0180 Stockholm","978770","984748","988943"\n'


def test_a_last_row_cut_short_is_refused_with_its_value(tmp_path):
    path = tmp_path / "px.csv"
    path.write_text(HEAD + '"0182 Nacka","108","1', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_population(path)
    said = err.value.message()
    assert said.startswith("px.csv: 1 värde kunde inte läsas"), said
    assert 'px.csv, rad 5, värde "0182 Nacka,108,1": raden har 3 fält men rubriken 4' in said


def test_notes_under_the_table_are_still_cut_off(tmp_path):
    path = tmp_path / "px.csv"
    path.write_text(HEAD + '"0182 Nacka","105000","107000","108000"\n\n"Källa: SCB, befolkningsstatistik"\n'
                    '"Uppgifterna avser 31 december"\n', encoding="utf-8")
    got = read_population(path)
    assert sorted(set(got["area"])) == ["0180", "0182"]
    assert got.loc[(got["area"] == "0182") & (got["year"] == 2024), "population"].item() == 108000
