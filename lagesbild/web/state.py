"""The view state in the URL: query parameters of every page.

A link reproduces the view, reload keeps it and the back button walks through earlier views. Values
equal to the page's defaults are left out, so an untouched page has a clean URL. Lists are repeated
parameters (``?kat=narkotikabrott&kat=personran``); a comma-separated value is accepted too. Periods are
written with a hyphen in URLs (``2019-2020``) and shown with an en dash.

=========  ===============================================================
parameter  meaning
=========  ===============================================================
``mote``   meeting mode (``1``): large type for a projector
``kat``    crime categories (ids)
``per``    periods (Sep–Aug years like ``2019-2020`` or any period label)
``sdo``    district filter (place id of a stadsdelsområde)
``omr``    map area (place id)
``lage``   map mode: ``gi``, ``tathet`` or ``forandring``
``jmf``    the earlier period of the map's change mode
``plats``  place (survey and action-plan pages)
``ind``    survey indicators
``prio``   priority area of the action plan
=========  ===============================================================

Examples
--------
>>> build_search({"kat": ["narkotikabrott", "personran"], "per": ["2021–2022"], "mote": True})
'?mote=1&kat=narkotikabrott&kat=personran&per=2021-2022'
>>> as_list("a,b"), as_list(["a", "b,c"]), as_list(None)
(['a', 'b'], ['a', 'b', 'c'], [])
>>> parse_search("?kat=a&kat=b&mote=1")
{'kat': ['a', 'b'], 'mote': '1'}
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlencode

KEY_ORDER = ("mote", "omr", "plats", "sdo", "prio", "lage", "kat", "per", "jmf", "ind")
MAP_MODES = {"gi": "gi", "tathet": "density", "forandring": "change"}  # URL value -> figure mode
LIST_SEP = ","
NO_SPLIT = {"ind", "prio"}  # free text: never split on commas


def as_list(value, *, split: bool = True) -> list[str]:
    """A query value (None, a string, or a list of strings) as a list of non-empty strings."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    out = []
    for item in items:
        parts = str(item).split(LIST_SEP) if split else [str(item)]
        out += [p.strip() for p in parts if p.strip()]
    return out


def as_str(value) -> str | None:
    """The first value of a query parameter, or None."""
    items = as_list(value, split=False)
    return items[0] if items else None


def is_meeting(value) -> bool:
    """Whether ``mote`` switches meeting mode on.

    Examples
    --------
    >>> is_meeting("1"), is_meeting(None), is_meeting(["0"])
    (True, False, False)
    """
    return as_str(value) in ("1", "true", "ja", "True")


def period_for_url(label: str) -> str:
    """``2019–2020`` -> ``2019-2020`` (any dash between years or dates becomes a hyphen).

    Examples
    --------
    >>> period_for_url("2018-01-01–2018-11-30")
    '2018-01-01-2018-11-30'
    """
    return re.sub(r"[\u2010-\u2015\u2212]", "-", str(label))


def _clean(key: str, value):
    if value is None or value is False or value == "" or value == []:
        return None
    if key == "mote":
        return "1" if value else None
    if isinstance(value, (list, tuple)):
        vals = [period_for_url(v) if key in ("per", "jmf") else str(v) for v in value if v not in ("", None)]
        return vals or None
    return period_for_url(value) if key in ("per", "jmf") else str(value)


def build_search(params: dict, defaults: dict | None = None) -> str:
    """The query string for ``params``, leaving out empty values and those equal to ``defaults``."""
    defaults = {k: _clean(k, v) for k, v in (defaults or {}).items()}
    pairs = []
    for key in sorted(params, key=lambda k: (KEY_ORDER.index(k) if k in KEY_ORDER else 99, k)):
        value = _clean(key, params[key])
        if value is None or value == defaults.get(key):
            continue
        pairs.append((key, value))
    return "?" + urlencode(pairs, doseq=True, quote_via=quote, safe=",") if pairs else ""


def parse_search(search: str | None) -> dict:
    """Parse a query string the way Dash pages does (repeated keys give a list)."""
    if not search or not search.startswith("?"):
        return {}
    parsed = parse_qs(search[1:], keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def values(params: dict, key: str) -> list[str]:
    """The list value of ``key`` from parsed parameters."""
    return as_list(params.get(key), split=key not in NO_SPLIT)


def _same(a, b) -> bool:
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return list(a or []) == list(b or [])
    return (a or None) == (b or None)


def two_way(triggered_id, url_id: str, current: dict, from_url: dict, url_values: list) -> list:
    """The outputs of a page's URL/controls synchronising callback.

    One callback per page has the page's ``dcc.Location`` (``url_id``) and its controls both as inputs
    and outputs. When the URL changed (back/forward, or the Location reading the address on mount), the
    controls are set from it, leaving controls that already agree untouched so nothing is recomputed;
    when a control changed, the URL is written (``url_values``: the Location's outputs, e.g.
    ``[pathname, search]``), which adds a history entry.

    Examples
    --------
    >>> from dash import no_update
    >>> out = two_way("ov-url", "ov-url", {"a": "x", "b": []}, {"a": "y", "b": []}, ["?q"])
    >>> out[0] is no_update, out[1], out[2] is no_update
    (True, 'y', True)
    >>> out = two_way("a", "ov-url", {"a": "x"}, {"a": "y"}, ["?a=x"])
    >>> out[0], out[1] is no_update
    ('?a=x', True)
    """
    from dash import no_update

    if triggered_id == url_id:
        return [no_update] * len(url_values) + [no_update if _same(current[k], from_url[k]) else from_url[k]
                                                for k in current]
    return list(url_values) + [no_update] * len(current)
