"""The first screen of README (its first 60 lines) tells a newcomer what lagesbild is, the two commands
(run, test), where the fictitious demo data are, and where every other document is.

On abc07d3 the first screen had no map of the docs: docs/architecture.md first appeared on line 673 (inside the input files),
tests/README.md on line 965 and benchmarks/README.md on line 1002.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_SCREEN = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:60])
DOCS = ("docs/architecture.md", "tests/README.md", "benchmarks/README.md", "data/demo/README.md")


def test_what_it_is_and_the_two_commands():
    assert "lagesbild is the dashboard" in FIRST_SCREEN
    assert "bash scripts/start.sh" in FIRST_SCREEN and "bash scripts/test.sh" in FIRST_SCREEN


def test_where_the_demo_data_are():
    assert "fictitious" in FIRST_SCREEN
    for folder in ("data/demo/", "geodata/places.geojson", "lagesbild/demo/generate.py"):
        assert folder in FIRST_SCREEN
        assert (ROOT / folder).exists()


def test_every_document_is_named_on_the_first_screen():
    for doc in DOCS:
        assert (ROOT / doc).is_file()
        assert f"({doc})" in FIRST_SCREEN, f"{doc} is not linked on README's first screen"
