"""Whether a callback request's inputs and state are the ones its callback declares
(:func:`as_declared`), checked for every ``/_dash-update-component`` request by
:mod:`lagesbild.web.security` after its shape (:func:`lagesbild.web.callback_shape.malformed_callback`).
"""

from __future__ import annotations

import json


def _declared_id(ident):
    """A callback's declared input id: a text, or a pattern (its JSON) as a dict."""
    if isinstance(ident, str) and ident.startswith("{"):
        try:
            return json.loads(ident)
        except (ValueError, RecursionError):
            return ident
    return ident


def _same_item(sent, want_id, want_prop) -> bool:
    if not isinstance(sent, dict) or sent.get("property") != want_prop:
        return False
    got = sent.get("id")
    if not isinstance(want_id, dict):
        return got == want_id
    return isinstance(got, dict) and set(got) == set(want_id) and all(
        got[k] == v for k, v in want_id.items() if not isinstance(v, list))  # ["ALL"], ["MATCH"] …


def as_declared(body, callback_map) -> bool:
    """True when each input and state of a callback request (``body``, already of the right shape:
    :func:`lagesbild.web.callback_shape.malformed_callback`) names the component and property its
    callback declares, a pattern's item with the pattern's keys and fixed values, and each of its
    ``changedPropIds`` names one of those inputs.

    Dash hands the values to the callback by position, whatever ids they come with, and the check of
    a value's shape (:mod:`lagesbild.web.controls`) goes by the id it came with: a renamed input
    (``cmp-places`` → ``zzz`` with a number) was checked against nothing and was a server error; and
    ``changedPropIds`` is what ``dash.ctx.triggered_id`` says (the pack's download took its format
    from it).

    Examples
    --------
    >>> known = {"a.children": {"inputs": [{"id": "b", "property": "value"}], "state": []}}
    >>> body = {"output": "a.children", "inputs": [{"id": "b", "property": "value", "value": 1}],
    ...         "changedPropIds": ["b.value"]}
    >>> as_declared(body, known), as_declared({**body, "changedPropIds": ["c.value"]}, known)
    (True, False)
    >>> as_declared({**body, "inputs": [{"id": "c", "property": "value", "value": 1}]}, known)
    False
    """
    spec = callback_map.get(body.get("output")) if isinstance(body, dict) else None
    if spec is None:
        return True  # malformed_callback answers for it
    sent_inputs = []
    for k in ("inputs", "state"):
        for sent, want in zip(body.get(k) or [], spec.get(k) or [], strict=False):
            want_id = _declared_id(want.get("id"))
            for item in sent if isinstance(sent, list) else [sent]:
                if not _same_item(item, want_id, want.get("property")):
                    return False
                if k == "inputs":
                    sent_inputs.append((item.get("id"), item.get("property")))
    for changed in body.get("changedPropIds") or []:
        if not isinstance(changed, str) or "." not in changed:
            return False
        ident, prop = changed.rsplit(".", 1)
        ident = _declared_id(ident)
        if (ident, prop) not in sent_inputs:
            return False
    return True
