"""End to end: the Excel buttons beside a table and in a chart's export menu download an XLSX file.

Chromium saves downloads into a folder of the test (CDP ``Browser.setDownloadBehavior``); the file is
opened with openpyxl and its counts compared with the analysis layer's result on the served store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests.e2e_support import SELENIUM_WARNINGS
from tests.sheets import numbers_rows

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)


def _downloaded(browser, folder: Path, before: set) -> Path:
    def done(_):
        new = [p for p in folder.iterdir() if p.name not in before and p.suffix == ".xlsx"]
        return new[0] if new else False
    try:
        return browser.wait(done, "no XLSX file was downloaded")
    except Exception as exc:
        msgs = browser.driver.execute_script(
            "return Array.from(document.querySelectorAll('.chart-export-msg')).map(e => e.textContent)")
        raise AssertionError(f"no XLSX file: {sorted(folder.iterdir())}, messages {msgs}, "
                             f"console {browser.console_errors()}, server {browser.server_errors()}") from exc


def _rows(path: Path) -> list[dict]:
    return numbers_rows(path.read_bytes())


def test_excel_beside_a_table_and_in_a_chart_menu_download_the_numbers(browser, served_store,
                                                                        e2e_store, tmp_path):
    from lagesbild.analysis.place import place_comparison, place_view

    settings = e2e_store[0]
    driver = browser.driver
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow",
                                                           "downloadPath": str(tmp_path)})
    browser.open("/plats/hasselby-torg", "#place-comparison")
    periods = [o.get_attribute("textContent") for o in driver.find_elements(
        By.CSS_SELECTOR, "#pl-periods .Select-value-label, #pl-periods [class*=multi-value__label]")]
    button = driver.find_element(By.CSS_SELECTOR, ".table-with-export .xlsx-button")
    assert button.text == "Excel" and button.is_displayed()
    button.click()
    table_file = _downloaded(browser, tmp_path, set())
    assert table_file.name.startswith("Anmälda brott per period och förändring Hässelby torg")
    rows = _rows(table_file)
    ref = place_comparison(served_store, "hasselby-torg", periods or None)
    cats = {r["Kategori-id"] for r in rows} - {"alla"}
    assert cats and cats <= set(ref["category"])
    matched = 0
    for r in rows:
        x = ref[(ref["category"] == r["Kategori-id"]) & (ref["period_b"] == r["Period B"])]
        if len(x) and r["Kategori-id"] != "alla":
            assert r["Antal B"] == int(x["count_b"].iloc[0])
            matched += 1
    assert matched >= len(cats)

    before = {p.name for p in tmp_path.iterdir()}
    driver.find_element(By.CSS_SELECTOR, "#place-trend_years ~ .chart-tools .xlsx-button").click()
    chart_file = _downloaded(browser, tmp_path, before)
    counts = place_view(served_store, settings, "hasselby-torg")["counts"]
    got = {(r["Kategori-id"], r["Period"]): r["Antal"] for r in _rows(chart_file)}
    assert got == {(c, p): int(n) for c, p, n in counts[["category", "period", "count"]].itertuples(
        index=False)}
