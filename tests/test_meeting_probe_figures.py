"""Meeting-mode figures with inputs the demo has not got: five-digit counts, activities that start close
together, a survey of sixteen long questions with small district shares (see also the browser test
``tests/test_meeting_probe_layout.py``, which measures the drawn charts)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lagesbild.figures import fit, style, survey, trend

MEETING = style.FigureContext(organisation="SDF", data_until="2023-08-31", meeting=True)
NORMAL = style.FigureContext(organisation="SDF", data_until="2023-08-31")


def _months():
    months = pd.date_range("2019-09-01", "2023-08-01", freq="MS")
    counts = pd.array([1200] * len(months), dtype="Int64")
    return pd.DataFrame({"category": "skadegorelse", "month": months, "count": counts, "covered": True,
                         "rolling_12": pd.array([None] * 11 + [14400] * (len(months) - 11), dtype="Int64")})


def _labels(fig: dict) -> list[dict]:
    return [a for a in fig["layout"].get("annotations", []) if a.get("name") == "activity_label"]


def test_activities_starting_close_together_have_their_labels_a_line_apart():
    """Two activities starting two months apart (Östberga: Jan and Mar 2020) were labelled 8 % of the
    plot's height apart, 12 px in a meeting panel for 21 px of text: the labels lay over each other.
    Now each goes a line of text lower than the one it would touch; one far from both stays on top."""
    acts = pd.DataFrame({"aktivitet": ["Avslutad kameraövervakning vid Årsta torg",
                                       "Samordnad trygghetsskapande platssamverkan i Östberga-Årstadal",
                                       "Vakter"],
                         "start_date": pd.to_datetime(["2020-01-01", "2020-03-01", "2023-08-01"])})
    for ctx in (MEETING, NORMAL):
        fig = trend.make_trend_months(_months(), activities=acts, context=ctx)
        go.Figure(fig)  # plotly accepts the annotations
        labels = _labels(fig)
        size = style.sizes(ctx)["font"] - 2
        shifts = [a.get("yshift", 0) for a in labels]
        assert [a["y"] for a in labels] == [1, 1, 1]
        assert shifts[0] == 0 and -shifts[1] >= size * fit.LINE_EM, (ctx.meeting, shifts)
        assert shifts[2] == 0  # three years later, a short name: the top row is free again


def test_upright_five_digit_counts_stay_under_the_subtitle_in_a_low_meeting_panel():
    """Östberga's yearly counts (15 054 … 16 650) turned upright ran into the subtitle in a meeting
    panel, whose plot is about 150 px high at 1920×960: the headroom assumed a 300 px plot. The y axis
    now leaves the label's height above the tallest bar in a 140 px plot."""
    periods = ["2019–2020", "2020–2021", "2021–2022", "2022–2023"]
    years = pd.DataFrame({
        "category": [c for c in ("skadegorelse", "valdsbrott", "inbrott", "vald_offentlig_miljo") for _ in periods],
        "period": periods * 4,
        "end": pd.to_datetime(["2020-08-31", "2021-08-31", "2022-08-31", "2023-08-31"] * 4),
        "count": [15054, 15579, 16592, 16650, 12518, 12770, 13216, 13612, 1457, 1371, 1446, 1371,
                  656, 725, 709, 629],
        "months_missing": [0] * 16, "n_months": [12] * 16})
    fig = trend.make_trend_years(years, data_until="2023-08-31", context=MEETING)
    bars = [t for t in fig["data"] if t["type"] == "bar" and t.get("text") is not None]
    assert bars and all(t["textangle"] == -90 for t in bars)
    label = max(fit.text_px(t, style.sizes(MEETING)["font"] - 2) for b in bars for t in b["text"])
    top, upper = 16650, fig["layout"]["yaxis"]["range"][1]
    assert top / upper * trend.UPRIGHT_PLOT_PX[True] + label + trend.BAR_LABEL_PAD <= trend.UPRIGHT_PLOT_PX[True]


