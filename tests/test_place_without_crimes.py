"""A place without any crime data still shows what the store knows of it: its survey results (and its
activities), under the message that it has no crime data."""

from __future__ import annotations

from lagesbild.settings import ROOT, load_settings
from tests.test_cli import run
from tests.test_extraction_date import _incidents

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"


def _text(node) -> str:
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    if isinstance(node, (list, tuple)):
        return " ".join(_text(c) for c in node)
    return _text(getattr(node, "children", None))


def _ids(node, found=None) -> set:
    found = set() if found is None else found
    if isinstance(node, (list, tuple)):
        for c in node:
            _ids(c, found)
    elif node is not None and not isinstance(node, str):
        if getattr(node, "id", None):
            found.add(node.id if isinstance(node.id, str) else str(node.id))
        _ids(getattr(node, "children", None), found)
    return found


def test_a_place_without_crime_data_shows_its_survey(tmp_path):
    db, inc, survey = tmp_path / "s.sqlite", tmp_path / "inc.csv", tmp_path / "trygghet.csv"
    _incidents(inc, "2023-08-31")  # Vårberg only: Hässelby torg has no crime data
    survey.write_text("Area,Level,Year,Indicator,Share,Respondents\n"
                      "Hässelby torg,place,2021,Otrygg utomhus sent en kväll,0.38,210\n"
                      "Hässelby torg,place,2023,Otrygg utomhus sent en kväll,0.31,190\n", encoding="utf-8")
    assert run("ingest", "places", PLACES, "--no-progress", db=db).returncode == 0
    assert run("ingest", "incidents", inc, "--crs", "4326", "--no-progress", db=db).returncode == 0
    res = run("ingest", "survey", survey, "--no-progress", db=db)
    assert res.returncode == 0, res.stderr

    from lagesbild.store import Store
    from lagesbild.web import create_app
    from lagesbild.web.chart_source import _content

    settings = load_settings({}, data_dir=str(tmp_path), db=str(db))
    create_app(settings, Store(settings.db_url))
    page = _content("/plats/hasselby-torg", "")
    assert "det finns inga anmälda brott för Hässelby torg" in _text(page)
    assert "place-survey" in _ids(page)  # the survey chart, with its numbers
    assert "ingen kategori är vald" not in _text(page)
    with_crimes = _content("/plats/varberg", "")
    assert "inga anmälda brott" not in _text(with_crimes) and "place-comparison" in _ids(with_crimes)
