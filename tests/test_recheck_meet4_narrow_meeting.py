"""Meeting mode on a laptop at browser zoom: 1366×768 at 150 % is a window of 911 CSS px, at 125 % one of
1093 px. Plats and Jämför fitted their charts to meeting mode's nominal 900 px panel, but a one-column
panel in a 911 px window is 846 px wide: counts over the bars, the x axis's labels and the source line,
a legend and its subtitle, judged apart at 900 px, ran into each other (meet3's Södertälje store: the
year chart's turned counts "37" / "49" touched, Jämför's subtitle ran out of its SVG). The pages now send
the window's width with their controls, as Karta does, and their figures are fitted to the panel's width
(lagesbild/figures/window.py).

Measured in the rendered page (tests/e2e_support.JS_LAYOUT_PROBLEMS: texts overlapping in a chart,
titles and texts outside their SVG, boxes outside the viewport, the page scrolling sideways), on the
demo store with the views that overlapped at 911 px, and at the laptop's and the projector's usual sizes.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.e2e_support import JS_LAYOUT_PROBLEMS, SELENIUM_WARNINGS, VIEWPORT, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

#: (CSS width, CSS height, device pixels per CSS pixel): 1366×768 at 150 % and 125 %, then at 100 %,
#: and the projector
SIZES = {"1366-zoom150": (911, 512, 1.5), "1366-zoom125": (1093, 615, 1.25), "1366x768": (1366, 768, 1),
         "1920x1080": (1920, 1080, 1)}
THREE_YEARS = "&".join("per=" + quote(p) for p in ("2020–2021", "2021–2022", "2022–2023"))
CATEGORIES = ("skadegorelse", "narkotikabrott", "valdsbrott", "tillgrepp_butik", "inbrott", "personran",
              "vald_nara_relation")
#: view -> (path, selector present once the content is shown)
VIEWS = {
    # three categories over three years: the place-share chart's legend ran over its subtitle
    "plats-3x3": ("/plats/hasselby-torg?mote=1&" + "&".join(f"kat={c}" for c in CATEGORIES[:3])
                  + "&" + THREE_YEARS, "#place-comparison"),
    # the city's counts, seven categories over three years: the year chart's x labels over its source
    "plats-stad-7x3": ("/plats/stockholm?mote=1&" + "&".join(f"kat={c}" for c in CATEGORIES)
                       + "&" + THREE_YEARS, "#place-comparison"),
    # a guard (it held before): four places side by side
    "jamfor-4": ("/jamfor?mote=1&plats=hasselby-torg&plats=varberg&plats=skarholmen-centrum"
                 "&plats=vallingby-centrum", "#cmp-table"),
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_meeting_charts_fit_a_laptop_at_browser_zoom(browser, view, size):
    width, height, scale = SIZES[size]
    path, ready = VIEWS[view]
    try:
        set_viewport(browser.driver, width, height, scale)
        browser.open(path, ready)
        assert browser.driver.execute_script("return window.innerWidth") == width
        assert browser.driver.execute_script(JS_LAYOUT_PROBLEMS) == []
    finally:
        set_viewport(browser.driver, *VIEWPORT)
