"""stats11: a place's share of its area is blank where the place and the area are counted by different
sources (9968825), but the check compared the sources of the place's months over all its categories,
not per category. Both directions, on hand-made monthly rows (place "torg" in district "dist", two
categories, 2023–2024, 10 a month at the place and 40 in the district for each category):

* slips through: the place's stöld from a file and its rån from incidents, the district's the other way
  round; per month both have {fil, inc}, so the shares (by hand 120/480 = 25 %) were shown, each of one
  way of counting in another;
* blanked needlessly: the place's stöld from the file as the district's, its rån from incidents beside
  the district's file: the place's months {fil, inc} differ from the district's {fil}, and stöld's
  share (25 %, one source on both sides) was blank too.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lagesbild.core.shares import share_of_parent

MONTHS = pd.date_range("2023-01-01", periods=24, freq="MS")
OTHER = "Olika källor för platsen och området"


def _monthly(sources: dict) -> pd.DataFrame:
    """Rows of (place, category) with the given source; 10 a month at torg, 40 in dist."""
    rows = [(place, cat, m, 10 if place == "torg" else 40, src)
            for (place, cat), src in sources.items() for m in MONTHS]
    return pd.DataFrame(rows, columns=["place_id", "category", "month", "count", "source"])


def _shares(sources):
    out = share_of_parent(_monthly(sources), ["2023", "2024"], "torg", ["dist"], categories=None)
    return {c: g.reset_index(drop=True) for c, g in out.groupby("category")}


def test_a_category_counted_by_other_sources_at_place_and_area_is_blank():
    rows = _shares({("torg", "stöld"): "fil", ("torg", "rån"): "inc",
                    ("dist", "stöld"): "inc", ("dist", "rån"): "fil"})
    for cat in ("stöld", "rån"):
        r = rows[cat]
        assert r["count_place"].tolist() == [120, 120] and r["count_parent"].tolist() == [480, 480]
        assert r["share"].isna().all(), (cat, r["share"].tolist())
        assert all(OTHER in n for n in r["note"]), r["note"].tolist()
        assert r.loc[1, "verdict"] == "kan inte bedömas: olika källor för platsen och området"
    total = [c for c in rows if c not in ("stöld", "rån")]
    for cat in total:  # the total holds both mixed categories
        assert rows[cat]["share"].isna().all()


def test_a_category_with_one_source_on_both_sides_keeps_its_share():
    rows = _shares({("torg", "stöld"): "fil", ("torg", "rån"): "inc",
                    ("dist", "stöld"): "fil", ("dist", "rån"): "fil"})
    stold, ran = rows["stöld"], rows["rån"]
    assert stold["share"].tolist() == pytest.approx([120 / 480, 120 / 480])  # by hand: 25 %
    assert not any(OTHER in n for n in stold["note"])
    assert stold.loc[1, "verdict"] == "ingen säkerställd förändring av andelen"  # 120/480 both years
    assert ran["share"].isna().all() and all(OTHER in n for n in ran["note"])


def test_one_source_everywhere_is_unchanged():  # guard: the same source for every row
    rows = _shares({("torg", "stöld"): "fil", ("torg", "rån"): "fil",
                    ("dist", "stöld"): "fil", ("dist", "rån"): "fil"})
    for cat in ("stöld", "rån"):
        assert rows[cat]["share"].tolist() == pytest.approx([0.25, 0.25])
