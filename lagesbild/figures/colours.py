"""One colour function for categories, called by every chart on the screen, in exports and in the pack.

:func:`category_colours` gives each category of an order (the analysis layer's
:func:`lagesbild.analysis.place.category_order`: a place's categories ranked by their count) a colour
of :data:`lagesbild.figures.style.SEQUENCE`, so a category keeps its colour whichever subset of
categories a chart shows. :func:`colour_for` is what the figure functions call.

Examples
--------
>>> c = category_colours(["narkotikabrott", "ran", "stold"])
>>> colour_for("ran", 0, c) == c["ran"] == colour_for("ran", 1, c)
True
>>> colour_for("okand", 1, c) == colour_for("okand", 1)
True
"""

from __future__ import annotations

from lagesbild.figures import style


def category_colours(order) -> dict:
    """Category -> colour for every category of ``order`` (colours repeat after the palette's end)."""
    return {cat: style.SEQUENCE[i % len(style.SEQUENCE)] for i, cat in enumerate(order or [])}


def colour_for(category, position: int, colours: dict | None = None) -> str:
    """The category's colour from ``colours``; without one, the colour of its position in the chart."""
    if colours and category in colours:
        return colours[category]
    return style.SEQUENCE[position % len(style.SEQUENCE)]
