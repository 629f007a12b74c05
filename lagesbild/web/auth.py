"""Login, roles and the audit trail of the dashboard (Flask-Login on accounts in the store).

* :func:`install` adds the login manager, the Swedish login page (``/login``), ``/logout`` and a guard
  run before every request: without a login only the login page and the static files are served.
* Open mode: with no accounts in the store, on a loopback address, for a client on the same machine
  and without a proxy in front, the app runs without login (as a single-user tool) and says so in a
  banner; the caller counts as ``admin``. Everything else needs a login.
* Roles (:data:`lagesbild.store.accounts.ROLES`) are checked on the server: page layouts and callbacks
  call :func:`allowed` / :func:`refusal`; the guard also refuses the protected pages' callbacks.
* Open mode also needs a ``Host`` header naming loopback (against DNS rebinding; others get 421), and
  a POST whose ``Origin`` names another host is refused in every mode (:mod:`lagesbild.web.hosts`).
* Failed logins are counted in the audit log (shared by all workers): after ``login_attempts`` failures
  for an account from one address, or four times as many from one address (any account) or for one
  account (any address), in 15 minutes, logins are refused for a while. Each attempt is recorded
  before its password is checked, atomically with the count (:func:`accounts.begin_login`), so
  parallel attempts cannot get past the limit.
* A login puts the account's session key in the signed session cookie; logging out (or a new
  password) replaces the key, so a copy of an old cookie is no longer accepted.
"""

from __future__ import annotations

import html as htmlesc
import time
import unicodedata
from datetime import timedelta
from urllib.parse import quote, urlsplit

import flask
from dash import dcc, html
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from lagesbild.analysis.admin import accounts
from lagesbild.web import callback_shape, hosts, security
from lagesbild.web.hosts import is_loopback

LOGIN_PATH, LOGOUT_PATH = "/login", "/logout"
#: the routes (Flask's URL rules, not the paths: Dash's catch-all ``/<path:path>`` answers ``/assets/``,
#: ``/favicon.ico`` or ``/_dash-component-suites/x`` with the page shell) served without a login
PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
PUBLIC_PATHS = ("/_favicon.ico", LOGIN_PATH)  # exact rules: /loginx is not public
SESSION_KEY = "lb_key"  # the account's session key, in the signed session cookie
LOGIN_AT = "lb_at"  # when the login was made (seconds since the epoch): it lasts session_hours from then
#: pages (path prefix) and the role they need; their callbacks are refused by output id as well
PAGE_ROLES = {"/karta": "analytiker", "/data": "analytiker", "/konton": "admin", "/monster": "analytiker"}
OUTPUT_ROLES = {"map-content": "analytiker", "dt-report": "analytiker", "dt-result": "analytiker",
                "adm-status": "admin", "pn-status": "analytiker", "pat-content": "analytiker"}
WINDOW_MIN = 15
#: the role that may upload files (the Data page's): only its requests may be of an upload's size
UPLOAD_ROLE = PAGE_ROLES["/data"]
#: what a typed user name with characters no account name has (control characters, spaces) is
#: counted as among failed logins (it has a space itself, so it is no account's)
INVALID_NAME = "(ogiltigt namn)"
#: headers a proxy in front adds (nginx's X-Real-IP alone, too): a request with any is not from this machine
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Host", "X-Forwarded-Proto", "Via")
OPEN_BANNER = ("Inloggning är avstängd: det finns inga konton och appen nås bara från den här datorn. "
               "Skapa ett konto med 'python -m lagesbild users add' innan den görs tillgänglig för "
               "andra.")
REFUSED = "Din roll ({role}) räcker inte för den här delen; den kräver rollen {needed}."
LOGIN_TEXT = dict(
    wrong="Fel användarnamn eller lösenord.",
    limited="För många misslyckade inloggningar. Vänta {minutes} minuter och försök igen.",
    no_accounts="Det finns inga konton. En administratör skapar det första med "
                "'python -m lagesbild users add NAMN --roll admin'.")


class User(UserMixin):
    """A logged-in account."""

    def __init__(self, username: str, role: str):
        self.id = username
        self.role = role


def _settings_store():
    from lagesbild.web.registry import get_settings, get_store

    return get_settings(), get_store()


def _open_setup() -> bool:
    """True when everything but the ``Host`` header allows open mode: no accounts, loopback, no proxy."""
    cached = flask.g.get("lb_open")  # asked several times a request (guard, roles, banner)
    if cached is None:
        cached = flask.g.lb_open = _open_answer()
    return cached


