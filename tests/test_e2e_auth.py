"""End to end: login, what each role can reach, the audit log, and the refusal to start in the open.

A private copy of the demo store with one account per role is served on loopback (so login is
required: the store has accounts); headless Chromium logs in through the Swedish login page. Pages are
checked on the server's answer, not only on hidden links: a läsare opening ``/karta`` or ``/data`` by
address gets a refusal and no map or upload. Every page is loaded under the app's
Content-Security-Policy, and the console must stay free of errors (a blocked script or style would log).
"""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

from lagesbild.settings import ROOT, load_settings
from lagesbild.store import Store, accounts
from tests.e2e_support import SELENIUM_WARNINGS, Browser, LiveServer, copy_sqlite, make_driver

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)

USERS = {"lasse": ("läsare", "läsarens-lösenord"), "ann": ("analytiker", "analytikerns-lösenord"),
         "ada": ("admin", "adminens-lösenord")}


@pytest.fixture(scope="module")
def site(demo_store_path, tmp_path_factory):
    """(browser, store): the app with accounts on a live server, and a browser of its own."""
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("e2e-auth")
    copy_sqlite(demo_store_path, folder / "auth.sqlite")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "auth.sqlite"), max_upload_mb=1)
    store = Store(settings.db_url)
    for name, (role, password) in USERS.items():
        accounts.add_user(store, name, password, role)
    server = LiveServer(create_app(settings, store).server)
    driver = make_driver()
    yield Browser(driver, server.url, server), store
    driver.quit()
    server.close()


def log_in(browser, name, password=None):
    d = browser.driver
    d.get("about:blank")  # the open page stopped: no answer of its callbacks sets a cookie again
    d.execute_cdp_cmd("Network.clearBrowserCookies", {})  # every site's (delete_all_cookies: the page's)
    d.get(browser.base_url + "/")
    browser.wait(lambda drv: "/login" in drv.current_url, "not sent to the login page")
    d.find_element(By.ID, "username").send_keys(name)
    d.find_element(By.ID, "password").send_keys(password or USERS[name][1])
    d.find_element(By.ID, "login-button").click()


def nav_labels(browser) -> list[str]:
    return [a.text for a in browser.driver.find_elements(By.CSS_SELECTOR, ".nav .nav-link")]


def test_the_login_page_refuses_a_wrong_password_in_swedish(site):
    browser, store = site
    log_in(browser, "ann", "inte-rätt-lösenord")
    error = browser.wait(lambda d: d.find_elements(By.ID, "login-error"), "no error shown")[0]
    assert error.text == "Fel användarnamn eller lösenord."
    assert browser.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv"
    assert "Logga in" in browser.driver.page_source
    assert accounts.audit_entries(store, 1)[0]["action"] == "login_failed"
    assert browser.console_errors() == []


def refused_console_errors(browser, paths) -> list[str]:
    """The console's errors but Chromium's note that the document of a refused page answered 403 (its
    status since tests/test_recheck_ops2_forbidden.py; the page itself says "Ingen behörighet")."""
    own = tuple(f"{browser.base_url}{p} - Failed to load resource: the server responded with a status of 403"
                for p in paths)
    return [e for e in browser.console_errors() if not e.startswith(own)]


def test_a_lasare_sees_aggregates_but_not_the_map_or_the_upload(site):
    browser, _ = site
    log_in(browser, "lasse")
    browser.settle(".page-overview")
    assert nav_labels(browser) == ["Översikt", "Sedan sist", "Plats", "Trygghet", "Åtgärdsplan", "Metod"]
    assert "lasse (läsare)" in browser.text("user-name")
    assert not browser.driver.find_elements(By.ID, "open-banner")
    for path in ("/karta", "/data", "/konton"):
        browser.open(path, ".refusal")
        assert "Ingen behörighet" in browser.driver.find_element(By.CSS_SELECTOR, ".refusal").text
        assert not browser.driver.find_elements(By.ID, "map-graph")
        assert not browser.driver.find_elements(By.ID, "dt-upload")
        assert not browser.driver.find_elements(By.ID, "adm-audit")
    browser.open("/plats/hasselby-torg", ".chart-card")
    assert browser.driver.find_elements(By.CSS_SELECTOR, ".js-plotly-plot")
    assert refused_console_errors(browser, ("/karta", "/data", "/konton")) == []
    assert browser.server_errors() == []
    browser.driver.find_element(By.ID, "logout-button").click()
    browser.wait(lambda d: "/login" in d.current_url, "logout did not end at the login page")


