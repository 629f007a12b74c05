"""A trend over the years a source gives whole (Brå's yearly counts, no monthly data): the Plats page
judged no trend at all for such a place. Now the years' counts are the trend's, judged with the
quasi-Poisson F test whose dispersion comes from the source's own years (as the comparison of two of
them is). Reference: statsmodels' Poisson GLM with Pearson's scale, on a file written here."""

from __future__ import annotations

import calendar
import json

import numpy as np
import pytest
import statsmodels.api as sm
from plotly.utils import PlotlyJSONEncoder
from scipy import stats

from lagesbild.cli import main
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings

YEARS = list(range(2015, 2025))
#: Göteborg's counts, written as Brå writes them: a clear rise, a flat but overdispersed level (±10 %
#: between years: the exact Poisson test calls such noise a trend), and too few years for a spread
RISING = [800, 860, 830, 930, 990, 960, 1080, 1130, 1100, 1240]
NOISY = [1000, 1120, 930, 1090, 950, 1150, 980, 1100, 990, 1200]


def _write(path, years, rows):
    head = "Område;Brott;" + ";".join(f"{y} Antal;{y} Per 100 000 inv." for y in years)
    lines = ["Anmälda brott, antal och per 100 000 invånare, efter område, brottstyp och år",
             f"Period: {years[0]}–{years[-1]}", "", head]
    for crime, counts in rows.items():
        cells = ";".join(f"{c:,}".replace(",", " ") + ";1,0" for c in counts)
        lines.append(f"Göteborg;{crime};{cells}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hisingen(tmp_path_factory):
    folder = tmp_path_factory.mktemp("whole-trend")
    _write(folder / "bra.csv", YEARS, {"Narkotikabrott": RISING, "Skadegörelsebrott": NOISY})
    db = folder / "store.sqlite"
    assert main(["--db", str(db), "ingest", "crimes", str(folder / "bra.csv")]) == 0
    cfg = load_settings({}, data_dir=str(folder), db=str(db))
    return cfg, open_store(cfg)


def _reference(counts, years=YEARS):
    """The quasi-Poisson F test of a log-linear trend in the rate per day (statsmodels; φ = Pearson
    χ² / (n − 2))."""
    y = np.asarray(counts, float)
    length = np.array([366 if calendar.isleap(year) else 365 for year in years], float)
    middle = np.concatenate([[0], np.cumsum(length)[:-1]]) + length / 2  # each year's middle in days
    x = sm.add_constant((middle - middle[0]) / np.median(length))
    days = np.log(length)
    full = sm.GLM(y, x, family=sm.families.Poisson(), offset=days).fit(scale="X2")
    null = sm.GLM(y, np.ones((len(y), 1)), family=sm.families.Poisson(), offset=days).fit()
    lr = null.deviance - full.deviance
    return np.exp(full.params[1]), full.scale, stats.f.sf(lr / full.scale, 1, len(y) - 2)


def test_a_place_with_yearly_counts_only_gets_its_trend_over_the_years(hisingen):
    from lagesbild.analysis.place import place_view

    cfg, store = hisingen
    place = store.places().iloc[0]["place_id"]
    view = place_view(store, cfg, place, categories=["narkotikabrott", "skadegorelse"],
                      periods=[str(y) for y in YEARS])
    trends = view["trends"].set_index("category")
    ratio, phi, p = _reference(RISING)
    rise = trends.loc["narkotikabrott"]
    assert rise["n_periods"] == len(YEARS)
    assert rise["rate_ratio"] == pytest.approx(ratio, rel=1e-6)
    assert rise["p_unadjusted"] == pytest.approx(p, rel=0.02)  # φ from the years' own spread (leap days)
    assert rise["verdict"].startswith("ökande trend, statistiskt säkerställd")
    noisy = trends.loc["skadegorelse"]
    _, phi_noisy, p_noisy = _reference(NOISY)
    assert phi_noisy > 5 and noisy["p_unadjusted"] == pytest.approx(p_noisy, rel=0.02)
    # the Poisson test alone calls this noise a rise; the years' own spread does not
    x = np.arange(len(NOISY))
    poisson = sm.GLM(NOISY, sm.add_constant(x.astype(float)), family=sm.families.Poisson()).fit()
    assert poisson.pvalues[1] < 0.05
    assert noisy["verdict"] == "ingen säkerställd trend"


@pytest.mark.parametrize("counts", [RISING[-4:], [1000, 1100, 1210, 1331]])
def test_with_fewer_than_six_years_the_trend_uses_the_years_spread_or_says_its_test_is_poissons(
        tmp_path, counts):
    """Four years are too few to estimate the source's spread (six are needed); the trend's own
    Pearson dispersion over them (2 degrees of freedom) is used when it exceeds Poisson's, as
    statsmodels' quasi-Poisson GLM, and otherwise the Poisson test says so."""
    from lagesbild.analysis.place import place_view

    _write(tmp_path / "bra.csv", YEARS[-4:], {"Narkotikabrott": counts})
    db = tmp_path / "store.sqlite"
    assert main(["--db", str(db), "ingest", "crimes", str(tmp_path / "bra.csv")]) == 0
    cfg = load_settings({}, data_dir=str(tmp_path), db=str(db))
    store = open_store(cfg)
    view = place_view(store, cfg, store.places().iloc[0]["place_id"], categories=["narkotikabrott"],
                      periods=[str(y) for y in YEARS[-4:]])
    row = view["trends"].set_index("category").loc["narkotikabrott"]
    ratio, phi, p = _reference(counts, YEARS[-4:])
    assert row["n_periods"] == 4 and row["rate_ratio"] == pytest.approx(ratio, rel=1e-6)
    if phi > 1:
        assert "Perioderna varierar mer än månaderna visar" in row["note"] and row["ci_df"] == 2
        assert row["p_unadjusted"] == pytest.approx(p, rel=1e-6)
    else:
        assert "för kort historik" in row["verdict"]


def test_the_place_page_names_each_category_s_spread_and_the_years_once(hisingen):
    """Nine yearly pairs each said "… hela perioder (2015 och 2016)." and the page kept the first four
    notes: Skadegörelse's dispersion (8×, why +21 % is no säkerställd change) was never shown."""
    from lagesbild.analysis.place import place_view
    from lagesbild.web.views.place import comparison_block

    cfg, store = hisingen
    view = place_view(store, cfg, "goteborg", categories=["narkotikabrott", "skadegorelse"],
                      periods=[str(y) for y in YEARS])
    notes = comparison_block(view, store, meeting=False).children[-1]  # the footnotes under the tables
    text = json.dumps(notes.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)
    assert text.count("hela perioder") == 1
    assert "Jämförelsen bygger på källans siffror för hela perioder (2015–2024)." in text
    # both categories' dispersions, in one note
    assert "Testen tar hänsyn till att antalen varierar mer än slumpen (kvasi-Poisson): " in text
    assert "Skadegörelse 8,2 gånger" in text and "Narkotikabrott " in text
