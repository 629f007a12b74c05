"""The share chart's reasons name the areas the share is of. In a kommun without stadsdelsområden
(desk9's fictitious Södertälje) an empty share chart said "platsens antal är större än
stadsdelsområdets och stadens" and "inga brott i stadsdelsområdet eller staden" about a kommun that is
neither."""

from __future__ import annotations

import pandas as pd
import pytest

from lagesbild.figures.share import make_share_chart


def _text(fig) -> str:
    return " ".join(a.get("text", "") for a in fig["layout"].get("annotations", [])).replace("<br>", " ")


def _shares(count_place, count_parent, missing=0):
    return pd.DataFrame({"parent_id": ["sodertalje", "sodertalje"], "category": "alla",
                         "period": ["2023–2024", "2024–2025"], "count_place": count_place,
                         "count_parent": count_parent, "months_missing": [missing, missing],
                         "share": [float("nan")] * 2, "significant": [False, False], "verdict": ["", ""]})


@pytest.mark.parametrize(("shares", "said"), [
    (_shares([80, 90], [40, 45]), "större än antalet i Södertälje,"),  # a part larger than its whole
    (_shares([0, 0], [0, 0]), "inga brott i Södertälje för urvalet"),
    (_shares([0, 0], [0, 0], missing=12), "inga månadssiffror för Södertälje under perioderna"),
])
def test_an_empty_share_chart_names_the_kommun(shares, said):
    text = _text(make_share_chart(shares, place="Hovsjö", parent_names={"sodertalje": "Södertälje"}))
    assert said in text, text
    assert "stadsdelsområde" not in text and "staden" not in text, text


def test_a_district_and_the_city_are_both_named():
    shares = pd.concat([_shares([0, 0], [0, 0]).assign(parent_id="skarholmen"),
                        _shares([0, 0], [0, 0]).assign(parent_id="stockholm")])
    text = _text(make_share_chart(shares, place="Vårberg",
                                  parent_names={"skarholmen": "Skärholmen", "stockholm": "Stockholm"}))
    assert "inga brott i Skärholmen och Stockholm för urvalet" in text, text
