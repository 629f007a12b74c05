"""End to end: the overview's place links, now Markdown-escaped with percent-encoded ids, read as the
place names (no backslashes shown) and open the place's page in headless Chromium."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)


def test_the_overview_links_show_the_names_and_open_the_place(browser):
    browser.open("/", "#ov-matrix a")
    links = browser.driver.find_elements(By.CSS_SELECTOR, "#ov-matrix a")
    names = [a.text for a in links]
    assert names and not [n for n in names if "\\" in n], names
    assert "Hässelby-Vällingby" in names and "Hässelby torg" in names
    target = next(a for a in links if a.text == "Hässelby torg")
    assert target.get_attribute("href").split("?")[0].endswith("/plats/hasselby-torg")
    target.click()
    browser.settle("#place-comparison")
    assert browser.driver.find_element(By.TAG_NAME, "h1").text.startswith("Hässelby torg")
