"""A month written year first with a slash ("2024/01", as some exports and hand-typed sheets do) was
refused as 'ett september–augusti-år skrivs som två år i följd, t.ex. 2019–2020': read as a school
year gone wrong, with an example of other years. The reason now gives the file's own year and, when
the second number can be a month, how to write that month.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.sources.crimes import read_crimes
from lagesbild.sources.dates import parse_period


def test_the_file_says_how_to_write_january_2024(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("Plats;Brottskategori;Månad;Antal\nVårberg;Inbrott;2024/01;3\n", encoding="utf-8")
    message = read_crimes(path).errors[0].message()
    assert 'rad 2, kolumn "Månad", värde "2024/01": ett september–augusti-år skrivs som två år i följd, ' \
           "t.ex. 2024–2025; är det en månad, skriv 2024-01" in message, message


@settings(max_examples=40, deadline=None)
@given(year=st.integers(1960, 2090), month=st.integers(1, 12))
def test_fuzz_year_slash_month(year, month):
    text = f"{year}/{month:02d}"
    if month == (year + 1) % 100:  # 2011/12 is the school year 2011–2012
        assert parse_period(text)[:2][0].month == 9
        return
    with pytest.raises(ValueError) as info:
        parse_period(text)
    assert str(info.value).endswith(f"t.ex. {year}–{year + 1}; är det en månad, skriv {year}-{month:02d}")
