"""A category on the command line is an id or a Swedish name; a mistyped one is a clear message (exit
code 2), never an empty answer that reads as "no crimes"."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lagesbild.settings import ROOT


def cli(db, *args):
    return subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("command", [
    ["compare", "--place", "varberg"],
    ["quick", "--place", "varberg"],
    ["patterns", "--place", "hagersten-alvsjo", "--period", "2021–2022"],
    ["hotspots", "--area", "hagersten-alvsjo", "--period", "2021–2022"],
    ["chart", "--chart", "months", "--place", "varberg", "--out", "{tmp}/x.png"]])
def test_an_unknown_category_is_refused_with_the_known_ones(demo_store_path, tmp_path, command):
    res = cli(demo_store_path, *[a.format(tmp=tmp_path) for a in command], "--category", "skadegörlse")
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert res.stderr.startswith("Fel: Okänd kategori: 'skadegörlse'. Kända: "), res.stderr
    assert "skadegorelse (Skadegörelse)" in res.stderr
    assert not (tmp_path / "x.png").exists()


def test_a_category_by_its_name_counts_what_its_id_counts(demo_store_path):
    """``--category Skadegörelse`` was passed on as an id no incident has: 0 crimes, exit 0."""
    by_id, by_name = (json.loads(cli(demo_store_path, "hotspots", "--area", "hagersten-alvsjo", "--period",
                                     "2021–2022", "--category", key, "--format", "json").stdout)
                      for key in ("skadegorelse", "Skadegörelse"))
    assert by_id == by_name
    assert sum(row["count"] for row in by_id) > 100


def test_compare_takes_names_and_alla(demo_store_path):
    res = cli(demo_store_path, "compare", "--place", "varberg", "--category", "Narkotikabrott",
              "Skadegörelse", "alla", "--format", "json")
    assert res.returncode == 0, res.stderr
    assert {row["category"] for row in json.loads(res.stdout)} == {"narkotikabrott", "skadegorelse", "alla"}
