"""Derive the bundled yearly population (``lagesbild/data/population/stockholm_population.csv``).

Run from the repository root (developers only; the CSV is committed)::

    python scripts/make_population.py [--src ../shared/data/public]

For each polygon of the built-in Stockholm geography (the city, its 13 stadsdelsområden and 117
stadsdelar in ``lagesbild/data/geo/builtin.geojson``) and of the demo places (``geodata/places.geojson``),
the populations of the SCB DeSO areas whose representative point (computed in EPSG:4326, as the DeSO
file is stored) lies inside the polygon are summed, for the two years the DeSO file has (2010, 2023).
A place is left out (and keeps its stored population) when no DeSO point lies in it, or when the DeSO
counted lie less than half inside it (area in SWEREF 99 TM): then whole DeSO areas would be counted
for a small place such as a square or a centre.

The city itself takes Stockholm kommun's yearly series (SCB BE0101A/BefolkningNy) for 2010 and later:
each year is a known figure. The other places get only 2010 and 2023; :mod:`lagesbild.core.population`
interpolates linearly between them and flags those years as "interpolerad" (the kommun's series is
*not* used to shape them: a shaped figure would still be an estimate and would hide that).

Output: long layout as :func:`lagesbild.sources.population.read_population` reads it, columns
``område`` (place id), ``namn``, ``år``, ``folkmängd``, after ``#`` comment lines naming the source.
The script is deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = ROOT.parent / "shared" / "data" / "public"
OUT = ROOT / "lagesbild" / "data" / "population" / "stockholm_population.csv"
GEOGRAPHIES = (ROOT / "lagesbild" / "data" / "geo" / "builtin.geojson", ROOT / "geodata" / "places.geojson")
DESO_POLYGONS = "scb-deso-stockholms-lan/deso_stockholm.json"
DESO_POPULATION = "scb-deso-stockholms-lan/deso_population_2010_2023.csv"
KOMMUN_SERIES = "scb-stockholm-population-yearly/population.json"
KINDS = ("stad", "stadsdelsomrade", "stadsdel", "torg", "centrum", "omrade", "utsatt_omrade")
CITY = "stockholm"
FIRST_YEAR = 2010
MIN_INSIDE = 0.5  # share of the counted DeSO areas' surface that must lie inside the place
METRIC_CRS = 3006
HEADER = """\
# Folkmängd 31 december per område och år. Källa: SCB (DeSO: BE0101Y/FolkmDesoAldKon, 2010 och 2023,
# summerat över DeSO vars representativa punkt ligger i området; staden: BE0101A/BefolkningNy, varje år).
# Gjord av scripts/make_population.py ur ../shared/data/public; se SOURCES.md i samma mapp.
"""


def deso_points(src: Path) -> gpd.GeoDataFrame:
    """DeSO polygons with ``pop_2010``, ``pop_2023`` and their representative points."""
    polygons = gpd.read_file(src / DESO_POLYGONS)
    pops = pd.read_csv(src / DESO_POPULATION, dtype={"deso": str, "kommun": str})
    deso = polygons[["id", "geometry"]].merge(pops, left_on="id", right_on="deso", validate="1:1")
    deso = deso.dropna(subset=["pop_2010", "pop_2023"])  # 8 DeSO without any figure
    deso["point"] = deso.geometry.representative_point()
    return deso


def area_sums(deso: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> pd.DataFrame:
    """``place_id, namn, pop_2010, pop_2023`` for the places the DeSO areas fit (see module doc)."""
    points = deso.set_geometry("point")[["id", "pop_2010", "pop_2023", "point"]]
    hits = gpd.sjoin(points, places[["place_id", "geometry"]], predicate="within")
    shapes = deso.set_index("id").geometry.to_crs(METRIC_CRS)
    outlines = places.set_index("place_id").geometry.to_crs(METRIC_CRS)
    rows = []
    for pid, group in hits.groupby("place_id", sort=True):
        counted = shapes.loc[group["id"]].union_all()
        if counted.intersection(outlines[pid]).area / counted.area < MIN_INSIDE:
            continue
        rows.append({"place_id": pid, "namn": places.set_index("place_id").at[pid, "namn"],
                     "pop_2010": int(group["pop_2010"].sum()), "pop_2023": int(group["pop_2023"].sum())})
    return pd.DataFrame(rows)


def build(src: Path) -> pd.DataFrame:
    """The long table ``område, namn, år, folkmängd`` (sorted by place id and year)."""
    deso = deso_points(src)
    sums = []
    for path in GEOGRAPHIES:
        places = gpd.read_file(path)
        sums.append(area_sums(deso, places[places["typ"].isin(KINDS)]))
    both = pd.concat(sums, ignore_index=True)
    clash = both.groupby("place_id")[["pop_2010", "pop_2023"]].nunique().gt(1).any(axis=1)
    if clash.any():
        sys.exit(f"samma id, olika befolkning: {', '.join(clash[clash].index)}")
    both = both.drop_duplicates("place_id")
    long = both.melt(id_vars=["place_id", "namn"], value_vars=["pop_2010", "pop_2023"],
                     var_name="år", value_name="folkmängd")
    long["år"] = long["år"].str[4:].astype(int)
    series = json.loads((src / KOMMUN_SERIES).read_text(encoding="utf-8"))["city"]
    city_name = both.loc[both["place_id"] == CITY, "namn"].iloc[0]
    city = pd.DataFrame([{"place_id": CITY, "namn": city_name, "år": int(r["year"]), "folkmängd": int(r["pop"])}
                         for r in series if r["year"] >= FIRST_YEAR])
    long = pd.concat([long[long["place_id"] != CITY], city], ignore_index=True)
    long = long.rename(columns={"place_id": "område"}).sort_values(["område", "år"])
    return long[["område", "namn", "år", "folkmängd"]].reset_index(drop=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    table = build(args.src)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        table.to_csv(f, index=False, lineterminator="\n")
    print(f"{args.out}: {table['område'].nunique()} områden, {len(table)} rader")


if __name__ == "__main__":
    main()
