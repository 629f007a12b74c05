"""End to end: the A4 landscape print view of Översikt and Plats, and the Excel buttons, in Chromium.

The page is printed to PDF by the browser (CDP ``Page.printToPDF`` with the page's own ``@page`` size);
poppler's ``pdfinfo`` and ``pdftotext`` read the file back. The layout is measured under the print
media emulation at the printed page's content width: nothing may run out sideways. PNGs of the printed
pages are saved under ``artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests.e2e_support import SELENIUM_WARNINGS, VIEWPORT

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)

A4_LANDSCAPE_PT = (841.89, 595.28)
CONTENT_WIDTH_PX = round((297 - 20) * 96 / 25.4)  # @page margin 10 mm each side
PAGES = {"oversikt": ("/", "#ov-content table", "Översikt"),
         "plats": ("/plats/hasselby-torg", "#place-comparison", "Hässelby torg")}
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"

JS_SIDEWAYS = """
// Elements that are shown and end right of the page's content box (or start left of it).
const width = document.documentElement.clientWidth, out = [];
for (const el of document.querySelectorAll('#app-root *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) { continue; }
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden') { continue; }
    if (r.right > width + 1 || r.left < -1) {
        out.push((el.id || el.className.baseVal || el.className || el.tagName) + ' ' +
                 Math.round(r.left) + '..' + Math.round(r.right) + ' > ' + width);
    }
}
return {scroll: document.scrollingElement.scrollWidth, width: width, out: out.slice(0, 10)};
"""


def _print_pdf(browser, path: Path) -> Path:
    pdf = browser.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True,
                                                             "printBackground": True})
    path.write_bytes(base64.b64decode(pdf["data"]))
    return path


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


@pytest.mark.parametrize("page", list(PAGES))
def test_print_gives_a4_landscape_pages_without_the_controls(browser, page, tmp_path):
    path, ready, heading = PAGES[page]
    browser.open(path, ready)
    button = browser.driver.find_element(By.ID, "lb-print")
    assert button.text == "Skriv ut" and button.is_displayed()
    pdf = _print_pdf(browser, tmp_path / f"{page}.pdf")
    sizes = _page_sizes(pdf)
    assert sizes and all(w == pytest.approx(A4_LANDSCAPE_PT[0], abs=1) and
                         h == pytest.approx(A4_LANDSCAPE_PT[1], abs=1) for w, h in sizes), sizes
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert heading in text and "Fiktiva demodata" in text
    for hidden in ("Skapa mötespaket", "Exportera:", "Snabbnedladdning", "Mötesläge", "Skriv ut"):
        assert hidden not in text
    # the charts came back to the screen's size after printing
    widths = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('#_pages_content .js-plotly-plot'))"
        ".map(g => [g._fullLayout.width, g.getBoundingClientRect().width])")
    assert all(abs(w - box) <= 2 for w, box in widths), widths
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(SHOTS / f"utskrift-{page}")], check=True)


@pytest.mark.parametrize("page", list(PAGES))
def test_nothing_runs_out_sideways_in_the_print_layout(browser, page):
    """Under the print media emulation at the A4 content width, after the print preparation (charts
    drawn at the printed width): the document does not scroll sideways and no element leaves it."""
    path, ready, _ = PAGES[page]
    browser.open(path, ready)
    driver = browser.driver
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": CONTENT_WIDTH_PX, "height": 720, "deviceScaleFactor": 1, "mobile": False})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})  # paper has none
    try:
        driver.execute_script("window.lagesbildPrint.prepare()")
        hidden = driver.execute_script(
            "return ['.topbar', '.filters', '.chart-tools', '.table-export', '.pack-section']"
            ".map(s => document.querySelector(s)).filter(e => e && getComputedStyle(e).display !== 'none')"
            ".map(e => e.className)")
        assert hidden == []
        found = driver.execute_script(JS_SIDEWAYS)
        assert found["out"] == [] and found["scroll"] <= found["width"] + 1, found
        charts = driver.execute_script(
            "return Array.from(document.querySelectorAll('#_pages_content .js-plotly-plot'))"
            ".map(g => g._fullLayout.height)")
        assert len(charts) >= (5 if page == "plats" else 0)  # Översikt has tables only
        assert all(h <= (210 - 20) * 96 / 25.4 for h in charts)  # no chart taller than a page
    finally:
        driver.execute_script("window.lagesbildPrint.restore()")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": False})
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1, "mobile": False})
