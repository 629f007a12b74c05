"""Response headers, CSRF protection, cookies and the upload limit of the dashboard.

* **CSRF**: Flask-WTF's ``CSRFProtect`` checks every POST (Dash's ``/_dash-update-component`` included)
  for a token tied to the session. Dash's renderer already sends the cookie ``_csrf_token`` back as the
  ``X-CSRFToken`` header on each of its requests, so every HTML response sets that cookie (readable by
  the page's script, ``SameSite=Lax``); the login and logout forms carry the token as a field.
* **Headers**: a Content-Security-Policy (scripts only from the app itself plus the hashes of Dash's
  inline scripts, from ``app.csp_hashes()``; no frames; no requests to other sites except the optional
  ``basemap_url`` tile server), ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff`` and
  ``Referrer-Policy: same-origin``. Styles allow ``'unsafe-inline'``: React and plotly.js set style
  attributes and ``<style>`` elements at run time. Maps need ``worker-src blob:`` (MapLibre's workers).
* **Uploads**: ``MAX_CONTENT_LENGTH`` makes Werkzeug refuse a larger request from its
  ``Content-Length`` before reading the body (413, Swedish message); :func:`upload_too_large` checks the
  decoded size in the upload callback too. Only a role that may upload gets that limit: any other
  caller (a ``läsare``, or no login) is held to :data:`SMALL_REQUEST` per request (the login guard sets
  it before the body is read, :func:`lagesbild.web.auth.guard`). And a body larger than that is parsed as
  JSON only when it holds few lists, objects and commas (:func:`request_json`): 60 MB of ``[{},{},…]``
  took 1.4 GB to parse, whereas an upload is one long text.
* **A database server that does not answer** (stopped, restarting, out of connections): 503 with
  :data:`lagesbild.db_unreachable.WEB_MESSAGE` and ``Retry-After``, one log line without traceback or
  password (:func:`unavailable`); the store's pool reconnects when the server is back.

Examples
--------
>>> csp_header(["'sha256-abc'"], "")
"default-src 'self'; script-src 'self' 'sha256-abc'; ..."
>>> upload_limit_bytes(50)
52428800
"""

from __future__ import annotations

import logging
from html import escape
from urllib.parse import urlsplit

import flask
from dash.exceptions import DependencyException
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from lagesbild import db_unreachable
from lagesbild.analysis.base import NotFound
from lagesbild.web import store_busy
from lagesbild.web.callback_inputs import as_declared
from lagesbild.web.callback_shape import malformed_callback

log = logging.getLogger(__name__)

STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")  # the same files for everyone
CSRF_COOKIE = "_csrf_token"  # the name dash-renderer reads (getCSRFHeader)
#: base64 in a JSON request: 4 bytes per 3, plus the rest of the callback's payload
REQUEST_OVERHEAD = 1024 * 1024
#: the largest request of a caller who may not upload (its callbacks send a few kB)
SMALL_REQUEST = REQUEST_OVERHEAD
#: the most ``{``, ``[`` and ``,`` a body larger than :data:`SMALL_REQUEST` may hold to be parsed (an
#: upload's request has a few dozen outside its base64 text, which has none)
MAX_LARGE_JSON_STRUCTURE = 100_000
TOO_LARGE = "Filen är för stor: största tillåtna storlek är {mb} MB. Dela upp filen eller be en " \
            "administratör höja gränsen (LAGESBILD_MAX_UPLOAD_MB)."
REQUEST_TOO_LARGE = "Begäran är för stor: högst {mb} MB tas emot här. Ladda om sidan och försök igen."
BAD_REQUEST = "Felaktig begäran: servern kunde inte tolka den. Ladda om sidan och försök igen."
BAD_REQUEST_CHOICE = "Felaktig begäran: valet finns inte (ladda om sidan)."
CSRF_REFUSED = "Begäran saknar en giltig säkerhetstoken (CSRF). Ladda om sidan och försök igen."
NOT_THERE = "Sidan eller filen finns inte."
NOT_ALLOWED = "Adressen tar inte emot den här sortens begäran ({method})."
OTHER_ERROR = "Begäran kunde inte besvaras (HTTP-status {code})."
#: the body of a redirect (Werkzeug's says "Redirecting..." in English, with ``lang=en``)
REDIRECT_PAGE = ('<!doctype html>\n<html lang="sv"><meta charset="utf-8"><title>Vidare</title>'
                 '<p>Fortsätt till <a href="{href}">{href}</a>.</p></html>\n')
