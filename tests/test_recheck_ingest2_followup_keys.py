"""Follow-up keys of an action plan written as one period: "T1 2023" was "okänt år".

The follow-ups are per tertial (T1, T2) and for the year (VB). A key may now be the year with T1, T2 and
VB under it, as before, or one of them with its year in any form of the one period grammar
(``sources.dates.read_period``): "T1 2023", "2023 T2", "VB 2023", "jan–apr 2023". A period that is not
a follow-up period (a quarter, a Sep–Aug year, T3) is refused with its dates and the accepted forms.
"""

from __future__ import annotations

import json

from lagesbild.cli import main
from lagesbild.settings import ROOT

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"
PLAN = """- id: platssamverkan-varberg
  aktivitet: Platssamverkan Vårberg
  plats: [varberg]
  start: 2022-02-01
  uppföljning:
{followups}
"""


def _ingest(tmp_path, capsys, followups: str) -> tuple[int, str, str]:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(followups=followups), encoding="utf-8")
    db = str(tmp_path / "s.sqlite")
    assert main(["--db", db, "ingest", "--no-progress", "places", str(PLACES)]) == 0
    capsys.readouterr()
    rc = main(["--db", db, "ingest", "--no-progress", "activities", str(path)])
    out = capsys.readouterr()
    return rc, out.out, out.err


def _followups(tmp_path, capsys) -> list[tuple]:
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    store = open_store(load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite")))
    got = store.followups()
    return sorted(zip(got["year"].astype(int), got["period"], got["goal_met"], strict=True))


def test_one_period_keys_are_read_with_the_one_period_grammar(tmp_path, capsys):
    rc, out, err = _ingest(tmp_path, capsys,
                           '    "T1 2023": {mål uppfyllt: ja}\n'
                           '    2023 T2: {mål uppfyllt: delvis}\n'
                           '    "VB 2023": {mål uppfyllt: nej}\n'
                           '    "jan–apr 2024": {mål uppfyllt: ja}\n'
                           '    2022:\n      VB: {mål uppfyllt: ja}\n')
    assert rc == 0, err
    assert _followups(tmp_path, capsys) == [(2022, "VB", "ja"), (2023, "T1", "ja"), (2023, "T2", "delvis"),
                                            (2023, "VB", "nej"), (2024, "T1", "ja")]


def test_a_period_that_is_no_follow_up_period_is_refused_with_the_forms(tmp_path, capsys):
    rc, out, err = _ingest(tmp_path, capsys, '    "Q1 2023": {mål uppfyllt: ja}\n')
    assert rc == 2 and "Traceback" not in err
    assert 'plan.yaml, rad 6' in err and 'värde "Q1 2023"' in err, err
    assert '"Q1 2023" är perioden 2023-01-01–2023-03-31' in err
    assert "T1 2023, 2023 T2, tertial 1 2023, VB 2023 eller jan–apr 2023" in err
    (tmp_path / "b").mkdir()
    rc, out, err = _ingest(tmp_path / "b", capsys, '    "hösten 2023": {mål uppfyllt: ja}\n')
    assert rc == 2 and "okänt år eller period i uppföljningen" in err and "Traceback" not in err


def test_the_same_follow_up_twice_in_two_forms_is_refused(tmp_path, capsys):
    rc, out, err = _ingest(tmp_path, capsys, '    "T1 2023": {mål uppfyllt: ja}\n'
                                             '    2023:\n      T1: {mål uppfyllt: nej}\n')
    assert rc == 2 and "uppföljningen för T1 2023 finns två gånger" in err, err
    status = main(["--db", str(tmp_path / "s.sqlite"), "status", "--format", "json"])
    assert status == 0 and json.loads(capsys.readouterr().out)["antal_rader"]["followups"] == 0
