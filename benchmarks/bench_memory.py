"""Benchmark: the dashboard's memory over many interactions at city scale (does it stay flat?).

A plain script (not a test)::

    .venv/bin/python benchmarks/bench_memory.py [--rounds 4] [--areas 14] [--categories 6]

On the store built by ``bench_ingest.py`` (``benchmarks/out/city.sqlite``, 114 places, 1.5 M
incidents; built first if missing). The app is made by ``create_app`` and driven through Flask's test
client with the requests a browser sends (``bench_dashboard.Client``). One round is what a long day of
use asks: the Plats page of every place, the Plats page of one place with every selection of 2–5
consecutive Sep–Aug years, the map (Gi*) of ``--areas`` districts for ``--categories`` categories
each, and the overview for every (year, category filter). The process's resident memory (``VmRSS``
after a garbage collection) is read after the app is made and after each round; its peak is
``VmHWM``.

Memory stays flat when the later rounds add little to what the first round needed: the first round
reads the shared data once (the monthly counts, coverage and the map's incident points, plotly's
validators) and fills the per-version caches; later rounds ask the same kinds of question again with
each answer computed anew from those caches (the per-view memo holds :data:`MEMO_SIZE` results and
drops the oldest). The ratio printed is the growth over the later rounds divided by the first round's
growth (reference: the working set a day's use needs); the distance to the data is the resident
memory after the rounds divided by the monthly counts' own size in memory.

The last line printed is one JSON object: ``{"benchmark": "memory", "rss_mb": [...], "peak_mb": p,
"first_round_mb": a, "later_growth_mb": b, "later_growth_vs_first": r, "interactions": n}``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_dashboard as bd
from common import STORE, ensure_data, ensure_store, sv


def rss_mb() -> tuple[float, float]:
    """(resident, peak resident) memory of this process in MB, after a garbage collection."""
    gc.collect()
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
                  if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def interactions(store, client, areas: int, categories: int) -> list[tuple[str, dict, str]]:
    """(callback key, inputs, changed input) of one round."""
    from lagesbild import analysis as an

    place_page = sys.modules["lagesbild.web.pages.place"]
    map_page = sys.modules["lagesbild.web.pages.map"]
    overview = sys.modules["lagesbild.web.pages.overview"]
    places = sorted(store.places()["place_id"])
    base = {f"{k}.value": v for k, v in place_page.controls(store, bd.PLACE, {}).items()}
    base["pl-meeting.data"] = False
    pkey = client.find("pl-content.children")
    out = [(pkey, {**base, "pl-place.value": p}, "pl-place.value") for p in places]
    labels = [p.label for p in an.sep_aug_years(store)]
    selections = bd.period_selections(labels, 4 * len(labels))
    out += [(pkey, {**base, "pl-periods.value": s}, "pl-periods.value")
            for s in {tuple(s): s for s in selections}.values()]
    values = {f"{k}.value": v for k, v in map_page.controls(store, {}).items()}
    values["map-meeting.data"] = False
    mkey = client.find("map-content.children")
    cats = list(store.categories().query("not sensitive")["category_id"])[:categories]
    districts = sorted(store.places().query("kind == 'stadsdelsomrade'")["place_id"])[:areas]
    out += [(mkey, {**values, "map-area.value": a, "map-cat.value": [c]}, "map-cat.value")
            for a in districts for c in cats]
    ovals = {f"{k}.value": v for k, v in overview.controls(store, {}).items()}
    okey = client.find("ov-content.children")
    out += [(okey, {**ovals, "ov-period.value": y, "ov-cats.value": [c] if c else None,
                    "ov-meeting.data": False}, "ov-period.value")
            for y in labels[1:] for c in [None, *cats]]
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--areas", type=int, default=14, help="stadsdelsområden på kartan per runda")
    parser.add_argument("--categories", type=int, default=6, help="kategorier per område på kartan")
    args = parser.parse_args(argv)
    ensure_data()
    store = ensure_store()
    from lagesbild.web import create_app

    print(f"{sv(store.counts()['incidents'])} brott, {len(store.places())} platser; "
          f"belastning (1, 5, 15 min) {', '.join(sv(x, 2) for x in os.getloadavg())}")
    app = create_app(bd.settings_for(STORE), store)
    client = bd.Client(app)
    steps = interactions(store, client, args.areas, args.categories)
    start = rss_mb()[0]
    rss = [start]
    print(f"efter create_app: {sv(start)} MB; {len(steps)} interaktioner per runda")
    for n in range(args.rounds):
        t0 = time.perf_counter()
        for key, values, changed in steps:
            client.call(key, values, changed)
        now, peak = rss_mb()
        rss.append(now)
        print(f"runda {n + 1}: {sv(now)} MB (topp {sv(peak)} MB), {sv(time.perf_counter() - t0, 1)} s")
    cube_mb = store.monthly_counts().memory_usage(deep=True).sum() / 2**20
    first, later = rss[1] - rss[0], rss[-1] - rss[1]
    print(f"första rundan: +{sv(first)} MB; rundorna därefter: {later:+.0f} MB".replace(".", ",")
          + f" (kvot mot första rundan {sv(later / first, 3)})")
    print(f"månadsantalen i minnet: {sv(cube_mb, 1)} MB; minnet efter rundorna är "
          f"{sv(rss[-1] / cube_mb, 0)} gånger det")
    print(json.dumps({"benchmark": "memory", "rss_mb": [round(x, 1) for x in rss],
                      "peak_mb": round(rss_mb()[1], 1), "first_round_mb": round(first, 1),
                      "later_growth_mb": round(later, 1), "later_growth_vs_first": round(later / first, 4),
                      "interactions": len(steps) * args.rounds, "monthly_counts_mb": round(cube_mb, 1),
                      "load_average": [round(x, 2) for x in os.getloadavg()]}))


if __name__ == "__main__":
    main()
