"""Meeting mode with many categories: every column of a table and every chart's text on the screen.

The demo has nine categories; a store with all nineteen of the vocabulary (as a police export or
Brå's tables bring them) made Översikt's matrix 1,595 px wide on a 1,366 px screen and 2,124 px on
1,920 in meeting mode: the last four categories and "Alla valda kategorier" lay to the right of the
table's scroll bar, which a wall screen cannot use. ``meeting-fit.js`` (``fitWide``) now gives such a
table less side padding and then smaller text, never below 65 % of its size or 9 px (whichever is
smaller), until it fits.

On Plats, the wall's 2 × 2 grid (1920 px and wider) has panels half the screen high: with five
categories or more the month chart's legend scrolled (plotly's own scroll bar, which a wall cannot use)
and its lines lay in a plot about 110 px high; with more than four categories the grid is now one column,
as below 1,900 px. With two categories of five-digit yearly counts, the counts over the bars stood level
on each other (their width was judged from the whole figure, not the plot beside the legend).

Measured in the rendered page (boxes, not time): the table's scroll width, every column header inside
the screen, no text cut (``JS_LAYOUT_PROBLEMS``), and the text size kept; outside meeting mode the
table is left as it was (it may scroll there: an analyst at a desk can).
"""

from __future__ import annotations

import pytest

from lagesbild.sources.categories import load_vocabulary
from tests.e2e_support import (
    JS_LAYOUT_PROBLEMS,
    SELENIUM_WARNINGS,
    own_app,
    set_viewport,
)
from tests.square_place import demo_with_square_place

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
#: the matrix's scroll box, its headers and its text size (and the size without fitWide's inline one)
JS_MATRIX = """
const box = document.querySelector('#ov-matrix').closest('.dash-table-container');
const inner = box.querySelector('.dash-spreadsheet-container');
const heads = Array.from(box.querySelectorAll('th')).map(th => th.getBoundingClientRect());
const size = parseFloat(getComputedStyle(box).fontSize);
const inline = box.style.getPropertyValue('font-size'), priority = box.style.getPropertyPriority('font-size');
box.style.removeProperty('font-size');
const base = parseFloat(getComputedStyle(box).fontSize);
if (inline) { box.style.setProperty('font-size', inline, priority); }
return {scroll: inner.scrollWidth, client: inner.clientWidth, heads: heads.length,
        right: Math.max(...heads.map(r => r.right)), size: size, base: base};
"""


@pytest.fixture(scope="module")
def wide_browser(browser, demo_store_path, tmp_path_factory):
    """The demo store plus one place with monthly counts of every category of the vocabulary."""
    folder = tmp_path_factory.mktemp("wide-tables")
    names = [c.name for cid, c in load_vocabulary().categories.items() if cid != "totalt"]
    assert len(names) >= 19
    rows = [(name, year, month, 1000 + 37 * i + month) for year in range(2019, 2024)
            for month in range(1, 13 if year < 2023 else 9) for i, name in enumerate(names)]
    demo_with_square_place(demo_store_path, folder, lon=18.05, lat=59.31, d=0.004, rows=rows, name="wide.sqlite",
                           properties={"place_id": "alla-kategoriers-torg", "namn": "Alla kategoriers torg",
                                       "typ": "torg", "stadsdelsomrade": "skarholmen", "befolkning": 4000,
                                       "ungefarlig": False})
    with own_app(browser, folder, folder / "wide.sqlite") as served:
        yield served


@pytest.mark.parametrize("size", list(SIZES))
def test_the_overview_matrix_of_nineteen_categories_fits_the_wall(wide_browser, size):
    width, height = SIZES[size]
    driver = wide_browser.driver
    set_viewport(driver, width, height)
    wide_browser.open("/?mote=1", "#ov-matrix")
    fitted = wide_browser.wait(lambda d: (lambda m: m if m["scroll"] <= m["client"] + 1 else None)(
        d.execute_script(JS_MATRIX)), "Översiktens tabell är bredare än skärmen i mötesläge")
    assert fitted["heads"] >= 21  # the place, nineteen categories and "Alla valda kategorier"
    assert fitted["right"] <= width
    # never below 65 % of its size or 9 px, whichever is smaller (meeting tables start at 18 px below
    # 1,900 px: nineteen categories on 1,366 px need the 9 px they had when they started at 14 px)
    assert fitted["size"] >= min(0.65 * fitted["base"], 9) - 0.01
    assert driver.execute_script(JS_LAYOUT_PROBLEMS) == []


def test_outside_meeting_mode_the_matrix_is_left_as_it_is(wide_browser):
    driver = wide_browser.driver
    set_viewport(driver, 1366, 768)
    wide_browser.open("/", "#ov-matrix")
    m = driver.execute_script(JS_MATRIX)
    assert m["size"] == m["base"] and m["scroll"] > m["client"]  # wide, and scrolls at a desk


CATEGORY_IDS = ["narkotikabrott", "vald_offentlig_miljo", "personran", "skadegorelse", "tillgrepp_butik",
                "misshandel", "olaga_hot", "ofredande", "stold", "ran", "inbrott", "bilbrott", "cykelstold",
                "bedrageri", "vapenbrott", "valdsbrott", "bedrageri_aldre", "vald_nara_relation",
                "sexualbrott"]
#: plotly's legend scroll bars that are drawn, and the meeting grid's columns
JS_LEGEND_SCROLL = """
return Array.from(document.querySelectorAll('.legend .scrollbar'))
    .filter(e => e.getBoundingClientRect().height > 0).length;
"""
JS_GRID_COLUMNS = """
return getComputedStyle(document.querySelector('.meeting-grid')).gridTemplateColumns.split(' ').length;
"""


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("n", [2, 4, 5, 19])
def test_plats_with_many_categories_keeps_every_text_on_the_wall(wide_browser, size, n):
    width, height = SIZES[size]
    driver = wide_browser.driver
    set_viewport(driver, width, height)
    wide_browser.open("/plats/alla-kategoriers-torg?mote=1&kat=" + ",".join(CATEGORY_IDS[:n]),
                      "#place-trend_months .main-svg")
    assert driver.execute_script(JS_LAYOUT_PROBLEMS) == []
    assert driver.execute_script(JS_LEGEND_SCROLL) == 0
    columns = driver.execute_script(JS_GRID_COLUMNS)
    assert columns == (2 if width >= 1900 and n <= 4 else 1)
