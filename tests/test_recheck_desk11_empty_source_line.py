"""desk11 re-check: an exported "Inget att visa" survey or plan chart named the crime data's last day.

``chart --chart trygghet --place gorvaln`` (Görväln has no survey) saved a chart whose source line said
"Källa: Trygghetsmätning; bearbetning …, data t.o.m. 13 nov 2026": the crime data's day under a survey
source, which the same chart with a survey never says. Reference: the source line of the chart with
data (the same figure function), which leaves the day out.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from lagesbild.figures.activities import make_activity_timeline
from lagesbild.figures.style import FigureContext
from lagesbild.figures.survey import make_survey_chart, make_survey_trend

CTX = FigureContext(organisation="Järfälla kommun", data_until=dt.date(2026, 11, 13))
DAY = "13 nov 2026"
SURVEY = pd.DataFrame({"indicator": "Otrygg ute sent på kvällen", "year": [2023, 2025], "share": [0.3, 0.36],
                       "respondents": pd.array([300, 351], dtype="Int64"), "ci_lo": [0.25, 0.31],
                       "ci_hi": [0.35, 0.41], "district_share": [0.2, 0.3], "city_share": [0.28, 0.29],
                       "fictitious": [True, True]})


def _text(fig) -> str:
    return json.dumps(fig if isinstance(fig, dict) else fig.to_plotly_json(), default=str, ensure_ascii=False)


def test_the_survey_charts_never_name_the_crime_data_day():
    with_data = _text(make_survey_trend(SURVEY, indicator="Otrygg ute sent på kvällen", place="Skälby", context=CTX))
    assert "Trygghetsmätning" in with_data and DAY not in with_data  # the reference: no crime day
    for fig in (make_survey_chart(SURVEY.iloc[0:0], place="Görväln", context=CTX),
                make_survey_trend(SURVEY, indicator="Berusade personer stör ordningen", place="Görväln",
                                  context=CTX)):
        text = _text(fig)
        assert "Inget att visa" in text and "Trygghetsmätning" in text
        assert DAY not in text, text  # the old empty charts: "…, data t.o.m. 13 nov 2026"


def test_the_empty_plan_chart_never_names_the_crime_data_day():
    text = _text(make_activity_timeline(pd.DataFrame(), place="Görväln", context=CTX))
    assert "Inget att visa" in text and DAY not in text


def test_an_empty_crime_chart_keeps_the_day():
    # guard: a crime chart with nothing to show still says how far the crime data go
    from lagesbild.figures.finishing import empty_dict

    assert DAY in _text(empty_dict("data saknas", title="Anmälda brott", place="Görväln", context=CTX))
