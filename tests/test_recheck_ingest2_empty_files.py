"""A JSON, GeoJSON or YAML file that holds nothing said "inga rader att läsa in (bara rubriker) … rätt
flik": words of a table. Now each kind says what it lacks; exit code 2 and nothing written, as before."""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main


@pytest.mark.parametrize(("kind", "name", "text", "said"), [
    ("events", "handelser.json", "[]", "filen har inga händelser att läsa in (en tom lista)"),
    ("places", "platser.geojson", '{"type": "FeatureCollection", "features": []}',
     "filen har inga objekt (platser) att läsa in"),
    ("activities", "plan.yaml", "[]\n", "filen har inga aktiviteter att läsa in"),
])
def test_an_empty_file_says_what_it_lacks(tmp_path, capsys, kind, name, text, said):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    db = str(tmp_path / "s.sqlite")
    assert main(["--db", db, "ingest", "--no-progress", kind, str(path)]) == 2
    err = capsys.readouterr().err
    assert f"Fel: {name}: {said}" in err and "rubriker" not in err and "flik" not in err, err
    assert main(["--db", db, "status", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["antal_rader"]["ingest_log"] == 0
