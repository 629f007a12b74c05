"""Periods on the command line as people type them: without quotes (``--periods T1 2021 T1 2022``),
across the turn of a year (``sep 2022–aug 2023``), and the same period twice refused instead of
compared with itself."""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main
from lagesbild.settings import ROOT

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"



@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("perioder")
    crimes = folder / "brott.csv"
    crimes.write_text("Plats;Brottskategori;Månad;Antal\n" + "".join(
        f"Hässelby torg;Skadegörelse;{year}-{month:02d};{10 + (year + month) % 7}\n"
        for year in range(2017, 2024) for month in range(1, 13)), encoding="utf-8")
    path = folder / "lagesbild.sqlite"
    for kind, file in (("places", PLACES), ("crimes", crimes)):
        assert main(["--db", str(path), "ingest", "--no-progress", kind, str(file)]) == 0
    return path


def _compare(db, capsys, *periods):
    capsys.readouterr()
    code = main(["--db", str(db), "compare", "--place", "hasselby-torg", "--format", "json",
                 "--periods", *periods])
    out = capsys.readouterr()
    return code, out


@pytest.mark.parametrize(("typed", "labels"), [
    (["T1", "2021", "T1", "2022"], ("T1 2021", "T1 2022")),
    (["jan", "2019", "feb", "2019"], ("jan 2019", "feb 2019")),
    (["sep", "2021", "–", "aug", "2022", "sep", "2022–aug", "2023"],
     ("2021-09-01–2022-08-31", "2022-09-01–2023-08-31")),
    (["sep 2018–aug 2019", "september 2019 till augusti 2020"],
     ("2018-09-01–2019-08-31", "2019-09-01–2020-08-31")),
])
def test_periods_typed_without_quotes_or_across_a_year_are_read(db, capsys, typed, labels):
    code, out = _compare(db, capsys, *typed)
    assert code == 0, out.err
    rows = json.loads(out.out)
    assert rows and {(r["period_a"], r["period_b"]) for r in rows} == {labels}


def test_the_same_period_twice_is_refused_instead_of_compared_with_itself(db, capsys):
    code, out = _compare(db, capsys, "2018–2019", "2018/19")
    assert code == 2
    assert out.err.startswith("Fel: perioden 2018–2019 är angiven två gånger"), out.err
    assert out.out == ""


def test_a_word_that_is_no_period_is_still_named(db, capsys):
    code, out = _compare(db, capsys, "2019", "vår")
    assert code == 2 and 'Okänd period: "vår"' in out.err, out.err


@pytest.mark.parametrize("command", [["hotspots", "--area", "varberg"], ["patterns", "--place", "varberg"]])
def test_one_period_of_several_words_needs_no_quotes(command):
    """``--period T1 2022`` stopped with "okända argument: 2022"."""
    from lagesbild.cli import build_parser

    args = build_parser().parse_args([*command, "--period", "T1", "2022"])
    assert args.period == "T1 2022"
    assert build_parser().parse_args([*command, "--period", "2021–2022"]).period == "2021–2022"


def test_quarters_and_month_ranges_are_printed_as_months_not_dates(db, capsys):
    """``compare --periods "Q2 2022" "kvartal 2 2023"`` printed ``2022-04-01–2022-06-30``; the text
    output writes periods as the dashboard and the exports do (``apr–jun 2022``), the JSON keeps the
    period's own label."""
    capsys.readouterr()
    code = main(["--db", str(db), "compare", "--place", "hasselby-torg", "--periods", "Q2 2022", "kvartal 2 2023"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "apr–jun 2022 → apr–jun 2023" in out.out and "2022-04-01" not in out.out
    code, out = _compare(db, capsys, "Q2 2022", "kvartal 2 2023")
    assert code == 0 and {(r["period_a"], r["period_b"]) for r in json.loads(out.out)} == {
        ("2022-04-01–2022-06-30", "2023-04-01–2023-06-30")}
    code, out = _compare(db, capsys, "Q2 2022", "2022-04-01–2022-06-30")
    assert code == 2 and "perioden apr–jun 2022 är angiven två gånger" in out.err, out.err
