"""An action plan's löptid of one date beside an explicit start is the activity's end.

``start: 2020-01-01`` with ``löptid: 2021-12-31`` was read as a start on 31 December 2021 (the
start field then won), with no end: an activity that ended was shown and counted as "tillsvidare"
(meet's "noticed"). Now the löptid's date is the end; a löptid that says start, a range or
tillsvidare is read as before.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lagesbild.sources.activities import read_activities

PLAN = """- id: a
  aktivitet: Trygghetsvandringar
  plats: [hasselby-torg]
  start: 2020-01-01
  löptid: {loptid}
"""


@pytest.mark.parametrize(("loptid", "end", "open_ended"), [
    ("2021-12-31", dt.date(2021, 12, 31), False),
    ("'2021-12-31'", dt.date(2021, 12, 31), False),
    ("juni 2024", dt.date(2024, 6, 30), False),
    ("Tillsvidare", None, True),
    ("Start februari 2019, tillsvidare", None, True),
    ("2020-09-01 – 2021-12-31", dt.date(2021, 12, 31), False),
])
def test_one_date_beside_a_start_is_the_end(tmp_path, loptid, end, open_ended):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(loptid=loptid), encoding="utf-8")
    r = read_activities(path)
    assert r.errors == []
    row = r.table.iloc[0]
    assert row["start_date"] == dt.date(2020, 1, 1)
    assert (None if row["end_date"] is None or row["end_date"] != row["end_date"] else row["end_date"]) == end
    assert bool(row["open_ended"]) is open_ended


def test_an_end_before_the_start_is_still_refused(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(loptid="2019-06-30"), encoding="utf-8")
    r = read_activities(path)
    assert [e.reason for e in r.errors] == ["slutdatumet 2019-06-30 ligger före startdatumet 2020-01-01"]
