"""Figure dicts: the plain ``{"data": [trace dicts], "layout": {...}}`` that ``dcc.Graph`` takes as it is.

Plotly's validating objects cost about a hundred times more to build than the dicts they stand for, so
the figures of a view that must answer at once (Plats, the offline map) are built as dicts (see
:mod:`lagesbild.figures.finishing`). These helpers do for a dict what plotly's methods do for a figure
(:func:`update_layout`, :func:`add_annotation`, with plotly's merging of nested dicts), copy cheaply
what is kept between figures (:func:`plain_copy`), and read a frame's rows fast (:func:`records`).
Nothing here changes a dict another figure may hold: nested dicts and lists are made anew.

Examples
--------
>>> fig = {"data": [], "layout": {"margin": {"t": 10}}}
>>> update_layout(fig, margin=dict(b=20), height=300)
>>> fig["layout"]
{'margin': {'t': 10, 'b': 20}, 'height': 300}
"""

from __future__ import annotations

import re
from itertools import chain

import numpy as np
import pandas as pd


def plain_copy(value):
    """A deep copy of plain JSON-like data (dicts and lists; other values are shared, as they are
    immutable here): several times cheaper than :func:`copy.deepcopy`.

    Examples
    --------
    >>> kept = {"a": [1, {"b": 2}]}
    >>> new = plain_copy(kept)
    >>> new["a"][1]["b"] = 3
    >>> kept
    {'a': [1, {'b': 2}]}
    """
    if isinstance(value, dict):
        return {k: plain_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_copy(v) for v in value]
    return value


