"""``patterns`` in text: the hours with most crimes are hours that have crimes.

One crime at 12:00 printed "Flest brott kl. 12, 00, 01": the two hours after it had none. The
expected line is read off the incident file written here.
"""

from __future__ import annotations

from tests.test_cli import run
from tests.test_extraction_date import PLACES, _incidents


def test_only_hours_with_crimes_are_named(tmp_path):
    db = tmp_path / "s.sqlite"
    dates = _incidents(tmp_path / "inc.csv", "2021-09-10", rate=0.0)  # one crime, 10 Sep 2021 12:00
    assert len(dates) == 1
    assert run("ingest", "places", PLACES, "--no-progress", db=db).returncode == 0
    res = run("ingest", "incidents", tmp_path / "inc.csv", "--crs", "4326", "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    res = run("patterns", "--place", "Vårberg", "--period", "sep", "2021", db=db)
    assert res.returncode == 0, res.stderr
    line = next(x for x in res.stdout.splitlines() if x.startswith("Flest brott kl."))
    assert line == "Flest brott kl. 12"