def test_a_chart_export_click_sends_the_page_address_and_the_server_renders_its_own_figure(site):
    browser, store = site
    log_in(browser, "lasse")
    browser.settle(".page-overview")
    browser.open("/plats/hasselby-torg?kat=skadegorelse", ".chart-card")
    button = browser.driver.find_element(
        By.CSS_SELECTOR, '[id*="lb-chart-export"][id*="place-trend_years"][id*="png"]')
    browser.driver.execute_script("arguments[0].click()", button)
    entry = browser.wait(lambda d: next((e for e in accounts.audit_entries(store, 5)
                                         if e["action"].startswith("export_chart")), None),
                         "no export was recorded", timeout=180)
    assert entry["username"] == "lasse"
    assert entry["detail"].endswith("(/plats/hasselby-torg?kat=skadegorelse)")
    assert entry["detail"].startswith("Anmälda brott per september–augusti-år Hässelby torg")
    assert browser.console_errors() == [] and browser.server_errors() == []


def test_an_analytiker_sees_the_incident_map_and_the_upload(site, tmp_path):
    browser, store = site
    log_in(browser, "ann")
    browser.settle(".page-overview")
    assert nav_labels(browser) == ["Översikt", "Sedan sist", "Plats", "Karta", "Trygghet", "Åtgärdsplan", "Data",
                                   "Metod"]
    browser.open("/karta", "#map-graph")
    drawn = browser.driver.find_elements(By.CSS_SELECTOR, "#map-graph .main-svg .scatterlayer .trace")
    assert drawn, "the map was not drawn"
    browser.open("/data", "#dt-upload")
    assert "Största filstorlek: 1 MB" in browser.text("dt-upload")
    big = tmp_path / "stor.csv"
    big.write_bytes(b"a;b\n" * 400_000)  # 1.6 MB
    browser.driver.find_element(By.CSS_SELECTOR, "#dt-upload input[type=file]").send_keys(str(big))
    browser.wait(lambda d: d.find_element(By.ID, "dt-size-error").text, "no size refusal shown")
    assert browser.text("dt-size-error") == (
        "Filen stor.csv är för stor: största tillåtna storlek är 1 MB. Den har inte skickats.")
    browser.settle()
    assert not [e for e in accounts.audit_entries(store, 20) if e["action"] == "upload"]
    browser.open("/konton", ".refusal")
    assert refused_console_errors(browser, ("/konton",)) == [] and browser.server_errors() == []


