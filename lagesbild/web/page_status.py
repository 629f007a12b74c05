"""The HTTP status of an address of the dashboard: 404 for one that is no page.

Dash draws its pages in the browser: every address under ``/`` is answered with the same HTML, and
the browser's router then shows the page the address names, or ``pages/not_found_404.py`` ("Sidan
finns inte"). A link checker, a proxy's log or a bookmark tool saw "200 OK" for any address. The
server now answers such an address with 404 and the same HTML, so the browser still shows the
Swedish page, its menu and its links.

Which page an address names is decided as Dash's router decides it (the page registry: a page's
``path``, or its ``path_template`` matched with ``fnmatch``, in the registry's order). The Plats page
(``/plats/<place_id>``) of a place the store does not hold is not found either: it answers 404 with
the Plats page, which says "platsen … finns inte i databasen" and offers the place chooser;
``/plats/-`` is the chooser itself. A page the caller's role may not see (``/konton`` for a reader,
``/karta`` below ``analytiker``) answers 403 with the same HTML: the browser shows "Ingen behörighet".

Examples
--------
>>> pages = [{"path": "/", "path_template": None}, {"path": "/plats/none", "path_template": "/plats/<place_id>"},
...          {"path": "/karta", "path_template": None}]
>>> [page_for(p, pages)[1] for p in ("", "karta", "plats/vallingby", "plats/a/b")]
[{}, {}, {'place_id': 'vallingby'}, {'place_id': 'a/b'}]
>>> page_for("karta/extra", pages), page_for("finns-inte", pages)
(None, None)
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

import dash
import flask

#: the page shown for an address that is no page (Dash's router picks it by its module's last part)
NOT_FOUND_MODULE = "not_found_404"
PLACE_PAGE = "/plats/<place_id>"
NO_PLACE = ("", "-")  # the place chooser: /plats/- (the menu's link when no place is stored)


def page_for(path_id: str, pages) -> tuple[dict, dict] | None:
    """The page (and its path variables) that Dash's router shows for ``path_id`` (the address
    without its prefix and outer slashes), or None when it shows the not-found page."""
    for page in pages:
        template = page.get("path_template")
        if template:
            pattern = template.strip("/")
            if fnmatchcase(path_id, re.sub("<.*?>", "*", pattern)):
                names = re.findall("<(.*?)>", pattern)
                found = re.findall(re.sub("<.*?>", "(.*)", pattern), path_id)
                values = found[0] if found and isinstance(found[0], tuple) else found
                return page, dict(zip(names, values, strict=False))
        if path_id == page["path"].strip("/"):
            return page, {}
    return None


def place_missing(store, place_id: str) -> bool:
    """Whether the Plats page of ``place_id`` says the place is not in the store."""
    from lagesbild.analysis.base import place

    return place_id not in NO_PLACE and place(store, place_id) is None


def address_status(path_id: str, store) -> int:
    """200 for an address the dashboard has a page for, 404 for any other."""
    pages = [p for p in dash.page_registry.values() if p["module"].split(".")[-1] != NOT_FOUND_MODULE]
    found = page_for(path_id, pages)
    if found is None:
        return 404
    page, variables = found
    if page.get("path_template") == PLACE_PAGE and place_missing(store, variables.get("place_id", "")):
        return 404
    return 200


def refused_role(path_id: str) -> str | None:
    """The role a page address needs that the caller lacks (``/konton`` for a reader), else None."""
    from lagesbild.web import auth

    path = "/" + path_id
    for prefix, role in auth.PAGE_ROLES.items():
        if (path == prefix or path.startswith(prefix + "/")) and not auth.allowed(role):
            return role
    return None


def install(app, store) -> None:
    """Answer the page addresses that are no page with 404, and those of a page the caller's role
    may not see with 403 (the body, Dash's page, unchanged: the browser shows the Swedish refusal)."""
    prefix = app.config.routes_pathname_prefix
    catch_all = prefix + "<path:path>"  # Dash's route of every page but the first

    @app.server.after_request
    def _missing_page(response):
        req = flask.request
        if response.status_code != 200 or req.method not in ("GET", "HEAD") or req.url_rule is None \
                or req.url_rule.rule != catch_all:
            return response
        path_id = req.path[len(prefix):].strip("/")
        if address_status(path_id, store) == 404:
            response.status_code = 404
        elif refused_role(path_id):
            response.status_code = 403
        return response
