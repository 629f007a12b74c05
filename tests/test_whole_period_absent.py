"""A pair of periods of which a yearly source (Brå) has one: the verdict names the year it lacks.

``compare --periods 2025 2026`` on Brå's table of 2023–2025 said "Data saknas för 12 månader i 2025"
of the year the table holds, and showed no count; the note over the table named the two years
"2025–2026", as a September–August year is written.
"""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main
from lagesbild.core.population import years_text
from tests.test_yearly_views import YEARLY, file_counts


@pytest.fixture(scope="module")
def yearly_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("absent") / "store.sqlite"
    assert main(["--db", str(db), "ingest", "--no-progress", "crimes", str(YEARLY)]) == 0
    return db


@pytest.mark.parametrize("periods, lacking, known", [(["2025", "2026"], "2026", ("a", 2025)),
                                                     (["2022", "2023"], "2022", ("b", 2023))])
def test_the_year_the_source_lacks_is_named_and_the_other_counted(yearly_db, capsys, periods, lacking, known):
    capsys.readouterr()
    assert main(["--db", str(yearly_db), "compare", "--place", "Göteborg", "--periods", *periods,
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    counts = file_counts()
    side, year = known
    assert rows and all(r["verdict"] == f"kan inte bedömas: källan har ingen siffra för {lacking}" for r in rows)
    for r in rows:
        assert r[f"count_{side}"] == counts[("Göteborg", r["category"], year)]
        assert r[f"count_{'b' if side == 'a' else 'a'}"] is None and r["p_value"] is None
        assert "Data saknas för 12 månader" not in (r["note"] or "")


def test_two_years_in_a_row_are_not_written_as_a_sep_aug_year():
    assert years_text([2024, 2025]) == "2024 och 2025"
    assert years_text([2023, 2024, 2025]) == "2023–2025"


def test_sep_aug_years_at_a_place_with_calendar_years_only_say_to_choose_calendar_years(yearly_db, capsys):
    """It said "data saknas för 24 månader" with a note per year, not that the years are there."""
    capsys.readouterr()
    assert main(["--db", str(yearly_db), "compare", "--place", "Göteborg", "--periods", "2023–2024",
                 "2024–2025", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["verdict"] for r in rows] == [
        "kan inte bedömas: platsen har bara siffror för hela kalenderår (senast 2025); välj kalenderår"]
    assert "Data saknas" not in (rows[0]["note"] or "")
