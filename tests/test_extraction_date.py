"""A file read in without an extraction date: where its data end is judged from its last incident, never
from the day it was read in (an incident file ending 14 March must not count March as a whole month)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from lagesbild.settings import ROOT
from tests.test_cli import run

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"


def _incidents(path, last_day: str, rate: float = 3.0, *, first_day="2021-09-01", category="Narkotika",
               at=(59.275, 17.89), prefix="I-", seed=7) -> pd.Series:
    """Narkotikabrott (``category``) at a constant ``rate`` a day in Vårberg (at ``at``, lat/lon) from
    September 2021 (``first_day``) to ``last_day`` (one at least on that day, so it is the last
    incident's day). Returns the dates written."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(first_day, last_day, freq="D")
    per_day = rng.poisson(rate, len(days))
    per_day[-1] = max(per_day[-1], 1)
    dates = np.repeat(days.strftime("%Y-%m-%d"), per_day)
    pd.DataFrame({"incident_id": [f"{prefix}{i}" for i in range(len(dates))], "Datum": dates,
                  "Klockslag": "12:00", "Category": category, "Lat": at[0], "Lon": at[1]}
                 ).to_csv(path, index=False)
    return pd.to_datetime(pd.Series(dates))


def _store(tmp_path, last_day, *extra, rate: float = 3.0):
    db = tmp_path / "s.sqlite"
    csv = tmp_path / "inc.csv"
    _incidents(csv, last_day, rate)
    assert run("ingest", "places", PLACES, "--no-progress", db=db).returncode == 0
    res = run("ingest", "incidents", csv, "--crs", "4326", "--no-progress", *extra, db=db)
    assert res.returncode == 0, res.stderr
    return db


def _compare(db) -> dict:
    res = run("compare", "--place", "Vårberg", "--category", "narkotikabrott", "--periods",
              "2021-2022", "2022-2023", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)[0]


@pytest.mark.parametrize("extra", [(), ("--extracted", "2023-03-15")])
def test_a_file_ending_mid_month_is_cut_before_that_month_with_or_without_an_extraction_date(tmp_path, extra):
    row = _compare(_store(tmp_path, "2023-03-14", *extra))
    assert row["end_b"] == "2023-02-28" and row["end_a"] == "2022-02-28"  # Sep–Feb against Sep–Feb
    assert "minskning" not in row["verdict"] and "ökning" not in row["verdict"]


def test_a_file_ending_in_the_last_days_of_a_month_keeps_that_month(tmp_path):
    """Half a crime a day: three empty days at the end of March are likely (1,5 crimes expected)."""
    row = _compare(_store(tmp_path, "2023-03-28", rate=0.5))
    assert row["end_b"] == "2023-03-31"


def test_a_busy_file_ending_a_few_days_before_the_months_end_is_cut_there(tmp_path):
    """Three crimes a day and none on 29–31 March: the file ended (e⁻⁹ ≈ 0,01 % by chance). March was
    counted whole, 28 days of crimes against 31 a year before; now the comparison ends in February,
    the quick spans end on 28 March, and every "data t.o.m." says 28 March."""
    db = _store(tmp_path, "2023-03-28")
    row = _compare(db)
    assert row["end_b"] == "2023-02-28" and row["end_a"] == "2022-02-28"
    assert "Hela månader finns t.o.m. 28 feb 2023; mar 2023 är ofullständig" in row["note"]
    out = _data_tom(db)
    assert out["cli"] == out["facts"] == out["export"] == "2023-03-28"
    res = run("quick", "--place", "Vårberg", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    spans = {r["span"]: r for r in json.loads(res.stdout)}
    assert spans["28d"]["end_b"] == "2023-03-28" and spans["28d"]["start_b"] == "2023-03-01"
    assert spans["28d"]["end_a"] == "2022-03-28"


def test_the_quick_spans_end_the_day_before_the_extraction_date(tmp_path):
    """Extracted 15 March: the spans run to 14 March, the last day of data (they ended on 28 February,
    the last whole month, leaving two weeks of data out)."""
    res = run("quick", "--place", "Vårberg", "--format", "json",
              db=_store(tmp_path, "2023-03-14", "--extracted", "2023-03-15"))
    assert res.returncode == 0, res.stderr
    spans = {r["span"]: r for r in json.loads(res.stdout)}
    assert spans["28d"]["end_b"] == "2023-03-14" and spans["ytd"]["end_b"] == "2023-03-14"


def test_an_ingest_without_a_date_records_none_even_after_one_with_a_date(tmp_path):
    from lagesbild.store import Store

    db = _store(tmp_path, "2023-03-14", "--extracted", "2023-03-15")
    assert Store(f"sqlite:///{db}").extracted_at() == pd.Timestamp("2023-03-15").date()
    later = tmp_path / "later.csv"
    _incidents(later, "2023-05-10")  # a later file of the same source, read in without a date
    assert run("ingest", "incidents", later, "--crs", "4326", "--no-progress", db=db).returncode == 0
    assert Store(f"sqlite:///{db}").extracted_at() is None
    assert _compare(db)["end_b"] == "2023-04-30"  # not cut at the earlier file's extraction date


def _may_june(tmp_path):
    """A store with the places, and a file of Vårberg's skadegörelse in May and June 2023."""
    db = tmp_path / "s.sqlite"
    assert run("ingest", "places", PLACES, "--no-progress", db=db).returncode == 0
    csv = tmp_path / "brott.csv"
    csv.write_text("Plats;Brottskategori;Månad;Antal\nVårberg;Skadegörelse;2023-05;4\n"
                   "Vårberg;Skadegörelse;2023-06;5\n", encoding="utf-8")
    return db, csv


def test_a_month_after_the_extraction_date_is_refused(tmp_path):
    db, csv = _may_june(tmp_path)
    res = run("ingest", "crimes", csv, "--extracted", "2023-05-31", "--no-progress", db=db)
    assert res.returncode == 2
    assert ('rad 3, kolumn "Månad", värde "2023-06": perioden börjar efter uttagsdatumet 2023-05-31'
            in res.stderr)
    res = run("ingest", "crimes", csv, "--extracted", "2023-06-01", "--no-progress", db=db)
    assert res.returncode == 0, res.stderr


def _data_tom(db) -> dict:
    """Every "data t.o.m." a user reads: the CLI's status, the header of the dashboard, the figures'
    source lines (the analysis layer's facts) and the exports' (their data's context)."""
    from lagesbild.analysis import base
    from lagesbild.export.data import ExportData
    from lagesbild.figures.format import fmt_date
    from lagesbild.settings import load_settings
    from lagesbild.store import Store
    from lagesbild.web import create_app

    res = run("status", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    store = Store(f"sqlite:///{db}")
    settings = load_settings({}, data_dir=str(db.parent), db=str(db))
    page = create_app(settings, store).server.test_client().get("/_dash-layout").get_data(as_text=True)
    header = json.loads(page)
    spans = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == "freshness":
                spans.append(node["props"]["children"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(header)
    return {"cli": json.loads(res.stdout)["data_till_och_med"], "header": spans,
            "facts": base.facts(store)["data_until"].isoformat(),
            "export": ExportData(store, settings).context.data_until.isoformat(),
            "fmt": fmt_date}


@pytest.mark.parametrize(("extra", "day", "shown"), [
    ((), "2023-03-14", "14 mars 2023"),  # the last incident
    (("--extracted", "2023-03-10"), "2023-03-09", "9 mars 2023"),  # the day before the extraction
])
def test_data_until_is_the_last_day_of_data_everywhere_not_the_end_of_its_month(tmp_path, extra, day, shown):
    """An incident file ending 14 March: the header, the CLI, the figures and the exports all say the
    data go to 14 March (or to the day before the extraction date), not to 31 March, which the
    comparisons' own note ("Data finns t.o.m. 14 mar 2023; mar 2023 är ofullständig") contradicted."""
    out = _data_tom(_store(tmp_path, "2023-03-14", *extra))
    assert out["cli"] == out["facts"] == out["export"] == day
    assert out["header"] == [f"data t.o.m. {shown}"], out["header"]
    assert out["fmt"](pd.Timestamp(day).date()) == shown


def test_monthly_counts_without_an_extraction_date_cover_their_last_month(tmp_path):
    db, csv = _may_june(tmp_path)
    assert run("ingest", "crimes", csv, "--no-progress", db=db).returncode == 0
    out = _data_tom(db)
    assert out["cli"] == out["facts"] == out["export"] == "2023-06-30"
