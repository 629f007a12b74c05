"""Data that end in the middle of a month at one source only: an incident file of Vårberg extracted
15 March 2023 beside a count file of Hässelby torg extracted 10 April. March was counted whole for
Vårberg (the latest extraction said March was complete): 14 days of March against 31 a year before.
Now the comparison ends where the source that ends first has whole months, as with that file alone
(:func:`lagesbild.core.coverage.sources_complete_until`)."""

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


def test_an_older_source_ending_mid_month_does_not_cut_the_later_months():
    """A file of 2015–2019 extracted 15 May 2019 beside this year's: the store's data still end where
    the newest source's do (its own complete_until), not in April 2019."""
    from lagesbild.core.coverage import complete_until, sources_complete_until

    sources = pd.DataFrame({"source": ["gammal", "ny"], "kind": ["incidents", "crimes"],
                            "extracted_at": pd.to_datetime(["2019-05-15", "2023-04-10"])})
    coverage = pd.DataFrame({"source": ["gammal", "ny"], "month": pd.to_datetime(["2019-05-01", "2023-03-01"])})
    until = complete_until(extracted="2023-04-10")
    assert sources_complete_until(sources, coverage, until) == until
    # the newest source cut mid-month does cut
    late = sources.assign(extracted_at=pd.to_datetime(["2019-05-15", "2023-03-20"]))
    assert sources_complete_until(late, coverage, until) == complete_until(extracted="2023-03-20")
