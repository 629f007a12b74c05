"""Generate a Stockholm-scale incident file and a hundred places for the benchmarks.

A plain script (not a test)::

    .venv/bin/python benchmarks/make_city_incidents.py [--rows 1500000] [--out benchmarks/out]

Writes, deterministically (fixed seed, numpy only, vectorised):

* ``city_incidents.csv``: ``--rows`` incidents (default 1.5 million) from September 2013 to August
  2023, police-export style: a first line ``# SYNTETISKA BENCHMARKDATA ...``, then
  ``Händelse-id;Datum;Brottskategori;X;Y``, ``;`` as delimiter, Windows-1252, CRLF, dates
  ``YYYY-MM-DD HH:MM``, SWEREF 99 TM coordinates (X = easting, Y = northing) with a decimal comma. Rows
  are in time order. The file is written one month at a time, so memory stays that of one month.
* ``city_places.geojson`` (WGS 84): the city and its 13 districts copied from
  ``geodata/places.geojson``, plus :data:`N_PLACES` synthetic places (irregular polygons of 150–400 m
  radius around the cluster centres, each inside one district and carrying its ``stadsdelsomrade``).

The incidents: :data:`CLUSTER_SHARE` of them fall around the place centres (Gaussian, standard deviation
about 0.6 × the place's radius, so most land inside the place polygon and some spill over), the rest
uniformly over the city. Monthly totals follow a seasonal curve with a mild trend; categories have fixed
shares (:data:`CATEGORIES`, written as the police write them). All points lie inside the city polygon.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from common import OUT, ROOT, sv  # benchmarks/common.py, next to this script
from pyproj import Transformer

PLACES = ROOT / "geodata" / "places.geojson"
CSV_NAME = "city_incidents.csv"
PLACES_NAME = "city_places.geojson"
SEED = 20130901
ROWS = 1_500_000
FIRST_MONTH = "2013-09"
MONTHS = 120
N_PLACES = 100
CLUSTER_SHARE = 0.55
CITY_ID = "stockholm"
HEADER = "Händelse-id;Datum;Brottskategori;X;Y"
COMMENT = ("# SYNTETISKA BENCHMARKDATA - genererade av benchmarks/make_city_incidents.py (seed {seed}); "
           "visar inga verkliga brott")
PLACE_SOURCE = "Syntetisk plats för prestandatest (benchmarks/make_city_incidents.py)"

# (category as written in the export, share of all incidents)
CATEGORIES = (
    ("Stöld", 0.20), ("Skadegörelse", 0.14), ("Bedrägeri", 0.10), ("Butiksstöld", 0.08),
    ("Narkotikabrott", 0.08), ("Misshandel", 0.07), ("Olaga hot", 0.06), ("Inbrott", 0.06),
    ("Cykelstöld", 0.05), ("Bilbrott", 0.05), ("Ofredande", 0.04),
    ("Våld i offentlig miljö", 0.03), ("Personrån", 0.015), ("Sexualbrott", 0.01),
    ("Vapenbrott", 0.005), ("Våld i nära relation", 0.01),
)
# relative weight of each calendar month (Jan..Dec) and each hour of the day
SEASON = np.array([0.88, 0.84, 0.95, 0.98, 1.05, 1.10, 1.12, 1.10, 1.06, 1.02, 0.97, 0.93])
HOURS = np.array([5, 4, 3, 2, 1.5, 1.5, 2, 3, 4, 5, 5.5, 6, 6.5, 6.5, 6.5, 7, 7.5, 8, 8, 7.5, 7,
                  6.5, 6, 5.5])
KINDS = ("torg", "centrum", "omrade", "utsatt_omrade")


def load_areas(path: Path = PLACES) -> tuple[list[dict], shapely.Geometry, dict]:
    """(city and district features as written, city polygon in EPSG:3006, district -> polygon)."""
    fc = json.loads(path.read_text(encoding="utf-8"))
    to_metric = Transformer.from_crs(4326, 3006, always_xy=True)
    keep, districts, city = [], {}, None
    for feat in fc["features"]:
        props = feat["properties"]
        if props["typ"] not in ("stad", "stadsdelsomrade"):
            continue
        keep.append(feat)
        geom = shapely.transform(shapely.geometry.shape(feat["geometry"]),
                                 lambda xy: np.column_stack(to_metric.transform(xy[:, 0], xy[:, 1])))
        if props["typ"] == "stad":
            city = geom
        else:
            districts[props["place_id"]] = geom
    shapely.prepare(city)
    return keep, city, districts


def uniform_in(rng: np.random.Generator, geom, n: int) -> np.ndarray:
    """`n` points drawn uniformly inside `geom` (rejection sampling in its bounding box)."""
    minx, miny, maxx, maxy = geom.bounds
    out, have = [np.empty((0, 2))], 0
    while have < n:
        xy = rng.uniform([minx, miny], [maxx, maxy], (max(2 * (n - have), 64), 2))
        xy = xy[shapely.contains_xy(geom, xy[:, 0], xy[:, 1])]
        out.append(xy)
        have += len(xy)
    return np.vstack(out)[:n]


def make_places(rng: np.random.Generator, city, districts: dict) -> pd.DataFrame:
    """:data:`N_PLACES` non-overlapping place polygons, spread over the districts by area."""
    ids = sorted(districts)
    area = np.array([districts[d].area for d in ids])
    quota = np.maximum(1, np.round(N_PLACES * area / area.sum())).astype(int)
    while quota.sum() != N_PLACES:
        quota[np.argmax(quota) if quota.sum() > N_PLACES else np.argmin(quota)] += (
            -1 if quota.sum() > N_PLACES else 1)
    rows, taken = [], []
    for district, k in zip(ids, quota, strict=False):
        geom = districts[district]
        shapely.prepare(geom)
        made = 0
        while made < k:
            (cx, cy), = uniform_in(rng, geom, 1)
            radius = rng.uniform(150, 400)
            angles = np.sort(rng.uniform(0, 2 * math.pi, 20))
            r = radius * rng.uniform(0.75, 1.15, 20)
            poly = shapely.Polygon(np.column_stack([cx + r * np.cos(angles), cy + r * np.sin(angles)]))
            if not poly.is_valid or not geom.contains(poly):
                continue
            if any(math.dist((cx, cy), c) < radius + rr + 100 for c, rr in taken):
                continue
            taken.append(((cx, cy), radius))
            n = len(rows) + 1
            rows.append({"place_id": f"plats-{n:03d}", "name": f"Plats {n:03d}", "district": district,
                         "kind": KINDS[n % len(KINDS)], "cx": cx, "cy": cy, "radius": radius,
                         "geometry": poly, "population": int(rng.integers(500, 15_000))})
            made += 1
    return pd.DataFrame(rows)


def write_places(path: Path, areas: list[dict], places: pd.DataFrame) -> None:
    """The city, the districts and the synthetic places as one GeoJSON in WGS 84."""
    to_wgs = Transformer.from_crs(3006, 4326, always_xy=True)
    features = list(areas)
    for p in places.itertuples():
        ring = np.asarray(p.geometry.exterior.coords)
        lon, lat = to_wgs.transform(ring[:, 0], ring[:, 1])
        coords = [[round(a, 7), round(b, 7)] for a, b in zip(lon, lat, strict=False)]
        features.append({"type": "Feature", "properties": {
            "place_id": p.place_id, "namn": p.name, "typ": p.kind, "stadsdelsomrade": p.district,
            "befolkning": p.population, "ungefarlig": True, "kalla": PLACE_SOURCE},
            "geometry": {"type": "Polygon", "coordinates": [coords]}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               ensure_ascii=False), encoding="utf-8")


def month_totals(rng: np.random.Generator, rows: int) -> tuple[pd.PeriodIndex, np.ndarray]:
    """Rows per month: seasonal, with a mild upward trend, summing to exactly `rows`."""
    months = pd.period_range(FIRST_MONTH, periods=MONTHS, freq="M")
    weight = SEASON[months.month - 1] * np.linspace(0.9, 1.1, MONTHS)
    return months, rng.multinomial(rows, weight / weight.sum())


def month_points(rng, n: int, city, places: pd.DataFrame, cluster_weights: np.ndarray) -> np.ndarray:
    """`n` points inside the city: clusters around the places plus an even background."""
    k = rng.binomial(n, CLUSTER_SHARE)
    which = rng.choice(len(places), size=k, p=cluster_weights)
    centres = places[["cx", "cy"]].to_numpy()[which]
    sd = 0.6 * places["radius"].to_numpy()[which]
    xy = centres + rng.standard_normal((k, 2)) * sd[:, None]
    outside = ~shapely.contains_xy(city, xy[:, 0], xy[:, 1])
    xy[outside] = uniform_in(rng, city, int(outside.sum()))
    background = uniform_in(rng, city, n - k)
    out = np.vstack([xy, background])
    return out[rng.permutation(n)]


def month_frame(rng, month: pd.Period, n: int, first_seq: int, city, places, cluster_weights):
    """One month's incidents in time order, ids numbered from `first_seq`."""
    day = rng.integers(0, month.days_in_month, n)
    hour = rng.choice(24, size=n, p=HOURS / HOURS.sum())
    minute = rng.integers(0, 60, n)
    start = np.datetime64(month.start_time.date(), "m")
    when = np.sort(start + (day * 1440 + hour * 60 + minute).astype("timedelta64[m]"))
    names = np.array([c for c, _ in CATEGORIES], dtype=object)
    shares = np.array([s for _, s in CATEGORIES])
    cat = names[rng.choice(len(names), size=n, p=shares / shares.sum())]
    xy = month_points(rng, n, city, places, cluster_weights)
    seq = pd.Series(np.arange(first_seq, first_seq + n)).astype(str).str.zfill(7)
    ids = "5000-K" + seq + f"-{month.year % 100:02d}"
    stamp = pd.Series(np.datetime_as_string(when, unit="m")).str.replace("T", " ", regex=False)
    return pd.DataFrame({"id": ids, "datum": stamp, "kategori": cat,
                         "x": np.round(xy[:, 0], 1), "y": np.round(xy[:, 1], 1)})


