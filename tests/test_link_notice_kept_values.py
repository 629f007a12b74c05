"""A Jämför address naming a period or place that is not here beside ones that are
(``per=2021-2022&per=zzz``) showed the ones that are, yet its notice said "Sidan visar i stället
standardvalet" (meet5's finding). The notice now says the page shows the address' other choices; an
address naming nothing usable of a kind still says the default is shown."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(SELENIUM_WARNINGS)]

KEPT = "Sidan visar adressens övriga val."
DEFAULT = "Sidan visar i stället standardvalet."


def _notice(browser) -> str:
    found = browser.driver.find_elements(By.ID, "cmp-link-notice")
    return found[0].text if found else ""


def test_a_bad_period_beside_a_good_one_says_the_others_are_shown(browser):
    browser.open("/jamfor?plats=varberg&plats=bredang&per=2021-2022&per=zzz&per=2022-2023", "#cmp-table")
    text = _notice(browser)
    assert "perioden 'zzz'" in text and KEPT in text and "standardvalet" not in text
    assert browser.dropdown_labels("cmp-periods") == ["2021–2022", "2022–2023"]


def test_a_bad_place_beside_a_good_one_says_the_others_are_shown(browser):
    browser.open("/jamfor?plats=varberg&plats=zzz&plats=bredang&per=2021-2022&per=2022-2023", "#cmp-table")
    text = _notice(browser)
    assert "platsen 'zzz'" in text and text.endswith(KEPT)
    assert [v.split(" (")[0] for v in browser.dropdown_labels("cmp-places")] == ["Vårberg", "Bredäng"]


def test_a_bad_place_alone_and_a_bad_period_beside_a_good_one_say_both(browser):
    browser.open("/jamfor?plats=zzz&per=2021-2022&per=zzz&per=2022-2023", "#cmp-table")
    assert "Sidan visar adressens övriga val och i övrigt standardvalet." in _notice(browser)


def test_nothing_usable_of_a_kind_still_says_the_default(browser):
    """Guard: as before."""
    browser.open("/jamfor?per=zzz", "#cmp-table")
    assert _notice(browser).split(". ")[1].startswith(DEFAULT[:-1])
