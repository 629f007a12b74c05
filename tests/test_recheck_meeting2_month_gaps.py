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
