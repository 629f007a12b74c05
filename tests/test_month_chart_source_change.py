"""The month chart says where a place's counts change source.

Vårberg's months come from the police's file of monthly counts until August 2022 and from incidents
with coordinates (about 70 % of them) from September 2022 (the store of
``tests/test_recheck_stats2_source_change.py``). The comparisons and trends do not test across the
change, but the month chart showed the fall with no word of it. It now draws a dotted line between
August and September 2022, labelled "källbyte", and its subtitle names both sources: on Plats and in
the exported chart alike. A place with one source has no such line.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lagesbild.analysis.base import parse_periods
from lagesbild.export.charts import months_chart
from lagesbild.export.data import ExportData
from lagesbild.web.common import figure_context
from lagesbild.web.views.place import place_figures, place_results
from tests.test_recheck_stats2_source_change import SWITCH, _build

PERIODS = ["2020–2021", "2021–2022", "2022–2023"]
WORD = "byte av källa sep 2022 (polisen-brott → polisen-incidenter)"


def _lines(fig) -> list:
    fig = go.Figure(fig)
    return [s for s in fig.layout.shapes if s.name == "source_change"]


def _subtitle(fig) -> str:
    """The subtitle, its lines joined."""
    return (go.Figure(fig).layout.title.subtitle.text or "").replace("<br>", " ")


def test_the_month_chart_marks_the_change_of_source(places_store, settings, tmp_path):
    _build(places_store, tmp_path)
    results = place_results(places_store, settings, "varberg", categories=["skadegorelse"], periods=PERIODS)
    changes = results["source_changes"]
    assert changes.to_dict("records") == [{"month": SWITCH, "before": "polisen-brott",
                                           "after": "polisen-incidenter"}]
    screen = place_figures(results, places_store, figure_context(places_store, settings))["trend_months"]
    data = ExportData(places_store, settings)
    exported = months_chart(data, data.place("varberg"), parse_periods(PERIODS), category="skadegorelse").fig
    for fig in (screen, exported):
        (line,) = _lines(fig)
        # between the last month of the file and the first of the incidents
        assert pd.Timestamp("2022-08-01") < pd.Timestamp(line.x0) == pd.Timestamp(line.x1) < SWITCH
        assert line.line.dash == "dot"
        assert WORD in _subtitle(fig), _subtitle(fig)
        assert "källbyte" in [a.text for a in go.Figure(fig).layout.annotations]


def test_a_place_with_one_source_has_no_line(places_store, settings, tmp_path):
    _build(places_store, tmp_path)
    # Hässelby torg has no counts at all here; Vårberg's months of one source only (before the change)
    results = place_results(places_store, settings, "varberg", categories=["skadegorelse"],
                            periods=["2019–2020", "2020–2021", "2021–2022"])
    assert results["source_changes"].empty
    screen = place_figures(results, places_store, figure_context(places_store, settings))["trend_months"]
    assert not _lines(screen) and "byte av källa" not in _subtitle(screen)


def test_the_exported_month_chart_ends_where_the_screens_does(places_store, settings, tmp_path):
    """The incidents end on 28 August 2023 (a month not complete): Plats' month chart ends in July, and
    the exported one drew August's 28 days as a whole month beside it."""
    _build(places_store, tmp_path)
    results = place_results(places_store, settings, "varberg", categories=["skadegorelse"], periods=PERIODS)
    data = ExportData(places_store, settings)
    chart = months_chart(data, data.place("varberg"), parse_periods(PERIODS), category="skadegorelse")
    screen_last = pd.Timestamp(results["series"]["month"].max())
    exported = [pd.Timestamp(x) for t in go.Figure(chart.fig).data for x in t.x]
    assert screen_last == pd.Timestamp("2023-07-01")  # by hand: the last complete month
    assert max(exported) == screen_last
