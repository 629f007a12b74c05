"""Normal mode in a window narrower than 1,300 px: a 1024 px window, 1366×768 at 125 % (1093 CSS px) or
150 % (911 px), a 1199 px window.

- Tables: below 1,200 px Plats' and Åtgärdsplan's before/after tables, Åtgärdsplan's activities and
  the Data log ran 80–330 px past their card, behind its scroll bar, and at 911 px Översikt's and
  Trygghet's tables by 65–70 px (their last columns, the verdicts, out of sight). The widest are now
  stacked (each row a block of cells under their column's names, as in meeting mode), and below
  1,000 px cells are tighter and a point smaller.
- Charts: between 1,100 and 1,300 px the pages' two-column grids made charts of 490–590 px, narrower
  than the 605 px their texts are fitted to: Plats' and Mönster's source lines and the place-share
  chart's title ran out of their SVG. The grid is one column below 1,300 px.

Measured in the rendered page (tests/e2e_support.JS_LAYOUT_PROBLEMS: texts outside the viewport, in a
box scrolled or cut, outside their chart's SVG, overlapping; the page scrolling sideways).
"""

from __future__ import annotations

import pytest

from tests.e2e_support import JS_LAYOUT_PROBLEMS, SELENIUM_WARNINGS, VIEWPORT, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

#: (CSS width, CSS height, device pixels per CSS pixel)
SIZES = {"1366-zoom150": (911, 512, 1.5), "1024x768": (1024, 768, 1), "1366-zoom125": (1093, 615, 1.25),
         "1199x800": (1199, 800, 1)}
#: page -> (path, selector present once the content is shown)
PAGES = {"oversikt": ("/", "#ov-content table"), "plats": ("/plats/hasselby-torg", "#place-comparison"),
         "trygghet": ("/trygghet", "#survey-latest"), "atgardsplan": ("/atgardsplan", "#plan-table"),
         "data": ("/data", "#data-counts"), "monster": ("/monster?plats=bredang", "#pat-weekday-hour")}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("page", list(PAGES))
def test_normal_mode_tables_and_charts_fit_a_narrow_window(browser, page, size):
    width, height, scale = SIZES[size]
    path, ready = PAGES[page]
    try:
        set_viewport(browser.driver, width, height, scale)
        browser.open(path, ready)
        assert browser.driver.execute_script("return window.innerWidth") == width
        assert browser.driver.execute_script(JS_LAYOUT_PROBLEMS) == []
    finally:
        set_viewport(browser.driver, *VIEWPORT)