def _open_answer() -> bool:
    settings, store = _settings_store()
    req = flask.request
    if settings.proxies or any(req.headers.get(h) for h in PROXY_HEADERS):
        return False
    if not (is_loopback(settings.host) and is_loopback(req.remote_addr)):
        return False
    return accounts.user_count(store) == 0  # kept until the store changes (store/change_stamp.py)


def open_mode() -> bool:
    """True when this request is served without login (see the module text)."""
    return _open_setup() and hosts.loopback_host(flask.request.host)


def current_role() -> str | None:
    """The caller's role: ``admin`` in open mode, the account's role, or None (not logged in)."""
    if not flask.has_request_context():
        return "admin"  # called outside a request (tests of views, exports run by code)
    if current_user.is_authenticated:
        return current_user.role
    return "admin" if open_mode() else None


def current_name() -> str:
    """Who is acting, for the audit log."""
    if flask.has_request_context() and current_user.is_authenticated:
        return current_user.id
    return "(öppet läge)" if flask.has_request_context() else "(kod)"


def allowed(needed: str) -> bool:
    """True when the caller's role is ``needed`` or above."""
    return accounts.role_allows(current_role(), needed)


def refusal(needed: str) -> html.Div:
    """The Swedish refusal shown instead of a part the role may not see."""
    return html.Div(className="empty refusal", role="alert", children=[
        html.Strong("Ingen behörighet: "), REFUSED.format(role=current_role() or "ej inloggad",
                                                          needed=needed)])


#: characters of an audit entry's detail kept (a forged upload's 2 MB file name went whole into the log)
AUDIT_DETAIL_MAX = 1000
_HIDDEN, _BIDI = {"Cc", "Cs", "Zl", "Zp"}, frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def audit_detail(detail) -> str:
    r"""``detail`` as the audit log keeps it: controls (NUL, line breaks), lone surrogates and characters
    that reorder text written as escapes (a NUL cut the entry short in SQLite and was a server error on
    PostgreSQL), at most AUDIT_DETAIL_MAX characters kept.

    >>> print(audit_detail("a" + chr(0) + "b, c.csv" + chr(10) + "x"), audit_detail("ö" * 1234)[-35:])
    a\x00b, c.csv\nx ööö … (förkortad från 1 234 tecken)
    """
    raw = str(detail or "")
    # only what is kept is escaped (a character at a time: a 2 MB name took a second)
    text = "".join(ascii(ch)[1:-1] if ch in _BIDI or unicodedata.category(ch) in _HIDDEN else ch
                   for ch in raw[:AUDIT_DETAIL_MAX])
    if len(raw) <= AUDIT_DETAIL_MAX and len(text) <= AUDIT_DETAIL_MAX:
        return text
    total = f"{len(raw):,}".replace(",", " ")
    return f"{text[:AUDIT_DETAIL_MAX]} … (förkortad från {total} tecken)"


def audit_event(action: str, detail: str = "") -> None:
    """Record ``action`` by the caller in the audit log (``detail`` through :func:`audit_detail`)."""
    _settings, store = _settings_store()
    ip = flask.request.remote_addr if flask.has_request_context() else ""
    accounts.audit(store, current_name(), action, audit_detail(detail), ip or "")


def banner() -> html.Div | None:
    """The open-mode banner (None when logins are on)."""
    if flask.has_request_context() and not current_user.is_authenticated and open_mode():
        return html.Div(OPEN_BANNER, className="open-banner", role="status", id="open-banner")
    return None


def user_box() -> html.Form | None:
    """Name, role and the logout button for the top bar (None in open mode)."""
    from flask_wtf.csrf import generate_csrf

    if not (flask.has_request_context() and current_user.is_authenticated):
        return None
    csrf_token = generate_csrf()
    return html.Form(action=LOGOUT_PATH, method="post", className="user-box", children=[
        html.Span(f"{current_user.id} ({current_user.role})", className="user-name", id="user-name"),
        html.Div(hidden=True, children=[
            dcc.Input(type="hidden", name="csrf_token", value=csrf_token, id="logout-csrf")]),
        html.Button("Logga ut", type="submit", id="logout-button", className="meeting-toggle",
                    title=f"Logga ut {current_user.id} ({current_user.role})")])


# ----- the login page ------------------------------------------------------------------------
#: the head and card of the login and logout pages (``{title}``; ``{{org}}`` filled in later)
CARD = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{title} – Lägesbild</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/style.css"></head>
<body class="login-page"><main class="login-card">
<h1>Lägesbild</h1><p class="brand-org">{{org}}</p>
"""
PAGE = CARD.format(title="Logga in") + """{message}
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="{csrf}">
<input type="hidden" name="next" value="{next}">
<label>Användarnamn <input name="username" id="username" autocomplete="username" required></label>
<label>Lösenord <input name="password" id="password" type="password" autocomplete="current-password"
 required></label>
