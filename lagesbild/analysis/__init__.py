"""The analysis layer: one function per question users ask, the one place every number comes from.

``web/``, ``export/`` and ``cli/`` call these functions (and the figure functions) and nothing below
them: each takes the store, the settings and the request's parameters, reads what it needs from the
store, calls the pure functions of :mod:`lagesbild.core`, and returns plain data (DataFrames, dicts
of DataFrames, dataclasses) holding every number, test and verdict.

==========================  =============================================================
question                    function
==========================  =============================================================
overview table              :func:`overview.overview_table`
place view                  :func:`place.place_view`
map layers                  :func:`maps.map_layers`
survey view                 :func:`survey.survey_view`
action-plan view            :func:`plan.plan_view`
an activity's effect        :func:`plan.activity_effect`
a pack's content            :func:`pack.pack_content` and the chart numbers of :mod:`.pack`
==========================  =============================================================
"""

from __future__ import annotations

from lagesbild.analysis.base import (
                                     NotFound,
                                     data_until,
                                     latest_years,
                                     one_version,
                                     parse_periods,
                                     period_label,
                                     place_name,
                                     resolve_place,
                                     sep_aug_years,
)
from lagesbild.analysis.maps import area_hotspot_change, area_hotspots, area_incidents, map_layers
from lagesbild.analysis.overview import overview_table
from lagesbild.analysis.pack import pack_content
from lagesbild.analysis.place import (
                                     place_comparison,
                                     place_months,
                                     place_row,
                                     place_shares,
                                     place_survey,
                                     place_view,
                                     place_years,
)
from lagesbild.analysis.plan import activity_effect, activity_row, plan_view
from lagesbild.analysis.plan import place_activity_list as place_activities
from lagesbild.analysis.survey import survey_view

__all__ = ["NotFound", "activity_effect", "activity_row", "area_hotspot_change", "area_hotspots",
           "area_incidents", "data_until", "latest_years", "map_layers", "one_version", "overview_table",
           "pack_content", "parse_periods", "period_label", "place_activities", "place_comparison", "place_name",
           "place_months", "place_row", "place_shares", "place_survey", "place_view", "place_years",
           "plan_view", "resolve_place", "sep_aug_years", "survey_view"]