def columns(frame: pd.DataFrame, names=None) -> dict[str, list]:
    """The columns ``names`` (all when None) of ``frame`` as lists of plain Python values, the values
    ``frame[c].tolist()`` gives (ints, floats, Timestamps, ``pd.NA``), read in one pass over the frame's
    blocks: a frame's first ``frame[c]`` builds a Series and deep-copies the frame's ``attrs`` (an FDR
    note on a comparison), ≈ 20 µs a column, so a 32-column survey took 0.5 ms to read and 0.07 ms so.

    Examples
    --------
    >>> f = pd.DataFrame({"a": [1, 2], "b": ["x", None], "c": pd.array([3, None], dtype="Int64")})
    >>> columns(f)
    {'a': [1, 2], 'b': ['x', None], 'c': [3, <NA>]}
    >>> columns(f, ["c", "a"])
    {'c': [3, <NA>], 'a': [1, 2]}
    """
    names = list(frame.columns) if names is None else list(names)
    if len(set(frame.columns)) != frame.shape[1]:  # a repeated name: a frame, not a column, per name
        return {c: frame[c].tolist() for c in names}
    if not names:
        return {}
    # object values: numpy's int64/float64/bool come out as Python's, datetime64 as Timestamps
    values = dict(zip(frame.columns, frame.to_numpy(dtype=object).T.tolist(), strict=True))
    return {c: values[c] for c in names}


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts of plain Python values, like ``frame.to_dict("records")`` but
    read at once (several times faster on small mixed frames, see :func:`columns`).

    Examples
    --------
    >>> records(pd.DataFrame({"a": [1, 2], "b": ["x", None]}))
    [{'a': 1, 'b': 'x'}, {'a': 2, 'b': None}]
    """
    cols = columns(frame)
    return [dict(zip(cols, values, strict=True)) for values in zip(*cols.values(), strict=True)]


def merge(target: dict, updates: dict) -> dict:
    """``updates`` merged into the dict ``target`` as plotly's ``update_layout`` merges (nested dicts
    key by key); a nested dict is copied before it changes, so a shared one is never altered.

    Examples
    --------
    >>> shared = {"t": 1, "b": 2}
    >>> layout = {"margin": shared}
    >>> merge(layout, {"margin": {"t": 5}, "height": 300})
    {'margin': {'t': 5, 'b': 2}, 'height': 300}
    >>> shared
    {'t': 1, 'b': 2}
    """
    for key, value in updates.items():
        old = target.get(key)
        target[key] = merge(dict(old), value) if isinstance(value, dict) and isinstance(old, dict) \
            else value
    return target


def update_layout(fig, **updates) -> None:
    """``fig.update_layout(**updates)`` for a plotly figure or a figure dict (:func:`merge`)."""
    if isinstance(fig, dict):
        merge(fig.setdefault("layout", {}), updates)
    else:
        fig.update_layout(**updates)


def add_annotation(fig, **annotation) -> None:
    """``fig.add_annotation(**annotation)`` for a plotly figure or a figure dict (the list of
    annotations is made anew, never changed in place)."""
    if isinstance(fig, dict):
        layout = fig.setdefault("layout", {})
        layout["annotations"] = [*layout.get("annotations", ()), annotation]
    else:
        fig.add_annotation(**annotation)


_TEXT_HOLDERS = (str, dict, list, tuple, np.ndarray)
_NO_TEXT = frozenset({int, float, bool, type(None)})  # values a dict holds that need no look
#: the start of a link tag, which plotly.js turns into a clickable ``<a href>`` in any text it draws
LINK_TAG = re.compile(r"<(?=\s*/?\s*a(?:\s|>|/|$))", re.IGNORECASE)


def inert_links(value):
    """``value`` (a figure dict, or any part of one) with every ``<a …>`` tag in its texts made
    literal text (``&lt;a …``), so that a name from a user's file cannot put a link to another site
    into a chart on screen or in an exported SVG/PDF (plotly.js draws links; our figures make none).
    Returns ``value`` itself when nothing changed.

    Examples
    --------
    >>> inert_links({"layout": {"title": {"text": '<a href="https://x.example">Torg</a> · <b>2020</b>'}}})
    {'layout': {'title': {'text': '&lt;a href="https://x.example">Torg&lt;/a> · <b>2020</b>'}}}
    >>> fig = {"data": [{"x": [1, 2]}]}
    >>> inert_links(fig) is fig
    True
    >>> inert_links({"data": [{"customdata": [[3, "<a href='x'>Torg</a>"]]}]})["data"][0]["customdata"]
    [[3, "&lt;a href='x'>Torg&lt;/a>"]]
    """
    if isinstance(value, str):
        return LINK_TAG.sub("&lt;", value) if "<" in value else value
    if isinstance(value, dict):  # a copy only when a value changed (most hold no text to change)
        out = None
        for k, v in value.items():
            if k == "coordinates" or type(v) in _NO_TEXT or (type(v) is str and "<" not in v):
                continue  # GeoJSON coordinates (numbers), a number, a text without a tag
            safe = inert_links(v)
            if safe is not v:
                out = dict(value) if out is None else out
                out[k] = safe
        return value if out is None else out
    if isinstance(value, (list, tuple)):
        kinds = set(map(type, value))
        if not any(issubclass(t, _TEXT_HOLDERS) for t in kinds):
            return value  # numbers only (a trace's values): nothing to draw as a link
        if _no_link_tag(value, kinds):
            return value
        out = [inert_links(v) for v in value]
        return value if all(a is b for a, b in zip(out, value, strict=True)) else out
    if isinstance(value, np.ndarray) and value.dtype.kind in "OUS":
        items = [inert_links(v) for v in value.ravel().tolist()]
        if all(a == b for a, b in zip(items, value.ravel().tolist(), strict=True)):
            return value
        return np.array(items, dtype=object).reshape(value.shape)
    return value


def _no_link_tag(value, kinds) -> bool:
    """True when ``value`` (a list or tuple whose item types are ``kinds``) is only strings, or only
    lists or tuples of strings (a trace's texts and customdata rows), none holding a link tag: one
    search of the joined texts instead of a call per text (a benchmark of the Plats figures showed
    the per-item walk at ≈ 5 ms of a change of place). Joined with a newline, which the tag pattern
    reads as the end of a text, so a tag in any text is found; a tag the joining makes (across two
    texts) only sends the list to the item-by-item walk, which decides."""
    if kinds == {str}:
        texts = value
    elif kinds <= {list, tuple}:
        texts = list(chain.from_iterable(value))
        if set(map(type, texts)) != {str}:
            return False
    else:
        return False
    return LINK_TAG.search("\n".join(texts)) is None
