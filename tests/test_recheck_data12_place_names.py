"""A place whose name, id, district or kind is true/false in a GeoJSON file (data12).

Found: ``"Namn": true`` stored the place "True", ``"Kod": true`` the id "True" and
``"Stadsdelsområde": false`` the district "False", exit 0: a JSON boolean made text as Python spells
it. Such a value is refused now naming file, line, column and value; exit 2 through the CLI and the
store unchanged.

Held (guards): ``"Ungefärlig": false`` (a yes/no column) is still read as false; a name given as an
integer (``"Namn": 12``) is the name "12".
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.cli import main
from lagesbild.sources.places import read_places

SQUARE = [[[17.94, 59.27], [17.96, 59.27], [17.96, 59.28], [17.94, 59.28], [17.94, 59.27]]]  # Skärholmen


def _file(path, **props):
    base = {"Kod": "skarholmen", "Namn": "Skärholmen", "TYP": "Stadsdelsområde", "Befolkning": 38000}
    feature = {"type": "Feature", "properties": {**base, **props},
               "geometry": {"type": "Polygon", "coordinates": SQUARE}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("key", "value"), [("Namn", True), ("Kod", True), ("Stadsdelsområde", False),
                                            ("TYP", False)])
def test_true_or_false_as_a_name_or_id_is_refused(tmp_path, key, value):
    result = read_places(_file(tmp_path / "platser.geojson", **{key: value}))
    assert result.table.empty
    assert [e.message() for e in result.errors] == [
        f'platser.geojson, rad 1, kolumn "{key}", värde "{str(value).lower()}": värdet är sant/falskt, inte '
        "ett namn eller id; skriv det som text"]


def test_guard_a_yes_no_column_and_an_integer_name(tmp_path):
    result = read_places(_file(tmp_path / "platser.geojson", Namn=12, Ungefärlig=False))
    assert result.errors == []
    assert result.table[["name", "approximate"]].values.tolist() == [["12", False]]


def test_the_cli_refuses_it_with_exit_2_and_the_store_is_unchanged(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    assert main(["ingest", "places", "tests/data/places_4326.geojson", "--db", str(db), "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db), "--format", "json"]) == 0
    before = json.loads(capsys.readouterr().out)
    code = main(["ingest", "places", str(_file(tmp_path / "platser.geojson", Namn=True)), "--db", str(db),
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    assert 'platser.geojson, rad 1, kolumn "Namn", värde "true"' in err, err
    assert main(["status", "--db", str(db), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == before


@settings(max_examples=60, deadline=None)
@given(value=st.one_of(st.booleans(), st.integers(-10**6, 10**6),
                       st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                               max_size=12)))
def test_fuzz_a_name_is_read_as_written_or_refused(value):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        result = read_places(_file(Path(tmp) / "platser.geojson", Namn=value))
    if isinstance(value, bool):
        assert result.table.empty and 'kolumn "Namn", värde "' in result.errors[0].message()
    elif not result.errors:
        assert result.table["name"].tolist() == [str(value).strip()]
    else:  # refused for another reason (a damaged character, too long): said with the line
        assert result.table.empty and all("rad 1" in e.message() for e in result.errors)
