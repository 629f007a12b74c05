"""A CSV the CLI prints of the demo's numbers says they are fictitious, as the web's downloads do.

The text format ends with the CLI's "OBS: FIKTIVA DEMODATA" line and JSON gets it on standard error,
but a CSV saved with ``> fil.csv`` and opened in Excel carried no mark at all. The mark is a comment
line above the header, which lagesbild's readers and ``pandas.read_csv(comment="#")`` skip.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from lagesbild.cli import main
from tests import dash_probe_store as probe

COMMANDS = [
    ["overview"],
    ["compare", "--place", "hasselby-torg"],
    ["survey", "--place", "hasselby-torg"],
    ["hotspots", "--area", "hasselby-vallingby", "--period", "2021–2022"],
    ["effect", "--activity", "hv-platssamverkan-hasselby-torg"],
    ["quick", "--place", "hasselby-torg"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_csv_of_demo_numbers_is_marked_fictitious_and_still_reads(demo_store_path, capsys, command):
    capsys.readouterr()
    assert main(["--db", str(demo_store_path), *command, "--format", "csv"]) == 0
    out = capsys.readouterr().out.lstrip("\ufeff")
    first, rest = out.split("\r\n", 1)
    assert first.startswith("# ") and "FIKTIVA DEMODATA" in first
    table = pd.read_csv(io.StringIO(out), sep=";", comment="#", decimal=",")
    assert len(table) > 0 and "FIKTIVA" not in " ".join(table.columns)
    assert rest.split(";")[0] == table.columns[0]


def test_a_csv_of_real_numbers_has_no_mark(tmp_path, capsys):
    cfg, _ = probe.build(tmp_path)
    capsys.readouterr()
    assert main(["--db", cfg.db_url, "compare", "--place", probe.TORG, "--format", "csv"]) == 0
    out = capsys.readouterr().out.lstrip("\ufeff")
    assert not out.startswith("#") and "FIKTIV" not in out
