"""A table header's number stays whole when the header wraps: "Per 1 000 inv. och år", never "Per 1" over
"000 inv.".

Headers of number columns were kept on one line, which made Plats' comparison table too wide for a
1024×768 projector; since be2e36f they wrap at their spaces below 1,300 px, and the header "Per 1 000
inv. och år" (written with a plain space in the thousands) broke between "1" and "000" — read as "Per
1" and "000 inv. och år". A header's thousands are now joined by a no-break space, as the numbers in the
cells are (Swedish format: a no-break space between thousands), by ``components.table``.

Measured in the rendered page: the line boxes (a DOM Range's getBoundingClientRect) of the "1" and of
the "000" after it in the header.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lagesbild.web.components import table
from tests.e2e_support import SELENIUM_WARNINGS, VIEWPORT, set_viewport

#: the tops of the "1" and of the first "0" after it in the rate column's header, and the header's lines
JS_HEADER = r"""
const th = Array.from(document.querySelectorAll('#place-comparison th'))
    .find(e => /^Per 1\s000 inv/.test(e.innerText.replace(/\n/g, ' ')));
if (!th) { return null; }
const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
let node;
while ((node = walker.nextNode()) && !/1\s000/.test(node.textContent)) {}
const i = node.textContent.search(/1\s000/);
const box = k => { const r = document.createRange(); r.setStart(node, k); r.setEnd(node, k + 1);
                   return r.getBoundingClientRect().top; };
return [box(i), box(i + 2), th.getBoundingClientRect().height];
"""


@pytest.mark.filterwarnings(SELENIUM_WARNINGS)
@pytest.mark.browser
def test_the_rate_header_keeps_1_000_on_one_line_at_1024(browser):
    set_viewport(browser.driver, 1024, 768)
    try:
        browser.open("/plats/vallingby-centrum", "#place-comparison th")
        found = browser.driver.execute_script(JS_HEADER)
    finally:
        set_viewport(browser.driver, *VIEWPORT)
    assert found is not None, "kolumnen Per 1 000 inv. och år finns inte"
    one, thousand, height = found
    assert height > 40  # the header does wrap at this width (two lines or more)
    assert abs(one - thousand) < 2, f"'1' och '000' på olika rader ({one} / {thousand})"


def test_a_header_gets_no_break_spaces_in_its_thousands_only():
    frame = pd.DataFrame({"Per 1 000 inv. och år": ["1,0"], "2019–2020": ["3"], "Kategori 2 och 3": ["x"],
                          "12 345 678": ["y"]})
    grid = table(frame, "t")
    names = [c["name"] for c in grid.columns]
    assert names == ["Per 1\u00a0000 inv. och år", "2019–2020", "Kategori 2 och 3", "12 345 678"
                     .replace(" ", "\u00a0")]
    assert [c["id"] for c in grid.columns] == list(frame.columns)  # the ids the styles refer to unchanged

