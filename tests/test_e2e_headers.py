"""End to end: table headers and survey labels in meeting mode read whole words (issue 14's leftovers).

A header may wrap at a space, a hyphen or a soft hyphen that lagesbild/web/wordbreaks.py put at a
compound boundary, never elsewhere inside a word: every character's line box is read with
``Range.getClientRects`` and a change of line between two letters of a word must have a soft hyphen
between them.
"""

from __future__ import annotations

import pytest

from tests.e2e_support import JS_TICK_GAPS, SELENIUM_WARNINGS, VIEWPORT

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)

JS_BROKEN_WORDS = r"""
// Words of the headers matched by arguments[0] that change line other than at a soft hyphen.
const out = [];
for (const th of document.querySelectorAll(arguments[0])) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent, re = /[^\s\-]+/g;
        let m;
        while ((m = re.exec(text))) {
            let lastTop = null, softSince = false;
            for (let i = m.index; i < m.index + m[0].length; i++) {
                if (text[i] === '\u00ad') { softSince = true; continue; }
                const r = document.createRange();
                r.setStart(node, i);
                r.setEnd(node, i + 1);
                const box = Array.from(r.getClientRects()).filter(b => b.width > 0).pop();
                if (!box) { continue; }
                const top = Math.round(box.top);
                if (lastTop !== null && Math.abs(top - lastTop) > 2 && !softSince) {
                    out.push(m[0].replace(/\u00ad/g, '') + ' @' + (i - m.index));
                }
                lastTop = top;
                softSince = false;
            }
        }
    }
}
return out;
"""


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
@pytest.mark.parametrize("meeting", [True, False], ids=["mote", "normal"])
def test_overview_headers_break_only_between_words_or_compound_parts(browser, size, meeting):
    driver = browser.driver
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False})
    try:
        browser.open("/" + ("?mote=1" if meeting else ""), "#ov-matrix")
        headers = driver.execute_script(
            "return Array.from(document.querySelectorAll('#ov-matrix th')).map(t => t.textContent)")
        assert driver.execute_script(JS_BROKEN_WORDS, "#ov-matrix th") == []
        assert any("\u00ad" in h for h in headers)  # the compound names carry their break points
        # and the table still fits the screen without scrolling sideways
        assert driver.execute_script("return document.scrollingElement.scrollWidth") <= size[0]
    finally:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1, "mobile": False})


@pytest.mark.parametrize("height", [1080, 960], ids=["fullskarm", "med-flikrad"])
def test_survey_labels_in_the_meeting_panel_keep_apart(browser, height):
    """The survey panel of a place in meeting mode at 1920 px wide: full screen, and a browser window
    with its tab strip (a lower viewport, so shorter rows): its indicator labels never touch."""
    driver = browser.driver
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1920, "height": height, "deviceScaleFactor": 1, "mobile": False})
    try:
        browser.open("/plats/hasselby-torg?mote=1", "#place-survey .ytick text")
        gaps = driver.execute_script(JS_TICK_GAPS, "place-survey")
        assert len(gaps) >= 4 and min(gaps) >= 3, gaps
    finally:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1, "mobile": False})


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
@pytest.mark.parametrize("meeting", [True, False], ids=["mote", "normal"])
def test_the_top_bar_keeps_every_link_on_one_line(browser, window, size, meeting):
    """On a 1366 px wall screen in meeting mode the ninth link (Konton) went to a second line, and
    the bar took 40 px more of the screen's height from the page."""
    window(*size)
    browser.open("/" + ("?mote=1" if meeting else ""), "#ov-matrix")
    boxes = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('.topbar .nav-link')).map(a => {"
        " const r = a.getBoundingClientRect(); return [a.textContent, r.top, r.bottom, r.right]; })")
    bar = browser.driver.execute_script(
        "return document.querySelector('.topbar').getBoundingClientRect().toJSON()")
    assert len(boxes) >= 8 and "Konton" in [b[0] for b in boxes]
    assert max(b[1] for b in boxes) - min(b[1] for b in boxes) <= 2, boxes  # one line
    assert bar["height"] <= (64 if meeting else 56) + 1, bar
    assert max(b[3] for b in boxes) <= size[0]


JS_TILE_LINES = r"""
// The text and the number of lines of every key figure's value (the big number of a tile).
return Array.from(document.querySelectorAll('.tile-value')).map(el => {
    const r = document.createRange();
    r.selectNodeContents(el);
    const tops = new Set(Array.from(r.getClientRects()).filter(b => b.width > 0)
                          .map(b => Math.round(b.top)));
    return [el.textContent, tops.size];
});
"""


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
@pytest.mark.parametrize("meeting", [True, False], ids=["mote", "normal"])
@pytest.mark.parametrize("path", ["/", "/sedan", "/karta"])
def test_key_figures_keep_their_value_on_one_line(browser, window, size, meeting, path):
    """A key figure read "31 aug" over "2023" on a 1366 px wall screen in meeting mode."""
    window(*size)
    browser.open(path + ("?mote=1" if meeting else ""), ".tile-value")
    tiles = browser.driver.execute_script(JS_TILE_LINES)
    assert len(tiles) >= 2 and all(n == 1 for _, n in tiles), tiles
