"""A store unlike the demo, for the dashboard probe's tests: place ids with spaces and å, ä, ö, places
nested three deep (city > district > utsatt område > torg), a category the torg never had, a place
with a survey and no crime data, and an action plan with an activity without a place, an open-ended
one starting six months before the data end, and one on the place without crime data.

The incidents are drawn with a fixed seed and kept as a DataFrame, so the tests count them by hand.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings

#: (id, name, kind, parent, box in SWEREF 99 TM, population)
PLACES = [
    ("teststad", "Teststad", "stad", None, (670000, 6575000, 680000, 6585000), 900000),
    ("söder å", "Söder Å", "stadsdelsomrade", "teststad", (672000, 6577000, 676000, 6581000), 60000),
    ("norr ö", "Norr Ö", "utsatt_omrade", "söder å", (673000, 6578000, 675000, 6580000), 9000),
    ("torg åäö 1", "Torg Åäö", "torg", "norr ö", (673800, 6578800, 674200, 6579200), None),
    ("tom plats", "Tom plats", "omrade", "teststad", (676500, 6582000, 677500, 6583000), 3000),
]
BOX = {p[0]: p[4] for p in PLACES}
TORG = "torg åäö 1"
EMPTY = "tom plats"
#: (category as the file writes it, count, box)
DRAWS = [("Skadegörelse", 400, BOX[TORG]), ("Narkotika", 150, BOX[TORG]),
         ("Skadegörelse", 600, BOX["norr ö"]), ("Personrån", 80, (672000, 6577000, 673000, 6581000)),
         ("Narkotika", 300, (670000, 6583500, 671000, 6584900))]
FIRST, LAST = "2019-09-01", "2022-08-31"
PLAN = """prioriterade områden:
  - namn: Riktat arbete mot avgränsade platser och utsatta områden
    aktiviteter:
      - id: utan-plats
        aktivitet: En aktivitet utan plats
        start: 2020-01-01
        slut: 2020-12-31
      - id: tillsvidare
        aktivitet: Platssamverkan Torg Åäö
        plats: Torg Åäö
        löptid: Start mars 2022, tillsvidare
        mötesfrekvens: 1 gång per månad
        sammankallande: SDF
      - id: tom-aktivitet
        aktivitet: Trygghetsvandring Tom plats
        plats: Tom plats
        start: 2020-10-01
"""
SURVEY = """Area,Level,Year,Indicator,Share,Respondents
Tom plats,place,2021,Otrygg utomhus sent en kväll,0.31,210
Tom plats,place,2022,Otrygg utomhus sent en kväll,0.25,190
Söder Å,district,2022,Otrygg utomhus sent en kväll,0.21,950
Teststad,city,2022,Otrygg utomhus sent en kväll,0.17,5100
"""


def incidents(seed: int = 7) -> pd.DataFrame:
    """The incident file's rows (Händelse-id, Brottsdatum, Klockslag, Brottskategori, E, N)."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(FIRST, LAST, freq="D")
    rows = []
    for cat, n, (x0, y0, x1, y1) in DRAWS:
        for _ in range(n):
            rows.append((days[rng.integers(len(days))].date().isoformat(), "12:00", cat,
                         round(rng.uniform(x0, x1), 1), round(rng.uniform(y0, y1), 1)))
    df = pd.DataFrame(rows, columns=["Brottsdatum", "Klockslag", "Brottskategori", "E", "N"])
    df = df.sort_values("Brottsdatum", kind="stable").reset_index(drop=True)
    df.insert(0, "Händelse-id", [f"X-{i}" for i in range(1, len(df) + 1)])
    return df


def inside(df: pd.DataFrame, place_id: str) -> pd.Series:
    x0, y0, x1, y1 = BOX[place_id]
    return df["E"].between(x0, x1) & df["N"].between(y0, y1)


def write_files(folder: Path) -> dict:
    """The input files in ``folder``: places (GeoPackage), incidents, survey and plan."""
    import geopandas as gpd
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame({"Kod": [p[0] for p in PLACES], "Namn": [p[1] for p in PLACES],
                            "Typ": [p[2] for p in PLACES], "Stadsdelsområde": [p[3] for p in PLACES],
                            "Befolkning": [p[5] for p in PLACES]},
                           geometry=[box(*p[4]) for p in PLACES], crs="EPSG:3006")
    files = {"places": folder / "platser.gpkg", "incidents": folder / "brott.csv",
             "survey": folder / "trygghet.csv", "activities": folder / "plan.yaml"}
    gdf.to_file(files["places"], driver="GPKG")
    incidents().to_csv(files["incidents"], index=False)
    files["survey"].write_text(SURVEY, encoding="utf-8")
    files["activities"].write_text(PLAN, encoding="utf-8")
    return files


def build(folder: Path):
    """(settings, store) of the probe store in ``folder``."""
    files = write_files(folder)
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "probe.sqlite"))
    store = open_store(cfg)
    for kind in ("places", "incidents", "survey", "activities"):
        ingest_file(store, kind, files[kind])
    return cfg, store
