"""The page for an address that is no page of the dashboard (Dash's own says "404 - Page not found"
in English): Swedish, with the way back. The server answers such an address with HTTP 404 and the
dashboard's page, so the browser still draws this one (:mod:`lagesbild.web.page_status`)."""

from __future__ import annotations

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Sidan finns inte", title="Sidan finns inte – Lägesbild",
                   order=99)


def layout(**_query):
    """Says the address is no page and links to the overview; the menu above lists the pages."""
    return html.Div(className="page page-not-found", id="not-found", children=[
        html.H1("Sidan finns inte"),
        html.P(["Adressen leder inte till någon sida i Lägesbild. Välj en sida i menyn ovan eller gå till ",
                dcc.Link("Översikt", href="/"), "."], className="section-sub"),
    ])
