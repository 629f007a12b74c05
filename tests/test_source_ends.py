"""Data that end in the middle of a month at one source only: an incident file of Vårberg extracted
15 March 2023 beside a count file of Hässelby torg extracted 10 April. March was counted whole for
Vårberg (the latest extraction said March was complete): 14 days of March against 31 a year before.
Now the comparison ends where the source that ends first has whole months, as with that file alone
(:mod:`lagesbild.analysis.dataend`)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.test_cli import run
from tests.test_extraction_date import PLACES, _incidents


@pytest.mark.parametrize("extracted", [("--extracted", "2023-03-15"), ()])
def test_a_source_ending_mid_month_cuts_that_month_even_when_another_is_complete(tmp_path, extracted):
    """With the incident file's extraction date, or without one (then its last incident, 14 March,
    says March is cut, as for that file alone)."""
    db = tmp_path / "s.sqlite"
    _incidents(tmp_path / "inc.csv", "2023-03-14", rate=20.0)
    assert run("ingest", "places", PLACES, "--no-progress", db=db).returncode == 0
    res = run("ingest", "incidents", tmp_path / "inc.csv", "--crs", "4326", "--no-progress",
              *extracted, "--source", "polis-inc", db=db)
    assert res.returncode == 0, res.stderr
    lines = ["Område;Brottstyp;Period;Antal"] + [
        f"Hässelby torg;Skadegörelse;{m:%Y-%m};20" for m in pd.date_range("2021-09-01", "2023-03-01", freq="MS")]
    (tmp_path / "brott.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run("ingest", "crimes", tmp_path / "brott.csv", "--no-progress", "--extracted", "2023-04-10",
              "--source", "bra-x", db=db)
    assert res.returncode == 0, res.stderr
    res = run("compare", "--place", "Vårberg", "--category", "narkotikabrott", "--periods", "2021-2022",
              "2022-2023", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    row = json.loads(res.stdout)[0]
    # Sep–Feb against Sep–Feb, as the incident file alone gives (tests/test_extraction_date.py)
    assert (row["end_a"], row["end_b"]) == ("2022-02-28", "2023-02-28")
    incidents = pd.read_csv(tmp_path / "inc.csv", parse_dates=["Datum"])
    by_hand = [int(incidents["Datum"].between(a, b).sum())
               for a, b in (("2021-09-01", "2022-02-28"), ("2022-09-01", "2023-02-28"))]
    assert [row["count_a"], row["count_b"]] == by_hand
    assert "minskning" not in row["verdict"]


@pytest.mark.parametrize(("newest", "end"), [("2023-04-10", "2023-03-31"), ("2023-03-20", "2023-02-28")])
def test_an_older_source_ending_mid_month_does_not_cut_the_later_months(places_store, tmp_path, newest, end):
    """A file of 2015–2019 extracted 15 May 2019 beside this year's: the store's data end where the
    newest source's do (its own complete_until), not in April 2019; the older file's May is its own
    cut. A newest source extracted mid-month cuts its month for every place."""
    import datetime as dt

    from lagesbild.analysis import dataend
    from lagesbild.ingest import ingest_file

    for name, place, first, last, extracted in (("gammal", "Hässelby torg", "2015-01-01", "2019-05-01", "2019-05-15"),
                                                ("ny", "Vårberg", "2021-09-01", "2023-03-01", newest)):
        rows = [f"{place};Skadegörelse;{m:%Y-%m};20" for m in pd.date_range(first, last, freq="MS")]
        (tmp_path / f"{name}.csv").write_text("Område;Brottstyp;Period;Antal\n" + "\n".join(rows) + "\n",
                                              encoding="utf-8")
        ingest_file(places_store, "crimes", tmp_path / f"{name}.csv", source=name,
                    extracted_at=dt.date.fromisoformat(extracted))
    assert dataend.data_end(places_store) == dt.date.fromisoformat(end)
    assert dataend.source_cuts(places_store) == {"gammal": dt.date(2019, 4, 30)}
