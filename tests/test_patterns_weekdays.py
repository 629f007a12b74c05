"""Mönster's counts per weekday say when the period is not whole weeks.

stats3's finding: the weekday × hour chart (and the CLI's "Per veckodag") shows raw counts; in a month
of 31 days three weekdays occur five times and four only four times, so at a constant rate those three
show 25 % more crime than the others with no difference at all (a tertial +6 %, a year +2 %). The page,
the CLI's text and its JSON now say how often each weekday occurs and, when they differ by 5 % or more,
a note. References: the calendar module, by hand.
"""

from __future__ import annotations

import calendar
import json

from tests.test_cli import run
from tests.test_extraction_date import PLACES, _incidents


def _store(tmp_path):
    db = tmp_path / "s.sqlite"
    _incidents(tmp_path / "inc.csv", "2023-08-31", rate=2.0, first_day="2021-09-01")
    assert run("ingest", "places", PLACES, "--no-progress", db=db).returncode == 0
    res = run("ingest", "incidents", tmp_path / "inc.csv", "--crs", "4326", "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    return db


def _by_weekday(year: int, month: int) -> list[int]:
    days = [0] * 7
    for week in calendar.monthcalendar(year, month):
        for weekday, day in enumerate(week):
            days[weekday] += day != 0
    return days


def test_a_month_names_the_weekdays_it_has_five_times(tmp_path):
    db = _store(tmp_path)
    res = run("patterns", "--place", "Vårberg", "--period", "jan", "2023", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    # January 2023 began on a Sunday: Sunday, Monday and Tuesday five times, the rest four
    assert out["weekday_days"] == _by_weekday(2023, 1) == [5, 5, 4, 4, 4, 4, 5]
    assert out["weekday_note"] == ("Perioden är inte hela veckor: måndag, tisdag och söndag förekommer 5 "
                                   "gånger, övriga veckodagar 4 gånger (25 % fler dagar); jämför "
                                   "veckodagarna med det i åtanke.")
    text = run("patterns", "--place", "Vårberg", "--period", "jan", "2023", db=db)
    assert "Obs: Perioden är inte hela veckor: måndag, tisdag och söndag förekommer 5 gånger" in text.stdout


def test_a_sep_aug_year_has_no_note(tmp_path):
    """365 days: one weekday 53 times, the others 52 (2 %): no note."""
    db = _store(tmp_path)
    res = run("patterns", "--place", "Vårberg", "--period", "2022–2023", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert sorted(out["weekday_days"]) == [52] * 6 + [53] and out["weekday_note"] is None


def test_the_mönster_page_shows_the_note(tmp_path):
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings
    from lagesbild.web.views.patterns import patterns_view

    db = _store(tmp_path)
    cfg = load_settings({}, db=str(db), data_dir=str(tmp_path))
    page = json.dumps([c.to_plotly_json() for c in patterns_view(open_store(cfg), cfg, place="varberg",
                                                                  period="feb 2023")],
                      default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o),
                      ensure_ascii=False)
    assert _by_weekday(2023, 2) == [4] * 7  # February 2023: four whole weeks
    assert "Perioden är inte hela veckor" not in page
    page = json.dumps([c.to_plotly_json() for c in patterns_view(open_store(cfg), cfg, place="varberg",
                                                                  period="mar 2023")],
                      default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o),
                      ensure_ascii=False)
    assert _by_weekday(2023, 3) == [4, 4, 5, 5, 5, 4, 4]  # March 2023 began on a Wednesday
    assert "onsdag, torsdag och fredag förekommer 5 gånger, övriga veckodagar 4 gånger" in page


def test_the_days_counted_begin_where_the_incident_data_begin(tmp_path):
    """A Sep–Aug year whose incident data begin on 1 July: its weekdays are counted over July and August
    (62 days: Thursday 8 times, the others 9), not over the whole year (52 or 53 each)."""
    db = tmp_path / "s.sqlite"
    _incidents(tmp_path / "inc.csv", "2023-08-31", rate=2.0, first_day="2022-07-01")
    assert run("ingest", "places", PLACES, "--no-progress", db=db).returncode == 0
    assert run("ingest", "incidents", tmp_path / "inc.csv", "--crs", "4326", "--no-progress",
               db=db).returncode == 0
    res = run("patterns", "--place", "Vårberg", "--period", "2021–2022", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    by_hand = [a + b for a, b in zip(_by_weekday(2022, 7), _by_weekday(2022, 8), strict=True)]
    assert out["weekday_days"] == by_hand and sorted(by_hand) == [8] + [9] * 6
    assert out["weekday_note"].startswith("Perioden är inte hela veckor: måndag, tisdag")
