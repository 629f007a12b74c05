"""YAML aliases of a long text (checker sec).

The loader counted a document's values with every alias expanded, not their text: sixty aliases of a
2 MB text in a 2 MB action plan were read in, 370 MB of JSON in the store (and 1 GB of memory) that
every page of the plan then reads. The text an alias brings in is now counted too.
"""

from __future__ import annotations

import pytest

from lagesbild.cli import main as cli_main
from lagesbild.errors import InputError
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from lagesbild.sources.yamllines import load_yaml

LONG = "x" * 2_000_000


def _plan(aliases: int) -> str:
    """A 2017-template plan whose three activities name a 2 MB text ``aliases`` times each."""
    text = f"mall: 2017\nlång: &b {LONG}\naktiviteter:\n"
    for i in range(3):
        text += (f"  - åtgärd: Aktivitet {i}\n    plats: Vårberg\n"
                 f"    prioriterade aktiviteter: [{', '.join(['*b'] * aliases)}]\n")
    return text


def test_aliases_that_expand_the_text_are_refused_with_their_line():
    with pytest.raises(InputError) as refused:
        load_yaml(_plan(60), "plan.yaml")
    assert refused.value.reason.startswith("filen kan inte läsas in: rad 6, ")
    assert "hänvisningarna (*namn) gör filens texter längre än 20\u00a0000\u00a0000 tecken" in refused.value.reason


def test_a_long_text_without_aliases_is_counted_as_the_files_own():
    with pytest.raises(InputError) as refused:
        load_yaml(f"a: {'y' * (20_000_001)}\n", "plan.yaml")
    assert "filens texter är längre än 20\u00a0000\u00a0000 tecken" in refused.value.reason


def test_a_few_aliases_of_a_long_text_still_load():
    plan = load_yaml(_plan(2), "plan.yaml")
    assert plan["aktiviteter"][2]["prioriterade aktiviteter"] == [LONG, LONG]


def test_the_cli_refuses_the_plan_and_writes_nothing(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    open_store(load_settings({}, db=str(db)))
    path = tmp_path / "plan.yaml"
    path.write_text(_plan(60), encoding="utf-8")
    assert path.stat().st_size < 2_100_000
    assert cli_main(["--db", str(db), "ingest", "activities", str(path), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "plan.yaml, rad 6: hänvisningarna (*namn) gör filens texter längre än" in err
    store = open_store(load_settings({}, db=str(db)))
    assert store.activities().empty
