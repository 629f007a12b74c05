"""A trend over years whose counts come from two sources: Brå's yearly counts for 2015–2020 (flat
around 1 100) and monthly police incidents from 2021 (flat around 740). The step between the sources
was a "minskande trend, statistiskt säkerställd" (p = 0,014) on Plats; a change of source is not a
trend of crime, so such a series is not tested. Each source's own years are still trended."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from lagesbild.analysis.place import place_view
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from tests.test_cli import run
from tests.test_extraction_date import PLACES

BRA = dict(zip(range(2015, 2021), [1100, 1080, 1120, 1090, 1110, 1100], strict=True))


def _store(tmp_path):
    db = tmp_path / "s.sqlite"
    rng = np.random.default_rng(7)
    days = pd.date_range("2021-01-01", "2023-12-31", freq="D")
    dates = np.repeat(days.strftime("%Y-%m-%d"), rng.poisson(2, len(days)))
    pd.DataFrame({"incident_id": [f"I-{i}" for i in range(len(dates))], "Datum": dates, "Klockslag": "12:00",
                  "Category": "Narkotika", "Lat": 59.275, "Lon": 17.89}).to_csv(tmp_path / "inc.csv", index=False)
    assert run("ingest", "places", PLACES, "--no-progress", db=db).returncode == 0
    res = run("ingest", "incidents", tmp_path / "inc.csv", "--crs", "4326", "--no-progress", "--extracted",
              "2024-01-05", db=db)
    assert res.returncode == 0, res.stderr
    lines = ["Område;Brottstyp;Period;Antal"] + [f"Vårberg;Narkotika;{y};{n}" for y, n in BRA.items()]
    (tmp_path / "bra.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run("ingest", "crimes", tmp_path / "bra.csv", "--no-progress", "--source", "bra-ar", db=db)
    assert res.returncode == 0, res.stderr
    settings = load_settings({}, data_dir=str(tmp_path), db=str(db))
    return open_store(settings), settings


def _quasi_poisson_p(counts) -> float:
    """statsmodels' quasi-Poisson test of a log-linear trend over consecutive years."""
    y = np.asarray(counts, float)
    fit = sm.GLM(y, sm.add_constant(np.arange(len(y), dtype=float)), family=sm.families.Poisson()).fit(scale="X2")
    return float(fit.pvalues[1])


def test_a_trend_across_a_change_of_source_is_not_tested(tmp_path):
    store, settings = _store(tmp_path)
    years = [str(y) for y in range(2015, 2024)]
    view = place_view(store, settings, "varberg", categories=["narkotikabrott"], periods=years)
    counts = view["counts"].set_index("period")["count"]
    assert [counts[str(y)] for y in BRA] == list(BRA.values())  # Brå's years, then the incidents'
    trend = view["trends"].iloc[0]
    assert trend["verdict"] == "kan inte bedömas: perioderna kommer från olika källor"
    assert not trend["significant"]
    # each source alone is trended, and neither has a trend (statsmodels agrees)
    own = place_view(store, settings, "varberg", categories=["narkotikabrott"],
                     periods=[str(y) for y in BRA])["trends"].iloc[0]
    assert not own["significant"] and own["verdict"] == "ingen säkerställd trend"
    assert _quasi_poisson_p(list(BRA.values())) > 0.05
