"""Survey shares and respondents that cannot both be true.

- ``0,33`` under ``2021 Andel`` beside ``28 %`` was read as 0,33 % (the other cells' ``%`` decided the
  column): 33 % written as a fraction, or 0,33 % without its sign? It is refused naming the cell, as a
  ``0,41`` beside ``38`` in a column without any ``%`` already is.
- A share with 0 respondents (``45 %`` of nobody) was stored, and Trygghet showed it without an interval.
- In the published wide layouts a refused share or respondent count was named by the reader's own column
  ("Andel (%)", "Antal svarande"), which the file does not have; it is now the file's year column.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.sources.survey import read_survey
from tests.test_cli import run

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _write(tmp_path, text, name="s.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


STOCKHOLM = ("Indikator;Område;2021 Andel;2021 Antal svar;2023 Andel;2023 Antal svar\n"
             "Otrygg utomhus sent en kväll i området;Hässelby-Vällingby;28 %;1 377;27 %;1 390\n"
             "Otrygg utomhus sent en kväll i området;Skärholmen;0,33;1 090;34,4 %;1 066\n")


def test_a_share_without_its_sign_below_1_beside_percents_is_refused_through_the_command_line(tmp_path):
    db = tmp_path / "x.sqlite"
    res = run("ingest", "survey", _write(tmp_path, STOCKHOLM), "--no-progress", db=db)
    assert res.returncode == 2, res.stdout
    assert "Traceback" not in res.stderr
    assert 'rad 3, kolumn "2021 Andel", värde "0,33"' in res.stderr
    assert not db.exists() or "0,0033" not in res.stdout


def test_the_same_share_with_its_sign_is_read_as_written(tmp_path):
    result = read_survey(_write(tmp_path, STOCKHOLM.replace(";0,33;", ";0,33 %;")))
    assert result.errors == []
    got = {(r.area, r.year): round(r.share, 6) for r in result.table.itertuples()}
    assert got[("Skärholmen", 2021)] == 0.0033
    assert got[("Hässelby-Vällingby", 2021)] == 0.28


def test_small_percents_with_and_without_sign_are_not_refused(tmp_path):
    """"0,5" beside "1,5 %" and "2 %": every value is a small percent; nothing of 10 % or more."""
    text = ("Område;År;Indikator;Andel;Antal svarande\nSkärholmen;2021;Utsatt för rån;0,5;800\n"
            "Skärholmen;2022;Utsatt för rån;1,5 %;800\nSkärholmen;2023;Utsatt för rån;2 %;800\n")
    result = read_survey(_write(tmp_path, text))
    assert result.errors == []
    assert [round(s, 6) for s in result.table.sort_values("year")["share"]] == [0.005, 0.015, 0.02]


def test_a_share_of_no_respondents_is_refused(tmp_path):
    text = ("Område;År;Indikator;Andel;Antal svarande\nSkärholmen;2023;Otrygg;45 %;812\n"
            "Skärholmen;2022;Otrygg;45 %;0\n")
    result = read_survey(_write(tmp_path, text))
    assert [(e.line, e.column, e.value) for e in result.errors] == [(3, "Antal svarande", "0")]
    assert "0 svarande" in result.errors[0].reason


@FAST
@given(shares=st.lists(st.integers(10, 99), min_size=1, max_size=4), small=st.integers(1, 99),
       signed=st.booleans())
def test_a_bare_fraction_among_signed_percents_is_refused_and_a_signed_one_read(tmp_path, shares, small,
                                                                              signed):
    rows = [f"Skärholmen;{2010 + i};Otrygg;{s} %;500\n" for i, s in enumerate(shares)]
    cell = f"0,{small:02d}" + (" %" if signed else "")
    rows.append(f"Skärholmen;2020;Otrygg;{cell};500\n")
    result = read_survey(_write(tmp_path, "Område;År;Indikator;Andel;Antal svarande\n" + "".join(rows)))
    if signed:
        assert result.errors == []
        got = result.table.set_index("year")["share"]
        assert round(got[2020], 8) == small / 10000
        assert [round(got[2010 + i], 8) for i in range(len(shares))] == [s / 100 for s in shares]
    else:
        assert [(e.line, e.value) for e in result.errors] == [(len(shares) + 2, cell)]


def test_a_wide_tables_refusal_names_the_files_own_year_column(tmp_path):
    text = STOCKHOLM.replace(";0,33;1 090;", ";33;1 090;").replace(";27 %;1 390", ";127 %;1 390").replace(
        ";34,4 %;1 066", ";34,4 %;-4")
    result = read_survey(_write(tmp_path, text))
    assert sorted((e.line, e.column, e.value) for e in result.errors) == [
        (2, "2023 Andel", "127 %"), (3, "2023 Antal svar", "-4")]


def test_the_police_layouts_refusal_names_the_year_column(tmp_path):
    text = ("Område: Skärholmen\n\nFråga;2022;2023\nNedskräpning;52;149\nSkadegörelse;31;30\n"
            "Antal svarande;812;790\n")
    result = read_survey(_write(tmp_path, text))
    assert [(e.line, e.column, e.value) for e in result.errors] == [(4, "2023", "149")]
