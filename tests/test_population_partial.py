"""Rates per 1 000 inhabitants with yearly populations, the SCB population reader, and partial months."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lagesbild.core.compare import compare, complete_until
from lagesbild.core.population import period_rate, population_by_year
from lagesbild.errors import InputError
from lagesbild.sources.population import read_population


def test_interpolation_between_known_years_by_hand():
    known = pd.DataFrame({"place_id": "a", "year": [2010, 2023], "population": [1357, 1316]})
    t = population_by_year(known, "a", range(2010, 2024)).set_index("year")
    for year in range(2010, 2024):
        assert t.loc[year, "population"] == pytest.approx(1357 + (1316 - 1357) * (year - 2010) / 13)
    assert t.loc[2010, "source"] == "känd" and t.loc[2016, "source"] == "interpolerad"


def test_rates_use_each_years_population_and_are_annualised():
    known = pd.DataFrame({"place_id": "p", "year": [2021, 2022], "population": [2000, 4000]})
    months = pd.date_range("2021-09-01", "2022-08-01", freq="MS")  # 4 months of 2021, 8 of 2022
    rate, note = period_rate(120, months, known, "p")
    assert rate == pytest.approx(1000 * 120 / ((4 * 2000 + 8 * 4000) / 12))
    cut = months[:7]  # Sep–Mar: 4 months at 2000, 3 at 4000; 60 crimes -> per year
    rate_cut, _ = period_rate(60, cut, known, "p")
    assert rate_cut == pytest.approx(1000 * 60 * 12 / 7 / ((4 * 2000 + 3 * 4000) / 7))
    assert note == ""


def test_no_rate_below_the_population_floor():
    months = pd.date_range("2021-01-01", periods=12, freq="MS")
    rate, note = period_rate(30, months, None, "p", constant=611)
    assert math.isnan(rate) and "färre än 1\u00a0000 invånare" in note
    rate, _ = period_rate(30, months, None, "p", constant=611, min_population=500)
    assert rate == pytest.approx(1000 * 30 / 611)


def test_compare_rates_with_a_yearly_table():
    months = pd.date_range("2020-01-01", "2021-12-01", freq="MS")
    m = pd.DataFrame({"place_id": "p", "category": "rån", "month": months, "count": 5})
    table = pd.DataFrame({"place_id": "p", "year": [2020, 2022], "population": [3000, 5000]})
    out = compare(m, ["2020", "2021"], place_id="p", population_table=table).iloc[0]
    assert out["rate_a"] == pytest.approx(1000 * 60 / 3000)
    assert out["rate_b"] == pytest.approx(1000 * 60 / 4000)  # 2021 interpolated
    assert "Befolkningen 2021 är interpolerad" in out["note"]


def test_read_population_long_and_wide(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text('"region";"2010 folkmängd";"2023 folkmängd"\n"Vårberg";"1 357";"1316"\n',
                    encoding="cp1252")
    assert read_population(wide).values.tolist() == [["Vårberg", 2010, 1357], ["Vårberg", 2023, 1316]]
    long = tmp_path / "long.csv"
    long.write_text("område,år,folkmängd\nvarberg,2010,1357\nvarberg,2011,..\n", encoding="utf-8")
    assert read_population(long).values.tolist() == [["varberg", 2010, 1357]]


def test_read_population_reports_bad_values_in_swedish(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("område;år;folkmängd\nvarberg;20x0;12\nvarberg;2011;-3\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_population(bad)
    text = err.value.message()
    assert "rad 2" in text and "året måste vara fyra siffror" in text
    assert "rad 3" in text and "heltal" in text


def ten_a_day_until(last_day: str) -> pd.DataFrame:
    """Ten crimes every day from 1 Jan 2023 to ``last_day``, as monthly counts."""
    days = pd.date_range("2023-01-01", last_day, freq="D")
    counts = pd.Series(10, index=days).groupby(days.to_period("M")).sum()
    return pd.DataFrame({"place_id": "p", "category": "rån", "month": counts.index.to_timestamp(),
                         "count": counts.to_numpy()})


def test_a_file_ending_mid_month_is_not_read_as_a_fall():
    m = ten_a_day_until("2024-03-15")
    periods = ["2023-01-01–2023-03-31", "2024-01-01–2024-03-31"]
    naive = compare(m, periods, place_id="p").iloc[0]
    assert naive["count_b"] == 600 + 150 - 10 * 0 and naive["significant"]  # the audit's false fall
    end = complete_until(extracted="2024-03-16")
    assert end.isoformat() == "2024-02-29"
    row = compare(m, periods, place_id="p", data_end=end).iloc[0]
    assert (row["count_a"], row["count_b"]) == (590, 600)  # Jan–Feb in both years, like for like
    assert not row["significant"] and row["verdict"].startswith("ingen säkerställd förändring")
    assert "mar 2024 är ofullständig och räknas inte" in row["note"]
    assert complete_until(None, "2024-03-15").isoformat() == "2024-02-29"
    assert complete_until(None, "2024-03-27").isoformat() == "2024-03-31"


def test_a_period_without_data_reads_missing_not_zero():
    months = pd.date_range("2021-01-01", "2021-12-01", freq="MS")
    m = pd.DataFrame({"place_id": "p", "category": "rån", "month": months, "count": 4})
    cov = pd.DataFrame({"source": "s", "place_id": None, "month": months})
    row = compare(m, ["2021", "2022"], place_id="p", coverage=cov, like_for_like=False).iloc[0]
    assert np.isnan(row["count_b"]) and np.isnan(row["change"]) and np.isnan(row["pct_change"])
    assert row["verdict"].startswith("kan inte bedömas")
