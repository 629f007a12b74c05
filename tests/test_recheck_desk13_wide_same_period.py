"""A wide crime table with one month written in two ways in its header ("2024-01" and "jan 2024", or
PX-Web's "2024M01") had each row's two counts refused as 'rad 2, kolumn "jan 2024", värde "4": samma
plats, kategori och period som rad 2' (the same row); a header cell written twice word for word was
already refused at the header ('perioden finns i 2 kolumner'). The header is now refused naming both
columns (tests/data/nasty/crimes_wide_month_two_ways.csv).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.settings import ROOT
from lagesbild.sources.crimes import read_crimes

NASTY = ROOT / "tests" / "data" / "nasty" / "crimes_wide_month_two_ways.csv"
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]


def _refusal(path) -> str:
    with pytest.raises(InputError) as info:
        read_crimes(path)
    return info.value.message()


def test_the_header_is_refused_naming_both_columns():
    message = _refusal(NASTY)
    assert 'crimes_wide_month_two_ways.csv, rad 1, kolumn "jan 2024", värde "jan 2024": perioden är densamma ' \
           'som kolumnen "2024-01" har' in message
    assert "samma plats, kategori och period" not in message


def test_distinct_months_in_three_forms_are_read(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("Plats;Brottskategori;2024-01;feb 2024;2024M03\nVårberg;Inbrott;3;4;5\n", encoding="utf-8")
    result = read_crimes(path)
    assert result.errors == []
    # by hand: January, February and March 2024 with 3, 4 and 5
    assert sorted(zip(result.table["period_start"].astype(str), result.table["count"], strict=True)) == [
        ("2024-01-01", 3), ("2024-02-01", 4), ("2024-03-01", 5)]


@settings(max_examples=40, deadline=None)
@given(month=st.integers(1, 12), forms=st.lists(st.sampled_from(["iso", "word", "short", "px"]), min_size=2,
                                                max_size=2, unique=True))
def test_fuzz_one_month_in_two_forms_is_refused_at_the_header(tmp_path_factory, month, forms):
    written = {"iso": f"2023-{month:02d}", "word": f"{MONTHS[month - 1]} 2023",
               "short": f"{MONTHS[month - 1][:3]} 2023", "px": f"2023M{month:02d}"}
    first, second = (written[f] for f in forms)
    path = tmp_path_factory.mktemp("w") / "b.csv"
    path.write_text(f"Plats;Brottskategori;{first};{second}\nVårberg;Inbrott;3;4\n", encoding="utf-8")
    message = _refusal(path)
    if first == second:  # "maj 2023" both ways: the same text, refused as before
        assert f'kolumn "{first}", värde "{first}": perioden finns i 2 kolumner' in message
    else:
        assert f'rad 1, kolumn "{second}", värde "{second}": perioden är densamma som kolumnen "{first}"' in message
