"""Benchmark: how long a change of place feels in a browser (headless Chromium), at city scale.

A plain script (not a test)::

    .venv/bin/python benchmarks/bench_browser.py [--changes 10]

The real app (``create_app``) on ``benchmarks/out/city.sqlite`` (built first if missing) is served on
localhost by a threaded WSGI server; headless Chromium (Debian's, through selenium, as the end-to-end
tests) opens ``/plats/plats-001``, then picks one place after another in the Plats dropdown. Each
time is from the click on the option (the list already opened and the name typed) until the new
place's heading is shown, no callback is queued or running and every graph is drawn. Opening a Plats link (a fresh page load until the same state)
is measured as well. The last line printed is one JSON object with the times in seconds.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, STORE, ensure_store, ms, percentile

sys.path.insert(0, str(ROOT))


def _find_option(browser, element_id: str, label: str):
    """The option of a ``dcc.Dropdown`` whose label starts with ``label``, the list opened and the
    label typed as a user would (``Browser.choose`` without its last click)."""
    import json as _json

    from selenium.webdriver.common.by import By

    browser.driver.find_element(By.CSS_SELECTOR, f"#{element_id} .Select-control").click()
    browser.driver.find_element(By.CSS_SELECTOR, f"#{element_id} input").send_keys(label)
    xpath = (f"//*[@id='{element_id}']//*[contains(@class, 'VirtualizedSelectOption')]"
             f"[starts-with(normalize-space(.), {_json.dumps(label, ensure_ascii=False)})]")
    return browser.wait(lambda d: d.find_element(By.XPATH, xpath), f"{label!r} finns inte i listan")


POLL = 0.01  # seconds between checks of a condition: the resolution of every time measured here


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args(argv)
    from selenium.webdriver.common.by import By

    from lagesbild.settings import load_settings
    from lagesbild.web import create_app
    from tests import e2e_support
    from tests.e2e_support import Browser, LiveServer, make_driver

    e2e_support.POLL = POLL  # the tests poll every 0.2 s; a measurement needs a finer clock

    store = ensure_store()
    settings = load_settings({}, data_dir=str(STORE.parent / "dashboard"), db=str(STORE))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = LiveServer(create_app(settings, store).server)
    driver = make_driver()
    browser = Browser(driver, server.url, server)
    try:
        places = [f"plats-{i:03d}" for i in range(1, args.changes + 2)]
        opens = []
        for pid in places[:3]:
            start = time.perf_counter()
            browser.open(f"/plats/{pid}", ready="#pl-content h1")
            opens.append(time.perf_counter() - start)
        browser.open(f"/plats/{places[0]}", ready="#pl-content h1")
        changes = []
        for pid in places[1:]:
            name = pid.replace("plats-", "Plats ")
            option = _find_option(browser, "pl-place", name)  # open the list and type: not timed
            start = time.perf_counter()
            option.click()
            browser.wait(lambda d, n=name: d.find_element(By.CSS_SELECTOR, "#pl-content h1").text == n,
                         f"{name} visas inte")
            browser.settle()
            changes.append(time.perf_counter() - start)
    finally:
        driver.quit()
        server.close()
    print(f"Byte av plats i webbläsaren: {len(changes)} byten, median {ms(statistics.median(changes), 0)}, "
          f"p95 {ms(percentile(changes, 95), 0)} (min {ms(min(changes), 0)}, max {ms(max(changes), 0)})")
    print(f"Öppna en Plats-länk: median {ms(statistics.median(opens), 0)} ({len(opens)} gånger)")
    print(json.dumps({"benchmark": "browser", "place_change_median_s": round(statistics.median(changes), 3),
                      "place_change_p95_s": round(percentile(changes, 95), 3),
                      "open_place_link_median_s": round(statistics.median(opens), 3)}))


if __name__ == "__main__":
    main()
