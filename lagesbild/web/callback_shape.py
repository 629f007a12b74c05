"""What a ``/_dash-update-component`` request must look like: the outputs of a known callback, as many
inputs and states as it has, each value of a type the app's components send
(:func:`malformed_callback`). :mod:`lagesbild.web.security` answers anything else with a Swedish 400
before Dash runs the callback; :mod:`lagesbild.web.auth` reads a request's outputs with
:func:`output_parts`.
"""

from __future__ import annotations

import contextlib
import json

from lagesbild.web.controls import plausible_control


def output_parts(key: str) -> list[tuple[object, str]]:
    """``(id, property)`` of each output in a Dash callback key (``a.b`` or ``..a.b...c.d@hash..``);
    pattern ids are dicts with ``["MATCH"]``/``["ALL"]`` wildcards.

    Examples
    --------
    >>> output_parts("..a.children...b.data@12ab..")
    [('a', 'children'), ('b', 'data')]
    >>> output_parts('{"graph":["MATCH"],"type":"x"}.data')
    [({'graph': ['MATCH'], 'type': 'x'}, 'data')]
    """
    out = []
    for part in key.strip(".").split("...") if key.startswith("..") else [key]:
        ident, prop = part.rsplit(".", 1) if "." in part else (part, "")
        if ident.startswith("{"):
            with contextlib.suppress(ValueError, RecursionError):  # not JSON, or nested too deep
                ident = json.loads(ident)
        out.append((ident, prop.split("@", 1)[0]))
    return out


def _same_output(spec: tuple[object, str], sent) -> bool:
    ident, prop = spec
    items = sent if isinstance(sent, list) else [sent]
    if isinstance(sent, list) and not isinstance(ident, dict):
        return False
    for item in items:
        sent_prop = item.get("property") if isinstance(item, dict) else None
        if not isinstance(sent_prop, str) or sent_prop.split("@", 1)[0] != prop:
            return False
        got = item.get("id")
        if isinstance(ident, dict):
            if not isinstance(got, dict) or set(got) != set(ident) or any(
                    got[k] != v for k, v in ident.items() if not isinstance(v, list)):
                return False
        elif got != ident:
            return False
    return True


def outputs_match(key: str, outputs) -> bool:
    """True when a request's ``outputs`` are the outputs of the callback ``key`` (Dash runs the
    callback named by ``output`` and only afterwards finds a mismatch, as a server error).

    Examples
    --------
    >>> outputs_match("a.children", {"id": "a", "property": "children"})
    True
    >>> outputs_match("a.children", {"id": "b", "property": "children"})
    False
    >>> outputs_match("..a.x...b.y..", [{"id": "a", "property": "x"}, {"id": "b", "property": "y"}])
    True
    """
    specs = output_parts(key)
    if not key.startswith(".."):
        return _same_output(specs[0], outputs)
    return isinstance(outputs, list) and len(outputs) == len(specs) and all(
        _same_output(spec, sent) for spec, sent in zip(specs, outputs, strict=True))


def _many(ident) -> bool:
    """Whether a callback's input or state id is an ``ALL``/``ALLSMALLER`` pattern (a list of items).

    Examples
    --------
    >>> _many('{"index":["ALL"],"type":"dt-col"}'), _many('{"graph":["MATCH"],"type":"x"}'), _many("a")
    (True, False, False)
    """
    if isinstance(ident, str) and ident.startswith("{"):
        with contextlib.suppress(ValueError, RecursionError):  # not JSON, or nested too deep
            ident = json.loads(ident)
    return isinstance(ident, dict) and any(v in (["ALL"], ["ALLSMALLER"]) for v in ident.values())


