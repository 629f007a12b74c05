"""One-value dropdowns show their whole value (probe of issue #15, found on Mönster and Karta).

The rule that lets a long place name wrap in its dropdown (style.css) lost to the dropdown's own
``.Select--single > .Select-control .Select-value`` (same specificity, loaded later): the value stayed
absolutely placed while the input left the flow, so the box shrank to ~24 px and cut the value's text.
Measured in Chromium: every one-value dropdown's label lies inside its box, in normal and meeting mode.
"""

from __future__ import annotations

import pytest

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)

JS_CUT_VALUES = """
const out = [];
for (const control of document.querySelectorAll('.Select--single.has-value > .Select-control')) {
    const label = control.querySelector('.Select-value-label');
    if (!label) { continue; }
    const c = control.getBoundingClientRect(), l = label.getBoundingClientRect();
    if (l.top < c.top - 0.5 || l.bottom > c.bottom + 0.5 || c.height < 30) {
        out.push([control.closest('.dash-dropdown').id, Math.round(c.height), Math.round(l.top - c.top),
                  Math.round(c.bottom - l.bottom)]);
    }
}
return out;
"""


@pytest.mark.parametrize("path", ["/monster?plats=hasselby-torg", "/karta", "/plats/varberg",
                                  "/monster?plats=hasselby-torg&mote=1"])
def test_a_chosen_value_is_shown_whole_in_its_dropdown(browser, path):
    browser.open(path, "#_pages_content h1, #_pages_content .page-header")
    assert browser.driver.execute_script("return document.querySelectorAll('.Select--single.has-value')"
                                         ".length") > 0
    assert browser.driver.execute_script(JS_CUT_VALUES) == []
