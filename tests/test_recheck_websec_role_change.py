"""Recheck (websec): a role lowered while a page is open, in headless Chromium.

An analytiker had the map open; an admin made the account läsare. The server then refused the map's
callbacks (403, "Din roll (läsare) räcker inte …"), but the page did nothing at all on the next click:
the last incident map stayed on screen and nothing said why the controls no longer answered. The page
now loads again on such a refusal, and its layout says what the role may not see.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts
from tests.e2e_support import SELENIUM_WARNINGS, Browser, LiveServer, make_driver

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(SELENIUM_WARNINGS)]

PASSWORD = "analytikerns-lösenord"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("websec-role")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "r.sqlite"))
    store = Store(settings.db_url)
    accounts.add_user(store, "ada", "adminens-lösenord", "admin")
    accounts.add_user(store, "ann", PASSWORD, "analytiker")
    server = LiveServer(create_app(settings, store).server)
    driver = make_driver()
    yield Browser(driver, server.url, server), store
    driver.quit()
    server.close()


def test_a_page_whose_callbacks_the_new_role_may_not_run_says_so(site):
    browser, store = site
    d = browser.driver
    d.get(browser.base_url + "/login?next=/karta")
    d.find_element(By.ID, "username").send_keys("ann")
    d.find_element(By.ID, "password").send_keys(PASSWORD)
    d.find_element(By.ID, "login-button").click()
    browser.wait(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#map-mode input"), "the map page is not shown")
    browser.settle("#map-content")
    assert not d.find_elements(By.CSS_SELECTOR, ".refusal")

    accounts.set_role(store, "ann", "läsare")
    d.find_elements(By.CSS_SELECTOR, "#map-mode input")[1].click()  # another map mode: a refused callback
    refusal = browser.wait(lambda drv: drv.find_elements(By.CSS_SELECTOR, ".page-map .refusal"),
                           "the page did not say that the role may not see the map")[0]
    assert refusal.text == "Ingen behörighet: Din roll (läsare) räcker inte för den här delen; den kräver " \
                           "rollen analytiker."
    assert not d.find_elements(By.ID, "map-mode")  # the controls of the map are gone with it
    assert browser.location()[0] == "/karta"
    assert browser.server_errors() == []
