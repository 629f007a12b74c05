"""Benchmark: server time of the dashboard's main callbacks, and the app's start, at city scale.

A plain script (not a test)::

    .venv/bin/python benchmarks/bench_dashboard.py [--calls 30]

On the store built by ``bench_ingest.py`` (``benchmarks/out/city.sqlite``; built first if missing).
The app is made by ``create_app(settings, store)`` and driven through Flask's test client with the
same JSON requests a browser sends to ``/_dash-update-component``, so each time is the whole server
side of a callback: request parsing, the callback (store reads, core, figures) and the JSON of the
answer. Three callbacks, ``--calls`` calls each with changing inputs, after one call to warm up:

* change of place: the place page (``pl-content``) for one place after another;
* change of period: the place page for one place with one selection of Sep–Aug years after another;
* change of map category: the map (``map-content``, Gi* hotspots) of a district for one category
  after another.

Reference, measured in the same run: DuckDB computing the aggregate each callback needs straight from
the raw rows (reading the CSV; see ``duckref.py``): the place's counts per category and Sep–Aug year,
the same for the selected years, and the category's counts per 200 m cell of the district for the
period; median of five calls with the first inputs. The aim is a p95 no slower than the reference.

The start time is measured in a fresh process: imports, ``create_app``, and the first answers a
browser needs before it shows numbers (``/``, ``/_dash-layout``, the page content of ``/`` and the
overview's ``ov-content``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd  # noqa: E402

from common import CSV, STORE, ensure_data, ensure_store, ms, percentile, sv, timed  # noqa: E402

PLACE = "plats-001"
MAP_AREA = "skarholmen"


class Client:
    """Calls Dash callbacks over HTTP (Flask test client), inputs named by ``component.property``."""

    def __init__(self, app):
        self.http = app.server.test_client()
        deps = json.loads(self.http.get("/_dash-dependencies").data)
        self.deps = {d["output"]: d for d in deps}

    def find(self, first_output: str) -> str:
        """The dependency key whose outputs start with ``component.property``."""
        return next(k for k in self.deps if k.lstrip(".").startswith(first_output))

    def call(self, key: str, values: dict, changed: str) -> tuple[float, bytes]:
        dep = self.deps[key]

        def spec(item):
            return {"id": item["id"], "property": item["property"],
                    "value": values.get(f"{item['id']}.{item['property']}")}

        outs = [dict(zip(("id", "property"), o.rsplit(".", 1)))
                for o in key.strip(".").split("...")] if key.startswith("..") else None
        body = {"output": key, "outputs": outs if outs else dict(zip(("id", "property"),
                                                                       key.rsplit(".", 1))),
                "inputs": [spec(i) for i in dep["inputs"]], "state": [spec(s) for s in dep["state"]],
                "changedPropIds": [changed]}
        start = time.perf_counter()
        response = self.http.post("/_dash-update-component", json=body)
        seconds = time.perf_counter() - start
        if response.status_code not in (200, 204):
            raise RuntimeError(f"{key}: HTTP {response.status_code}: {response.data[:300]!r}")
        return seconds, response.data


def settings_for(db: Path):
    from lagesbild.settings import load_settings

    return load_settings({}, data_dir=str(db.parent / "dashboard"), db=str(db))


def child_start(db: Path) -> dict:
    """Import, create the app, and answer the first requests (run in a fresh process)."""
    t0 = time.perf_counter()
    from lagesbild.store import Store
    from lagesbild.web import create_app
    t_import = time.perf_counter() - t0
    settings = settings_for(db)
    store = Store(settings.db_url, create=False)
    t_create, app = timed(create_app, settings, store)
    http = app.server.test_client()
    t_index, _ = timed(http.get, "/")
    t_layout, _ = timed(http.get, "/_dash-layout")
    client = Client(app)
    routing = client.find("_pages_content.children")
    t_page, _ = client.call(routing, {"_pages_location.pathname": "/", "_pages_location.search": ""},
                            "_pages_location.pathname")
    overview = sys.modules["lagesbild.web.pages.overview"]
    values = {f"{k}.value": v for k, v in overview.controls(store, {}).items()}
    t_view, _ = client.call(client.find("ov-content.children"), {**values, "ov-meeting.data": False},
                            "ov-period.value")
    return {"import": t_import, "create_app": t_create, "index": t_index, "layout": t_layout,
            "page": t_page, "overview": t_view, "total": time.perf_counter() - t0}


def period_selections(labels: list[str], n: int) -> list[list[str]]:
    """`n` selections of consecutive Sep–Aug years (2, 3, 4, 5 years long), cycling."""
    out = [labels[i:i + k] for k in (2, 3, 4, 5) for i in range(len(labels) - k + 1)]
    return [out[i % len(out)] for i in range(n)]


def run_calls(client, key, inputs_list, changed) -> list[float]:
    client.call(key, inputs_list[0], changed)  # warm-up (first use of this view)
    return [client.call(key, values, changed)[0] for values in inputs_list]


def reference_times(func, args_list) -> float:
    return statistics.median(timed(func, *args)[0] for args in args_list[:5])


def report(label, times, ref, ref_table) -> None:
    p50, p95 = percentile(times, 50), percentile(times, 95)
    print(f"{label}: {len(times)} anrop")
    print(f"  server p50 {ms(p50)}, p95 {ms(p95)} (min {ms(min(times))}, max {ms(max(times))})")
    print(f"  DuckDB ur CSV-filen (median) {ms(ref)}: kvot p95 / referens {sv(p95 / ref, 2)}")
    print(f"  DuckDB ur tabell i minnet (median) {ms(ref_table)}: kvot p95 / referens "
          f"{sv(p95 / ref_table, 1)}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--child", choices=["start"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "start":
        print(json.dumps(child_start(STORE)))
        return
    ensure_data()
    store = ensure_store()
    out = subprocess.run([sys.executable, __file__, "--child", "start"], check=True,
                         capture_output=True, text=True).stdout
    start = json.loads(out.strip().splitlines()[-1])
    print(f"{sv(store.counts()['incidents'])} brott, {len(store.places())} platser")
    print(f"Start i ny process: import {ms(start['import'], 0)}, create_app {ms(start['create_app'], 0)}, "
          f"/ {ms(start['index'], 0)}, /_dash-layout {ms(start['layout'], 0)}, sidinnehåll "
          f"{ms(start['page'], 0)}, översiktens siffror {ms(start['overview'], 0)}; "
          f"totalt {sv(start['total'], 1)} s")
    measure(store, args.calls)


def measure(store, calls: int) -> None:
    from duckref import Reference, csv_source
    from lagesbild import analysis as an
    from lagesbild.sources.categories import load_vocabulary
    from lagesbild.web import create_app
    from make_city_incidents import CATEGORIES

    app = create_app(settings_for(STORE), store)
    client = Client(app)
    place_page = sys.modules["lagesbild.web.pages.place"]
    map_page = sys.modules["lagesbild.web.pages.map"]
    years = an.sep_aug_years(store)
    by_label = {p.label: p for p in years}
    ref = Reference(store.places())
    ref.load_table(CSV)
    csv = csv_source(CSV)

    base = {f"{k}.value": v for k, v in place_page.controls(store, PLACE, {}).items()}
    base["pl-meeting.data"] = False
    key = client.find("pl-content.children")
    places = sorted(p for p in store.places()["place_id"] if p.startswith("plats-"))[:calls]
    t_place = run_calls(client, key, [{**base, "pl-place.value": p} for p in places], "pl-place.value")
    end = pd.Timestamp(years[-1].end) + pd.Timedelta(days=1)
    args = [(p, csv, years[0].start, end) for p in places]
    report("Byte av plats (platssidan)", t_place, reference_times(ref.counts, args),
           reference_times(ref.counts, [(a[0], "raw", *a[2:]) for a in args]))

    selections = period_selections([p.label for p in years], calls)
    t_period = run_calls(client, key, [{**base, "pl-periods.value": s} for s in selections],
                         "pl-periods.value")
    args = [(PLACE, csv, by_label[s[0]].start, pd.Timestamp(by_label[s[-1]].end) + pd.Timedelta(days=1))
            for s in selections]
    report("Byte av perioder (platssidan)", t_period, reference_times(ref.counts, args),
           reference_times(ref.counts, [(a[0], "raw", *a[2:]) for a in args]))

    values = {f"{k}.value": v for k, v in map_page.controls(store, {}).items()}
    values.update({"map-area.value": MAP_AREA, "map-meeting.data": False})
    sensitive = set(store.categories().query("sensitive")["category_id"])
    found, _ = load_vocabulary().resolve([name for name, _ in CATEGORIES])
    cats = [(cid, text) for text, cid in found.items() if cid not in sensitive]
    cats = [cats[i % len(cats)] for i in range(calls)]
    key = client.find("map-content.children")
    t_map = run_calls(client, key, [{**values, "map-cat.value": c} for c, _ in cats], "map-cat.value")
    period = by_label[values["map-period.value"]]
    args = [(MAP_AREA, csv, text, period.start, pd.Timestamp(period.end) + pd.Timedelta(days=1))
            for _, text in cats]
    report(f"Byte av kategori på kartan ({MAP_AREA}, {period.label}, Gi*)", t_map,
           reference_times(ref.grid_counts, args),
           reference_times(ref.grid_counts, [(a[0], "raw", *a[2:]) for a in args]))


if __name__ == "__main__":
    main()
