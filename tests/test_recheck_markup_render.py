"""A user's name with plotly markup in it is drawn as the characters the user wrote, in the exported
SVG (the same figures the dashboard draws): no bold from its ``<b>``, its ``&amp;`` shown as "&amp;".

The charts are exported as the meeting pack and the chart download export them (``prepare_figure``,
with a note under the chart naming an activity, as the pack's map note does) and the SVG's texts read
back with an XML parser: a text's content is what the reader sees.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import pytest

from lagesbild.export.figure import export_jobs, prepare_figure
from lagesbild.export.render import Renderer
from lagesbild.figures import maps, side_by_side, survey, trend
from tests.test_recheck_markup_figures import CTX, NAME, map_inputs, survey_frame, years_frame

pytestmark = pytest.mark.browser

SVG = "{http://www.w3.org/2000/svg}"


def _figures() -> dict:
    t = pd.DataFrame({"place_id": ["a", "a"], "name": [NAME, NAME], "category": ["rån", "alla"],
                      "period": "2022–2023", "count": [5, 9], "rate": [1.5, 2.0], "missing": 0})
    cells, places, points = map_inputs()
    return {
        "trend": trend.make_trend_years(years_frame(), place=NAME, category_names={"rån": NAME}, context=CTX),
        "survey": survey.make_survey_chart(survey_frame(), place="Vårberg", context=CTX),
        "jamfor": side_by_side.make_side_by_side(t, category_names={"rån": "Rån"}, context=CTX),
        "karta": maps.make_hotspot_map(cells, places=places, activities=points, area="Vårberg", context=CTX),
    }


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    folder = tmp_path_factory.mktemp("markup")
    jobs = []
    for name, fig in _figures().items():
        ready = prepare_figure(go.Figure(fig), note=f"1 {NAME} – ja")
        jobs += export_jobs(ready, folder / name, ("svg",))
    with Renderer() as r:
        r.render(jobs)
    return {j.path.stem: ET.parse(j.path).getroot() for j in jobs}


def _content(text) -> str:
    """A ``<text>``'s content as read: its lines (``tspan.line``) joined with a space."""
    lines = [t for t in text if t.tag == SVG + "tspan" and "line" in (t.get("class") or "").split()]
    parts = ["".join(t.itertext()) for t in lines] if lines else ["".join(text.itertext())]
    return " ".join(" ".join(parts).split())


def _texts(svg, cls: str) -> list:
    return [t for t in svg.iter(SVG + "text") if cls in (t.get("class") or "").split()]


def _bold(text) -> list[str]:
    return ["".join(t.itertext()) for t in text.iter(SVG + "tspan")
            if "bold" in (t.get("style") or "").replace(" ", "")]


def test_legend_subtitle_and_note_show_the_name_as_written(drawn):
    svg = drawn["trend"]
    legend = [_content(t) for t in _texts(svg, "legendtext")]
    assert NAME in legend
    subtitle = _texts(svg, "gtitle-subtitle")
    assert _content(subtitle[0]).startswith(NAME + " · ")
    note = [_content(t) for t in _texts(svg, "annotation-text")]
    assert f"1 {NAME} – ja" in note
    for t in _texts(svg, "legendtext") + subtitle + _texts(svg, "annotation-text"):
        assert _bold(t) == [], _content(t)


def test_tick_labels_show_the_name_as_written(drawn):
    ticks = [t for g in drawn["jamfor"].iter(SVG + "g") if g.get("class") == "xtick"
             for t in g.iter(SVG + "text")]
    assert [_content(t) for t in ticks] == [NAME]
    assert _bold(ticks[0]) == []
    # a survey question wrapped onto lines: the lines read as the question, only the share bold
    question = [t for g in drawn["survey"].iter(SVG + "g") if g.get("class") == "ytick"
                for t in g.iter(SVG + "text")]
    assert len(question) == 1
    assert _content(question[0]).startswith(NAME + " ")
    assert _bold(question[0]) == ["23\u00a0%"]


def test_map_labels_show_the_names_as_written(drawn):
    labels = [_content(t) for t in _texts(drawn["karta"], "annotation-text")]
    assert NAME in labels and f"{NAME} område" in labels
    assert all(_bold(t) == [] for t in _texts(drawn["karta"], "annotation-text"))


def test_hover_labels_show_the_name_as_written(tmp_path):
    """The dashboard's hover labels (plotly.js in Chromium, offline): the month chart's line names its
    category by the trace's (escaped) name, in the label and in the box beside it, as written; a
    "%{y}" in the name is not filled in."""
    import plotly.io as pio
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.e2e_support import make_driver

    odd = NAME + " %{y}"
    months = pd.date_range("2021-09-01", periods=24, freq="MS")
    series = pd.DataFrame({"category": "rån", "month": months, "count": pd.array(range(24), dtype="Int64"),
                           "rolling_12": pd.array([None] * 11 + list(range(100, 113)), dtype="Int64")})
    fig = go.Figure(trend.make_trend_months(series, category_names={"rån": odd}, context=CTX))
    page = tmp_path / "hover.html"
    page.write_text(pio.to_html(fig, include_plotlyjs=True, full_html=True, div_id="g"), encoding="utf-8")
    driver = make_driver()
    try:
        driver.get(page.as_uri())
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(
            "const g = document.getElementById('g'); return !!(g && g._fullLayout);"))
        read = ("const g = document.getElementById('g'); Plotly.Fx.hover(g, [{curveNumber: %d, pointNumber: 15}]);"
                "return Array.from(g.querySelectorAll('.hoverlayer .hovertext text'))"
                ".map(t => Array.from(t.querySelectorAll('tspan.line')).map(l => l.textContent).join(' ') || t.textContent);")
        for curve in (0, 1):  # the month's count, and the rolling line (its name in the box beside)
            texts = WebDriverWait(driver, 30).until(lambda d, c=curve: d.execute_script(read % c))
            joined = " ".join(" ".join(texts).split())
            assert " ".join(odd.split()) in joined, texts
        bold = driver.execute_script(
            "return Array.from(document.querySelectorAll('.hoverlayer tspan'))"
            ".filter(t => /bold/.test(t.getAttribute('style') || '')).map(t => t.textContent);")
        assert all("torg" not in b for b in bold), bold
    finally:
        driver.quit()
