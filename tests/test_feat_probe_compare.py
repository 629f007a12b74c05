"""Jämför platser with a place in the address that the store does not hold (probe of issue #15).

A link is a URL anyone can edit or keep after a place was renamed: ``/jamfor?plats=hasselby-torg&plats=x``
must give the page's Swedish message, not an exception (a failed callback on the page, and a failed
Excel download of its numbers).
"""

from __future__ import annotations

from lagesbild.web.views.side_by_side import compare_view


def _text(node) -> str:
    if isinstance(node, (list, tuple)):
        return " ".join(_text(n) for n in node)
    if node is None or isinstance(node, (int, float)):
        return ""
    if isinstance(node, str):
        return node
    return _text(getattr(node, "children", None))


def test_an_unknown_place_in_the_address_is_said_in_swedish(places_store, settings):
    for places in (["hasselby-torg", "finns-inte"], ["hasselby-torg", "vallingby-centrum", "<script>", "y"],
                   ["finns-inte", "=HYPERLINK(\"http://x\")"]):
        out = compare_view(places_store, settings, places=places, periods=["2021–2022", "2022–2023"])
        text = _text(out)
        assert "Okänd plats" in text, text