def malformed_callback(body, callback_map) -> bool:
    """True when a ``/_dash-update-component`` body is not what dash-renderer sends for a known callback.

    Examples
    --------
    >>> ok = {"output": "a.children", "outputs": {"id": "a", "property": "children"},
    ...       "inputs": [{"id": "b", "property": "value", "value": 1}], "changedPropIds": []}
    >>> known = {"a.children": {"inputs": [{"id": "b", "property": "value"}], "callback": print}}
    >>> malformed_callback(ok, known), malformed_callback(ok, {})
    (False, True)
    >>> malformed_callback([1, 2], known), malformed_callback({**ok, "state": "x"}, known)
    (True, True)
    >>> malformed_callback({**ok, "inputs": []}, known)
    True
    """
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return True
    if body["output"] not in callback_map or not isinstance(body.get("outputs"), (dict, list)):
        return True
    if not outputs_match(body["output"], body["outputs"]):
        return True  # Dash would run the callback and then fail on its outputs
    if not all(isinstance(body.get(k, []), list) for k in ("inputs", "state", "changedPropIds")):
        return True
    spec = callback_map[body["output"]]
    if "callback" not in spec:
        return True  # a clientside callback: it runs in the browser, never on the server
    if any(len(body.get(k, [])) != len(spec.get(k, [])) for k in ("inputs", "state")):
        return True  # the callback would be called with the wrong number of arguments
    pairs = [(sent, want) for k in ("inputs", "state")
             for sent, want in zip(body.get(k, []), spec.get(k, []), strict=True)]
    if any(isinstance(sent, list) != _many(want.get("id")) for sent, want in pairs):
        return True  # an ALL pattern's values come as a list, any other's as one item
    items = [i for k in ("inputs", "state") for i in body.get(k, [])]
    items = [j for i in items for j in (i if isinstance(i, list) else [i])]  # ALL patterns: lists
    outs = body["outputs"] if isinstance(body["outputs"], list) else [body["outputs"]]
    outs = [j for o in outs for j in (o if isinstance(o, list) else [o])]
    if not all(isinstance(i, dict) and "id" in i and isinstance(i.get("property"), str)
               for i in items + outs):
        return True
    return not all(plausible_value(i["property"], i["value"])
                   and plausible_control(i["id"], i["property"], i["value"])
                   for i in items if "value" in i)


#: what dash-renderer sends for the properties the app's callbacks read (the components' own types);
#: a property not named here (``data``, ``children``, ``options`` …) may hold anything
_TEXT = (str, type(None))
_SCALAR = (str, int, float)
PROPERTY_TYPES = {"search": _TEXT, "pathname": _TEXT, "hash": _TEXT, "href": _TEXT, "date": _TEXT,
                  "start_date": _TEXT, "end_date": _TEXT, "n_clicks": (int, type(None)),
                  "n_intervals": (int, type(None))}


def plausible_value(prop: str, value) -> bool:
    """Whether ``value`` is of a type the app's components send for ``prop``: a dropdown's, radio's
    or input's ``value`` is text, a number, a list of those or empty; ``search`` and ``date`` text;
    ``n_clicks`` a whole number; a file's ``contents`` and ``filename`` text or lists of text.

    Examples
    --------
    >>> plausible_value("value", "varberg"), plausible_value("value", ["a", 2]), plausible_value("value", None)
    (True, True, True)
    >>> plausible_value("value", {"a": 1}), plausible_value("value", True), plausible_value("search", 5)
    (False, False, False)
    >>> plausible_value("n_clicks", True), plausible_value("data", {"any": ["thing"]})
    (False, True)
    >>> plausible_value("pathname", "/plats/x"), plausible_value("pathname", "plats")
    (True, False)
    """
    if isinstance(value, bool) and prop in ("value", "n_clicks", "n_intervals"):
        return False
    if prop == "value":
        items = value if isinstance(value, list) else [value]
        return all(v is None or (isinstance(v, _SCALAR) and not isinstance(v, bool)) for v in items)
    if prop in ("contents", "filename"):
        items = value if isinstance(value, list) else [value]
        return all(isinstance(v, _TEXT) for v in items)
    if prop == "pathname" and isinstance(value, str):  # a location's path: Dash's pages refuse
        return value.startswith("/")                      # any other with a server error
    kinds = PROPERTY_TYPES.get(prop)
    return kinds is None or isinstance(value, kinds)
