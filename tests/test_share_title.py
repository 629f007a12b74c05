"""The share chart's title does not name a kind of area the place may not lie in.

A torg inside an utsatt område got "Platsens andel av stadsdelsområdets och stadens anmälda brott"
above a panel for the utsatt område (dash's "noticed"). The title now names no kind; each panel
names its area.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.figures.share import make_share_chart


def test_the_title_names_no_kind_and_the_panels_name_their_areas():
    shares = pd.DataFrame({"parent_id": ["uo", "uo", None, None], "category": "ran",
                           "period": ["2021–2022", "2022–2023"] * 2, "count_place": [20, 10, 20, 10],
                           "count_parent": [100, 100, 1000, 1000]})
    shares["share"] = shares["count_place"] / shares["count_parent"]
    shares["significant"], shares["verdict"] = False, "ingen säkerställd förändring"
    fig = make_share_chart(shares, place="Torget", parent_names={"uo": "Norr Ö"})
    title = fig["layout"]["title"]["text"]
    assert "stadsdelsområde" not in title and "andel" in title.lower()
    panels = [a["text"] for a in fig["layout"].get("annotations", []) if "Andel av" in str(a.get("text"))]
    axes = [v["title"]["text"] for k, v in fig["layout"].items() if k.startswith("xaxis") and "title" in v]
    assert any("Norr Ö" in t for t in panels + axes)
