"""A source of earlier data that ends in the middle of a month, beside newer data.

Two defects, both with an older file that stops on 15 March 2022 beside an incident file that runs
to August 2023:

- an older count file's extraction date (15 Mar 2022) ended the whole store in February 2022: every
  comparison of 2022–2023 said "kan inte bedömas: data saknas för 18 månader";
- an older file's last half month was counted as a whole month (14 days of March 2022 against 31 of
  March 2021), because only the source reaching the store's last month could cut a month.

Now the store's end follows the newest sources only (``dataend.latest_extraction``), and an older
source's months after its own end (its extraction date, or its last incident and volume) are missing
for its places and categories (``dataend.source_cuts``), like for like. The counts are checked
against the files read with pandas.
"""

from __future__ import annotations

import json

import pandas as pd

from tests.test_cli import run
from tests.test_extraction_date import PLACES, _incidents

ALVSJO = (59.275, 17.995)  # inside Älvsjö/Solberga in tests/data/places_4326.geojson


def _store(tmp_path):
    """Vårberg's narkotikabrott to 31 Aug 2023 (the newest source, no extraction date)."""
    db = tmp_path / "s.sqlite"
    _incidents(tmp_path / "ny.csv", "2023-08-31", rate=3.0)
    assert run("ingest", "places", PLACES, "--no-progress", db=db).returncode == 0
    res = run("ingest", "incidents", tmp_path / "ny.csv", "--crs", "4326", "--no-progress",
              "--source", "ny", db=db)
    assert res.returncode == 0, res.stderr
    return db


def _counts_file(path):
    """Hässelby torg's skadegörelse per month, Sep 2020 to Mar 2022 (March with half its crimes)."""
    months = pd.date_range("2020-09-01", "2022-03-01", freq="MS")
    counts = [40 + (i % 5) for i in range(len(months) - 1)] + [20]
    lines = ["Område;Brottstyp;Period;Antal"] + [
        f"Hässelby torg;Skadegörelse;{m:%Y-%m};{n}" for m, n in zip(months, counts, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dict(zip(months, counts, strict=True))


def _old_incidents(path, rate, last_day="2022-03-15"):
    """Skadegörelse in Älvsjö/Solberga at ``rate`` a day, 1 Sep 2020 to ``last_day``."""
    return _incidents(path, last_day, rate, first_day="2020-09-01", category="Skadegörelse", at=ALVSJO,
                      prefix="G-", seed=11)


def _compare(db, place, category, *period):
    res = run("compare", "--place", place, "--category", category, *period, "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)[0]


Q1 = ("--from", "2022-01-01", "--to", "2022-03-31", "--vs-from", "2021-01-01", "--vs-to", "2021-03-31")


def test_an_older_files_extraction_date_does_not_end_the_store(tmp_path):
    db = _store(tmp_path)
    _counts_file(tmp_path / "gammal.csv")
    res = run("ingest", "crimes", tmp_path / "gammal.csv", "--no-progress", "--extracted", "2022-03-15",
              "--source", "gammal", db=db)
    assert res.returncode == 0, res.stderr
    row = _compare(db, "Vårberg", "narkotikabrott", "--periods", "2021-2022", "2022-2023")
    assert (row["end_a"], row["end_b"]) == ("2022-08-31", "2023-08-31")
    incidents = pd.read_csv(tmp_path / "ny.csv", parse_dates=["Datum"])
    assert row["count_b"] == int(incidents["Datum"].between("2022-09-01", "2023-08-31").sum())
    status = json.loads(run("status", "--format", "json", db=db).stdout)
    assert status["data_till_och_med"] == "2023-08-31"


def test_an_older_count_files_half_month_is_not_counted_whole(tmp_path):
    db = _store(tmp_path)
    counts = _counts_file(tmp_path / "gammal.csv")
    run("ingest", "crimes", tmp_path / "gammal.csv", "--no-progress", "--extracted", "2022-03-15",
        "--source", "gammal", db=db)
    row = _compare(db, "Hässelby torg", "skadegorelse", *Q1)
    # like for like: January and February of each year, March 2022 being half a month
    assert (row["end_a"], row["end_b"]) == ("2021-02-28", "2022-02-28")
    by_hand = [sum(n for m, n in counts.items() if f"{y}-01-01" <= f"{m:%Y-%m-%d}" <= f"{y}-02-28")
               for y in (2021, 2022)]
    assert [row["count_a"], row["count_b"]] == by_hand
    # and the status says where the file's whole months end, not the end of its half month
    status = json.loads(run("status", "--format", "json", db=db).stdout)
    old = next(s for s in status["källor"] if s["källa"] == "gammal")
    assert [c["data_tom"] for c in old["data_tom_per_kategori"]] == ["2022-02-28"]


def test_an_older_incident_files_half_month_is_not_counted_whole(tmp_path):
    """Without an extraction date: 16 empty days at about 5 crimes a day cut March."""
    db = _store(tmp_path)
    dates = _old_incidents(tmp_path / "gammal.csv", rate=5.0)
    res = run("ingest", "incidents", tmp_path / "gammal.csv", "--crs", "4326", "--no-progress",
              "--source", "gammal", db=db)
    assert res.returncode == 0, res.stderr
    row = _compare(db, "Älvsjö/Solberga", "skadegorelse", *Q1)
    assert (row["end_a"], row["end_b"]) == ("2021-02-28", "2022-02-28")
    by_hand = [int(dates.between(f"{y}-01-01", f"{y}-02-28").sum()) for y in (2021, 2022)]
    assert [row["count_a"], row["count_b"]] == by_hand


def test_a_quiet_older_file_keeps_its_last_month(tmp_path):
    """At one crime in ten days, five empty days at the end of March are no sign of an end: March
    stays whole, as for a newest file (``core.compare.complete_until``: within a week, and fewer
    than three crimes due)."""
    db = _store(tmp_path)
    dates = _old_incidents(tmp_path / "gammal.csv", rate=0.1, last_day="2022-03-26")
    run("ingest", "incidents", tmp_path / "gammal.csv", "--crs", "4326", "--no-progress",
        "--source", "gammal", db=db)
    row = _compare(db, "Älvsjö/Solberga", "skadegorelse", *Q1)
    assert (row["end_a"], row["end_b"]) == ("2021-03-31", "2022-03-31")
    assert row["count_b"] == int(dates.between("2022-01-01", "2022-03-31").sum())
