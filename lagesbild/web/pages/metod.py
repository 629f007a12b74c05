"""Metod (``/metod``): what each test does, what it assumes and what it cannot tell, in plain Swedish."""

from __future__ import annotations

import dash
from dash import html

from lagesbild.analysis.methods import method_rows
from lagesbild.web.registry import get_settings

dash.register_page(__name__, path="/metod", name="Metod", title="Metod – Lägesbild", order=6)


def layout(**_query):
    """The method page: one section per test (the same text as the meeting pack's methods section)."""
    settings = get_settings()
    rows = method_rows(alpha=settings.alpha, cell_size=settings.cell_size,
                       min_population=settings.min_population_for_rates)
    sections = [html.Section(className="section method", children=[
        html.H2(heading),
        html.Dl([part for label, text in parts for part in (html.Dt(label), html.Dd(text))])])
        for heading, parts in rows]
    return html.Div(className="page page-method", children=[
        html.H1("Metod"),
        html.P("Så räknas siffrorna i lägesbilden: vad varje test gör, vad det antar och vad det inte "
               "kan visa.", className="section-sub"),
        *sections])
