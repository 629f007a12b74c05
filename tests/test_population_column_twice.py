"""A population table with a column given twice in its header: "År" twice with different years, or
"Folkmängd" twice, was read from the first without a word (the second's figures dropped), and year
columns with a year twice ("2023;2024;2023") were refused as "hittar ingen rubrikrad". Each is now
refused naming the header line, the column and both positions (counted by hand below)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.sources.population import read_population


@pytest.mark.parametrize(("text", "column", "first", "again"), [
    ("Område;År;Folkmängd;År\nFittja;2024;100;2023\n", "År", 2, 4),
    ("Område;År;Folkmängd;Folkmängd\nFittja;2024;100;90\n", "Folkmängd", 3, 4),
    ("# FIKTIVA\nOmråde;2023;2024;2023\nFittja;100;110;100\n", "2023", 2, 4),
])
def test_a_column_given_twice_is_refused_naming_it(tmp_path, text, column, first, again):
    path = tmp_path / "befolkning.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_population(path)
    [row] = err.value.errors
    line = 2 if text.startswith("#") else 1
    assert (row.line, row.column, row.value) == (line, column, column)
    assert f"kolumnen finns två gånger i rubriken (kolumn {first} och {again})" in row.message()
    assert "hittar ingen rubrikrad" not in str(err.value)


@given(st.permutations([2021, 2022, 2023, 2024]), st.integers(0, 3))
def test_any_repeated_year_column_is_named_at_its_second_place(years, repeat):
    cells = [str(y) for y in years] + [str(years[repeat])]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.csv"
        path.write_text("Område;" + ";".join(cells) + "\nFittja;" + ";".join("5" * len(cells)) + "\n",
                        encoding="utf-8")
        with pytest.raises(InputError) as err:
            read_population(path)
    [row] = err.value.errors
    assert row.column == str(years[repeat]) and f"(kolumn {repeat + 2} och 6)" in row.reason


def test_one_of_each_still_reads(tmp_path):
    path = tmp_path / "befolkning.csv"
    path.write_text("Område;År;Folkmängd\nFittja;2024;100\n", encoding="utf-8")
    assert read_population(path).values.tolist() == [["Fittja", 2024, 100]]