def _survey(n: int) -> pd.DataFrame:
    questions = [f"Fråga {i}: utsatt för våld eller hot om våld under de senaste tolv månaderna" for i in range(n)]
    return pd.DataFrame({"indicator": questions, "year": 2023, "share": [0.1 + 0.03 * i for i in range(n)],
                         "respondents": pd.array([312, 12345] * (n // 2), dtype="Int64"),
                         "ci_lo": [0.07 + 0.03 * i for i in range(n)], "ci_hi": [0.13 + 0.03 * i for i in range(n)],
                         "district_share": 0.02, "city_share": 0.035, "fictitious": True})


def test_a_survey_of_sixteen_long_questions_in_meeting_mode_is_as_tall_as_its_labels():
    """Sixteen two-line questions in a 460 px meeting chart: plotly left every other question out and
    drew the rest over each other. The chart is now as tall as the labels need (every category gets the
    height of the label of most lines), every question is on the axis, the shares stand right of their
    rows (a district's diamond at 2 % covered them at the bars' base) and the respondent counts, 312
    and 12 345, are said once in the subtitle."""
    fig = survey.make_survey_chart(_survey(16), place="Östberga", context=MEETING)
    layout = fig["layout"]
    labels = fig["data"][0]["y"]
    lines = max(label.count("<br>") + 1 for label in labels)
    assert lines == 2
    shares = next(t for t in fig["data"] if t.get("name") == "andel")
    assert len(shares["text"]) == 16 and shares["marker"]["opacity"] == 0
    tick = style.sizes(MEETING)["font"] - 4
    need = layout["margin"]["t"] + layout["margin"]["b"] + 16 * (lines * fit.LINE_EM * tick + survey.ROW_GAP)
    assert layout["height"] >= need
    assert layout["yaxis"]["dtick"] == 1 and layout["yaxis"]["tickmode"] == "linear"
    assert "text" not in fig["data"][0]
    assert "n = 312–12\u00a0345" in layout["title"]["subtitle"]["text"]
    assert layout["xaxis"]["range"][0] < 0  # a diamond at 0 % stays clear of the questions
    # a few short questions keep the panel's own height
    assert "height" not in survey.make_survey_chart(_survey(4).assign(indicator=list("abcd")),
                                                    context=MEETING)["layout"]


def test_the_percentages_under_a_narrow_meeting_survey_stay_level():
    """Beside long questions and a long place name in the legend a meeting panel's bars were 139 px
    wide: plotly turned its four percentages upright and they ran into the source line. The step now
    gives as many as stand level in the plot's estimated width."""
    fig = survey.make_survey_chart(_survey(6), place="Enskede-Årsta-Vantör stadsdelsområde, Östberga-Årstadal",
                                   context=MEETING)
    layout = fig["layout"]
    plot = fit.NOMINAL_WIDTH[True] - layout["margin"]["l"] - layout["margin"]["r"]
    ticks = int(layout["xaxis"]["range"][1] // layout["xaxis"]["dtick"]) + 1
    assert ticks * fit.text_px("100 %", style.sizes(MEETING)["font"]) < plot


def test_a_survey_of_long_questions_for_word_is_as_tall_as_its_margins_and_labels():
    """For the screen's normal mode and the pack (16 cm), a long question with "(fiktiv)" and its share
    line is four or five lines: 190 px + 72 px a question left the rows of sixteen such questions under
    a legend of long place names too little, and the exported labels touched."""
    fig = survey.make_survey_chart(_survey(16), place="Enskede-Årsta-Vantör stadsdelsområde, Östberga-Årstadal",
                                   district_name="Enskede-Årsta-Vantör", context=NORMAL)
    layout = fig["layout"]
    lines = max(label.count("<br>") + 1 for label in fig["data"][0]["y"])
    assert lines >= 4
    rows = 16 * (lines * fit.LINE_EM * style.sizes(NORMAL)["font"] + 9)  # 9 px between two questions
    assert layout["height"] >= layout["margin"]["t"] + layout["margin"]["b"] + rows
