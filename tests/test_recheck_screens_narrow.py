"""An old projector (1024×768) outside meeting mode: no page scrolls sideways.

Found by looking at every page at 1024×768 with the demo store. Below 1,100 px the page grid has one
column, written ``1fr``, whose least width is the widest content's (a grid track of ``1fr`` is
``minmax(auto, 1fr)``): Plats' table of activities before/after their start (ten columns) made the
column 1,170–1,290 px wide, so every card of Plats — its headings, tables, Excel buttons and notes —
ran past the right edge and the whole page scrolled sideways; Jämför platser likewise (1,074 px)
with its default places. The column is now ``minmax(0, 1fr)`` as the two-column grid's are: a table
wider than its card scrolls inside the card (DataTable's own container), the page does not.

Measured in the rendered page (getBoundingClientRect): the page's scroll width against the window's,
and each card's right edge.
"""

from __future__ import annotations

import pytest

from tests.e2e_support import SELENIUM_WARNINGS, VIEWPORT, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

#: [page's scroll width, window's width, cards whose right edge is past the window: [class, right]]
JS_WIDTHS = """
const W = window.innerWidth;
const cards = Array.from(document.querySelectorAll('#_pages_content .card'))
    .map(c => [c.className, c.getBoundingClientRect().right]).filter(([, r]) => r > W + 1);
return [document.documentElement.scrollWidth, W, cards];
"""


@pytest.fixture
def projector(browser):
    """The session's browser at 1024×768; its own size comes back afterwards."""
    set_viewport(browser.driver, 1024, 768)
    yield browser
    set_viewport(browser.driver, *VIEWPORT)


@pytest.mark.parametrize("path", ["/plats/hasselby-torg", "/plats/vallingby-centrum", "/jamfor"])
def test_a_page_does_not_scroll_sideways_on_a_1024_projector(projector, path):
    projector.open(path, "#_pages_content .card .dash-table-container")
    scroll, width, cards = projector.driver.execute_script(JS_WIDTHS)
    assert width == 1024
    assert cards == [], f"kort utanför fönstrets högerkant (klass, högerkant): {cards}"
    assert scroll <= width, f"sidan rullar i sidled: {scroll} > {width}"
