"""Benchmark: the first chart export after the app starts, with and without the browser warmed up.

A plain script (not a test)::

    .venv/bin/python benchmarks/bench_export.py [--runs 2]

Each measurement runs in a fresh process on the demo store (``out/export_demo.sqlite``, built once):
the place page's years chart of Hässelby torg is exported as PNG (16 cm, 300 dpi) through
``web.export_controls.export_chart_bytes``, the function behind the dashboard's export menu.

* ``cold``: the export with nothing started before it (what a user waited for before the warm-up);
* ``warmed``: ``export.render.warm_shared_renderer`` started as ``app.py`` and ``web.wsgi`` start it,
  then, after ``--wait`` seconds (a user opening a page and choosing a chart), the first export; also
  how long the warm-up itself took;
* ``next``: a second export in the same process (the browser already open).

The last line printed is one JSON object with the times in seconds (``first_export_s`` is the warmed
first export) and their ratio to the next export.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, sv

DEMO = OUT / "export_demo.sqlite"
PLACE = "hasselby-torg"


def _figure(store, settings):
    from lagesbild.figures.style import FigureContext
    from lagesbild.web.views.place import place_figures, place_results

    results = place_results(store, settings, PLACE)
    return place_figures(results, store, FigureContext())["trend_years"]


def child(mode: str, wait: float) -> dict:
    from lagesbild.export.render import warm_shared_renderer
    from lagesbild.settings import load_settings
    from lagesbild.store import Store
    from lagesbild.web.export_controls import export_chart_bytes

    settings = load_settings({}, data_dir=str(OUT / "export"), db=str(DEMO))
    store = Store(settings.db_url, create=False)
    out = {}
    if mode == "warmed":
        t0 = time.perf_counter()
        thread = warm_shared_renderer(settings.chromium)
        thread.join()
        out["warm_up_s"] = time.perf_counter() - t0
        time.sleep(max(0.0, wait - out["warm_up_s"]))
    fig = _figure(store, settings)
    t0 = time.perf_counter()
    content, _ = export_chart_bytes(fig, "png", settings)
    out["first_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    export_chart_bytes(fig, "png", settings)
    out["next_s"] = time.perf_counter() - t0
    out["bytes"] = len(content)
    return out


def ensure_demo() -> None:
    if DEMO.exists():
        return
    from lagesbild.demo.load import load_demo
    from lagesbild.settings import load_settings
    from lagesbild.store import Store

    settings = load_settings({}, data_dir=str(OUT / "export"), db=str(DEMO))
    print("Bygger demodatabasen …", flush=True)
    list(load_demo(Store(settings.db_url), settings))


def run(mode: str, wait: float) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--wait", str(wait)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--wait", type=float, default=3.0, help="sekunder mellan start och export")
    parser.add_argument("--child", choices=["cold", "warmed"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.wait)))
        return
    ensure_demo()
    print(f"belastning (1, 5, 15 min) {', '.join(sv(x, 2) for x in os.getloadavg())}")
    cold = [run("cold", args.wait) for _ in range(args.runs)]
    warmed = [run("warmed", args.wait) for _ in range(args.runs)]
    first_cold = statistics.median(r["first_s"] for r in cold)
    first = statistics.median(r["first_s"] for r in warmed)
    warm_up = statistics.median(r["warm_up_s"] for r in warmed)
    following = statistics.median(r["next_s"] for r in cold + warmed)
    print(f"Första export utan förvärmning (median av {args.runs}): {sv(first_cold, 2)} s")
    print(f"Förvärmningen i bakgrunden: {sv(warm_up, 2)} s")
    print(f"Första export {sv(args.wait, 0)} s efter start, förvärmd: {sv(first, 2)} s")
    print(f"Nästa export: {sv(following, 2)} s; PNG {sv(warmed[-1]['bytes'])} byte")
    print(json.dumps({"benchmark": "export", "first_export_s": round(first, 3),
                      "first_export_cold_s": round(first_cold, 3), "warm_up_s": round(warm_up, 3),
                      "next_export_s": round(following, 3),
                      "first_over_next": round(first / following, 2),
                      "load_average": [round(x, 2) for x in os.getloadavg()]}))


if __name__ == "__main__":
    main()
