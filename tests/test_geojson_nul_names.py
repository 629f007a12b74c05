"""A place's text holding a NUL character (``\\u0000`` in the GeoJSON) is refused naming the feature,
its line, the property and the value; GDAL's reader ended the text at the NUL, so "Nul\\u0000torg" was
stored as "Nul" without a word (the pgcheck checker; CSV and YAML readers refuse it already)."""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main
from lagesbild.errors import InputError
from lagesbild.sources.places import read_places

SQUARE = [[[17.83, 59.36], [17.84, 59.36], [17.84, 59.37], [17.83, 59.37], [17.83, 59.36]]]


def _file(tmp_path, names):
    features = [{"type": "Feature", "properties": {"namn": n, "typ": "torg"},
                 "geometry": {"type": "Polygon", "coordinates": SQUARE}} for n in names]
    path = tmp_path / "platser.geojson"
    # one feature a line, as a hand-edited file: the line of the NUL is known
    path.write_text('{"type": "FeatureCollection", "features": [\n'
                    + ",\n".join(json.dumps(f, ensure_ascii=False) for f in features) + "\n]}\n", encoding="utf-8")
    return path


def test_a_nul_in_a_name_is_refused_with_its_place(tmp_path):
    path = _file(tmp_path, ["Vårberg", "Nul\u0000torg"])
    with pytest.raises(InputError) as caught:
        read_places(path)
    (err,) = caught.value.errors
    assert (err.line, err.column, err.value) == (3, "namn", "Nul\\u0000torg")
    assert "NUL-tecken" in err.reason and "objekt 2" in err.reason


def test_the_cli_refuses_it_and_writes_nothing(tmp_path, capsys):
    path = _file(tmp_path, ["Nul\u0000torg"])
    db = str(tmp_path / "s.sqlite")
    assert main(["--db", db, "ingest", "--no-progress", "places", str(path)]) == 2
    out = capsys.readouterr()
    assert "NUL-tecken" in out.err + out.out and "Traceback" not in out.err
    assert main(["--db", db, "status"]) == 0
    assert "Rader: platser 0," in capsys.readouterr().out  # nothing half-written


def test_a_name_without_nul_is_read_whole(tmp_path):
    result = read_places(_file(tmp_path, ["Hässelby torg"]))
    assert result.table.loc[0, "name"] == "Hässelby torg" and not result.errors
