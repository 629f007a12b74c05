"""Names given to an export's labels are drawn as written: ``prepare_figure(place=…, source_line=…)``
wrote them into the title, subtitle and source line as plotly markup (the figures escape theirs since
3d1ee06; the export's own labels did not), and a split chart's PDF title is the plain text."""

from __future__ import annotations

import plotly.graph_objects as go

from lagesbild.export.figure import figure_labels, prepare_figure
from lagesbild.figures.markup import literal
from tests.test_recheck_markup_figures import NAME

ORG = 'SDF <b>Skärholmen</b> & "Vårberg"'


def test_a_place_and_an_organisation_given_to_the_export_are_escaped():
    fig = go.Figure(go.Bar(x=["2021–2022", "2022–2023"], y=[40, 18], name="Rån"))
    ready = prepare_figure(fig, title="Anmälda brott & <i>rån</i>", place=NAME, periods=["2021–2022", "2022–2023"],
                           source_line=f"Källa: Polisen; bearbetning {ORG}")
    title = ready.layout.title.text
    assert title == "<b>Anmälda brott &amp; &lt;i&gt;rån&lt;/i&gt;</b>"
    sub = ready.layout.title.subtitle.text
    assert "<b>" not in sub and literal(sub).startswith(NAME)
    labels = figure_labels(ready)
    assert literal(labels["source_line"]) == f"Källa: Polisen; bearbetning {ORG}"
    assert "<b>Skärholmen" not in labels["source_line"]
    again = prepare_figure(ready)  # prepared again (the pack's refit): not escaped twice
    assert again.layout.title.text == title and again.layout.title.subtitle.text == sub
