"""Mönster's month-of-year hover says "1 månad", not "1 månader" (a period holding one January, as a
Sep–Aug year cut in March: "januari: 73,0 brott per månad (73 brott på 1 månader)", analyst3's finding)."""

from __future__ import annotations

import pandas as pd

from lagesbild.figures.patterns import make_month_of_year


def test_one_covered_month_is_singular_and_two_are_plural():
    counts = [73, 40] + [0] * 10
    covered = [1, 2] + [1] * 10
    data = pd.DataFrame({"month": range(1, 13), "count": counts, "months_covered": covered,
                         "per_month": [c / n for c, n in zip(counts, covered, strict=True)]})
    texts = list(make_month_of_year(data, place="Provplats").data[0].text)
    assert texts[0].endswith("(73 brott på 1 månad)"), texts[0]
    assert texts[1].endswith("(40 brott på 2 månader)"), texts[1]
