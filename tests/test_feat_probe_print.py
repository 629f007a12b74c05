"""The print view of Plats in Chromium (probe of issue #15): the links to other pages are controls and
are left out; the quick periods' card is not split from its notes across pages.

Printed to PDF with CDP ``Page.printToPDF`` (the page's own ``@page`` size) and read back per page with
poppler's ``pdftotext``, as tests/test_e2e_print.py does.
"""

from __future__ import annotations

import base64
import subprocess

import pytest

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)


def _pages(browser, tmp_path) -> list[str]:
    pdf = browser.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    path = tmp_path / "plats.pdf"
    path.write_bytes(base64.b64decode(pdf["data"]))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")


@pytest.mark.parametrize("search", ["", "?mote=1"])
def test_plats_prints_without_its_links_and_keeps_the_quick_card_whole(browser, tmp_path, search):
    browser.open(f"/plats/varberg{search}", "#place-quick")
    pages = _pages(browser, tmp_path)
    text = "\n".join(pages)
    assert "Senaste 28 dagarna, hittills i år" in text
    for link in ("Jämför med andra platser", "Mönster i tid och rum"):
        assert link not in text
    heading = [i for i, p in enumerate(pages) if "Senaste 28 dagarna, hittills i år" in p]
    notes = [i for i, p in enumerate(pages) if "Antal brott nu mot samma dagar" in p]
    assert heading == notes, (heading, notes)  # the card's table and notes on one page
