"""A month missing from an incident export is a gap, not a month without crime: it is left uncovered
(never compared, never counted as zero) and the ingest says so; a sparse file keeps its empty months
as zero crimes."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.settings import ROOT
from tests.test_cli import run

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"


def _incidents(path, per_day: float, drop_month: str | None) -> int:
    """Narkotikabrott in Vårberg, Sep 2021 – Jun 2023 (``per_day`` on average), without the month
    ``drop_month`` (YYYY-MM); returns the rows written."""
    rng = np.random.default_rng(11)
    days = pd.date_range("2021-09-01", "2023-06-30", freq="D")
    if drop_month:
        days = days[days.strftime("%Y-%m") != drop_month]
    dates = np.repeat(days.strftime("%Y-%m-%d"), rng.poisson(per_day, len(days)))
    pd.DataFrame({"incident_id": [f"I-{i}" for i in range(len(dates))], "Datum": dates,
                  "Klockslag": "12:00", "Category": "Narkotika", "Lat": 59.275, "Lon": 17.89}
                 ).to_csv(path, index=False)
    return len(dates)


def _ingest(tmp_path, per_day, drop_month):
    db, csv = tmp_path / "s.sqlite", tmp_path / "inc.csv"
    _incidents(csv, per_day, drop_month)
    assert run("ingest", "places", PLACES, "--no-progress", db=db).returncode == 0
    res = run("ingest", "incidents", csv, "--crs", "4326", "--no-progress", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    return db, res


def _compare(db) -> dict:
    res = run("compare", "--place", "Vårberg", "--category", "narkotikabrott", "--periods",
              "2021-2022", "2022-2023", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)[0]


def _covered(db) -> set:
    from lagesbild.store import Store

    cov = Store(f"sqlite:///{db}").coverage()
    return set(pd.to_datetime(cov.loc[cov["place_id"] == "varberg", "month"]).dt.strftime("%Y-%m"))


def test_a_month_missing_from_a_busy_export_is_missing_not_zero(tmp_path):
    db, res = _ingest(tmp_path, 3, "2022-11")  # ≈ 90 a month, November 2022 not in the file
    assert "nov 2022 har inga rader i filen" in res.stdout + res.stderr
    assert "2022-11" not in _covered(db) and {"2022-10", "2022-12"} <= _covered(db)
    row = _compare(db)
    # the period with the gap is not compared with a whole one: no verdict of change
    assert row["months_missing_b"] == 1, row
    assert "ökning" not in row["verdict"] and "minskning" not in row["verdict"]
    assert row["p_value"] is None or (isinstance(row["p_value"], float) and np.isnan(row["p_value"]))


def test_an_empty_month_of_a_sparse_export_is_a_month_without_crime(tmp_path):
    db, res = _ingest(tmp_path, 0.03, None)  # about one a month: empty months happen
    assert "har inga rader i filen" not in res.stdout + res.stderr
    covered = _covered(db)
    months = {m.strftime("%Y-%m") for m in pd.date_range("2021-09-01", "2023-06-01", freq="MS")}
    assert covered == months  # every month of the span, the empty ones as zero


@settings(deadline=None, max_examples=80)
@given(st.lists(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2030, 12, 31)),
                max_size=60))
def test_month_counts_are_np_uniques_months(times):
    """The chunk's months by one bincount: the same months and rows as sorting them (``np.unique``)."""
    from lagesbild.ingest.incidents import month_counts

    when = pd.Series(pd.to_datetime(times), dtype="datetime64[ns]")
    months, counts = month_counts(when)
    expected, n = np.unique(when.to_numpy().astype("datetime64[M]"), return_counts=True)
    assert months.tolist() == expected.tolist() and counts.tolist() == n.tolist()
