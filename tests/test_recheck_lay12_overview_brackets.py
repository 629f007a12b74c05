"""lay12 re-check: Översikt's cells break before their bracket, never inside it where it fits.

desk11 saw "18 (+5," over "+38 %)" at 1366 px: a cell "count (change, percentage)" wrapped at the space
inside its bracket. Joining the change and the percentage by a no-break space (0789b26) was reverted: the
bracket could then not break at all and at 1024-1199 px and at 125-150 % zoom the table ran past the
window (tests/test_recheck_meet4_narrow_tables.py). Now the bracket is a box of its own: the cell breaks
before it ("18" over "(+5, +38 %)") and inside it only when the bracket alone is wider than the cell.

Measured in the rendered page on the text itself (works on any markup of the cell): the top of the
bracket's first and last character (a Range over each), the bracket's width on one line (a copy of it
in the cell's font, nowrap) against the cell's inner width; and the table inside its window.
"""

from __future__ import annotations

import pytest

from tests.e2e_support import SELENIUM_WARNINGS, VIEWPORT, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

#: cells whose bracket "(…)" starts and ends on different lines although it fits the cell on one line:
#: [cell text, the bracket's one-line width, the cell's inner width]; and how many cells have a bracket
JS_BROKEN_BRACKETS = """
const out = [];
let n = 0;
const at = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                          return r.getBoundingClientRect(); };
document.querySelectorAll('#ov-matrix td').forEach(td => {
  if (!/^c\\d+$/.test(td.dataset.dashColumn || '')) { return; }
  const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
  const chars = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) { chars.push([node, i, node.data[i]]); }
  }
  const text = chars.map(c => c[2]).join('');
  const open = text.indexOf('('), close = text.lastIndexOf(')');
  if (open < 0 || close < open) { return; }
  n += 1;
  const first = at(chars[open][0], chars[open][1]), last = at(chars[close][0], chars[close][1]);
  const probe = document.createElement('span');
  probe.textContent = text.slice(open, close + 1);
  probe.style.whiteSpace = 'nowrap';
  probe.style.position = 'absolute';
  probe.style.visibility = 'hidden';
  const host = chars[open][0].parentElement;
  host.appendChild(probe);
  const need = probe.getBoundingClientRect().width;
  probe.remove();
  const cs = getComputedStyle(td);
  const room = td.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  if (Math.abs(first.top - last.top) > 2 && need <= room - 1) {
    out.push([text, Math.round(need), Math.round(room)]);
  }
});
return [n, out];"""
#: how far Översikt's table runs past its card or the window (px; 0 when inside)
JS_PAST = """
const sheet = document.querySelector('#ov-matrix').closest('.dash-spreadsheet-container')
    || document.querySelector('#ov-matrix');
const box = sheet.getBoundingClientRect();
return Math.max(sheet.scrollWidth - sheet.clientWidth, box.right - window.innerWidth, 0);"""

#: (CSS width, CSS height, device pixels per CSS pixel)
SIZES = {"1366x768": (1366, 768, 1), "1024x768": (1024, 768, 1), "1366-zoom125": (1093, 615, 1.25),
         "1366-zoom150": (911, 512, 1.5), "1920x1080": (1920, 1080, 1)}


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "mote"])
@pytest.mark.parametrize("size", list(SIZES))
def test_overview_cells_break_before_their_bracket(browser, size, meeting):
    width, height, scale = SIZES[size]
    try:
        set_viewport(browser.driver, width, height, scale)
        browser.open("/" + ("?mote=1" if meeting else ""), "#ov-matrix td")
        n, broken = browser.driver.execute_script(JS_BROKEN_BRACKETS)
        assert n > 20  # the demo's cells were read
        assert broken == [], broken
        assert browser.driver.execute_script(JS_PAST) <= 1
    finally:
        set_viewport(browser.driver, *VIEWPORT)
