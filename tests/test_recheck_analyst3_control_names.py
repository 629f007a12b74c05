"""The filter bars' controls have names a screen reader says: the label above each dropdown names its
combobox, and a row of radio buttons is a radiogroup named by its label. Before, every filter-bar
dropdown (Plats, Kategorier, Perioder, …) was an unnamed combobox and Periodtyp's radios an unnamed
group, since the label was tied to nothing (analyst3's finding). Read from Chromium's own accessibility
tree (CDP Accessibility.getFullAXTree), as a screen reader gets it.

The wait is on a condition (the script names the controls after Dash has drawn them), never a sleep."""

from __future__ import annotations

import pytest

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(SELENIUM_WARNINGS)]

JS_LABELS = """
return Array.from(document.querySelectorAll('.filters .control > .control-label'))
    .map(l => l.textContent.trim()).filter(t => t);
"""


def _named(browser) -> dict:
    driver = browser.driver
    driver.execute_cdp_cmd("Accessibility.enable", {})
    nodes = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
    out: dict[str, list[str]] = {}
    for n in nodes:
        if n.get("ignored"):
            continue
        role = (n.get("role") or {}).get("value")
        # casefolded: the labels are drawn in capitals (CSS), which Chromium's names follow
        out.setdefault(role, []).append(((n.get("name") or {}).get("value") or "").strip().casefold())
    return out


@pytest.mark.parametrize("path,expected", [
    ("/plats/varberg", {"combobox": ["Plats", "Kategorier", "Perioder"], "radiogroup": ["Periodtyp"]}),
    ("/karta?omr=skarholmen", {"combobox": ["Område", "Kategorier", "Period"],
                               "radiogroup": ["Visa"]}),
    ("/", {"combobox": ["Kategorier (tomt = alla)", "Stadsdelsområde"]}),
])
def test_filter_controls_are_named_by_their_labels(browser, path, expected):
    browser.open(path, ".filters .Select-control")
    labels = browser.driver.execute_script(JS_LABELS)
    browser.wait(lambda d: all(n.casefold() in _named(browser).get("combobox", []) for n in expected["combobox"]),
                 f"{path}: the dropdowns are not named by their labels")
    named = _named(browser)
    for role, names in expected.items():
        for n in names:
            assert n in labels, (n, labels)  # the names are the labels the page shows
            assert n.casefold() in named.get(role, []), (role, n, named.get(role))
    assert "" not in named.get("combobox", []), named.get("combobox")
