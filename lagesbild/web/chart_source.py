"""The figure behind a chart-export button, rebuilt on the server from the page's address.

The export request names only the page (path and query string, which hold every control's value) and
the chart's id. The server runs the page's own content builder with the controls parsed from that
address, exactly as the page did, and takes the figure of the ``dcc.Graph`` with that id. No figure
object from the browser is ever rendered, so nothing in a request can make the export browser load a
URL. Role checks apply as on the page: the map needs the role ``analytiker``; a refusal is a
:class:`RoleRefused`, which the server answers with 403.

The numbers behind a chart or table (the Excel download) are found the same way:
:func:`numbers_for` takes the :class:`lagesbild.web.numbers.Numbers` the content builder attached to
the component with that id (and checks the role the numbers themselves may ask for).

Examples
--------
>>> parse_request({"fmt": "png", "graph": "place-trend", "path": "/plats/torg", "search": "?kat=x"})
('png', 'place-trend', '/plats/torg', '?kat=x')
>>> parse_request({"fmt": "exe", "graph": "x", "path": "/", "search": ""})
Traceback (most recent call last):
...
lagesbild.web.chart_source.ExportRefused: Okänt exportformat: 'exe'.
"""

from __future__ import annotations

import re
import sys
from urllib.parse import unquote

import dash

FORMATS = ("png", "svg", "pdf", "xlsx")
GRAPH_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")  # whole string (fullmatch: "$" lets "\n" through)
#: page path -> (page module, role needed)
PAGES = {"/": ("overview", None), "/plats": ("place", None), "/karta": ("map", "analytiker"),
         "/trygghet": ("survey", None), "/atgardsplan": ("plan", None), "/jamfor": ("compare", None),
         "/monster": ("patterns", "analytiker"),
         "/data": ("data", "analytiker")}
MAX_PATH, MAX_SEARCH = 300, 4000


class ExportRefused(ValueError):
    """An export request that cannot be served, with a Swedish message."""


class RoleRefused(ExportRefused):
    """An export of a page or of numbers the user's role may not see: answered with 403 and the
    Swedish refusal (``web/callback_roles.py``), not with 200 and the refusal beside the button."""


def parse_request(payload) -> tuple[str, str, str, str]:
    """``(fmt, graph_id, path, search)`` from an export request, or :class:`ExportRefused`.

    >>> parse_request({"fmt": "png", "graph": "pl-trend", "path": "/plats"})
    ('png', 'pl-trend', '/plats', '')
    >>> parse_request({"fmt": "png", "graph": "pl-trend\\n", "path": "/plats"})
    Traceback (most recent call last):
    ...
    lagesbild.web.chart_source.ExportRefused: Exportbegäran anger inget giltigt diagram.
    """
    if not isinstance(payload, dict):
        raise ExportRefused("Exportbegäran har fel form.")
    fmt, graph, path, search = (payload.get(k) for k in ("fmt", "graph", "path", "search"))
    if fmt not in FORMATS:
        raise ExportRefused(f"Okänt exportformat: {fmt!r}.")
    if not isinstance(graph, str) or not GRAPH_ID.fullmatch(graph):
        raise ExportRefused("Exportbegäran anger inget giltigt diagram.")
    if not isinstance(path, str) or not path.startswith("/") or len(path) > MAX_PATH:
        raise ExportRefused("Exportbegäran anger ingen giltig sida.")
    search = search or ""
    if not isinstance(search, str) or len(search) > MAX_SEARCH or (search and search[0] != "?"):
        raise ExportRefused("Exportbegäran har en ogiltig sökfråga.")
    return fmt, graph, path, search


def _module(name: str):
    for entry in dash.page_registry.values():
        if entry["module"].rsplit(".", 1)[-1] == name and entry["module"] in sys.modules:
            return sys.modules[entry["module"]]
    raise ExportRefused("Sidan finns inte.")


def _content(path: str, search: str):
    from lagesbild.web import auth
    from lagesbild.web.registry import get_store
    from lagesbild.web.state import parse_search

    parts = [p for p in path.split("/") if p]
    key = "/" + parts[0] if parts else "/"
    if key not in PAGES or (key != "/plats" and len(parts) > 1) or len(parts) > 2:
        raise ExportRefused(f"Sidan {path!r} har inga diagram att exportera.")
    name, role = PAGES[key]
    if role and not auth.allowed(role):
        raise RoleRefused(auth.REFUSED.format(role=auth.current_role() or "ej inloggad", needed=role))
    page, query, store = _module(name), parse_search(search), get_store()
    if hasattr(page, "export_content"):  # a page without controls says what its downloads read
        return page.export_content(store, query)
    if name == "place":
        place_id = unquote(parts[1]) if len(parts) > 1 and parts[1] != "-" else None
        values = page.controls(store, place_id, query)
    elif name == "plan":
        values = page.controls(query)
    else:
        values = page.controls(store, query)
    out = page.update(*[values[c] for c in page.CONTROLS], meeting=False)
    return out[0] if isinstance(out, tuple) else out


def _graphs(node):
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from _graphs(child)
        return
    if isinstance(node, dash.dcc.Graph):
        yield node
    children = getattr(node, "children", None)
    if children is not None and not isinstance(children, str):
        yield from _graphs(children)


def figure_for(path: str, search: str, graph_id: str):
    """The figure the page at ``path`` + ``search`` shows in the graph ``graph_id`` (built here), as a
    plotly figure (Plats sends figure dicts; the export edits a plotly figure)."""
    import plotly.graph_objects as go

    for graph in _graphs(_content(path, search)):
        if graph.id == graph_id:
            return go.Figure(graph.figure) if isinstance(graph.figure, dict) else graph.figure
    raise ExportRefused("Diagrammet finns inte på sidan med de valda inställningarna.")


def _components(node):
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from _components(child)
        return
    if node is None or isinstance(node, (str, int, float)):
        return
    yield node
    yield from _components(getattr(node, "children", None))


def numbers_for(path: str, search: str, item_id: str):
    """The :class:`~lagesbild.web.numbers.Numbers` behind the chart or table ``item_id`` of a page."""
    from lagesbild.web import auth
    from lagesbild.web.numbers import numbers_of

    for node in _components(_content(path, search)):
        numbers = numbers_of(node)
        if getattr(node, "id", None) == item_id and numbers is not None:
            if numbers.role and not auth.allowed(numbers.role):
                raise RoleRefused(auth.REFUSED.format(role=auth.current_role() or "ej inloggad",
                                                      needed=numbers.role))
            return numbers
    raise ExportRefused("Siffrorna bakom diagrammet eller tabellen finns inte på sidan med de valda "
                        "inställningarna.")
