"""Mönster keeps its heading when there is nothing to show.

Found by meet6 (screenshots at 1366×768 and 1920×1080, meeting mode and normal): with data the page reads
"Mönster" under its controls, as every page reads its name; with no crimes with coordinates at the place
(a place with monthly counts only), no place or no period chosen, the page was the controls and a dashed
"Inget att visa" box only, without the page's name.
"""

from __future__ import annotations

import pytest
from dash import html


def _headings(tree) -> list[str]:
    out, stack = [], list(tree)
    while stack:
        c = stack.pop()
        if isinstance(c, html.H1):
            out.append(c.children)
        kids = getattr(c, "children", None)
        stack.extend(kids if isinstance(kids, list) else [kids] if kids is not None and not isinstance(kids, str) else [])
    return out


@pytest.mark.parametrize("place, period", [("varberg", "2022–2023"), (None, "2022–2023"), ("varberg", None)])
def test_the_empty_patterns_page_keeps_its_heading(places_store, settings, place, period):
    from lagesbild.web.views.patterns import patterns_view

    tree = patterns_view(places_store, settings, place=place, period=period)
    assert _headings(tree) == ["Mönster"]
    assert "Inget att visa" in str([c.to_plotly_json() for c in tree])


def test_with_crimes_the_heading_is_there_once(demo_store, demo_settings):
    from lagesbild.web.views.patterns import patterns_view

    tree = patterns_view(demo_store, demo_settings, place="bredang", period="2022–2023")
    assert _headings(tree) == ["Mönster"]
