"""Every command that prints the store's numbers says when they are the demo's fictitious ones: last in
its text, on standard error beside JSON and CSV (which programs read); never on a store of real data."""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main
from tests import dash_probe_store as probe

DEMO_NOTE = "OBS: FIKTIVA DEMODATA – inte verklig brottsstatistik (python -m lagesbild demo --remove tar bort dem)."
COMMANDS = [["compare", "--place", "varberg"], ["survey", "--place", "varberg"],
            ["hotspots", "--area", "skarholmen", "--category", "skadegorelse", "--period", "2021-2022"],
            ["effect", "--activity", "hv-platssamverkan-hasselby-torg"], ["quick", "--place", "varberg"],
            ["patterns", "--place", "varberg", "--period", "2021-2022"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_the_demo_s_numbers_say_they_are_fictitious(demo_settings, capsys, args):
    assert main(["--db", demo_settings.db_url, *args]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1] == DEMO_NOTE
    assert main(["--db", demo_settings.db_url, *args, "--format", "json"]) == 0
    res = capsys.readouterr()
    json.loads(res.out)  # still JSON
    assert DEMO_NOTE in res.err


def test_real_data_say_nothing_of_the_kind(tmp_path, capsys):
    cfg, _ = probe.build(tmp_path)
    for args in (["compare", "--place", probe.TORG], ["survey", "--place", probe.EMPTY]):
        assert main(["--db", cfg.db_url, *args]) == 0
        res = capsys.readouterr()
        assert DEMO_NOTE not in res.out and "DEMODATA" not in (res.out + res.err).upper()
