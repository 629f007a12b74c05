"""Recheck (websec): the login page, measured in headless Chromium at 1366×768 and 1920×1080.

Seen on the running dashboard: the password field was 36 px high under a 42 px user-name field (a
general rule for password inputs won over the login card's), and "Logga in" was the browser's own
small grey button, not the app's primary button.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts
from tests.e2e_support import SELENIUM_WARNINGS, Browser, LiveServer, make_driver, set_viewport

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(SELENIUM_WARNINGS)]

JS_BOXES = """
const box = id => { const r = document.getElementById(id).getBoundingClientRect();
                    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height}; };
const button = document.getElementById('login-button');
return {username: box('username'), password: box('password'), button: box('login-button'),
        card: document.querySelector('.login-card').getBoundingClientRect().toJSON(),
        background: getComputedStyle(button).backgroundColor, colour: getComputedStyle(button).color,
        fonts: document.fonts.status, scroll: document.documentElement.scrollWidth, width: innerWidth};
"""


@pytest.fixture(scope="module")
def login_browser(tmp_path_factory):
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("websec-login")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "l.sqlite"))
    store = Store(settings.db_url)
    accounts.add_user(store, "ada", "adminens-lösenord", "admin")
    server = LiveServer(create_app(settings, store).server)
    driver = make_driver()
    yield Browser(driver, server.url, server)
    driver.quit()
    server.close()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_the_login_forms_fields_match_and_its_button_is_the_apps(login_browser, size):
    browser = login_browser
    set_viewport(browser.driver, *size)
    browser.driver.get(browser.base_url + "/login")
    boxes = browser.wait(lambda d: (lambda b: b if b["fonts"] == "loaded" else None)(d.execute_script(JS_BOXES)),
                         "the login page is not drawn")
    user, password, button, card = boxes["username"], boxes["password"], boxes["button"], boxes["card"]
    assert abs(user["height"] - password["height"]) <= 0.5, (user, password)
    assert user["height"] >= 36
    assert (user["left"], user["right"]) == (password["left"], password["right"])
    assert boxes["background"] == "rgb(0, 114, 178)" and boxes["colour"] == "rgb(255, 255, 255)"
    for part in (user, password, button):  # inside the card, nothing cut or sideways
        assert card["left"] <= part["left"] and part["right"] <= card["right"]
        assert card["top"] <= part["top"] and part["bottom"] <= card["bottom"]
    assert boxes["scroll"] <= boxes["width"]
    assert browser.console_errors() == []


def test_a_wrong_password_keeps_the_form_whole(login_browser):
    browser = login_browser
    set_viewport(browser.driver, 1366, 768)
    browser.driver.get(browser.base_url + "/login")
    browser.driver.find_element(By.ID, "username").send_keys("ada")
    browser.driver.find_element(By.ID, "password").send_keys("inte-rätt")
    browser.driver.find_element(By.ID, "login-button").click()
    error = browser.wait(lambda d: d.find_elements(By.ID, "login-error"), "no error shown")[0]
    assert error.text == "Fel användarnamn eller lösenord."
    boxes = browser.driver.execute_script(JS_BOXES)
    assert abs(boxes["username"]["height"] - boxes["password"]["height"]) <= 0.5
    card, err = boxes["card"], error.rect
    assert card["left"] <= err["x"] and err["x"] + err["width"] <= card["right"]
