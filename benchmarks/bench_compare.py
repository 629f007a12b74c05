"""Benchmark: the comparison of one place over all Sep–Aug years against DuckDB on the raw rows.

A plain script (not a test)::

    .venv/bin/python benchmarks/bench_compare.py [--place plats-001 --place skarholmen] [--repeat 5]

On the store built by ``bench_ingest.py`` (``benchmarks/out/city.sqlite``; built first if missing),
measured in the same run, best of ``--repeat``:

* lagesbild: ``analysis.place_comparison(store, place, periods=<every Sep–Aug year>)`` for every
  category: the counts, changes, exact Poisson tests and verdicts of all consecutive years. *Cold* is a
  freshly opened ``Store`` (the call reads the monthly counts from the database); *warm* is the same
  ``Store`` again (its cache of monthly counts is current, as in a running dashboard);
* DuckDB: the same counts (category × Sep–Aug year inside the place polygon) straight from the raw rows,
  (a) reading the CSV file in the query, (b) from the raw rows already loaded into a DuckDB table.
  Containment: see ``duckref.py`` (bounding box, then a ray-crossing join in SQL; no spatial extension).

The counts of both must be equal; the script says so. Then Gi* hotspots for one district and one
Sep–Aug year (``analysis.area_hotspots``, store read included) against ``esda.G_Local`` on the same
counts and weights (``esda_gi`` from ``bench_hotspots.py``), with the largest z-score difference.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd
from common import CSV, STORE, best_of, ensure_data, ensure_store, ms, sv

from lagesbild import analysis as an
from lagesbild.sources.categories import load_vocabulary
from lagesbild.store import Store

DEFAULT_PLACES = ("plats-001", "skarholmen")
HOTSPOT_DISTRICT = "skarholmen"
HOTSPOT_YEAR = 2021
ALL = "alla"  # the category id of the all-categories rows of a comparison


def ours_cold(place_id: str, periods):
    store = Store(f"sqlite:///{STORE}", create=False)
    try:
        return an.place_comparison(store, place_id, periods=periods)
    finally:
        store.engine.dispose()


def counts_of(result) -> dict:
    """``{(category, period label): count}`` from a comparison table (zeros left out)."""
    out = {}
    for row in result.itertuples():
        out[(row.category, row.period_a)] = int(row.count_a)
        out[(row.category, row.period_b)] = int(row.count_b)
    return {k: v for k, v in out.items() if v}


def duck_counts(frame) -> dict:
    """The DuckDB result in the same shape (category text mapped to the canonical id)."""
    texts = [k for k in frame["kategori"] if isinstance(k, str)]
    found, _ = load_vocabulary().resolve(sorted(set(texts)))
    return {(found[k] if isinstance(k, str) else ALL, f"{int(y)}–{int(y) + 1}"): int(n)
            for k, y, n in zip(frame["kategori"], frame["sep_aug"], frame["n"], strict=True)}


def line(label: str, seconds: float, reference: float | None = None) -> str:
    text = f"  {label:<44}{ms(seconds):>12}"
    if reference is not None:
        text += f"   kvot {sv(seconds / reference, 2)}"
    return text


def bench_place(store, ref, place_id, periods, repeat) -> dict:
    from duckref import csv_source

    first, end = periods[0].start, pd.Timestamp(periods[-1].end) + pd.Timedelta(days=1)
    t_cold, result = best_of(repeat, ours_cold, place_id, periods)
    an.place_comparison(store, place_id, periods=periods)
    t_warm, _ = best_of(repeat, an.place_comparison, store, place_id, periods=periods)
    ref.edges(place_id)
    t_csv, duck = best_of(repeat, ref.counts, place_id, csv_source(CSV), first, end)
    t_table, duck_mem = best_of(repeat, ref.counts, place_id, "raw", first, end)
    ours = counts_of(result)
    same = ours == duck_counts(duck) == duck_counts(duck_mem)
    total = sum(v for (c, _), v in ours.items() if c == ALL)
    name = store.places().set_index("place_id").loc[place_id, "name"]
    categories = len(set(result["category"]) - {ALL})
    print(f"{name} ({place_id}): {len(result)} jämförelser, {categories} kategorier + alla, "
          f"{sv(total)} brott; antal lika DuckDB: {'ja' if same else 'NEJ'}")
    print(line("DuckDB, läser CSV-filen (referens)", t_csv))
    print(line("lagesbild place_comparison, kall (nytt Store)", t_cold, t_csv))
    print(line("lagesbild place_comparison, varm (cache)", t_warm, t_csv))
    print(line("DuckDB, rådata redan i en DuckDB-tabell", t_table))
    print(f"  kvot mot tabellvarianten: kall {sv(t_cold / t_table, 1)}, varm {sv(t_warm / t_table, 1)}")
    return {f"{place_id}_cold": round(t_cold / t_table, 3), f"{place_id}_warm": round(t_warm / t_table, 3),
            f"{place_id}_cold_vs_csv": round(t_cold / t_csv, 3), f"{place_id}_same_counts": same}


def bench_hotspots(store, repeat) -> dict:
    import geopandas as gpd
    import numpy as np
    import shapely
    from bench_hotspots import esda_from_points, esda_gi, ours_from_points
    from libpysal.weights import W

    from lagesbild.core.grid import count_points, make_grid
    from lagesbild.core.hotspots import MIN_LAND_SHARE, gi_star, neighbourhood_weights
    from lagesbild.core.land import land_only
    from lagesbild.core.periods import sep_aug_year

    period = sep_aug_year(HOTSPOT_YEAR)
    t_all, result = best_of(repeat, an.area_hotspots, store, HOTSPOT_DISTRICT, period=period)
    t_read, (inc, geom) = best_of(repeat, an.area_incidents, store, HOTSPOT_DISTRICT, period=period)
    inc = inc[~inc["category"].isin(an.base.sensitive_categories(store))]  # never mapped, as there
    x, y = inc["x"].to_numpy(float), inc["y"].to_numpy(float)
    # the grid area_hotspots lays: over land only, cells at least half on land (core/hotspots.py)
    land = land_only(geom)
    inside = shapely.contains_xy(land, x, y)  # count_points counts these; sjoin would count more
    x, y = x[inside], y[inside]
    grid = make_grid(land, 200.0)
    grid = grid[grid["area_share"] >= MIN_LAND_SHARE].reset_index(drop=True)
    counts = count_points(grid, x, y)
    weights, description = neighbourhood_weights(grid)
    csr = weights.tocsr()
    w = W({i: csr.indices[csr.indptr[i]:csr.indptr[i + 1]].tolist() for i in range(len(grid))},
          silence_warnings=True)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=3006)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_gi, z = best_of(repeat, lambda: gi_star(counts, weights)["z"].to_numpy())
        t_esda, z_esda = best_of(repeat, esda_gi, counts, w)
        t_pts, z_pts = best_of(repeat, ours_from_points, grid, x, y, weights)
        t_pts_esda, z_pts_esda = best_of(repeat, esda_from_points, grid, points, w)
    diff = max(float(np.abs(z - z_esda).max()), float(np.abs(result["z"].to_numpy() - z_esda).max()))
    on_lines = int(np.sum((np.mod(x, 200.0) == 0) | (np.mod(y, 200.0) == 0)))
    same_pts = bool(np.abs(z_pts - z_pts_esda).max() < 1e-9)
    print(f"Gi* för {HOTSPOT_DISTRICT} {period.label}: {sv(len(grid))} rutor à 200 m, {description}, "
          f"{sv(counts.sum())} brott")
    print(line("esda.G_Local, samma antal och vikter", t_esda))
    print(line("lagesbild gi_star", t_gi, t_esda))
    print(line("sjoin + esda.G_Local, från punkterna i området", t_pts_esda))
    print(line("lagesbild count_points + gi_star", t_pts, t_pts_esda))
    print(line("lagesbild area_hotspots (läsning → klasser)", t_all))
    print(f"  varav läsning ur lagret (area_incidents): {ms(t_read)}")
    print(f"  största skillnad i z mot esda (samma antal och vikter): {diff:.1e}".replace(".", ",")
          + (" (identiska)" if diff < 1e-9 else " (AVVIKER)"))
    out = {"gi_star_vs_esda": round(t_gi / t_esda, 3), "gi_points_vs_esda": round(t_pts / t_pts_esda, 3),
           "gi_max_z_difference": diff}
    if not same_pts:
        print(f"  från punkterna skiljer z: {on_lines} punkter ligger exakt på en rutgräns; sjoin "
              "'within' räknar dem inte, count_points lägger dem i rutan öster/norr om gränsen")
    return out


def main(argv=None) -> None:
    from duckref import Reference

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--place", action="append", help="plats-id (flera går bra)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    ensure_data()
    store = ensure_store()
    periods = an.sep_aug_years(store)
    print(f"{sv(store.counts()['incidents'])} brott, {len(store.places())} platser, "
          f"{len(periods)} sep–aug-år ({periods[0].label} … {periods[-1].label}); "
          f"bästa av {args.repeat}; kvot = tid / referensens tid (under 1 = lagesbild snabbare)")
    ref = Reference(store.places())
    ref.load_table(CSV)
    result = {}
    for place_id in args.place or DEFAULT_PLACES:
        result.update(bench_place(store, ref, place_id, periods, args.repeat))
    result.update(bench_hotspots(store, args.repeat))
    print(json.dumps({"benchmark": "compare", **result}))


if __name__ == "__main__":
    main()
