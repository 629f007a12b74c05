"""Mönster's month-of-year chart: a month the data do not cover whole is shaded and said, not drawn as 0.

Found on a Södertälje store whose incidents end on 18 November 2026: for 2026–2027 the tile "Brott med
koordinater" said 32, while the bars (September 15, October 14) showed November as an empty month, the
same as January–August, which the period does not reach at all. November's 3 crimes were left out (a
cut month is not a covered month) without a word, and no month said it had no data. Months without a
whole month of data are now shaded grey, and the subtitle says so and how many crimes they hold.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.core.patterns import month_of_year
from lagesbild.figures.patterns import make_month_of_year


def _incidents(counts: dict) -> pd.DataFrame:
    days = [pd.Timestamp(month) + pd.Timedelta(days=i % 17, hours=12) for month, n in counts.items()
            for i in range(n)]
    return pd.DataFrame({"occurred_at": days})


def _subtitle(fig) -> str:
    """The subtitle as read (its wrapped lines joined)."""
    return fig.layout.title.subtitle.text.replace("<br>", " ")


def _shaded(fig) -> list[int]:
    """The calendar months (1–12) under a grey band."""
    return sorted(round((s.x0 + s.x1) / 2) + 1 for s in fig.layout.shapes)


def test_months_without_whole_data_are_shaded_and_their_crimes_said():
    inc = _incidents({"2026-09-01": 15, "2026-10-01": 14, "2026-11-01": 3})
    data = month_of_year(inc, covered_months=pd.to_datetime(["2026-09-01", "2026-10-01"]))
    fig = make_month_of_year(data, place="Brunnsäng", category="Alla kategorier utom känsliga")
    assert _shaded(fig) == [1, 2, 3, 4, 5, 6, 7, 8, 11, 12]
    text = _subtitle(fig)
    assert "grått: månad utan hela månaders data; 3 brott i dem räknas inte här" in text
    bars = fig.data[0]
    assert list(bars.y[8:10]) == [15, 14]  # September and October as counted


def test_a_whole_year_has_no_band_and_no_note():
    """Guard: every month covered, nothing shaded or said."""
    inc = _incidents({f"2025-{m:02d}-01": 2 for m in range(1, 13)})
    fig = make_month_of_year(month_of_year(inc), place="Brunnsäng")
    assert _shaded(fig) == []
    assert "grått" not in _subtitle(fig)


def test_the_crimes_of_a_cut_month_are_said_also_when_other_years_cover_that_month():
    """A November cut on the 18th beside two whole Novembers: the bars hold the whole Novembers only
    (per month 10, not (20 + 3) / 2), and the subtitle says the 3 crimes left out."""
    inc = _incidents({"2024-11-01": 10, "2025-11-01": 10, "2026-11-01": 3})
    covered = pd.date_range("2024-11-01", "2026-10-01", freq="MS")  # two whole years, to October
    data = month_of_year(inc, covered_months=covered)
    nov = data.loc[data["month"] == 11].iloc[0]
    assert (nov["count"], nov["months_covered"], nov["per_month"], nov["left_out"]) == (20, 2, 10.0, 3)
    fig = make_month_of_year(data, place="Brunnsäng")
    assert "3 brott i månader utan hela månaders data räknas inte här" in _subtitle(fig)


def test_mönster_says_the_crimes_of_the_month_its_data_end_in(places_store, settings, tmp_path):
    """Through the analysis: incidents to 18 November (extracted the 19th); November is no covered
    month, and its crimes are said in the subtitle instead of vanishing (the tile counts them)."""
    from lagesbild.analysis.meeting import incident_patterns
    from lagesbild.ingest import ingest_file
    from tests.test_recheck_stats2_quick_ends import _file

    path = _file(places_store, "varberg", "2026-09-01", "2026-11-18", tmp_path / "syd.csv", 6)
    assert ingest_file(places_store, "incidents", path, crs=3006, extracted_at="2026-11-19").status == "ok"
    res = incident_patterns(places_store, settings, place="varberg", period="2026–2027")
    moy = res["month_of_year"]
    assert int(moy["count"].sum()) + int(moy["left_out"].sum()) == res["n"] == 3 * (30 + 31 + 18)
    assert int(moy.loc[moy["month"] == 11, "left_out"].iloc[0]) == 3 * 18
    fig = make_month_of_year(moy, place="Vårberg")
    assert "54 brott i dem räknas inte här" in _subtitle(fig)
