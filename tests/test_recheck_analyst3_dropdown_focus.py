"""A dropdown reached with Tab shows the dashboard's focus ring (3 px, #e69f00, as links and buttons).
react-select's own focus is a pale blue border with a 10 % shadow, which a keyboard user (or anyone at
the wall) hardly sees (analyst3's finding). Measured on the rendered control after a real Tab key."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(SELENIUM_WARNINGS)]

JS_RING = """
const sel = document.querySelector('#pl-cats .Select');
if (!sel || !sel.classList.contains('is-focused')) { return null; }
const cs = getComputedStyle(sel.querySelector('.Select-control'));
return [cs.outlineStyle, parseFloat(cs.outlineWidth) || 0, cs.outlineColor];
"""


def test_a_dropdown_reached_with_tab_has_a_visible_ring(browser):
    browser.open("/plats/varberg", "#pl-cats .Select-control")
    browser.driver.execute_script("document.querySelector('#pl-place input').focus()")
    ActionChains(browser.driver).send_keys(Keys.TAB).perform()  # on to Kategorier
    style, width, colour = browser.wait(lambda d: d.execute_script(JS_RING), "Kategorier får inte fokus")
    assert style not in ("none", "hidden") and width >= 2, (style, width)
    assert colour.replace(" ", "") == "rgb(230,159,0)", colour  # #e69f00, the ring of links and buttons
