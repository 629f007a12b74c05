"""A 1024×768 projector outside meeting mode: the verdict column of a table is on the screen.

Found by looking at every page at 1024×768 and 1280×720 with the demo store. Once the page no longer
scrolled sideways (``tests/test_recheck_screens_narrow.py``), a table wider than its card scrolled
inside it, and what was behind that scroll bar was the verdict: Plats' comparison table (nine columns)
was 942–1,136 px wide in a card of 927 px, Trygghet's 1,025 px and Jämför platser' 1,016 px, each
with "Bedömning" last. Its width came from a verdict column of at least 190 px and a category column
of at least 130 px (``components.TABLE_STYLE``), headers of number columns kept on one line ("Per
1 000 inv. och år", 194 px) and cells padded 10 px a side. Below 1,300 px those columns are as narrow
as their longest word, headers wrap at their spaces and cells are padded 6 px.

Measured in the rendered page: each table's scroll width against its width, and the verdict header's
right edge against the window's.
"""

from __future__ import annotations

import pytest

from tests.e2e_support import SELENIUM_WARNINGS, VIEWPORT, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

#: [the table's scroll width, its width, the verdict header's right edge, the window's width]
JS_TABLE = """
const box = document.getElementById(arguments[0]);
const inner = box.querySelector('.dash-spreadsheet-container');
const verdict = box.querySelector('th[data-dash-column="Bedömning"]');
return [inner.scrollWidth, inner.clientWidth, verdict.getBoundingClientRect().right, window.innerWidth];
"""


@pytest.fixture
def projector(browser):
    """The session's browser at 1024×768; its own size comes back afterwards."""
    set_viewport(browser.driver, 1024, 768)
    yield browser
    set_viewport(browser.driver, *VIEWPORT)


@pytest.mark.parametrize(("path", "table"), [
    ("/plats/hasselby-torg", "place-comparison"),
    ("/plats/vallingby-centrum", "place-comparison"),
    ("/trygghet?plats=hasselby-torg", "survey-table"),
    ("/jamfor", "cmp-table"),
])
def test_the_verdict_column_is_on_a_1024_screen(projector, path, table):
    projector.open(path, f"#{table} th[data-dash-column='Bedömning']")
    scroll, width, verdict_right, window_width = projector.driver.execute_script(JS_TABLE, table)
    assert window_width == 1024
    assert scroll <= width + 1, f"{table} rullar i sidled i sitt kort: {scroll} > {width}"
    assert verdict_right <= window_width, f"Bedömning slutar vid {verdict_right} px"
