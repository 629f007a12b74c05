"""Every callback of a page a role may not see is refused for that role, not only the ones that draw
its content.

The login guard (:func:`lagesbild.web.auth.guard`) refuses a callback by its outputs
(:data:`lagesbild.web.auth.OUTPUT_ROLES`: the map, the upload report, the accounts' status …). The
other callbacks of the same pages answered any role: a reader posting Karta's or Mönster's URL
callback, or the Data page's "forget the saved mapping", got 200 and the callback ran. A page whose
role the user lacks shows only the refusal (its controls are never drawn), so no callback of its
module is ever sent by the user's own browser: each is now refused with 403 and the guard's Swedish
message. The role of a callback is the role of the page (:data:`lagesbild.web.auth.PAGE_ROLES`) whose
module defines it.

Examples
--------
>>> def update(): pass
>>> update.__module__ = "lagesbild.web.pages.map"
>>> page_role(update, {"lagesbild.web.pages.map": {"path": "/karta"}}, {"/karta": "analytiker"})
'analytiker'
>>> page_role(print, {}, {"/karta": "analytiker"}) is None
True
"""

from __future__ import annotations

import dash
import flask

from lagesbild.web import auth, security


def page_role(callback, pages: dict, roles: dict) -> str | None:
    """The role the page defining ``callback`` needs, or None (a page for every role, or no page)."""
    inner = getattr(callback, "__wrapped__", callback)
    module = getattr(inner, "__module__", None)
    page = pages.get(module) if module else None
    return roles.get(page["path"]) if page else None


def install(app) -> None:
    """Refuse a callback of a page the user's role may not see (after the login guard and the
    check of the request's shape, both registered before); a chart or XLSX export the role may not
    have (:class:`lagesbild.web.chart_source.RoleRefused`) is a 403 with the same Swedish refusal."""
    from lagesbild.web.chart_source import RoleRefused

    @app.server.errorhandler(RoleRefused)
    def _export_refused(err):
        return flask.jsonify(error=str(err)), 403

    @app.server.before_request
    def _callback_of_a_hidden_page():
        req = flask.request
        if req.method != "POST" or not req.path.endswith("/_dash-update-component"):
            return None
        body = security.request_json(req)
        output = body.get("output") if isinstance(body, dict) else None
        spec = app.callback_map.get(output) if isinstance(output, str) else None
        needed = page_role(spec.get("callback"), dash.page_registry, auth.PAGE_ROLES) if spec else None
        if needed and not auth.allowed(needed):
            message = auth.REFUSED.format(role=auth.current_role() or "ej inloggad", needed=needed)
            return flask.jsonify(error=message), 403
        return None
