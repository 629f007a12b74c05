"""Figure functions: ``make_<chart>(df, *, options)`` -> a figure, no server.

The charts of a view that must answer at once (Plats: trend per year and month, share, survey, activity
timeline; the offline map) return plain figure dicts ``{"data": [...], "layout": {...}}``, which
``dcc.Graph`` takes as they are; the others a ``plotly.graph_objects.Figure``. ``go.Figure(d)`` reads a
dict as plotly's object where one is needed (exports). See :mod:`lagesbild.figures.finishing`.

Every figure carries a Swedish title, the place and period(s) in its subtitle and the source line (see
:mod:`lagesbild.figures.finishing`); numbers are formatted by :mod:`lagesbild.figures.format`. The names below
are imported lazily, so ``lagesbild.figures.format`` can be used without loading plotly.

=============================  ==========================================================
function                       input
=============================  ==========================================================
``make_trend_years``           ``core.compare.counts_by_period`` (Sep–Aug years)
``make_trend_months``          ``core.compare.monthly_series`` per category (+ ``category``)
``make_comparison_table``      ``core.compare.compare`` (also ``make_comparison_wide``)
``make_trend_table``           ``core.trend.trend_table``
``make_effects_table``         ``core.effects.activity_effects``
``make_share_chart``           ``core.shares.share_of_parent``
``make_survey_chart``          ``core.survey.survey_table`` (also ``make_survey_trend``)
``make_activity_timeline``     the store's ``activities()`` and ``followups()``
``make_plan_table``            the same, with ``activity_places()``
``make_hotspot_map``           ``core.hotspots.hotspots`` / ``hotspot_change`` / ``core.kde``
``fit_view``                   a map figure: centre and zoom for a figure size
``make_overview_tiles``        store facts and every place's ``compare`` (also the matrix)
=============================  ==========================================================
"""

from __future__ import annotations

import importlib

_WHERE = {
    "make_trend_years": "trend", "make_trend_months": "trend",
    "make_comparison_table": "tables", "make_comparison_wide": "tables", "make_trend_table": "tables",
    "make_effects_table": "effects_table", "make_share_chart": "share", "make_survey_chart": "survey",
    "make_survey_trend": "survey", "make_survey_table": "survey",
    "make_activity_timeline": "activities", "make_plan_table": "activities",
    "make_hotspot_map": "maps", "activity_points": "mapactivities", "fit_view": "tilemap", "too_few": "maplayers",
    "make_overview_tiles": "overview", "make_overview_matrix": "overview",
    "FigureContext": "style", "empty_figure": "finishing",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(f"lagesbild.figures.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'lagesbild.figures' has no attribute {name!r}")
