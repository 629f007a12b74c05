"""Benchmark: server time of the dashboard's callbacks at city scale, against DuckDB and bare numpy.

A plain script (not a test)::

    .venv/bin/python benchmarks/bench_dashboard.py [--calls 30] [--runs 5] [--skip-1000] [--skip-start]

On the store built by ``bench_ingest.py`` (``benchmarks/out/city.sqlite``, 114 places; built first if
missing) and, for ``overview_1000``, a store with the same incidents and 1,000 places
(``out/city1000.sqlite``: the city, its 13 districts and 986 squares of 350 m inside the city; built
first if missing). The app is made by ``create_app(settings, store)`` and driven through Flask's test
client with the same JSON requests a browser sends to ``/_dash-update-component``, so each time is the
whole server side of a callback: request parsing, the callback (analysis layer, figures) and the JSON
of the answer. ``--calls`` interactions each, every one with new inputs (nothing answered from the
per-view memo), after one warm-up call:

* ``place_change``: the Plats page (``pl-content``) for one place after another;
* ``period_change``: the Plats page for one place with one selection of Sep–Aug years after another;
* ``map_category_change``: the map (``map-content``, Gi*) of a district for one category after another;
* ``overview_114`` / ``overview_1000``: the overview (``ov-content``) for one (year, category filter)
  after another; ``overview_bytes_114`` is the size of the default overview's answer.

Reference, in the same run: DuckDB over a **persisted** DuckDB database (``out/city.duckdb``, table
``raw``: the raw incident rows of the CSV, loaded once, not timed) computing the counts each view needs
(see ``duckref.py``): the place's counts per category and Sep–Aug year, the same for the selected
years, the category's counts per 200 m cell of the district, every place's counts per category for
the two years of the overview; median of ``--runs`` runs. Each ratio is lagesbild's p95 over the
interactions divided by the reference's median. The distance to the physical limit is lagesbild's p95
divided by the median of bare numpy computing the same counts from the monthly cube.

The framework's own floor: the p95 of a Dash callback that computes nothing and returns the same
answer (the last Plats answer of the place changes, of the period changes, the last map answer)
through the same path, divided by that view's reference (``dash_floor``); no Dash view of that size
can come closer to the reference than that.

The last line printed is one JSON object with the ratios, so runs can be compared.
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

import numpy as np
import pandas as pd
from common import CSV, OUT, STORE, ensure_data, ensure_store, ms, percentile, sv, timed

DUCKDB = OUT / "city.duckdb"
STORE_1000 = OUT / "city1000.sqlite"
SQUARE = 350.0  # metres: the side of the squares that make up the 1,000-place store

PLACE = "plats-001"
MAP_AREA = "skarholmen"


class Client:
    """Calls Dash callbacks over HTTP (Flask test client), inputs named by ``component.property``."""

    def __init__(self, app):
        self.http = app.server.test_client()
        self.http.get("/")  # sets the CSRF cookie; every POST sends it back as a header, as Dash does
        cookie = self.http.get_cookie("_csrf_token")
        self.headers = {"X-CSRFToken": cookie.value} if cookie else {}
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

        outs = [dict(zip(("id", "property"), o.rsplit(".", 1), strict=False))
                for o in key.strip(".").split("...")] if key.startswith("..") else None
        body = {"output": key, "outputs": outs if outs else dict(zip(("id", "property"),
                                                                       key.rsplit(".", 1), strict=False)),
                "inputs": [spec(i) for i in dep["inputs"]], "state": [spec(s) for s in dep["state"]],
                "changedPropIds": [changed]}
        start = time.perf_counter()
        response = self.http.post("/_dash-update-component", json=body, headers=self.headers)
        seconds = time.perf_counter() - start
        if response.status_code not in (200, 204):
            raise RuntimeError(f"{key}: HTTP {response.status_code}: {response.data[:300]!r}")
        return seconds, response.data


def dash_floor(answer: bytes, calls: int) -> float:
    """p95 of a Dash callback that computes nothing and returns the same answer (``answer``, the JSON
    of a real Plats answer) through the same HTTP path: what any Dash view of this size costs."""
    import dash
    from dash import Input, Output, dcc, html

    children = next(iter(json.loads(answer)["response"].values()))["children"]
    app = dash.Dash("floor")
    app.layout = html.Div([dcc.Input(id="floor-in"), html.Div(id="floor-out")])
    app.callback(Output("floor-out", "children"), Input("floor-in", "value"))(lambda _value: children)
    client = Client(app)
    key = client.find("floor-out.children")
    times = [client.call(key, {"floor-in.value": str(i)}, "floor-in.value")[0] for i in range(calls + 1)]
    return percentile(times[1:], 95)


def floor_report(row: dict, floor: float) -> None:
    """Print and keep (``row["floor_s"]``) the Dash floor of a view against its reference."""
    row["floor_s"] = floor
    print(f"  Dash utan beräkning, samma svar (p95) {ms(floor, 2)}: kvot mot referensen "
          f"{sv(floor / row['ref_s'], 3)} (golvet för en Dash-vy av denna storlek)")


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


def run_calls(client, key, inputs_list, changed) -> tuple[list[float], int]:
    """Times of the calls after a warm-up, and the size of the first answer."""
    _, first = client.call(key, inputs_list[0], changed)  # warm-up (first use of this view)
    return [client.call(key, values, changed)[0] for values in inputs_list[1:]], len(first)


def median_time(func, args_list, runs: int) -> float:
    return statistics.median(timed(func, *args_list[i % len(args_list)])[0] for i in range(runs))


def report(label, times, ref, numpy_time) -> dict:
    p50, p95 = percentile(times, 50), percentile(times, 95)
    print(f"{label}: {len(times)} anrop")
    print(f"  server p50 {ms(p50)}, p95 {ms(p95)} (min {ms(min(times))}, max {ms(max(times))})")
    print(f"  DuckDB ur sparad tabell (median) {ms(ref)}: kvot p95 / referens {sv(p95 / ref, 3)}")
    print(f"  numpy på kuben (median) {ms(numpy_time, 3)}: kvot p95 / numpy {sv(p95 / numpy_time, 0)}")
    return {"ratio": p95 / ref, "p95_s": p95, "ref_s": ref, "numpy_s": numpy_time}


def duck_reference(store, csv: Path, database: Path):
    """The DuckDB reference on a persisted database holding the raw rows (created once)."""
    from duckref import Reference, csv_source

    ref = Reference(store.places(), database=database)
    if not ref.has_raw():
        ref.con.execute(f"CREATE TABLE raw AS SELECT * FROM {csv_source(csv)}")
        ref.con.execute("CHECKPOINT")
    ref.load_all_places()
    for place_id in store.places()["place_id"]:  # every edge table made before any timing
        ref.edges(place_id)
    return ref


def cube_of(store):
    from lagesbild.analysis.cubeviews import store_cube

    return store_cube(store)


def numpy_counts(cube, pos, first, end):
    """Bare numpy: the counts per category and Sep–Aug year of one place (or every place)."""
    months = cube.months
    mask = (months >= first) & (months < end)
    year = (months[mask].year - (months[mask].month < 9)).to_numpy()
    block = cube.counts[pos][..., mask]
    starts = np.flatnonzero(np.r_[True, year[1:] != year[:-1]])
    return np.add.reduceat(block, starts, axis=-1)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-1000", action="store_true", help="utan butiken med 1 000 platser")
    parser.add_argument("--skip-start", action="store_true", help="utan starttiden i ny process")
    parser.add_argument("--calls-1000", type=int, help="anrop för översikten med 1 000 platser "
                        "(standard: --calls; färre när maskinen inte hinner)")
    parser.add_argument("--only-1000", action="store_true", help="bara översikten med 1 000 platser")
    parser.add_argument("--child", choices=["start"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "start":
        print(json.dumps(child_start(STORE)))
        return
    ensure_data()
    store = ensure_store()
    print(f"{sv(store.counts()['incidents'])} brott, {len(store.places())} platser; "
          f"belastning (1, 5, 15 min) {', '.join(sv(x, 2) for x in os.getloadavg())}")
    if args.only_1000:
        calls = args.calls_1000 or args.calls
        big = measure_overview(ensure_store_1000(), calls, args.runs, "1000", STORE_1000)
        print(json.dumps({"benchmark": "dashboard", "overview_1000": round(big["ratio"], 4),
                          "calls_1000": calls,
                          "numpy_distance": {"overview_1000": round(big["p95_s"] / big["numpy_s"], 1)},
                          "load_average": [round(x, 2) for x in os.getloadavg()]}))
        return
    if not args.skip_start:
        out = subprocess.run([sys.executable, __file__, "--child", "start"], check=True,
                             capture_output=True, text=True).stdout
        start = json.loads(out.strip().splitlines()[-1])
        print(f"Start i ny process: import {ms(start['import'], 0)}, create_app "
              f"{ms(start['create_app'], 0)}, / {ms(start['index'], 0)}, /_dash-layout "
              f"{ms(start['layout'], 0)}, sidinnehåll {ms(start['page'], 0)}, översiktens siffror "
              f"{ms(start['overview'], 0)}; totalt {sv(start['total'], 1)} s")
    result = measure(store, args.calls, args.runs)
    if not args.skip_1000:
        calls = args.calls_1000 or args.calls
        big = measure_overview(ensure_store_1000(), calls, args.runs, "1000", STORE_1000)
        result["overview_1000"] = round(big["ratio"], 4)
        if calls != args.calls:
            result["calls_1000"] = calls
        result["numpy_distance"]["overview_1000"] = round(big["p95_s"] / big["numpy_s"], 1)
    print(f"belastning efteråt (1, 5, 15 min) {', '.join(sv(x, 2) for x in os.getloadavg())}")
    keys = ("place_change", "period_change", "map_category_change", "overview_114", "overview_1000",
            "overview_bytes_114", "calls_1000", "dash_floor")
    print(json.dumps({"benchmark": "dashboard", **{k: result[k] for k in keys if k in result},
                      "numpy_distance": result["numpy_distance"],
                      "load_average": [round(x, 2) for x in os.getloadavg()]}))


def measure(store, calls: int, runs: int) -> dict:
    from make_city_incidents import CATEGORIES

    from lagesbild import analysis as an
    from lagesbild.sources.categories import load_vocabulary
    from lagesbild.web import create_app
    from lagesbild.web.heap import freeze_startup

    app = create_app(settings_for(STORE), store)
    freeze_startup()  # as app.py and lagesbild.web.wsgi do once the app is made (lagesbild/web/heap.py)
    client = Client(app)
    place_page = sys.modules["lagesbild.web.pages.place"]
    map_page = sys.modules["lagesbild.web.pages.map"]
    years = an.sep_aug_years(store)
    by_label = {p.label: p for p in years}
    ref = duck_reference(store, CSV, DUCKDB)
    cube = cube_of(store)
    n = calls + 1

    base = {f"{k}.value": v for k, v in place_page.controls(store, PLACE, {}).items()}
    base["pl-meeting.data"] = False
    key = client.find("pl-content.children")
    places = sorted(p for p in store.places()["place_id"] if p.startswith("plats-"))[:n]
    t_place, _ = run_calls(client, key, [{**base, "pl-place.value": p} for p in places], "pl-place.value")
    floor = dash_floor(client.call(key, {**base, "pl-place.value": places[-1]}, "pl-place.value")[1], calls)
    first, end = pd.Timestamp(years[0].start), pd.Timestamp(years[-1].end) + pd.Timedelta(days=1)
    pos = cube.place_index(places)
    out = {"place_change": report("Byte av plats (platssidan)", t_place,
                                  median_time(ref.counts, [(p, "raw", first, end) for p in places], runs),
                                  median_time(numpy_counts, [(cube, q, first, end) for q in pos], runs))}
    floor_report(out["place_change"], floor)

    selections = period_selections([p.label for p in years], n)
    t_period, _ = run_calls(client, key, [{**base, "pl-periods.value": s} for s in selections],
                            "pl-periods.value")
    answer = client.call(key, {**base, "pl-periods.value": selections[-1]}, "pl-periods.value")[1]
    spans = [(pd.Timestamp(by_label[s[0]].start), pd.Timestamp(by_label[s[-1]].end) + pd.Timedelta(days=1))
             for s in selections]
    p0 = cube.place_index([PLACE])[0]
    out["period_change"] = report("Byte av perioder (platssidan)", t_period,
                                  median_time(ref.counts, [(PLACE, "raw", a, b) for a, b in spans], runs),
                                  median_time(numpy_counts, [(cube, p0, a, b) for a, b in spans], runs))
    floor_report(out["period_change"], dash_floor(answer, calls))

    values = {f"{k}.value": v for k, v in map_page.controls(store, {}).items()}
    values.update({"map-area.value": MAP_AREA, "map-meeting.data": False})
    sensitive = set(store.categories().query("sensitive")["category_id"])
    found, _ = load_vocabulary().resolve([name for name, _ in CATEGORIES])
    cats = [(cid, text) for text, cid in found.items() if cid not in sensitive]
    cats = [cats[i % len(cats)] for i in range(n)]
    key = client.find("map-content.children")
    t_map, _ = run_calls(client, key, [{**values, "map-cat.value": [c]} for c, _ in cats], "map-cat.value")
    answer = client.call(key, {**values, "map-cat.value": [cats[-1][0]]}, "map-cat.value")[1]
    period = by_label[values["map-period.value"]]
    span = (pd.Timestamp(period.start), pd.Timestamp(period.end) + pd.Timedelta(days=1))
    a0 = cube.place_index([MAP_AREA])[0]
    out["map_category_change"] = report(
        f"Byte av kategori på kartan ({MAP_AREA}, {period.label}, Gi*)", t_map,
        median_time(ref.grid_counts, [(MAP_AREA, "raw", text, *span) for _, text in cats], runs),
        median_time(numpy_counts, [(cube, a0, *span)], runs))
    floor_report(out["map_category_change"], dash_floor(answer, calls))
    ov = measure_overview(store, calls, runs, "114", STORE, client=client, ref=ref)
    out["overview_114"] = ov
    distance = {k: round(v["p95_s"] / v["numpy_s"], 1) for k, v in out.items()}
    floors = {k: round(v["floor_s"] / v["ref_s"], 4) for k, v in out.items() if "floor_s" in v}
    out = {k: round(v["ratio"], 4) for k, v in out.items()}
    out["dash_floor"] = floors
    out["overview_bytes_114"] = ov["bytes"]
    out["numpy_distance"] = distance
    return out


def measure_overview(store, calls, runs, label, path, *, client=None, ref=None) -> dict:
    """The overview callback for (year, category filter) after (year, category filter)."""
    from lagesbild import analysis as an
    from lagesbild.web import create_app

    if client is None:
        client = Client(create_app(settings_for(path), store))
        ref = duck_reference(store, CSV, DUCKDB)
    cube = cube_of(store)
    years = [p.label for p in an.sep_aug_years(store)][1:]
    cats = [None] + sorted(store.categories()["category_id"])
    combos = [(years[-1 - (i % len(years))], cats[i // len(years) % len(cats)]) for i in range(calls + 1)]
    key = client.find("ov-content.children")
    inputs = [{"ov-period.value": y, "ov-cats.value": [c] if c else None, "ov-sdo.value": None,
               "ov-meeting.data": False} for y, c in combos]
    _, answer = client.call(key, {**inputs[0], "ov-period.value": years[-1], "ov-cats.value": None},
                            "ov-period.value")
    default_bytes = len(answer)
    times, _ = run_calls(client, key, inputs[1:] + inputs[:1], "ov-period.value")
    spans = []
    for y, _ in combos[:max(runs, 1)]:
        p = an.parse_periods([y])[0]
        spans.append((pd.Timestamp(p.start) - pd.DateOffset(years=1), pd.Timestamp(p.end) + pd.Timedelta(days=1)))
    res = report(f"Översikten, {len(store.places())} platser", times,
                 median_time(ref.overview_counts, [("raw", a, b) for a, b in spans], runs),
                 median_time(numpy_counts, [(cube, slice(None), a, b) for a, b in spans], runs))
    print(f"  svar för standardvyn: {sv(default_bytes)} byte")
    res["bytes"] = default_bytes
    return res


def ensure_store_1000():
    """The 1,000-place store: the city, its districts and 986 squares of 350 m (built once)."""
    from lagesbild.store import Store

    if STORE_1000.exists():
        store = Store(f"sqlite:///{STORE_1000}")
        if len(store.places()) >= 1000 and store.counts()["incidents"] > 0:
            return store
        store.engine.dispose()
    import geopandas as gpd
    import shapely
    from common import PLACES, load_store

    areas = gpd.read_file(PLACES).to_crs(3006)
    keep = areas[areas["typ"].isin(["stad", "stadsdelsomrade"])] if "typ" in areas else areas.iloc[:14]
    city = areas.loc[areas["typ"] == "stad"].geometry.iloc[0]
    minx, miny, maxx, maxy = city.bounds
    squares = []
    for x in np.arange(minx, maxx, SQUARE):
        for y in np.arange(miny, maxy, SQUARE):
            box = shapely.box(x, y, x + SQUARE, y + SQUARE)
            if city.contains(box):
                squares.append(box)
    need = 1000 - len(keep)
    if len(squares) < need:
        raise RuntimeError(f"bara {len(squares)} rutor ryms i staden; minska SQUARE")
    squares = [squares[i] for i in np.linspace(0, len(squares) - 1, need).round().astype(int)]
    grid = gpd.GeoDataFrame({"place_id": [f"ruta-{i:04d}" for i in range(len(squares))],
                             "namn": [f"Ruta {i:04d}" for i in range(len(squares))], "typ": "omrade",
                             "kalla": "Syntetisk ruta för prestandatest"}, geometry=squares, crs=3006)
    both = pd.concat([keep, grid], ignore_index=True)
    path = OUT / "city1000_places.geojson"
    gpd.GeoDataFrame(both, geometry="geometry", crs=3006).to_crs(4326).to_file(path, driver="GeoJSON")
    print(f"Läser in {CSV.name} i {STORE_1000.name} med {len(both)} platser …", flush=True)
    load_store(STORE_1000, CSV, path)
    return Store(f"sqlite:///{STORE_1000}")


if __name__ == "__main__":
    main()
