"""An address that is no page of the dashboard answers 404 (it answered 200: Dash draws its pages in
the browser, so the server sent the same "OK" page for every address and only the browser said
"Sidan finns inte"). The body is still the dashboard's page, so the browser shows the Swedish page
with its menu. Every page of the README's page table keeps 200, with its query strings, as do
Dash's own routes, the assets, the login and logout pages."""

from __future__ import annotations

import pytest

from lagesbild.settings import ROOT, load_settings

#: the README's page table (eleven pages), written out by hand, not read from the code
PAGES = ["/", "/sedan", "/plats/hasselby-torg", "/karta", "/trygghet", "/atgardsplan", "/data", "/metod",
         "/konton", "/jamfor", "/monster"]
WITH_QUERIES = ["/plats/hasselby-torg?kat=inbrott&per=2021-2022&per=2022-2023", "/plats/-",
                "/plats/-?kat=inbrott", "/plats/varberg?mote=1", "/plats/vallingby-centrum/",
                "/karta?lage=forandring", "/karta?lage=tathet&kat=inbrott", "/jamfor?plats=varberg&lik=1",
                "/sedan?mote_datum=2024-05-01", "/?mote=1", "/metod?mote=1", "/data/", "/trygghet?plats=varberg"]
NO_PAGE = ["/finns-inte", "/karta/extra/del", "/karta/extra", "/404", "/oversikt", "/metod/x",
           "/plats/okand-sida-xyz", "/plats/okand/del", "/plats/finns-inte?kat=inbrott", "/_dash-finns-inte"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """The app on a store with the demo's places, no accounts (open mode on loopback)."""
    from lagesbild.ingest import ingest_file, open_store
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("notfound")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"))
    store = open_store(cfg)
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    return create_app(cfg, store).server.test_client()


@pytest.mark.parametrize("path", NO_PAGE)
def test_an_address_that_is_no_page_answers_404_with_the_dashboard(client, path):
    r = client.get(path)
    text = r.get_data(as_text=True)
    assert r.status_code == 404, (path, r.status_code)
    # the page itself: the browser draws "Sidan finns inte" (pages/not_found_404.py) under the menu
    assert r.mimetype == "text/html" and '<html lang="sv">' in text and "_dash-config" in text
    assert "_csrf_token" in r.headers.get("Set-Cookie", "")  # its callbacks can still post
    assert client.head(path).status_code == 404


@pytest.mark.parametrize("path", PAGES + WITH_QUERIES)
def test_every_page_keeps_200(client, path):
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    assert "_dash-config" in r.get_data(as_text=True)


def test_the_pages_of_the_readme_are_all_the_pages():
    """The page table above is the app's: a new page must be added here (and to the README)."""
    import dash

    registered = {p.get("path_template") or p["path"] for p in dash.page_registry.values()}
    assert registered == {*(p for p in PAGES if not p.startswith("/plats/")), "/plats/<place_id>", "/404"}


@pytest.mark.parametrize("path", ["/_dash-layout", "/_dash-dependencies", "/assets/style.css", "/_favicon.ico"])
def test_routes_that_are_not_pages_keep_their_answer(client, path):
    assert client.get(path).status_code == 200, path


def test_the_place_without_an_id_still_opens_the_chooser(client):
    r = client.get("/plats?kat=inbrott")
    assert r.status_code == 302 and r.headers["Location"].endswith("/plats/-?kat=inbrott")


def test_a_callback_still_answers_on_a_page_that_is_no_page(client):
    """The not-found page's menu and links are Dash's: the layout and the router's callback answer."""
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200 and "_pages_location" in layout.get_data(as_text=True)


def test_with_accounts_the_login_comes_first_and_then_the_404(tmp_path):
    """With accounts, the guard answers first (the address's existence is not told before a login);
    logged in, the login and logout pages keep 200 and an unknown address is 404."""
    import re

    from lagesbild.ingest import open_store
    from lagesbild.store import accounts
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "a.sqlite"))
    store = open_store(cfg)
    accounts.add_user(store, "ada", "adminens-lösenord", "admin")
    c = create_app(cfg, store).server.test_client()
    assert c.get("/finns-inte").status_code == c.get("/karta").status_code == 302
    login = c.get("/login")
    assert login.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.get_data(as_text=True)).group(1)
    assert c.post("/login", data={"username": "ada", "password": "adminens-lösenord",
                                  "csrf_token": token}).status_code == 302
    assert c.get("/logout").status_code == 200 and c.get("/konton").status_code == 200
    assert c.get("/finns-inte").status_code == 404
