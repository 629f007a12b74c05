"""The navigation marks the page you are on, and only that page.

An unknown address that starts like a page's path ("/sedan-sist", "/kartan") is the 404 page: no tab
may be marked as if it were "Sedan sist" or "Karta" (the old rule was a bare prefix test). A page's
own sub-paths ("/plats/<id>") still mark its tab.
"""
import pytest
from selenium.webdriver.common.by import By

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

JS_ACTIVE = """
return Array.from(document.querySelectorAll('a.nav-link.active')).map(a => a.textContent.trim());
"""


def _active(browser, path, ready):
    browser.open(path, ready)
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "a.nav-link"), "menyn visas inte")
    return browser.driver.execute_script(JS_ACTIVE)


@pytest.mark.parametrize("path", ["/sedan-sist", "/kartan", "/platser", "/datakalla"])
def test_an_unknown_address_marks_no_tab(browser, path):
    assert _active(browser, path, "#not-found") == []


@pytest.mark.parametrize(("path", "ready", "tab"), [
    ("/", "#ov-content table", "Översikt"),
    ("/karta", "#map-graph", "Karta"),
    ("/plats/hasselby-torg", "#pl-place", "Plats"),
])
def test_a_page_marks_its_own_tab(browser, path, ready, tab):
    assert _active(browser, path, ready) == [tab]
