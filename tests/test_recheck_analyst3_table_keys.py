"""Keyboard use of the tables: a link in a table cell (Översikt's places, Åtgärdsplan's places) is reached
with Tab, left with Tab, followed with Enter, and its focus is visible.

Dash's DataTable answers Tab, Enter and the arrows on any element inside it by moving its own "active
cell", and calls ``preventDefault`` even when no cell is active: focus stayed on the first place link of
Översikt's table for every further Tab (a keyboard trap, WCAG 2.1.2), Enter on it did nothing, and the
table's own CSS took the focus ring away (``outline: none``). Keys are sent through the browser (CDP key
events via ActionChains), as a keyboard user's would be.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(SELENIUM_WARNINGS)]

JS_ACTIVE = """
const e = document.activeElement, cs = getComputedStyle(e);
return {tag: e.tagName, text: (e.innerText || '').trim(), href: e.getAttribute('href'),
        inTable: !!e.closest('.dash-spreadsheet'), outline: cs.outlineStyle,
        width: parseFloat(cs.outlineWidth) || 0};
"""


def _tab(browser, *, back: bool = False) -> dict:
    keys = ActionChains(browser.driver)
    if back:
        keys.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
    else:
        keys.send_keys(Keys.TAB)
    keys.perform()
    return browser.driver.execute_script(JS_ACTIVE)


def _links(browser, table_id: str) -> list[str]:
    return [a.get_attribute("href") for a in
            browser.driver.find_elements(By.CSS_SELECTOR, f"#{table_id} .dash-spreadsheet a[href]")]


def test_tab_walks_through_and_out_of_the_overview_table(browser):
    browser.open("/", "#ov-matrix a[href]")
    links = _links(browser, "ov-matrix")
    assert len(links) >= 2, "Översikt's table should link its places"
    browser.driver.execute_script(
        "document.querySelector('[id*=\"lb-table-export\"][id*=\"ov-matrix\"]').focus()")
    seen = [_tab(browser)]
    assert seen[0]["inTable"] and seen[0]["tag"] == "A", seen[0]
    for _ in range(len(links)):
        seen.append(_tab(browser))
    hrefs = [s["href"] for s in seen if s["inTable"]]
    # every link of the table is reached once, in order, and the next Tab leaves the table
    assert [h.split("?")[0] for h in hrefs] == [h.split("?")[0].replace(browser.base_url, "") for h in links], seen
    assert not seen[-1]["inTable"], f"Tab stays in the table: {seen}"
    back = _tab(browser, back=True)
    assert back["inTable"] and back["href"] == hrefs[-1], back


def test_a_focused_table_link_has_a_visible_ring_and_enter_follows_it(browser):
    browser.open("/", "#ov-matrix a[href]")
    browser.driver.execute_script(
        "document.querySelector('[id*=\"lb-table-export\"][id*=\"ov-matrix\"]').focus()")
    first = _tab(browser)
    assert first["inTable"], first
    assert first["outline"] not in ("none", "hidden") and first["width"] >= 2, first
    target = first["href"].split("?")[0]
    ActionChains(browser.driver).send_keys(Keys.ENTER).perform()
    browser.wait_location(target)
    browser.settle("#pl-place")
