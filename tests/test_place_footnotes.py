"""Plats' footnotes under the comparison say the like-for-like cut once.

With data to the end of June, the table's notes said "* Jämförelsen avser sep–jun …" (the cut line)
and again "Jämförelsen avser sep–jun …" (the rows' own note), one under the other."""

from __future__ import annotations

import pandas as pd

from lagesbild.core.compare import compare
from lagesbild.core.periods import parse_period
from lagesbild.web.views.place import comparison_block


def _texts(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, (list, tuple)):
        return [t for child in node for t in _texts(child)]
    children = getattr(node, "children", None)
    return _texts(children) if children is not None else []


def test_the_cut_is_said_once():
    months = pd.date_range("2020-09-01", "2023-06-01", freq="MS")
    monthly = pd.DataFrame({"place_id": "torg", "category": ["ran", "stold"] * len(months),
                            "month": months.repeat(2), "count": [5, 9] * len(months)})
    periods = [parse_period("2021–2022"), parse_period("2022–2023")]
    table = compare(monthly, periods, place_id="torg")
    assert table["like_for_like"].all()
    block = comparison_block({"comparison": table, "category_names": {"ran": "Rån", "stold": "Stöld"},
                              "periods": periods, "place": {"name": "Torget"}}, None, False)
    said = [t for t in _texts(block) if "Jämförelsen avser sep–jun" in t]
    assert len(said) == 1 and said[0].startswith("* "), said
