"""The share chart's ▲/▼ stand beside their points, in lanes, so none covers another arrow or a point
(tests/test_meeting_layouts.py measures the drawn chart)."""

from __future__ import annotations

import pandas as pd

from lagesbild.figures import style
from lagesbild.figures.share import make_share_chart


def test_close_arrows_of_one_period_stand_in_different_places_beside_their_points():
    cats = ["rån", "stöld", "skadegörelse"]
    shares = pd.DataFrame({
        "parent_id": ["sdo"] * 6, "category": [c for c in cats for _ in range(2)],
        "period": ["2018", "2019"] * 3, "count_place": [10] * 6, "count_parent": [100] * 6,
        "share": [0.2, 0.143, 0.1, 0.19, 0.17, 0.127], "significant": [False, True] * 3,
        "verdict": ["", "andelen har minskat, statistiskt säkerställt", "",
                    "andelen har ökat, statistiskt säkerställt", "",
                    "andelen har minskat, statistiskt säkerställt"]})
    for meeting in (False, True):
        fig = make_share_chart(shares, context=style.FigureContext(meeting=meeting))
        arrows = [t for t in fig["data"] if t.get("name") == "arrows"]
        assert len(arrows) == 3
        places = []
        for t in arrows:
            assert t["mode"] == "markers+text" and t["marker"]["symbol"] == "line-ns"
            assert t["marker"]["line"]["width"] == 0  # the marker only sets the text's distance
            side, size = t["textposition"][1], t["marker"]["size"][1]
            assert side in ("middle right", "middle left")
            places.append((side, size))
        # 14,3 % and 12,7 % are closer than an arrow's height: not in the same place
        assert places[0] != places[2]
        assert all(size / 1.6 + 1 > style.sizes(style.FigureContext(meeting=meeting))["font"] * 0.35 + 1.25
                   for _, size in places)  # clear of the point and its outline