def generate(out: Path = OUT, rows: int = ROWS, seed: int = SEED) -> tuple[Path, Path]:
    """Write the incident CSV and the places GeoJSON into `out`; return their paths."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    areas, city, districts = load_areas()
    places = make_places(rng, city, districts)
    places_path = out / PLACES_NAME
    write_places(places_path, areas, places)
    cluster_weights = rng.lognormal(0, 0.8, len(places))
    cluster_weights /= cluster_weights.sum()
    months, totals = month_totals(rng, rows)
    csv_path = out / CSV_NAME
    seq = 1
    with open(csv_path, "w", encoding="cp1252", newline="") as fh:
        fh.write(f"{COMMENT.format(seed=seed)}\r\n{HEADER}\r\n")
        for month, n in zip(months, totals, strict=False):
            frame = month_frame(rng, month, int(n), seq, city, places, cluster_weights)
            frame.to_csv(fh, sep=";", decimal=",", float_format="%.1f", header=False, index=False,
                         lineterminator="\r\n")
            seq += int(n)
    return csv_path, places_path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    csv_path, places_path = generate(args.out, args.rows, args.seed)
    size = csv_path.stat().st_size / 1e6
    print(f"Skrev {csv_path} ({sv(args.rows)} rader, {sv(size)} MB) och {places_path} "
          f"på {sv(time.perf_counter() - start, 1)} s")


if __name__ == "__main__":
    main()
