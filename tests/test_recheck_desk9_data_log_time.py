"""Data's "Inläsningar" table: the time of an ingest ("2026-12-07 05:11") broke at its hyphens into
three lines, "2026-" / "12-07" / "05:11", at 1366×768 and at 1920×1080 (desk9's Södertälje store,
where the message column is wide). Measured in the rendered page: every Tid cell's text lies on one
line (its line boxes all at one height), and it is still the ISO text, which sorts by time."""

from __future__ import annotations

import pytest

from tests.e2e_support import SELENIUM_WARNINGS, VIEWPORT, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

#: per Tid cell: [the number of lines its text is rendered on, its text]
JS_TIMES = """
const out = [];
for (const td of document.querySelectorAll('#data-log td[data-dash-column="Tid"]')) {
  const div = td.querySelector('div') || td;
  const range = document.createRange(); range.selectNodeContents(div);
  const rects = Array.from(range.getClientRects()).map(r => Math.round(r.top));
  const lines = new Set(rects).size;
  out.push([lines, div.textContent]);
}
return out;
"""


@pytest.fixture
def laptop(browser):
    set_viewport(browser.driver, 1366, 768)
    yield browser
    set_viewport(browser.driver, *VIEWPORT)


def test_ingest_times_stay_on_one_line(laptop):
    laptop.open("/data", '#data-log td[data-dash-column="Tid"]')
    cells = laptop.driver.execute_script(JS_TIMES)
    assert cells, "inga tider i tabellen"
    for lines, text in cells:
        assert lines == 1, f"{text!r} bryts på {lines} rader"
        # an ISO time with its hyphens and space kept whole: YYYY-MM-DD HH:MM
        assert text.replace("\u2011", "-").replace("\u00a0", " ")[4] == "-" and len(text) == 16
