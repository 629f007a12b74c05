"""A weighted survey file's design effect reaches the tests (stats2's finding: the core used a
``design_effect`` that no reader gave, so every weighted survey was tested as a simple random sample).

The reader takes ``Designeffekt`` or ``Effektivt antal svarande`` (design effect = respondents ÷
effective number); the store keeps it; Trygghet's table then counts respondents ÷ design effect in the
interval. Reference: statsmodels' Wilson interval on the effective sample.
"""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import proportion_confint

from lagesbild.analysis import survey_view
from lagesbild.cli import main
from lagesbild.ingest import ingest_file

HEADER = "Område;Nivå;År;Påstående;Viktad andel (%);Antal svarande;{extra}\n"


def _row(store, settings, path):
    report = ingest_file(store, "survey", path)
    assert report.status == "ok", report.message
    table = survey_view(store, settings, place_id="varberg")["table"]
    return table.loc[table["year"] == 2023].iloc[0]


@pytest.mark.parametrize("extra, values", [("Designeffekt", ("1,8", "1,8")),
                                           ("Effektivt antal svarande", ("222,2", "233,3"))])
def test_the_file_s_design_effect_widens_the_interval(places_store, settings, tmp_path, extra, values):
    path = tmp_path / "trygghet.csv"
    path.write_text(HEADER.format(extra=extra) +
                    f"Vårberg;plats;2021;Oro för brott;30;400;{values[0]}\n"
                    f"Vårberg;plats;2023;Oro för brott;22;420;{values[1]}\n", encoding="utf-8")
    row = _row(places_store, settings, path)
    n_eff = 420 / 1.8 if extra == "Designeffekt" else 233.3
    lo, hi = proportion_confint(0.22 * n_eff, n_eff, alpha=0.05, method="wilson")
    assert (row["ci_lo"], row["ci_hi"]) == pytest.approx((lo, hi), abs=1e-9)
    assert int(row["respondents"]) == 420


@pytest.mark.parametrize("value, reason", [("0", "designeffekten ska vara ett tal större än 0"),
                                           ("stor", "designeffekten ska vara ett tal större än 0")])
def test_a_bad_design_effect_is_refused_naming_the_cell(places_store, tmp_path, capsys, value, reason):
    path = tmp_path / "trygghet.csv"
    path.write_text(HEADER.format(extra="Designeffekt") + f"Vårberg;plats;2023;Oro för brott;22;420;{value}\n",
                    encoding="utf-8")
    code = main(["--db", places_store.url, "ingest", "--no-progress", "survey", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and reason in err and "rad 2" in err and "Designeffekt" in err, err
    assert places_store.survey().empty


def test_a_store_from_before_the_column_gets_it_when_opened(tmp_path, capsys):
    import sqlite3

    db = tmp_path / "gammal.sqlite"
    from tests.test_cli_store_errors import PLACES

    assert main(["--db", str(db), "ingest", "--no-progress", "places", str(PLACES)]) == 0
    with sqlite3.connect(db) as con:  # as a store written before the design effect was kept
        con.execute("ALTER TABLE survey DROP COLUMN design_effect")
    path = tmp_path / "trygghet.csv"
    path.write_text(HEADER.format(extra="Designeffekt") + "Vårberg;plats;2023;Oro för brott;22;420;1,5\n",
                    encoding="utf-8")
    assert main(["--db", str(db), "ingest", "--no-progress", "survey", str(path)]) == 0, capsys.readouterr().err
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT design_effect FROM survey").fetchall() == [(1.5,)]