<button type="submit" id="login-button" class="primary-button">Logga in</button>
</form></main></body></html>"""


#: ``GET /logout`` (a typed or bookmarked address): the button that logs out, as a POST with the token
LOGOUT_PAGE = CARD.format(title="Logga ut") + """<p id="logout-who">Inloggad som <strong>{user}</strong>.</p>
<form method="post" action="/logout">
<input type="hidden" name="csrf_token" value="{csrf}">
<button type="submit" id="logout-confirm" class="primary-button">Logga ut</button>
</form>
<p><a href="/">Tillbaka till lägesbilden</a></p></main></body></html>"""


def _safe_next(target: str | None) -> str:
    """Only local paths (no scheme, no host, no ``//``, no control characters: a line break in the
    redirect's header was a server error) are followed after a login.

    Examples
    --------
    >>> _safe_next("/plats/x?a=1"), _safe_next("//evil.example"), _safe_next("/" + chr(10) + "Set-Cookie: x")
    ('/plats/x?a=1', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def _login_page(message: str = "", status: int = 200, next_url: str = "/"):
    from flask_wtf.csrf import generate_csrf

    settings, _store = _settings_store()
    box = f'<p class="login-error" role="alert" id="login-error">{htmlesc.escape(message)}</p>' \
        if message else ""
    body = PAGE.format(org=htmlesc.escape(settings.organisation), message=box, csrf=generate_csrf(),
                       next=htmlesc.escape(_safe_next(next_url)))
    return flask.Response(body, status=status, mimetype="text/html")


def _client_ip() -> str:
    return flask.request.remote_addr or ""


def login_view():
    """GET: the form; POST: check the rate limit and the password, then log in."""
    settings, store = _settings_store()
    req = flask.request
    if req.method == "GET":
        if current_user.is_authenticated or open_mode():
            return flask.redirect(_safe_next(req.args.get("next")))
        message = LOGIN_TEXT["no_accounts"] if accounts.user_count(store) == 0 else ""
        return _login_page(message, next_url=req.args.get("next", "/"))
    typed = (req.form.get("username") or "").strip()[:accounts.USERNAME_MAX]
    if any(ch.isspace() or not ch.isprintable() for ch in typed):
        # no account has such a name (a NUL was a server error on PostgreSQL, before it was counted)
        username = INVALID_NAME
    else:  # the account's stored name in any case: "ANNA" and "anna" share one count of failed logins
        username = accounts.canonical_name(store, typed)[:accounts.USERNAME_MAX] if typed else ""
    password = req.form.get("password") or ""
    next_url = req.form.get("next", "/")
    limit = settings.login_attempts
    attempt = accounts.begin_login(store, username, _client_ip(), per_pair=limit, per_ip=4 * limit,
                                   per_user=4 * limit, minutes=WINDOW_MIN)
    if attempt is None:  # recorded as login_limited; the password is not checked
        return _login_page(LOGIN_TEXT["limited"].format(minutes=WINDOW_MIN), 429, next_url)
    account = accounts.check_password(store, username, password) if username and password else None
    if account is None:  # the attempt stays recorded as login_failed
        return _login_page(LOGIN_TEXT["wrong"], 200, next_url)  # the form again, with the reason
    accounts.finish_login(store, attempt, account["role"])
    flask.session.clear()  # a fresh session (and CSRF token) for the new login
    flask.session.permanent = True
    flask.session[SESSION_KEY] = accounts.session_key(store, account["username"])
    flask.session[LOGIN_AT] = int(time.time())
    login_user(User(account["username"], account["role"]))
    return flask.redirect(_safe_next(next_url))


def logout_view():
    """Log out (POST with the CSRF token) and go to the login page; a GET (the address typed) shows the
    button that does, or the login page when no one is logged in (it showed "Sidan finns inte")."""
    if flask.request.method == "GET":
        if not current_user.is_authenticated:
            return flask.redirect(LOGIN_PATH)
        from flask_wtf.csrf import generate_csrf

        settings, _store = _settings_store()
        return flask.Response(LOGOUT_PAGE.format(org=htmlesc.escape(settings.organisation),
                                                 user=htmlesc.escape(str(current_user.id)), csrf=generate_csrf()),
                              mimetype="text/html")
    if current_user.is_authenticated:
        audit_event("logout")
        _settings, store = _settings_store()
        accounts.end_sessions(store, current_user.id)  # copies of this session cookie stop working
    logout_user()
    flask.session.clear()
    return flask.redirect(LOGIN_PATH)


def _needed_role(path: str, body: dict | None) -> str | None:
    for prefix, role in PAGE_ROLES.items():
        if path == prefix or path.startswith(prefix + "/"):
            return role
    if body and path.endswith("/_dash-update-component"):
        outs = body.get("outputs")
        outs = outs if isinstance(outs, list) else [outs]
        ids = [o.get("id") for o in outs if isinstance(o, dict)]
        if isinstance(body.get("output"), str):  # the callback Dash runs is named by ``output``
            ids += [ident for ident, _prop in callback_shape.output_parts(body["output"])]
        needed = [OUTPUT_ROLES.get(i) for i in ids if isinstance(i, str)]
        needed = [n for n in needed if n]
        if needed:
            return max(needed, key=accounts.ROLES.index)
    return None


def _public(req) -> bool:
    """Whether the request goes to a route served without a login: static files, the login page and
    ``/logout`` (its GET shows the button or sends to the login page: it fell through to Dash's catch-all)."""
    rule = req.url_rule.rule if req.url_rule is not None else None
    if rule is None or rule == "/<path:path>":
        return False
    return rule.startswith(PUBLIC_PREFIXES) or rule in PUBLIC_PATHS or rule == LOGOUT_PATH


def guard():
    """Before every request: public files pass, others need a login (or open mode) and the role."""
    req = flask.request
    path = req.path
    origin = req.headers.get("Origin")
    if req.method == "POST" and origin is not None and not hosts.same_origin(origin, req.host):
        return flask.Response(hosts.ORIGIN_REFUSED, status=403, mimetype="text/plain")
    # the cheap tests first: the user loader reads the store (every asset request carries the cookie)
    if _open_setup() and not hosts.loopback_host(req.host) and not current_user.is_authenticated:
        return flask.Response(hosts.HOST_REFUSED, status=421, mimetype="text/plain")  # DNS rebinding
    if req.method == "POST" and not allowed(UPLOAD_ROLE):
        # only an upload needs more; set before anything reads the body (Werkzeug refuses a larger
        # Content-Length at the first read, a chunked body when it gets there): a läsare's or an
        # anonymous 67 MB of JSON was read and parsed (lagesbild.web.security)
        req.max_content_length = security.SMALL_REQUEST
    if _public(req):
        return None
    if not current_user.is_authenticated and not open_mode():
        if "/_dash-" in path:
            return flask.jsonify(error="Inte inloggad: logga in igen."), 401
        target = req.full_path if req.query_string else path
        return flask.redirect(f"{LOGIN_PATH}?next={quote(req.script_root + target, safe='/')}")
    body = security.request_json(req) if req.method == "POST" and req.is_json else None
    needed = _needed_role(path, body if isinstance(body, dict) else None)
    if needed and not allowed(needed):
        if "/_dash-" in path:
            return flask.jsonify(error=REFUSED.format(role=current_role(), needed=needed)), 403
        return None  # the page's layout shows the refusal; nothing protected is sent
    return None


class HttpsSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions whose cookie is ``Secure`` for a request that came over https (TLS
    in the WSGI server, or ``X-Forwarded-Proto`` from a trusted proxy) also without ``secure_cookies``:
    an https login's cookie was sent in clear text to the same host over plain http (sec4)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (flask.has_request_context()
                                                             and flask.request.is_secure)


def install(server, settings) -> None:
    """Add Flask-Login, the login and logout routes and the guard to the Flask ``server``."""
    server.session_interface = HttpsSessions()
    manager = LoginManager()
    manager.session_protection = "basic"
    manager.init_app(server)

    @manager.user_loader
    def _load(username):
        settings_, store = _settings_store()
        at = flask.session.get(LOGIN_AT)
        # the cookie is renewed with every request, so by itself a login in use never ended
        if not isinstance(at, int) or not 0 <= time.time() - at <= settings_.session_hours * 3600:
            return None
        account = accounts.session_user(store, username, flask.session.get(SESSION_KEY))
        return User(account["username"], account["role"]) if account else None

    server.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=settings.session_hours)
    server.config["REMEMBER_COOKIE_HTTPONLY"] = True
    server.config["REMEMBER_COOKIE_SECURE"] = bool(settings.secure_cookies)
    server.add_url_rule(LOGIN_PATH, "lb_login", login_view, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_PATH, "lb_logout", logout_view, methods=["GET", "POST"])
    server.before_request(guard)
