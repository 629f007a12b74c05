"""Reading a figure as plotly's objects give it, whether it is a plotly figure or a plain figure dict
(``{"data": [...], "layout": {...}}``, the Plats figures of :mod:`lagesbild.figures.finishing`): the
view (:class:`_Node`), its axes, whether it draws a map, the text labels its traces put on an axis and
its legend's entries. Moved out of :mod:`lagesbild.figures.fit` (529 lines), which imports them
back; a figure dict's traces are read directly where that gives what the view gives (perf14).
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

MAP_TYPES = ("choroplethmap", "scattermap", "densitymap", "choroplethmapbox", "scattermapbox")
#: ``is_axis[letter](key)``: whether a layout key names an axis of that direction (``xaxis``,
#: ``xaxis2``, …), compiled once (``re.fullmatch`` looked the pattern up again for every key)
is_axis = {"x": re.compile(r"xaxis\d*").fullmatch, "y": re.compile(r"yaxis\d*").fullmatch}


class _Node:
    """Read access to a figure dict as plotly's objects give it: attributes, None when unset.

    The Plats figures are plain dicts (``{"data": [...], "layout": {...}}``, see
    :mod:`lagesbild.figures.finishing`); the estimates here read them and plotly figures alike.
    """

    __slots__ = ("_d",)

    def __init__(self, d: dict):
        self._d = d

    def __getattr__(self, name):
        value = self._d.get(name)
        return _Node(value) if isinstance(value, dict) else value

    __getitem__ = __getattr__

    def __iter__(self):
        return iter(self._d)

    @property
    def data(self):
        return [_Node(t) for t in self._d.get("data", ())]

    @property
    def layout(self):
        return _Layout(self._d.get("layout") or {})


class _Layout(_Node):
    """A layout: its x and y axes are there (empty) when unset, as on a plotly layout."""

    __slots__ = ()
    AXES = ("xaxis", "yaxis")

    def __getattr__(self, name):
        value = self._d.get(name)
        if value is None and name in self.AXES:
            return _Node({})
        return _Node(value) if isinstance(value, dict) else value

    __getitem__ = __getattr__

    def __iter__(self):
        return iter(list(self._d) + [k for k in self.AXES if k not in self._d])


def figure_view(fig):
    """``fig`` itself (a plotly figure) or a :class:`_Node` reading a figure dict the same way
    (``figure_view(d).layout.margin.t``; None where plotly would say None)."""
    return _Node(fig) if isinstance(fig, dict) else fig


def is_map(fig: go.Figure) -> bool:
    """Whether the figure draws a map (no cartesian axes)."""
    if isinstance(fig, dict) and all(isinstance(t, dict) for t in fig.get("data", ())):
        # a figure dict read directly (as through _Node, whose dict values equal no type name)
        if any(t.get("type") in MAP_TYPES for t in fig.get("data", ())):
            return True
        y = (fig.get("layout") or {}).get("yaxis")
        if y is None or isinstance(y, dict):
            y = y or {}
            return y.get("scaleanchor") == "x" and y.get("visible") is False
    fig = figure_view(fig)
    if any(t.type in MAP_TYPES for t in fig.data):
        return True
    y = fig.layout.yaxis  # the offline map: equal-aspect axes without ticks (figures.planmap)
    return y.scaleanchor == "x" and y.visible is False


def axes_of(fig: go.Figure, letter: str) -> list:
    """The figure's axes of direction ``letter`` (``xaxis``, ``xaxis2``, …), as set in its layout."""
    fig = figure_view(fig)
    layout = fig.layout
    match = is_axis[letter] if letter in is_axis else re.compile(letter + r"axis\d*").fullmatch
    return [layout[k] for k in layout if match(k)]


def _trace_values(fig: go.Figure, letter: str, axis_name: str) -> list:
    """Text values the traces put on axis ``axis_name`` (e.g. ``x2``) of direction ``letter``."""
    if isinstance(fig, dict):
        return _dict_trace_values(fig, letter, axis_name)
    fig, out = figure_view(fig), []
    for t in fig.data:
        ref = getattr(t, letter + "axis", None) or letter
        vals = getattr(t, letter, None)
        if isinstance(vals, dict):  # numbers sent as a typed array ({"dtype": …, "bdata": …})
            continue
        if ref == axis_name and vals is not None and isinstance(next(iter(vals), None), str):
            out += [v for v in vals if isinstance(v, str)]
    return out


def _dict_trace_values(fig: dict, letter: str, axis_name: str) -> list:
    """:func:`_trace_values` of a figure dict read directly, as through :class:`_Node` (which gives a
    dict value as a node: a trace's axis set to a dict names no axis, and the keys of a typed array
    are read as its values, ``tests/test_recheck_perf14_figures.py``)."""
    out, key = [], letter + "axis"
    for t in fig.get("data", ()):
        ref = t.get(key)
        if isinstance(ref, dict):  # a node: equal to no axis name
            continue
        vals = t.get(letter)
        if (ref or letter) == axis_name and vals is not None and isinstance(next(iter(vals), None), str):
            out += [v for v in vals if isinstance(v, str)]
    return out


def tick_texts(fig: go.Figure, axis, letter: str, name: str) -> list[str] | None:
    """The texts an axis shows, or None for numeric/date labels without explicit text."""
    if axis.ticktext is not None:
        return [str(t) for t in axis.ticktext]
    values = _trace_values(fig, letter, name)
    return values or None


def legend_entries(fig: go.Figure) -> list[str]:
    """Names of the legend's entries (one per legend group)."""
    if isinstance(fig, dict) and all(isinstance(t, dict) and not any(isinstance(t.get(k), dict) for k in _LEGEND_KEYS)
                                     for t in fig.get("data", ())):
        return _dict_legend_entries(fig.get("data", ()))
    fig, seen, out = figure_view(fig), set(), []
    for t in fig.data:
        shown = t.showlegend if t.showlegend is not None else len(fig.data) > 1
        if not shown or t.name is None or t.visible is False:
            continue
        key = t.legendgroup or t.name
        if key not in seen:
            seen.add(key)
            out.append(str(t.name))
    return out


_LEGEND_KEYS = ("showlegend", "name", "visible", "legendgroup")


def _dict_legend_entries(traces) -> list[str]:
    """:func:`legend_entries` of a figure dict's traces read directly (none of whose legend keys holds a
    dict, which :class:`_Node` would give as a node)."""
    seen, out, many = set(), [], len(traces) > 1
    for t in traces:
        shown, name = t.get("showlegend"), t.get("name")
        if not (shown if shown is not None else many) or name is None or t.get("visible") is False:
            continue
        key = t.get("legendgroup") or name
        if key not in seen:
            seen.add(key)
            out.append(str(name))
    return out
