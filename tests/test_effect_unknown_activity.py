"""`effect --activity` with an id the store does not know names the ones it does, or says there are none.

Without any activity read in the message ended in an empty list: "okänd aktivitet 'x'; kända: ".
"""

from __future__ import annotations

from lagesbild.settings import ROOT
from tests.test_cli import run


def test_no_activities_read_in_says_so(tmp_path):
    db = tmp_path / "s.sqlite"
    assert run("ingest", "places", ROOT / "tests" / "data" / "places_4326.geojson", "--no-progress",
               db=db).returncode == 0
    res = run("effect", "--activity", "x", db=db)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "okänd aktivitet 'x'; inga aktiviteter är inlästa (läs in åtgärdsplanen först)" in res.stderr


def test_with_activities_the_known_ids_are_named(demo_store_path):
    from lagesbild.store import Store

    known = Store(f"sqlite:///{demo_store_path}").activities()["activity_id"].tolist()
    res = run("effect", "--activity", "finns-inte", db=demo_store_path)
    assert res.returncode == 2
    assert "okänd aktivitet 'finns-inte'; kända: " + ", ".join(known[:20]) in res.stderr
    if len(known) > 20:
        assert f"(och {len(known) - 20} till)" in res.stderr
