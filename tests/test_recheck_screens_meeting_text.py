"""Meeting mode on an old projector (1024×768): Plats' tables keep a text that can be read.

Found by measuring every text of every page in meeting mode at 1024×768 with the demo store. Below
1,900 px meeting mode sets its tables in 14 px (style.css) and ``assets/meeting-fit.js`` (fitWide)
shrinks a table wider than the screen step by step. Plats' table of activities before/after their
start (eight columns) gave its verdict column 190 px and its category column 130 px
(``components.TABLE_STYLE``) however narrow the screen, so the other six columns had too little and
the table was shrunk to 10.5 px (75 %) — unreadable from the back of a room. Below 1,900 px those two
columns are now as narrow as their longest word, and the table loses at most two of fitWide's 5 %
steps (what is left comes from the before/after windows, "291 (feb 2018–jan 2019)", which never break).

Measured in the rendered page: the computed font size of every cell and header of every table, the
tables' scroll width against their width (no column off the screen) and the page's width.
"""

from __future__ import annotations

import pytest

from tests.e2e_support import SELENIUM_WARNINGS, VIEWPORT, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

#: the smallest table text (px) accepted in meeting mode at 1024×768: two steps of fitWide's 5 %
#: below the 14 px meeting mode gives its tables below 1,900 px
LEAST_TEXT = 14 * 0.9
#: each table: [id, its smallest text (px), scroll width, width]; and the page's scroll width
JS_TABLES = """
const tables = Array.from(document.querySelectorAll('.dash-table-container')).map(box => {
    const inner = box.querySelector('.dash-spreadsheet-container') || box;
    const sizes = Array.from(box.querySelectorAll('td, th')).map(e => parseFloat(getComputedStyle(e).fontSize));
    return [box.id, Math.min(...sizes), inner.scrollWidth, inner.clientWidth];
});
return [tables, document.documentElement.scrollWidth, window.innerWidth];
"""


@pytest.fixture
def projector(browser):
    """The session's browser at 1024×768; its own size comes back afterwards."""
    set_viewport(browser.driver, 1024, 768)
    yield browser
    set_viewport(browser.driver, *VIEWPORT)


@pytest.mark.parametrize("place", ["hasselby-torg", "vallingby-centrum"])
def test_the_place_pages_tables_keep_a_readable_text_in_meeting_mode_at_1024(projector, place):
    projector.open(f"/plats/{place}?mote=1", "#place-effects td")
    tables, scroll, width = projector.driver.execute_script(JS_TABLES)
    assert {t[0] for t in tables} >= {"place-comparison", "place-effects"}, tables
    small = [t[:2] for t in tables if t[1] < LEAST_TEXT - 0.01]
    assert small == [], f"tabeller med för liten text (id, px): {small}"
    wide = [t for t in tables if t[2] > t[3] + 1]
    assert wide == [], f"tabeller bredare än sin plats (id, px, bredd, synlig bredd): {wide}"
    assert scroll <= width
