"""A place counting more crimes than the area around it has no share of it.

A file of monthly counts for a torg beside the district's incidents (two sources that do not nest)
gave the torg 21 030 vapenbrott in a district with 42: the share chart drew "50 000 %" on the wall and
in the pack. A part larger than its whole is no share: it is left out (the note already said it could
not be tested), and a chart with nothing else to draw says why, not "inga brott".
"""

from __future__ import annotations

import math

from lagesbild.core.shares import share_of_parent
from lagesbild.figures.share import EMPTY_OTHER_SOURCE, make_share_chart
from tests.test_compare import frame

PLACE, AREA = "torget", "distriktet"


def test_a_count_above_the_areas_gives_no_share_and_the_chart_says_why():
    # the area's own rows are its total (as the store holds them: each place's count of its crimes)
    rows = [(PLACE, "ran", "2021-01", 80), (AREA, "ran", "2021-01", 40),
            (PLACE, "ran", "2022-01", 90), (AREA, "ran", "2022-01", 45)]
    out = share_of_parent(frame(rows), ["2021-01", "2022-01"], PLACE, [AREA])
    assert out["count_place"].tolist() == [80, 90] and out["count_parent"].tolist() == [40, 45]
    assert all(math.isnan(s) for s in out["share"])  # 80 of 40 and 90 of 45 are no shares
    assert out["verdict"].iloc[1] == "kan inte bedömas"
    fig = make_share_chart(out, place="Torget", parent_names={AREA: "Distriktet"})
    texts = [a.get("text", "") for a in fig["layout"].get("annotations", [])]
    assert any("större än antalet i Distriktet," in t.replace("<br>", " ") for t in texts), texts
    assert EMPTY_OTHER_SOURCE.startswith("platsens antal är större")


def test_a_share_within_its_area_is_kept_beside_one_that_is_not():
    rows = [(PLACE, "ran", "2021-01", 10), (AREA, "ran", "2021-01", 40),
            (PLACE, "ran", "2022-01", 50), (AREA, "ran", "2022-01", 45)]
    out = share_of_parent(frame(rows), ["2021-01", "2022-01"], PLACE, [AREA])
    assert out["share"].iloc[0] == 10 / 40 and math.isnan(out["share"].iloc[1])
    fig = make_share_chart(out, place="Torget", parent_names={AREA: "Distriktet"})
    drawn = [y for t in fig["data"] for y in (t.get("y") or []) if y is not None and not math.isnan(y)]
    assert drawn == [25.0]  # in percent: the 25 % point, and no 111 %
