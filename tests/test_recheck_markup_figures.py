"""User-supplied names in plotly texts are drawn as written, never read as plotly's markup.

A place, category, activity or survey question named ``Hökarängen <b>&amp; "torg"</b> [x](…)`` in a
user's file was drawn bold with a decoded "&" in titles, legends, hover texts, tick labels, map labels
and annotations. Every figure function now escapes such a name where it enters a plotly text
(:func:`lagesbild.figures.markup.plain`); the figures' own markup (bold title, ``<br>``) stays.
These tests build the figures (no server) and read every text they hold.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
from shapely.geometry import box

from lagesbild.figures import (
    activities,
    activity_marks,
    finishing,
    fit,
    maps,
    share,
    side_by_side,
    style,
    survey,
    tilemap,
    trend,
)
from lagesbild.figures.mapactivities import activity_points

NAME = 'Hökarängen <b>&amp; "torg"</b> [x](http://evil.example)'
# the name as plotly must be given it to draw it as written (computed by hand: & first, then < and >)
ESCAPED = 'Hökarängen &lt;b&gt;&amp;amp; "torg"&lt;/b&gt; [x](http://evil.example)'
#: pieces of the name's markup that must never reach a plotly text as markup
RAW = ("<b>&amp;", '"torg"</b>', "<b>&amp; ")
CTX = style.FigureContext(organisation="SDF", data_until="2023-08-31")


def strings(value, path=""):
    """Every text of a figure dict with its path (the layout's meta, which plotly never draws, and the
    shared template left out)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in ("meta", "template"):
                yield from strings(v, f"{path}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from strings(v, f"{path}[{i}]")


def as_dict(fig) -> dict:
    return fig.to_plotly_json() if isinstance(fig, go.Figure) else fig


def shown(text) -> str:
    """A plotly text with its line breaks as spaces and the figure's own bold left out (a wrapped
    title's lines are each bold): a wrapped name joined again."""
    return " ".join(re.sub(r"</?b>", "", str(text).replace("<br>", " ")).split())


def assert_no_user_markup(fig) -> list[tuple[str, str]]:
    """No text holds the name's markup as markup; returns the texts that hold the escaped name."""
    texts = list(strings(as_dict(fig)))
    bad = [(p, s) for p, s in texts if any(r in s for r in RAW)]
    assert not bad, bad
    return [(p, s) for p, s in texts if ESCAPED in shown(s)]


def holds(texts, part: str) -> bool:
    return any(part in p for p, _ in texts)


def years_frame():
    return pd.DataFrame({"category": "rån", "period": ["2021-2022", "2022-2023"], "count": [10, 14],
                         "months_missing": 0, "n_months": 12})


def test_trend_years_title_block_legend_and_hover():
    fig = trend.make_trend_years(years_frame(), place=NAME, category_names={"rån": NAME}, context=CTX)
    texts = assert_no_user_markup(fig)
    assert ESCAPED in shown(fig["layout"]["title"]["subtitle"]["text"])
    assert shown(fig["data"][0]["name"]) == ESCAPED  # the legend (and %{fullData.name} in the hover)
    assert holds(texts, ".layout.title.subtitle.text") and holds(texts, ".data[0].name")


def test_trend_months_legend_hover_and_activity_labels():
    months = pd.date_range("2021-09-01", periods=24, freq="MS")
    series = pd.DataFrame({"category": "rån", "month": months, "count": pd.array(range(24), dtype="Int64")})
    acts = pd.DataFrame({"aktivitet": [NAME], "start_date": [pd.Timestamp("2022-10-01")]})
    fig = trend.make_trend_months(series, place=NAME, category_names={"rån": NAME}, activities=acts,
                                  context=CTX)
    texts = assert_no_user_markup(fig)
    line = fig["data"][0]
    assert shown(line["name"]) == ESCAPED  # and the hover names it by its escaped name, the trace's
    assert line["hovertemplate"] == "%{customdata[0]}<br>%{fullData.name}: <b>%{customdata[1]}</b><extra></extra>"
    label = next(a for a in fig["layout"]["annotations"] if a.get("name") == activity_marks.LABEL_NAME)
    assert label["hovertext"].startswith(ESCAPED + "<br>start ")
    # the label cut as written, then escaped: "Hökarängen <b>&amp; …" drawn as those characters
    cut = NAME[:activity_marks.LABEL_MAX - 1] + "…"
    assert cut.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in label["text"]
    assert holds(texts, ".layout.title.subtitle.text")


def test_share_chart_legend_hover_and_panel_title():
    shares = pd.DataFrame({"parent_id": "d", "category": "rån", "period": ["2021-2022", "2022-2023"],
                           "count_place": [5, 6], "count_parent": [50, 60], "share": [0.1, 0.1],
                           "significant": False, "verdict": "ingen säkerställd förändring"})
    fig = share.make_share_chart(shares, place=NAME, category_names={"rån": NAME},
                                 parent_names={"d": NAME}, context=CTX)
    assert_no_user_markup(fig)
    trace = fig["data"][0]
    assert shown(trace["name"]) == ESCAPED and "%{fullData.name}" in trace["hovertemplate"]
    assert fig["layout"]["xaxis"]["title"]["text"] == f"Andel av {ESCAPED}"


def survey_frame():
    return pd.DataFrame({"indicator": [NAME], "year": [2022], "share": [0.23],
                         "respondents": pd.array([310], dtype="Int64"), "ci_lo": [0.187], "ci_hi": [0.279],
                         "district_share": [0.09], "city_share": [0.08], "fictitious": [False]})


def test_survey_chart_question_labels_legend_and_hover():
    for compact in (False, True):
        fig = survey.make_survey_chart(survey_frame(), place=NAME, district_name=NAME, context=CTX,
                                       compact=compact)
        assert_no_user_markup(fig)
        bar = fig["data"][0]
        assert shown(bar["name"]) == ESCAPED
        label = shown(bar["y"][0])
        assert label.startswith(ESCAPED[:30]) if compact else label.startswith(ESCAPED)
        assert "<b>23\u00a0%</b>" in bar["y"][0] or compact  # the figure's own bold stays
        assert bar["customdata"][0][3] == f"{ESCAPED}, 2022"
        district = fig["data"][1]
        assert shown(district["name"]) == ESCAPED
        assert district["hovertemplate"] == "%{fullData.name}: <b>%{customdata}</b><extra></extra>"


def test_survey_trend_title_and_legend():
    fig = survey.make_survey_trend(survey_frame(), indicator=NAME, place=NAME, district_name=NAME, context=CTX)
    assert_no_user_markup(fig)
    assert ESCAPED in shown(fig.layout.title.text) and fig.layout.title.text.startswith("<b>")
    assert [shown(t.name) for t in fig.data[:2]] == [ESCAPED, ESCAPED]  # the place and the district
    assert ESCAPED in shown(fig.layout.title.subtitle.text)


def test_activity_timeline_rows_hover_and_follow_ups():
    acts = pd.DataFrame({"activity_id": ["a"], "aktivitet": [NAME], "start_date": [pd.Timestamp("2022-01-01")],
                         "end_date": [pd.NaT], "open_ended": [True], "arbetsgrupp": [NAME],
                         "sammankallande": ["SDF"], "motesfrekvens": ["varje vecka"]})
    fu = pd.DataFrame({"activity_id": ["a"], "year": [2022], "period": ["T1"], "goal_met": [NAME],
                       "carried_out": [NAME]})
    fig = activities.make_activity_timeline(acts, fu, place=NAME, until="2023-01-01", context=CTX)
    texts = assert_no_user_markup(fig)
    bar = fig["data"][0]
    assert shown(bar["y"][0]) == ESCAPED  # the row's label (wrapped as written, then escaped)
    assert bar["customdata"][0].startswith(f"<b>{ESCAPED}</b><br>start ")
    assert f"Arbetsgrupp: {ESCAPED}" in bar["customdata"][0]
    marker = fig["data"][1]
    assert shown(marker["customdata"][0]) == f"T1 2022: mål uppfyllt – {ESCAPED} {ESCAPED}"
    assert holds(texts, "categoryarray")


def test_side_by_side_tick_labels_legend_and_hover():
    t = pd.DataFrame({"place_id": ["a", "a"], "name": [NAME, NAME], "category": ["rån", "alla"],
                      "period": "2022–2023", "count": [5, 9], "rate": [1.5, 2.0], "missing": 0})
    fig = side_by_side.make_side_by_side(t, category_names={"rån": NAME}, context=CTX)
    assert_no_user_markup(fig)
    bar = fig.data[0]
    assert list(bar.x) == [ESCAPED] and list(fig.layout.xaxis.categoryarray) == [ESCAPED]
    assert shown(bar.name) == ESCAPED
    assert bar.text[0] == f"{ESCAPED}, {ESCAPED}: 5 brott"


def map_inputs():
    places = gpd.GeoDataFrame({"place_id": ["p", "d"], "name": [NAME, NAME + " område"],
                               "kind": ["plats", "stadsdelsomrade"]},
                              geometry=[box(674000, 6580000, 674600, 6580600),
                                        box(672000, 6578000, 677000, 6583000)], crs=3006)
    grid = [box(674000 + 100 * i, 6580000 + 100 * j, 674100 + 100 * i, 6580100 + 100 * j)
            for i in range(6) for j in range(6)]
    cells = gpd.GeoDataFrame({"cell_id": [str(i) for i in range(36)], "count": 3, "z": 0.0, "p": 0.5,
                              "gi_bin": 0}, geometry=grid, crs=3006)
    acts = pd.DataFrame({"activity_id": ["a"], "aktivitet": [NAME], "arbetsgrupp": [NAME],
                         "sammankallande": ["SDF"], "motesfrekvens": ["1 gång per månad"]})
    fu = pd.DataFrame({"activity_id": ["a"], "year": [2022], "period": ["T1"], "goal_met": [NAME],
                       "carried_out": [NAME]})
    points = activity_points(acts, pd.DataFrame({"activity_id": ["a"], "place_id": ["p"]}), places, fu)
    return cells, places, points.assign(label="1")


def test_offline_map_labels_outlines_activity_hover_and_title():
    cells, places, points = map_inputs()
    fig = maps.make_hotspot_map(cells, places=places, activities=points, area=NAME, category=NAME, context=CTX)
    assert isinstance(fig, dict)
    texts = assert_no_user_markup(fig)
    labels = [a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "map_label"]
    assert ESCAPED in labels  # the place's name written on the map
    outline = next(t for t in fig["data"] if t.get("name") == "Platser")
    assert ESCAPED in outline["text"]
    ring = next(t for t in fig["data"] if t.get("name") == "Aktiviteter i åtgärdsplanen")
    assert ring["text"][0].startswith(f"<i>{ESCAPED}</i><br><b>{ESCAPED}</b><br>")
    assert ESCAPED in shown(fig["layout"]["title"]["text"])
    assert holds(texts, ".layout.title.subtitle.text")


def test_tile_map_outlines_and_exported_labels():
    cells, places, points = map_inputs()
    fig = maps.make_hotspot_map(cells, places=places, activities=points, area=NAME, context=CTX,
                                basemap_url="https://tiles.example/{z}/{x}/{y}.png")
    assert isinstance(fig, go.Figure)
    assert_no_user_markup(fig)
    outline = next(t for t in fig.data if t.name == "Platser")
    assert ESCAPED in list(outline.text)

    tilemap.label_places(fig, 1200, 900)
    labels = [a.text for a in fig.layout.annotations if a.name == tilemap.LABEL_NAME]
    assert ESCAPED in labels
    assert_no_user_markup(fig)


def test_empty_figure_reason_and_its_plain_text():
    fig = finishing.empty_dict(f"ingen mätning av ”{NAME}” för platsen", title="Trygghet", place=NAME)
    assert_no_user_markup(fig)
    assert ESCAPED in shown(next(a["text"] for a in fig["layout"]["annotations"] if a["name"] == "empty"))
    assert finishing.empty_text(fig) == f"Inget att visa: ingen mätning av ”{NAME}” för platsen"


def test_a_note_under_an_exported_chart_keeps_its_line_breaks_and_escapes_the_rest():
    fig = go.Figure(trend.make_trend_years(years_frame(), place=NAME, context=CTX))
    finishing.refit(fig, 605, note=f"1 {NAME} – ja<br>Andra raden")
    note = next(a.text for a in fig.layout.annotations if a.name == finishing.NOTE_NAME)
    assert ESCAPED in shown(note) and shown(note).endswith("Andra raden") and "<br>" in note
    assert_no_user_markup(fig)
    assert ESCAPED in shown(fig.layout.title.subtitle.text)  # the refitted title block: not escaped twice


def test_an_escaped_name_is_measured_as_the_characters_drawn():
    # an entity is one character on the chart: '&lt;' is as wide as '<' (the wrap and the margins
    # made for an escaped name were several characters too wide per entity)
    for raw in ("Vårberg & Skärholmen", "a<b>c", "Torg >> Park"):
        escaped = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert fit.line_px(escaped, 12) == fit.line_px(raw, 12)
    # the name's own characters measured with the font itself (not through line_px)
    drawn = fit._font(False).getlength(NAME) * 12 / 100 * fit.MEASURE_SLACK
    assert abs(fit.text_px(ESCAPED, 12) - drawn) < 1e-6


def test_a_name_with_a_hover_placeholder_is_not_filled_in():
    # plotly fills every %{…} of a hover template: a category named "Rån %{y}" showed a count in its
    # name where the name was written into the template; the template names the trace instead
    odd = "Rån %{y} %{customdata[1]}"
    months = pd.date_range("2021-09-01", periods=24, freq="MS")
    series = pd.DataFrame({"category": "rån", "month": months, "count": pd.array(range(24), dtype="Int64"),
                           "rolling_12": pd.array([None] * 11 + list(range(13)), dtype="Int64")})
    shares = pd.DataFrame({"parent_id": "d", "category": "rån", "period": ["2021-2022", "2022-2023"],
                           "count_place": [5, 6], "count_parent": [50, 60], "share": [0.1, 0.1],
                           "significant": False, "verdict": "ingen säkerställd förändring"})
    figs = [trend.make_trend_months(series, category_names={"rån": odd}, context=CTX),
            trend.make_trend_years(years_frame(), category_names={"rån": odd}, context=CTX),
            share.make_share_chart(shares, category_names={"rån": odd}, parent_names={"d": "Distrikt"}),
            survey.make_survey_chart(survey_frame(), district_name=odd, context=CTX),
            survey.make_survey_trend(survey_frame(), indicator=NAME, district_name=odd, context=CTX)]
    for fig in figs:
        data = as_dict(fig)["data"]
        templates = [t.get("hovertemplate") or "" for t in data]
        assert not any("Rån" in t for t in templates), templates
        assert any(shown(t.get("name")) == odd for t in data)
