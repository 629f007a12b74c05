"""The quick span "12 months against the 12 before" is tested against the place's year-to-year
variation too, as two Sep–Aug years are (stats2's finding, ``core/year_level.py``).

A place whose crimes run at an even rate within each year but at another level each year (2, 4, 2, 4,
3, 2, 4, 3 a day over eight years): a year a third higher than the one before is ordinary here. The
span's p-value used the monthly dispersion alone, which does not see whole years high or low, and
called 730 → 1 095 a "ökning, statistiskt säkerställd". The reference is statsmodels: the Pearson
dispersion of the eight earlier years' totals around a log-linear trend (quasi-Poisson,
``scale="X2"``, k − 2 df) and the two spans' deviance difference from a Poisson GLM with the days as
offset, compared with F(1, k − 2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
import statsmodels.api as sm
from scipy import stats

from lagesbild.analysis import meeting
from lagesbild.ingest import ingest_file

#: crimes a day in each Dec–Nov year, the oldest first; the last two are the compared spans
LEVELS = [2, 4, 2, 4, 3, 2, 4, 3, 2, 3]


def _file(store, path):
    geom = store.places_gdf().set_index("place_id").loc["varberg", "geometry"]
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = geom.bounds
    rows = []
    for year, level in enumerate(LEVELS):
        for day in pd.date_range(f"{2016 + year}-12-01", f"{2017 + year}-11-30", freq="D"):
            got = 0
            while got < level:
                x, y = round(rng.uniform(minx, maxx), 1), round(rng.uniform(miny, maxy), 1)
                if shapely.contains_xy(geom, x, y):  # as written to the file
                    got += 1
                    rows.append((f"v-{day.date()}-{got}", day.date().isoformat(), "12:00", "Skadegörelse", x, y))
    pd.DataFrame(rows, columns=["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"]) \
        .to_csv(path, index=False)
    return path


def test_twelve_months_against_the_twelve_before_know_the_years_variation(places_store, settings, tmp_path):
    store = places_store
    path = _file(store, tmp_path / "syd.csv")
    assert ingest_file(store, "incidents", path, crs=3006, extracted_at="2026-12-01").status == "ok"
    row = meeting.quick_comparison(store, settings, place="varberg").set_index("span").loc["12m"]
    days_a, days_b = int(row["days_a"]), int(row["days_b"])
    assert (row["count_a"], row["count_b"]) == (2 * days_a, 3 * days_b)  # counted by hand

    # statsmodels: the eight earlier Dec–Nov years' totals around a trend, quasi-Poisson
    totals = np.array([lv * len(pd.date_range(f"{2016 + i}-12-01", f"{2017 + i}-11-30")) for i, lv in
                       enumerate(LEVELS[:-2])], float)
    t = np.arange(len(totals), dtype=float)
    phi = sm.GLM(totals, sm.add_constant(t), family=sm.families.Poisson()).fit(scale="X2").scale
    y = np.array([row["count_a"], row["count_b"]], float)
    offset = np.log([days_a, days_b])
    null = sm.GLM(y, np.ones((2, 1)), family=sm.families.Poisson(), offset=offset).fit()
    expected = stats.f.sf(null.deviance / phi, 1, len(totals) - 2)
    assert abs(row["p_value"] - expected) < 1e-6 * max(expected, 1e-3), (row["p_value"], expected)
    assert row["verdict"] == "ingen säkerställd förändring"
