"""A chart of rows too tall for a page, split into parts that each fit an A4 page at the export's width.

The action plan's timeline (:func:`lagesbild.figures.activities.make_activity_timeline`) has a row per
activity: a plan of 23 activities with long names was one image 70–90 cm tall at 16 cm wide, which
Word and the PDF shrink to the page until nothing can be read. A figure whose rows are the categories
of horizontal bars is split here by its rows (top to bottom, equally many on each part), each part
with the whole time axis, its title, legend and source line, and a subtitle that says which part it
is: "del 1 av 3: rad 1–8 av 23". :func:`lagesbild.export.figure.export_figure` writes the parts as the
pages of one A4 PDF; :func:`lagesbild.export.figure.export_pages` as one image each.

Examples
--------
>>> fig = go.Figure(go.Bar(y=list("abc"), x=[1, 2, 3], orientation="h"))
>>> _ = fig.update_layout(height=3000, margin=dict(t=100, b=50), yaxis=dict(categoryarray=list("cba")))
>>> [p.layout.yaxis.categoryarray for p in split_rows(fig)]
[('a',), ('b',), ('c',)]
>>> [p.layout.title.subtitle.text for p in split_rows(fig)][0]
'del 1 av 3: rad 1 av 3'
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

#: the tallest chart a page holds under its 16 cm column: the page's text height (24,7 cm less the
#: frame's padding) less room for its notes; the one source of the pack's picture height too
#: (:data:`lagesbild.export.pdf_writer.MAX_PICTURE_HEIGHT`)
PAGE_HEIGHT_CM = 21.0
CSS_PER_CM = 96 / 2.54
PART_TEXT = "del {i} av {n}: rad {first}–{last} av {rows}"
PART_TEXT_ONE = "del {i} av {n}: rad {first} av {rows}"


def row_labels(fig: go.Figure) -> list | None:
    """The figure's rows from bottom to top (its y axis' ``categoryarray``) when its bars are
    horizontal, else None."""
    bars = [t for t in fig.data if t.type == "bar" and t.orientation == "h"]
    order = fig.layout.yaxis.categoryarray
    return list(order) if bars and order else None


def _rows_per_part(height: float, fixed: float, rows: int, limit: float) -> int:
    """How many rows each part holds: the parts as few as fit ``limit``, then the rows spread evenly.

    >>> _rows_per_part(2668, 153, 23, 794)
    5
    >>> _rows_per_part(700, 153, 5, 794)
    5
    """
    row = max((height - fixed) / rows, 1.0)
    fits = max(int((limit - fixed) // row), 1)
    parts = math.ceil(rows / fits)
    return math.ceil(rows / parts)


def _cut(value, keep: list[bool]):
    """``value`` with only the kept points when it is an array as long as ``keep`` (also inside a
    dict: ``marker.color``, ``error_x.array``), else as it is."""
    if isinstance(value, (list, tuple)) and len(value) == len(keep):
        return [v for v, k in zip(value, keep, strict=True) if k]
    if isinstance(value, dict):
        return {k: _cut(v, keep) for k, v in value.items()}
    return value


def _keep(trace: dict, labels: set) -> dict | None:
    """The trace with only the points on ``labels``' rows (every array as long as ``y`` cut alike);
    None when none is left.

    >>> _keep({"y": ["a", "b"], "x": [1, 2], "error_x": {"array": [0.1, 0.2]}, "name": "n"}, {"b"})
    {'y': ['b'], 'x': [2], 'error_x': {'array': [0.2]}, 'name': 'n'}
    """
    y = trace.get("y")
    if y is None:
        return trace
    keep = [v in labels for v in y]
    if not any(keep):
        return None
    return {key: _cut(value, keep) for key, value in trace.items()}


def split_rows(fig: go.Figure, *, max_height_cm: float = PAGE_HEIGHT_CM) -> list[go.Figure]:
    """``fig`` (prepared for export, its height set) as parts that fit ``max_height_cm`` at its
    printed width: ``[fig]`` when it fits or has no rows of horizontal bars."""
    labels = row_labels(fig)
    height = fig.layout.height
    limit = max_height_cm * CSS_PER_CM
    if not labels or not height or height <= limit or len(labels) < 2:
        return [fig]
    margin = fig.layout.margin
    fixed = (margin.t or 0) + (margin.b or 0)
    per = _rows_per_part(height, fixed, len(labels), limit)
    row = (height - fixed) / len(labels)
    top_down = labels[::-1]
    parts = [top_down[i:i + per] for i in range(0, len(top_down), per)]
    whole = fig.to_dict()
    subtitle = fig.layout.title.subtitle.text if fig.layout.title and fig.layout.title.subtitle else None
    out = []
    for i, rows in enumerate(parts):
        first = i * per + 1
        text = (PART_TEXT if len(rows) > 1 else PART_TEXT_ONE).format(
            i=i + 1, n=len(parts), first=first, last=first + len(rows) - 1, rows=len(labels))
        data = [t for t in (_keep(t, set(rows)) for t in whole["data"]) if t is not None]
        part = go.Figure({"data": data, "layout": whole["layout"]})
        part.update_layout(height=round(fixed + row * len(rows)),
                           yaxis=dict(categoryarray=rows[::-1], categoryorder="array"),
                           title=dict(subtitle=dict(text=f"{subtitle} · {text}" if subtitle else text)))
        out.append(part)
    return out