#: a page load while the database server does not answer: loads itself again after a while
UNAVAILABLE_PAGE = ('<!doctype html>\n<html lang="sv"><meta charset="utf-8">'
                    '<meta http-equiv="refresh" content="{seconds}"><title>Lägesbild</title>'
                    '<p role="alert">{text}</p></html>\n')
SERVER_ERROR = ("Något gick fel på servern. Felet är loggat; ladda om sidan och försök igen, och "
                "kontakta den som driver Lägesbild om det händer igen.")


def upload_limit_bytes(max_upload_mb: int) -> int:
    """The largest accepted file in bytes."""
    return int(max_upload_mb) * 1024 * 1024


def request_limit_bytes(max_upload_mb: int) -> int:
    """The largest accepted request: the file base64-encoded in Dash's JSON, plus overhead.

    Examples
    --------
    >>> request_limit_bytes(3) == 4 * 1024 * 1024 + 1024 * 1024
    True
    """
    return -(-upload_limit_bytes(max_upload_mb) * 4 // 3) + REQUEST_OVERHEAD


def upload_too_large(contents: str | None, max_upload_mb: int) -> str | None:
    """The Swedish refusal when a ``data:…;base64,`` upload decodes to more than the limit, else None.

    Examples
    --------
    >>> upload_too_large("data:text/csv;base64," + "A" * 8, 1) is None
    True
    >>> upload_too_large("data:text/csv;base64," + "A" * 1_400_000, 1)[:20]
    'Filen är för stor: s'
    """
    if not contents:
        return None
    payload = len(contents) - (contents.find(",") + 1)
    if payload * 3 // 4 > upload_limit_bytes(max_upload_mb):
        return TOO_LARGE.format(mb=max_upload_mb)
    return None


def csp_header(script_hashes, basemap_url: str = "") -> str:
    """The Content-Security-Policy value (``...`` in the example stands for the rest)."""
    tiles = ""
    if basemap_url:
        parts = urlsplit(basemap_url.replace("{", "").replace("}", ""))
        if parts.scheme in ("http", "https") and parts.netloc:
            tiles = f" {parts.scheme}://{parts.netloc}"
    rules = [
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes),
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob:{tiles}",
        f"connect-src 'self'{tiles}",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "child-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(rules)


def request_json(req):
    """The request's JSON body, or None when it is not JSON or cannot be read (also when it is nested
    deeper than the JSON parser's recursion allows: a RecursionError, not a ValueError).

    Examples
    --------
    >>> import flask
    >>> with flask.Flask("x").test_request_context(method="POST", data="[" * 100000,
    ...                                            content_type="application/json") as ctx:
    ...     request_json(ctx.request) is None
    True
    """
    if req.is_json and too_much_structure(req.get_data(cache=True)):
        flask.abort(400)  # before it is parsed: see the module text
    try:
        return req.get_json(silent=True)
    except RecursionError:
        return None


def too_much_structure(data: bytes) -> bool:
    """True for a body larger than :data:`SMALL_REQUEST` with more than
    :data:`MAX_LARGE_JSON_STRUCTURE` lists, objects and commas (JSON that costs many times its size
    to parse); a small body is never refused here.

    Examples
    --------
    >>> too_much_structure(b"[" + b"{}," * 400_000 + b"{}]"), too_much_structure(b"[" + b"{}," * 1000 + b"{}]")
    (True, False)
    >>> too_much_structure(b'{"value": "data:text/csv;base64,' + b"QUJD" * 500_000 + b'"}')
    False
    """
    if len(data) <= SMALL_REQUEST:
        return False
    return data.count(b"{") + data.count(b"[") + data.count(b",") > MAX_LARGE_JSON_STRUCTURE


def streamed_too_large(req) -> bool:
    """True for a body sent without a length (chunked) that reaches the request limit: Werkzeug reads
    no more than the limit and hands the cut body on, which read as JSON was a "Felaktig begäran"
    instead of the refusal of a file too large (a body with a length is refused from its header).

    Examples
    --------
    >>> import flask, io
    >>> from werkzeug.test import EnvironBuilder
    >>> app = flask.Flask("x"); app.config["MAX_CONTENT_LENGTH"] = 100
    >>> env = EnvironBuilder(method="POST", input_stream=io.BytesIO(b"x" * 1000)).get_environ()
    >>> env.pop("CONTENT_LENGTH"); env["wsgi.input_terminated"] = True
    '1000'
    >>> with app.request_context(env):
    ...     streamed_too_large(flask.request)
    True
    """
    limit = req.max_content_length
    if req.method != "POST" or req.content_length is not None or not limit:
        return False
    return len(req.get_data(cache=True)) >= limit


def unavailable(err: BaseException) -> flask.Response:
    """The answer while the database server does not answer: 503, :data:`db_unreachable.WEB_MESSAGE`
    (a page that loads itself again after ``Retry-After`` for a browser's page load, else text)."""
    req = flask.request
    log.warning("database not answering on %s %s: %s", req.method, req.path, db_unreachable.first_line(err))
    text = db_unreachable.WEB_MESSAGE
    if req.method == "GET" and "/_dash-" not in req.path and req.accept_mimetypes.accept_html:
        response = flask.Response(UNAVAILABLE_PAGE.format(seconds=db_unreachable.RETRY_AFTER, text=text),
                                  status=503, mimetype="text/html")
    else:
        response = flask.Response(text, status=503, mimetype="text/plain")
    response.headers["Retry-After"] = str(db_unreachable.RETRY_AFTER)
    return response


def install(app, settings) -> None:
    """Configure cookies, CSRF, the upload limit and the headers on the Dash ``app``'s server."""
    server = app.server
    secure = bool(settings.secure_cookies)
    server.config.update(
        MAX_CONTENT_LENGTH=request_limit_bytes(settings.max_upload_mb),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_NAME="lagesbild_session",
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session: dashboards stay open for hours
        WTF_CSRF_SSL_STRICT=True)
    if settings.proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # the client's address and https from the proxy; the host never from X-Forwarded-Host or
        # -Port, which the README's nginx passes on from the client as they came (a client's
        # "X-Forwarded-Host: evil.example" made a POST from that site pass the Origin and the CSRF
        # referrer check): the proxy passes the site's name in Host (``proxy_set_header Host $host``)
        n = int(settings.proxies)
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=0, x_port=0, x_prefix=0)
    CSRFProtect(server)

    @server.errorhandler(413)
    def _too_large(_err):
        limit = flask.request.max_content_length
        if limit is not None and limit <= SMALL_REQUEST:  # a caller who may not upload (see the module)
            return flask.Response(REQUEST_TOO_LARGE.format(mb=limit // (1024 * 1024)), status=413,
                                  mimetype="text/plain")
        return flask.Response(TOO_LARGE.format(mb=settings.max_upload_mb), status=413,
                              mimetype="text/plain")

    @server.before_request
    def _check_callback_request():
        req = flask.request
        if streamed_too_large(req):
            return _too_large(None)
        if req.method == "POST" and req.path.endswith("/_dash-update-component"):
            body = request_json(req)
            if malformed_callback(body, app.callback_map) or not as_declared(body, app.callback_map):
                return flask.Response(BAD_REQUEST, status=400, mimetype="text/plain")
        return None

    @server.errorhandler(400)
    def _bad_request(_err):
        return flask.Response(BAD_REQUEST, status=400, mimetype="text/plain")

    @server.errorhandler(NotFound)
    def _not_found(err):
        """A place, period or kind no control offers (a crafted request, or a place removed while
        the page was open): the analysis layer's Swedish reason, not a server error."""
        reason = str(err) if len(str(err)) <= 300 else str(err)[:299] + "…"
        return flask.Response(f"{BAD_REQUEST_CHOICE} {reason}", status=400, mimetype="text/plain")

    @server.errorhandler(404)
    def _not_there(_err):
        return flask.Response(NOT_THERE, status=404, mimetype="text/plain")

    @server.errorhandler(DependencyException)
    def _no_such_asset(_err):
        """A file under /_dash-component-suites/ that no component has (was a 500 and a logged
        traceback for any anonymous request: the route needs no login)."""
        return flask.Response(NOT_THERE, status=404, mimetype="text/plain")

    @server.errorhandler(500)
    def _server_error(_err):
        """What a user sees of an unexpected error: Swedish, no traceback (the log has it)."""
        return flask.Response(SERVER_ERROR, status=500, mimetype="text/plain")

    @server.errorhandler(SQLAlchemyError)
    def _store_error(err):
        """The database server does not answer (stopped, restarting, out of connections): 503 and a
        Swedish "try again", one log line without traceback or password; the pool reconnects by itself
        when the server is back. A write that gave up waiting for another: 503 (store_busy). Else 500."""
        if store_busy.store_locked(err):
            return store_busy.busy(err)
        if not db_unreachable.unreachable(err):
            _log_error((type(err), err, err.__traceback__))
            return _server_error(err)
        return unavailable(err)

    @server.errorhandler(CSRFError)
    def _csrf_refused(_err):
        return flask.Response(CSRF_REFUSED, status=400, mimetype="text/plain")

    @server.errorhandler(HTTPException)
    def _other_http_error(err):
        """Any other refusal (405 for a method a route does not take, …): Swedish, not Werkzeug's
        English page. A handler of the code itself (400, 404, 413, 500 above) is chosen first."""
        text = NOT_ALLOWED.format(method=flask.request.method) if err.code == 405 else \
            OTHER_ERROR.format(code=err.code)
        response = flask.Response(text, status=err.code or 500, mimetype="text/plain")
        if getattr(err, "valid_methods", None):
            response.headers["Allow"] = ", ".join(err.valid_methods)
        return response

    def _log_error(exc_info):
        """Server errors go to the log once, with their request: method, path, user and Dash callback
        (in place of Flask's own "Exception on …" record: with both, each traceback was logged twice)."""
        req = flask.request
        try:
            body = request_json(req) if req.is_json else None
        except HTTPException:  # a body refused unread (too_much_structure): its callback is not known
            body = None
        output = body.get("output") if isinstance(body, dict) else None
        user = getattr(flask.g, "_login_user", None)
        log.error("server error on %s %s (callback %s, user %s): %s", req.method, req.path, output,
                  getattr(user, "id", None) or "-", exc_info[1], exc_info=exc_info)

    server.log_exception = _log_error  # Flask calls it for every unhandled exception

    @server.after_request
    def _headers(response):
        h = response.headers
        if 300 <= response.status_code < 400 and response.mimetype == "text/html" and h.get("Location"):
            response.set_data(REDIRECT_PAGE.format(href=escape(h["Location"])))
        h["Content-Security-Policy"] = csp_header(app.csp_hashes(), settings.basemap_url)
        h["X-Frame-Options"] = "DENY"
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "same-origin"
        if secure:  # served over TLS (behind the proxy): browsers keep to HTTPS for a year
            h["Strict-Transport-Security"] = "max-age=31536000"
        if not flask.request.path.startswith(STATIC_PREFIXES):
            # every answer but the static files is the user's: the layout (name, the logout form's
            # token), callbacks' data and downloads are kept by no browser or proxy cache
            h.setdefault("Cache-Control", "no-store")
        if response.mimetype == "text/html":
            # Secure also without the setting for a request that came over https (auth.HttpsSessions)
            response.set_cookie(CSRF_COOKIE, generate_csrf(), secure=secure or flask.request.is_secure,
                                httponly=False,
                                samesite="Lax", path="/")
        return response
