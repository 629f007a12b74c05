"""What each control of the dashboard sends to the server: one table, checked before a callback runs.

Dash sends whatever the browser says a control's value is; a crafted request can say a list where a
single dropdown only ever sends one value, a number where a text field sends text, or 13/40 as a date.
:data:`CONTROLS` names, for every control whose value a server callback reads, the shape its component
sends; :func:`plausible_control` refuses anything else (the request gets a Swedish 400 before any
callback runs, see :func:`lagesbild.web.callback_shape.malformed_callback`). A test renders every page and
checks that each control in the layouts is in this table with its component's shape.

Whether a value is *known* (a place id, a period label) is the analysis layer's question: an unknown
one raises :class:`lagesbild.analysis.base.NotFound`, answered with 400 and its Swedish message.

Examples
--------
>>> plausible_control("pl-place", "value", "hasselby-torg"), plausible_control("pl-place", "value", ["a"])
(True, False)
>>> plausible_control("pl-cats", "value", ["rån"]), plausible_control("pl-cats", "value", 3)
(True, False)
>>> plausible_control("pl-cats", "value", [0, -1]), plausible_control("map-mode", "value", 1e308)
(False, False)
>>> plausible_control("pl-from", "date", "2024-02-29"), plausible_control("pl-from", "date", "2099-13-40")
(True, False)
>>> plausible_control("pl-add", "n_clicks", 3), plausible_control("pl-add", "n_clicks", -1)
(True, False)
>>> plausible_control("lb-pack-periods", "options", [{"label": "2023–2024", "value": "2023–2024"}])
True
>>> plausible_control("lb-pack-periods", "options", "x"), plausible_control("lb-pack-periods", "options", ["a"])
(False, False)
>>> plausible_control("_pages_location", "pathname", None), plausible_control("no-such-id", "value", [1])
(False, True)
"""

from __future__ import annotations

import datetime as dt
import re

#: a single dropdown or radio items: one text, or nothing chosen (every option the app offers has a
#: text value: a place or category id, a period label, a mode)
ONE = "one"
#: a multi dropdown or a checklist: a list of texts (empty or missing = nothing chosen)
MANY = "many"
#: a text field or text area
TEXT = "text"
#: a date picker: an ISO date
DATE = "date"
#: a URL's part (dcc.Location): always text, which the browser always has
URL = "url"
#: a dropdown's options read back as a state (the pack's periods): a list of {"label", "value"} with a
#: text value
OPTIONS = "options"

#: (component id, property) → shape, for every control a server callback reads (pattern-matching
#: ids — the export buttons — send only clicks, checked by :data:`CLICKS`)
CONTROLS = {
    ("_pages_location", "pathname"): URL, ("_pages_location", "search"): TEXT,
    ("adm-name", "value"): TEXT, ("adm-password", "value"): TEXT, ("adm-role", "value"): ONE,
    ("ap-area", "value"): ONE, ("ap-place", "value"): ONE,
    ("cmp-cats", "value"): MANY, ("cmp-measure", "value"): ONE, ("cmp-periods", "value"): MANY,
    ("cmp-places", "value"): MANY, ("cmp-similar", "value"): MANY,
    ("dt-crs", "value"): TEXT, ("dt-keep", "value"): MANY, ("dt-kind", "value"): ONE,
    ("dt-source", "value"): TEXT, ("dt-upload", "contents"): TEXT, ("dt-upload", "filename"): TEXT,
    ("lb-pack-external", "value"): MANY, ("lb-pack-meeting", "value"): TEXT,
    ("lb-pack-periods", "value"): MANY, ("lb-pack-periods", "options"): OPTIONS,
    ("lb-pack-places", "value"): MANY,
    ("map-area", "value"): ONE, ("map-cat", "value"): MANY, ("map-mode", "value"): ONE,
    ("map-period", "value"): ONE, ("map-period2", "value"): ONE,
    ("ov-cats", "value"): MANY, ("ov-period", "value"): ONE, ("ov-sdo", "value"): ONE,
    ("pat-cat", "value"): ONE, ("pat-period", "value"): ONE, ("pat-place", "value"): ONE,
    ("pl-cats", "value"): MANY, ("pl-from", "date"): DATE, ("pl-kind", "value"): ONE,
    ("pl-periods", "value"): MANY, ("pl-place", "value"): ONE, ("pl-to", "date"): DATE,
    ("pn-date", "date"): DATE, ("pn-text", "value"): TEXT,
    ("sm-date", "date"): DATE, ("sm-places", "value"): MANY,
    ("sv-ind", "value"): MANY, ("sv-place", "value"): ONE,
}
#: clicks and timer ticks: whole numbers from 0 (a browser's counter never gets near 2**31)
CLICKS = ("n_clicks", "n_intervals")
MAX_CLICKS = 2 ** 31

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _one(value) -> bool:
    return value is None or isinstance(value, str)


def _date(value) -> bool:
    if value is None:
        return True
    if not isinstance(value, str) or not _DATE.fullmatch(value[:10]) or value[10:11] not in ("", "T"):
        return False
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


CHECKS = {
    ONE: _one,
    MANY: lambda v: v is None or (isinstance(v, list) and all(_one(i) and i is not None for i in v)),
    TEXT: lambda v: v is None or isinstance(v, str),
    DATE: _date,
    URL: lambda v: isinstance(v, str),
    OPTIONS: lambda v: v is None or (isinstance(v, list) and all(
        isinstance(o, dict) and isinstance(o.get("value"), str) for o in v)),
}


def plausible_control(ident, prop: str, value) -> bool:
    """Whether ``value`` is what the control ``ident`` sends for ``prop`` (see :data:`CONTROLS`);
    clicks are whole numbers in [0, 2**31); a control not in the table is not checked here."""
    if prop in CLICKS:
        return value is None or (isinstance(value, int) and not isinstance(value, bool)
                                 and 0 <= value < MAX_CLICKS)
    shape = CONTROLS.get((ident, prop)) if isinstance(ident, str) else None
    return shape is None or CHECKS[shape](value)
