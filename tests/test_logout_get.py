"""``GET /logout`` (the address typed or bookmarked): a logged-in user gets the Swedish page with the
button that logs out (a POST with the CSRF token); it showed "Sidan finns inte" (websec found it)."""

from __future__ import annotations

import re

from tests.test_security_probe import _client, site  # noqa: F401 (fixture)


def test_a_logged_in_get_of_logout_offers_the_logout_button(site):  # noqa: F811
    app, _store, _cfg = site
    c, _headers = _client(app, "ann")
    page = c.get("/logout")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert '<html lang="sv">' in text and "Inloggad som <strong>ann</strong>." in text
    assert "Sidan finns inte" not in text
    token = re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)
    assert re.search(r'<form method="post" action="/logout">', text)
    out = c.post("/logout", data={"csrf_token": token})
    assert out.status_code == 302 and out.headers["Location"] == "/login"
    assert c.get("/", follow_redirects=False).status_code == 302  # logged out


def test_the_logout_page_still_needs_the_token_to_log_out(site):  # noqa: F811
    app, _store, _cfg = site
    c, _headers = _client(app, "ann")
    assert c.get("/logout").status_code == 200
    assert c.post("/logout", data={}).status_code == 400  # no CSRF token: refused
    assert c.get("/", follow_redirects=False).status_code == 200  # still logged in
