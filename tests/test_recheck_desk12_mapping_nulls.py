"""A mapping file's column, category or constant without a value, without a name, or with a list or
mapping for a value is refused where it is written.

Found: ``constants: {place: }`` (tests/data/nasty/mapping_constant_empty.yaml) made every row's place the
text "None" ('värde "None": okänd plats', a value nobody wrote); ``columns: {place: }`` looked for a column
"None"; ``categories: {~: inbrott}`` mapped the text "None"; ``categories: {Klotter: {a: 1}}`` was
refused as 'kategorin "{'a': 1}" ... finns inte', Python's spelling, without a line.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.cli import main
from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.sources.mapping import load_mapping

NASTY = ROOT / "tests" / "data" / "nasty"
EMPTY = "värdet saknas; skriv det efter kolonet eller ta bort raden"
ONE = "värdet ska vara ett enda namn eller tal, inte en lista eller en uppsättning 'namn: värde'"

REFUSED = [
    ("constants:\n  place:\n", 2, "constants: place", EMPTY),
    ("columns:\n  category: Brottstyp\n  place: null\n", 3, "columns: place", EMPTY),
    ("categories:\n  Klotter: ~\n", 2, "categories: Klotter", EMPTY),
    ("categories:\n  ~: inbrott\n", 2, "categories: ~", "namnet före kolonet saknas (~ eller null)"),
    ("categories:\n  Klotter: {a: 1}\n", 2, "categories: Klotter", ONE),
    ("columns:\n  place: [Område, Plats]\n", 2, "columns: place", ONE),
    ("constants:\n  place:\n    - Vårberg\n", 2, "constants: place", ONE),
]


@pytest.mark.parametrize(("text", "line", "where", "reason"), REFUSED)
def test_refused_with_line_key_and_reason(tmp_path, text, line, where, reason):
    path = tmp_path / "mappning.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_mapping(path)
    message = info.value.message()
    assert f'mappning.yaml, rad {line}, kolumn "{where}": {reason}' in message, message
    assert "None" not in message and "{'a'" not in message


def test_guard_values_and_options_as_before(tmp_path):
    path = tmp_path / "mappning.yaml"
    path.write_text("columns:\n  place: Område\ncategories:\n  Klotter: skadegorelse\nconstants:\n"
                    "  count: 0\noptions:\n  crs: null\n", encoding="utf-8")
    m = load_mapping(path)
    assert (m.columns, m.categories, m.constants, m.options) == (
        {"place": "Område"}, {"Klotter": "skadegorelse"}, {"count": "0"}, {"crs": None})


def test_the_cli_refuses_the_nasty_mapping_and_keeps_the_store(tmp_path, capsys):
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    before = store.dump()
    store.engine.dispose()
    mapping = tmp_path / "tom.yaml"
    shutil.copy(NASTY / "mapping_constant_empty.yaml", mapping)
    code = main(["ingest", "crimes", str(ROOT / "tests" / "data" / "brott_bred.csv"), "--mapping",
                 str(mapping), "--db", str(tmp_path / "s.sqlite"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and f'tom.yaml, rad 3, kolumn "constants: place": {EMPTY}' in err, err
    assert "Traceback" not in err and '"None"' not in err
    assert open_store(settings).dump() == before


_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöÅÄÖ ", min_size=1, max_size=12).map(str.strip).filter(
    lambda s: s and s not in {"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_bad = st.sampled_from([("", EMPTY), (" ~", EMPTY), (" null", EMPTY), (" [a, b]", ONE), (" {a: 1}", ONE),
                        ("\n    - a", ONE)])


@settings(max_examples=60, deadline=None)
@given(key=st.sampled_from(["columns", "categories", "constants"]), good=st.lists(_names, max_size=4, unique=True),
       name=_names, bad=_bad)
def test_any_entry_without_one_value_is_refused_on_its_line(tmp_path_factory, key, good, name, bad):
    good = [g for g in good if g != name]
    text, reason = bad
    lines = [f"{key}:"] + [f'  "{g}": "x"' for g in good] + [f'  "{name}":{text}']
    path = tmp_path_factory.mktemp("m") / "mappning.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_mapping(path)
    line = len(good) + 2  # the key line after "columns:" and the good entries
    assert f'mappning.yaml, rad {line}, kolumn "{key}: {name}": {reason}' in info.value.message()
