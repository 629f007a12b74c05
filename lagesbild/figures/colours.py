"""Category colours for the figure functions: one colour per category id, everywhere.

The colour of a category is :func:`lagesbild.figures.palette.category_colour` of its id — the same on the
screen, in exports and in the pack, whichever subset of categories a chart shows and in whatever order.
:func:`category_colours` and :func:`colour_for` are the figure functions' way of asking for it (an
explicit ``colours`` mapping, when given, wins).

Examples
--------
>>> c = category_colours(["narkotikabrott", "ran", "stold"])
>>> colour_for("ran", 0, c) == c["ran"] == colour_for("ran", 1) == palette.category_colour("ran")
True
"""

from __future__ import annotations

from lagesbild.figures import palette


def category_colours(order) -> dict:
    """Category -> colour for every category of ``order`` (by id, not by position)."""
    return {cat: palette.category_colour(cat) for cat in (order or [])}


def colour_for(category, position: int = 0, colours: dict | None = None) -> str:
    """The category's colour (``position`` is ignored: a colour never depends on the order shown)."""
    if colours and category in colours:
        return colours[category]
    return palette.category_colour(category)
