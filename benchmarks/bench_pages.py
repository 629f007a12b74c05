"""Benchmark: opening each page of the dashboard in a browser (headless Chromium), at city scale.

A plain script (not a test)::

    .venv/bin/python benchmarks/bench_pages.py [--rounds 3]

The real app (``create_app``) on ``benchmarks/out/city.sqlite`` (114 places, 1.5 M incidents; built
first if missing) served on localhost, as in ``bench_browser.py``. Each page is opened by its address
(a fresh page load: Dash's scripts, the layout, every callback) until no callback is queued or running
and every graph is drawn. The app is started as ``app.py`` starts it, its warm-up
(``analysis.warmup``) finished; the first round follows the start, the median of the later rounds is
the page as a user opens it again.

Reference, in the same run: the median of opening ``/metod``, the page with no data (a page of text),
which is about what the browser, Dash and the page frame cost before any number is computed or drawn
(a light page with a small table, such as Trygghet on a store without surveys, can open a little
faster). Each page's ratio is its median over that reference.

The last line printed is one JSON object: ``{"benchmark": "pages", "reference_s": s, "pages": {path:
{"median_s": s, "first_s": s, "ratio_to_reference": r}}}``.
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

from common import ROOT, STORE, ensure_store, ms, sv

sys.path.insert(0, str(ROOT))

REFERENCE = "/metod"
PAGES = ["/", "/sedan", "/plats/plats-001", "/plats/skarholmen", "/karta", "/trygghet", "/atgardsplan",
         "/data", "/jamfor", "/jamfor?plats=skarholmen&plats=farsta&plats=bromma&plats=spanga-tensta",
         "/monster"]
POLL = 0.01  # seconds between checks: the resolution of every time measured here


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rundor (den första efter starten)")
    args = parser.parse_args(argv)
    from lagesbild.analysis.warmup import start_warming
    from lagesbild.settings import load_settings
    from lagesbild.web import create_app
    from tests import e2e_support
    from tests.e2e_support import Browser, LiveServer, make_driver

    e2e_support.POLL = POLL
    store = ensure_store()
    settings = load_settings({}, data_dir=str(STORE.parent / "dashboard"), db=str(STORE))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app(settings, store)
    start_warming(store, settings).join()  # as app.py and web.wsgi start the app
    server = LiveServer(app.server)
    driver = make_driver()
    browser = Browser(driver, server.url, server)
    times: dict[str, list[float]] = {p: [] for p in [REFERENCE, *PAGES]}
    try:
        for _ in range(max(args.rounds, 2)):
            for path in times:
                start = time.perf_counter()
                browser.open(path)
                browser.settle()
                times[path].append(time.perf_counter() - start)
                problems = browser.console_errors() + [str(e) for e in browser.server_errors()]
                if problems:
                    raise RuntimeError(f"{path}: {problems[:3]}")
    finally:
        driver.quit()
        server.close()
    reference = statistics.median(times[REFERENCE][1:])
    print(f"1 500 000 brott, 114 platser. Referens: {REFERENCE} (sidan utan data) median {ms(reference, 0)}")
    out = {}
    for path in PAGES:
        later = statistics.median(times[path][1:])
        out[path] = {"median_s": round(later, 3), "first_s": round(times[path][0], 3),
                     "ratio_to_reference": round(later / reference, 2)}
        print(f"{path:72s} median {ms(later, 0):>9s} (första {ms(times[path][0], 0):>9s}): "
              f"{sv(later / reference, 1)} × referensen")
    print(json.dumps({"benchmark": "pages", "reference_s": round(reference, 3), "pages": out}))


if __name__ == "__main__":
    main()
