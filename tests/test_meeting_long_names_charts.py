"""Two charts that a long place name or a wide legend squeezed in meeting mode (the screens checker).

Jämför platser: a place named with 64 characters was written under its bars turned by 30°, and the
bottom margin (444 px of a 600 px meeting chart) left the bars 39 px. Names now stand level in lines
of about 20 characters. Åtgärdsplan's timeline in meeting mode put its legend beside the rows in two
columns (413 px), which left a 1,024 px projector's plot 141 px for the dates; it now stands above.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lagesbild.analysis import plan_view
from lagesbild.analysis.side_by_side import side_by_side
from lagesbild.figures.activities import make_activity_timeline
from lagesbild.figures.side_by_side import make_side_by_side
from lagesbild.figures.style import FigureContext

LONG = "Hässelby torg och Hässelby gårds centrum med omgivande gångstråk"
MEETING = FigureContext(meeting=True)
PROJECTOR = 1024  # px: the page's width on an old projector; the chart is about as wide


def test_a_long_place_name_leaves_the_bars_their_height(demo_store, demo_settings):
    res = side_by_side(demo_store, demo_settings, places=["varberg", "skarholmen"], periods=["2021–2022", "2022–2023"])
    table = res["table"].copy()
    table.loc[table["place_id"] == "varberg", "name"] = LONG
    for measure in ("count", "rate"):
        fig = make_side_by_side(table, measure=measure, category_names=res["category_names"], context=MEETING,
                                height=600)
        margin = fig.layout.margin
        assert 600 - margin.t - margin.b >= 250, (measure, margin.t, margin.b)  # the bars' height
        ticks = [t for t in fig.layout.xaxis.ticktext if "Hässelby" in t]
        assert ticks and fig.layout.xaxis.tickangle == 0
        lines = ticks[0].split("<br>")
        assert " ".join(lines) == LONG and max(len(line) for line in lines) <= 25


def test_the_timeline_legend_takes_no_width_from_the_dates_in_meeting_mode(demo_store, demo_settings):
    res = plan_view(demo_store, demo_settings)
    fig = go.Figure(make_activity_timeline(res["activities"], res["followups"], place=res["title"],
                                           until=res["facts"]["data_until"], context=MEETING))
    margin = fig.layout.margin
    assert PROJECTOR - margin.l - margin.r >= 400, (margin.l, margin.r)
    # and its entries are all there, above the rows
    names = {t.name for t in fig.data if t.showlegend is not False and t.name}
    legend = fig.layout.legend
    assert len(names) >= 3 and legend.orientation == "h" and legend.y >= 1 and legend.yanchor == "bottom"
