"""Mapping-file values that YAML reads as something other than what was written (data12).

Found: the mapping file's values were turned into text as read: ``sheet: .nan`` looked for the sheet
"nan", ``sheet: true`` for "True", ``sheet: 2.50`` for "2.5", ``columns: {place: .inf}`` for the column
"inf", ``categories: {Inbrott: .nan}`` mapped Inbrott to the category "nan", and ``options: {crs: .nan}``
gave the CRS nan: the refusal that followed (if any) named a value the user never wrote. They are
refused now where they are written: file, line, key and value, exit 2 through the CLI, store unchanged.

Held (guards): ``sheet: 2024`` is the sheet "2024"; ``constants: {count: 2.5}`` stays a number (a
constant is a value, not a name); ``options: {share: true}`` stays true.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.cli import main
from lagesbild.errors import InputError
from lagesbild.sources.mapping import load_mapping

REFUSED = [
    ("sheet: .nan", "sheet", ".nan"),
    ("sheet: true", "sheet", "true"),
    ("sheet: 2.50", "sheet", "2.5"),
    ("columns:\n  place: .inf", "columns: place", ".inf"),
    ("columns:\n  place: true", "columns: place", "true"),
    ("columns:\n  place: 1.50", "columns: place", "1.5"),
    ("categories:\n  Inbrott: .nan", "categories: Inbrott", ".nan"),
    ("constants:\n  category: -.inf", "constants: category", "-.inf"),
    ("options:\n  crs: .nan", "options: crs", ".nan"),
]


@pytest.mark.parametrize(("body", "where", "value"), REFUSED)
def test_a_value_yaml_reads_as_no_name_is_refused_naming_line_key_and_value(tmp_path, body, where, value):
    path = tmp_path / "mappning.yaml"
    path.write_text("# mappning\n" + body + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_mapping(path)
    line = 2 + body.count("\n")  # the value's line: after the comment, under its key
    messages = [e.message() for e in info.value.errors]
    assert len(messages) == 1 and messages[0].startswith(
        f'{path}, rad {line}, kolumn "{where}", värde "{value}": '), messages  # the path as given


@pytest.mark.parametrize(("body", "attr", "expected"), [
    ("sheet: 2024", "sheet", "2024"), ("constants:\n  count: 2.5", "constants", {"count": "2.5"}),
    ("options:\n  share: true", "options", {"share": True}), ("sheet: 'true'", "sheet", "true")])
def test_guard_names_and_values_as_written_are_kept(tmp_path, body, attr, expected):
    path = tmp_path / "mappning.yaml"
    path.write_text(body + "\n", encoding="utf-8")
    assert getattr(load_mapping(path), attr) == expected


def test_the_cli_refuses_a_nan_sheet_with_exit_2_and_the_store_is_unchanged(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    crimes = tmp_path / "brott.csv"
    crimes.write_text("Plats;Brottskategori;Månad;Antal\nBotkyrka;Inbrott;2024-01;5\n", encoding="utf-8")
    assert main(["ingest", "crimes", str(crimes), "--db", str(db), "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db), "--format", "json"]) == 0
    before = json.loads(capsys.readouterr().out)
    mapping = tmp_path / "mappning.yaml"
    mapping.write_text("columns:\n  place: .nan\n", encoding="utf-8")
    code = main(["ingest", "crimes", str(crimes), "--db", str(db), "--no-progress", "--mapping", str(mapping)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    assert f'{mapping}, rad 2, kolumn "columns: place", värde ".nan"' in err, err
    assert main(["status", "--db", str(db), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == before


def _yaml(value) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    return json.dumps(value, ensure_ascii=False)


@settings(max_examples=120, deadline=None)
@given(key=st.sampled_from(["sheet", "columns", "categories", "constants", "options"]),
       value=st.one_of(st.floats(), st.booleans(), st.integers(-10**6, 10**6),
                       st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=10)))
def test_fuzz_a_mapping_value_is_kept_as_written_or_refused_with_its_line(key, value):
    text = f"sheet: {_yaml(value)}\n" if key == "sheet" else f"{key}:\n  place: {_yaml(value)}\n"
    non_finite = isinstance(value, float) and not math.isfinite(value)
    decimals = isinstance(value, float) and not non_finite and not value.is_integer()
    names = key in ("sheet", "columns", "categories")
    expect_refused = non_finite or (names and (isinstance(value, bool) or decimals))
    try:
        spec = _load(text)
    except InputError as exc:
        assert expect_refused, (text, exc)
        assert exc.errors and exc.errors[0].line == (1 if key == "sheet" else 2), exc
        assert exc.errors[0].value == _yaml(value).lstrip() or decimals, exc.errors[0].value
        return
    assert not expect_refused, text
    got = spec.sheet if key == "sheet" else getattr(spec, key)["place"]
    if key == "options":
        assert got == value
    elif isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        assert got == str(value)


def _load(text: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mappning.yaml"
        path.write_text(text, encoding="utf-8")
        return load_mapping(path)
