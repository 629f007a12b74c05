"""A .px population file naming one area twice, whose two values sit on one DATA line (data12).

Found: ``VALUES("region")="0127 Botkyrka","0127 Botkyrka"`` with the years as columns and all of DATA on
one line was refused as "området har flera olika siffror för år 2023 (rad 9 och 9: 100, 300)": the
line twice and nothing to tell the two values apart. The message names the line once and the two
values by their place in DATA now: "(rad 9, DATA värde 1 och 3: 100, 300)" — DATA's values run
region by region, year by year: 0127/2023 = 100 (1st), 0127/2024 = 200 (2nd), the second 0127/2023 =
300 (3rd), 0127/2024 = 400 (4th). Through the CLI (LAGESBILD_POPULATION_FILE, ``compare``): exit 2.

Held (guards): values on two lines keep "rad 9 och 10"; a JSON-stat file's positions keep their JSON
paths ($.value[0] och $.value[2]).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.cli import main
from lagesbild.errors import InputError
from lagesbild.sources.population import read_population

HEAD = ('CHARSET="ANSI";\nMATRIX="BE0101";\nTITLE="Folkmängd efter region och år";\nSTUB="region";\n'
        'HEADING="år";\nVALUES("region")={regions};\nVALUES("år")="2023","2024";\nDATA=\n')  # DATA= is line 8


def _px(tmp_path, regions: list[str], data_lines: list[str]):
    path = tmp_path / "folkmangd.px"
    text = HEAD.format(regions=",".join(f'"{r}"' for r in regions)) + "\n".join(data_lines) + ";\n"
    path.write_bytes(text.encode("cp1252"))
    return path


def _messages(path) -> list[str]:
    with pytest.raises(InputError) as info:
        read_population(path)
    return [e.message() for e in info.value.errors]


def test_two_values_on_one_data_line_are_named_by_their_place_in_data(tmp_path):
    path = _px(tmp_path, ["0127 Botkyrka", "0127 Botkyrka"], ["100 200 300 400"])
    assert _messages(path) == [
        f'folkmangd.px, rad 9, värde "0127": området har flera olika siffror för år {year} (rad 9, DATA '
        f"värde {a} och {b}: {x}, {y}); filen ska ha en rad per område och år"
        for year, a, b, x, y in ((2023, 1, 3, 100, 300), (2024, 2, 4, 200, 400))]


def test_guard_values_on_two_lines_keep_both_line_numbers(tmp_path):
    path = _px(tmp_path, ["0127 Botkyrka", "0127 Botkyrka"], ["100 200", "300 400"])
    assert _messages(path)[0] == ('folkmangd.px, rad 10, värde "0127": området har flera olika siffror för år '
                                  "2023 (rad 9 och 10: 100, 300); filen ska ha en rad per område och år")


def test_guard_json_stat_positions_keep_their_json_paths(tmp_path):
    doc = {"version": "2.0", "class": "dataset", "label": "Folkmängd efter region och år",
           "id": ["Region", "Tid"], "size": [2, 2],
           "dimension": {"Region": {"label": "region", "category": {"index": {"0127": 0, "0127 ": 1},
                                                                    "label": {"0127": "Botkyrka",
                                                                              "0127 ": "Botkyrka"}}},
                         "Tid": {"label": "år", "category": {"index": {"2023": 0, "2024": 1}}}},
           "value": [100, 200, 300, 400]}
    path = tmp_path / "folkmangd.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_population(path)
    assert [e.message() for e in info.value.errors][0] == (
        'folkmangd.json, värde "0127": $.value[2]: området har flera olika siffror för år 2023 ($.value[0] '
        "och $.value[2]: 100, 300); filen ska ha en rad per område och år")


def test_the_cli_refuses_it_with_exit_2(tmp_path, capsys, monkeypatch):
    crimes = tmp_path / "brott.csv"
    crimes.write_text("Plats;Brottskategori;Månad;Antal\nBotkyrka;Inbrott;2024-01;5\nBotkyrka;Inbrott;2025-01;4\n",
                      encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "crimes", str(crimes), "--no-progress"]) == 0
    monkeypatch.setenv("LAGESBILD_POPULATION_FILE", str(_px(tmp_path, ["0127 Botkyrka"] * 2, ["100 200 300 400"])))
    capsys.readouterr()
    code = main(["--db", str(db), "compare", "--place", "Botkyrka", "--periods", "2024", "2025"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    assert "(rad 9, DATA värde 1 och 3: 100, 300)" in err, err


@settings(max_examples=60, deadline=None)
@given(per_line=st.integers(1, 4), twice=st.integers(0, 2))
def test_fuzz_a_repeated_area_is_named_by_lines_or_data_places_never_a_line_twice(per_line, twice):
    """Three areas (one repeated), two years, DATA split into lines of ``per_line`` values."""
    import tempfile
    from pathlib import Path

    regions = ["0127 Botkyrka", "0180 Stockholm", "0114 Upplands Väsby"]
    regions.insert(twice + 1, regions[twice])
    values = [str(100 + i) for i in range(len(regions) * 2)]
    lines = [" ".join(values[i:i + per_line]) for i in range(0, len(values), per_line)]
    with tempfile.TemporaryDirectory() as tmp:
        messages = _messages(_px(Path(tmp), regions, lines))
    for message in messages:
        reason = message.split("(", 1)[1]
        numbers = reason.split(":")[0]
        assert "rad 9 och 9" not in numbers and "och 10 och 10" not in numbers
        first = values.index(reason.split(": ")[1].split(",")[0])  # the first value's place in DATA
        line = 9 + first // per_line
        assert numbers.startswith(f"rad {line}"), message