def test_an_admin_sees_the_accounts_and_the_audit_log(site):
    browser, _ = site
    log_in(browser, "ada")
    browser.settle(".page-overview")
    assert nav_labels(browser)[-1] == "Konton"
    browser.open("/konton", "#adm-audit")
    browser.screenshot("konton", full_page=False)
    # every action is a styled button (Ändra roll and Ta bort konto were the browser's plain ones)
    plain = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('.page button')).filter(b => "
        "getComputedStyle(b).borderRadius === '0px' || getComputedStyle(b).backgroundColor === 'rgb(239, 239, 239)')"
        ".map(b => b.textContent)")
    assert plain == [], plain
    placeholders = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('#adm-audit input')).map(i => i.placeholder).filter(p => p)")
    assert placeholders and all(p == "filtrera …" for p in placeholders), placeholders  # was "filter data..."
    users = browser.table("adm-users")
    assert [(r["Användare"], r["Roll"]) for r in users["rows"]] == [
        ("ada", "admin"), ("ann", "analytiker"), ("lasse", "läsare")]
    audit = browser.table("adm-audit")
    seen = {(r["Vem"], r["Vad"]) for r in audit["rows"]}
    assert {("ada", "inloggning"), ("ann", "misslyckad inloggning"), ("lasse", "utloggning")} <= seen
    # a new account from the form, then usable for a login
    d = browser.driver
    d.find_element(By.CSS_SELECTOR, "#adm-name").send_keys("nils")
    d.find_element(By.CSS_SELECTOR, "#adm-password").send_keys("nils-lösenord-1")
    d.find_element(By.ID, "adm-add").click()
    browser.wait(lambda drv: "skapat" in drv.find_element(By.ID, "adm-status").text, "no account made")
    assert ("nils", "läsare") in [(r["Användare"], r["Roll"]) for r in browser.table("adm-users")["rows"]]
    assert d.find_element(By.ID, "adm-password").get_attribute("value") == ""
    assert browser.console_errors() == [] and browser.server_errors() == []
    log_in(browser, "nils", "nils-lösenord-1")
    browser.settle(".page-overview")
    assert "nils (läsare)" in browser.text("user-name")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_without_accounts_the_app_refuses_to_listen_beyond_loopback(site, tmp_path):
    browser, _ = site
    port = _free_port()
    env = {"LAGESBILD_DB": str(tmp_path / "tom.sqlite"), "LAGESBILD_DATA_DIR": str(tmp_path),
           "LAGESBILD_HOST": "0.0.0.0", "LAGESBILD_PORT": str(port), "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(ROOT / "app.py")], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2
    assert done.stderr.startswith("Fel: appen skulle lyssna på 0.0.0.0, men databasen har inga konton")
    with pytest.raises(WebDriverException, match="ERR_CONNECTION_REFUSED"):  # nothing is listening
        browser.driver.get(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_a_signed_in_admin_in_meeting_mode_keeps_the_top_bar_on_one_line(site, size):
    """The admin's nine links, the data date, "Logga ut" and "Avsluta mötesläge" share the bar of a
    wall screen: the links stay on one line and nothing leaves the screen (the account's name and
    role in the bar sent "Konton" to a second line even at 1920 px)."""
    browser, _ = site
    d = browser.driver
    log_in(browser, "ada")
    browser.settle(".page-overview")
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False})
    try:
        browser.open("/?mote=1", "#ov-matrix")
        links = d.execute_script(
            "return Array.from(document.querySelectorAll('.topbar .nav-link')).map(a => {"
            " const r = a.getBoundingClientRect(); return [a.textContent, r.top]; })")
        right = d.execute_script("return Array.from(document.querySelectorAll('.topbar *'))"
                                 ".map(e => e.getBoundingClientRect().right)")
        bar = d.execute_script("return document.querySelector('.topbar').getBoundingClientRect().height")
        browser.screenshot(f"admin-mote-{size[0]}x{size[1]}", full_page=False)
        assert [t for t, _ in links][-1] == "Konton"
        # the wall shows no account name; the logout button still names it on hover
        assert not d.find_element(By.ID, "user-name").is_displayed()
        assert d.find_element(By.ID, "logout-button").get_attribute("title") == "Logga ut ada (admin)"
        assert max(t for _, t in links) - min(t for _, t in links) <= 2, links
        assert max(right) <= size[0] and bar <= 65, (max(right), bar)
    finally:
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})


def test_a_page_whose_login_has_ended_goes_to_the_login_page_and_back(site):
    """A login ended elsewhere (logout on another device, a new password, the session hours passed):
    the page's next request got 401 and Dash did nothing at all, a click on a link changed nothing
    and said nothing. The page now goes to the login page, and back to where it was after it."""
    browser, store = site
    log_in(browser, "lasse")
    browser.settle(".page-overview")
    accounts.end_sessions(store, "lasse")  # as a logout on another device does
    browser.driver.find_element(By.LINK_TEXT, "Trygghet").click()
    browser.wait(lambda d: "/login?next=" in d.current_url, "the page did not go to the login page")
    assert "%2Ftrygghet" in browser.driver.current_url
    d = browser.driver
    d.find_element(By.ID, "username").send_keys("lasse")
    d.find_element(By.ID, "password").send_keys(USERS["lasse"][1])
    d.find_element(By.ID, "login-button").click()
    browser.wait(lambda drv: drv.current_url.endswith("/trygghet"), "not back on the page after the login")
