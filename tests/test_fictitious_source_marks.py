"""A crime source marked fictitious at its ingest is marked as the demo is, wherever its numbers show.

desk7's fictitious Huddinge files (a ``# FIKTIVA`` note line) were stored as
fictitious: Data said "Fiktiv ja" and ``status`` "(FIKTIVA DATA)", but Översikt, Plats, the figures'
source lines, the exports and the command line's numbers said nothing, since only the bundled demo's
flag set the marks. A store whose crime numbers are made up must say so wherever they are shown.
"""

from __future__ import annotations

from lagesbild.analysis import base
from lagesbild.cli import main
from lagesbild.export.data import ExportData
from lagesbild.figures.style import DEMO_MARK, source_line
from lagesbild.ingest import ingest_file
from lagesbild.settings import load_settings
from lagesbild.store import Store
from lagesbild.web.common import figure_context
from tests import dash_probe_store as probe


def _store(folder, *, fictitious: bool):
    files = probe.write_files(folder)
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "probe.sqlite"))
    store = Store(cfg.db_url)
    for kind in ("places", "incidents", "survey", "activities"):
        ingest_file(store, kind, files[kind], fictitious=fictitious and kind == "incidents")
    return cfg, store


def test_a_fictitious_crime_source_marks_figures_exports_and_the_cli(tmp_path, capsys):
    cfg, store = _store(tmp_path, fictitious=True)
    facts = base.facts(store)
    assert facts["demo"] and not facts["demo_store"] and facts["fictitious_sources"] == ["polisen-incidenter"]
    assert figure_context(store, cfg).demo and DEMO_MARK in source_line(figure_context(store, cfg))
    assert ExportData(store, cfg).demo  # the pack's and the downloads' warnings and footers
    capsys.readouterr()
    assert main(["--db", cfg.db_url, "compare", "--place", probe.TORG]) == 0
    out = capsys.readouterr().out
    assert "OBS: FIKTIVA DATA i polisen-incidenter" in out and "demo --remove" not in out  # not the demo: no such hint
    assert main(["--db", cfg.db_url, "compare", "--place", probe.TORG, "--format", "csv"]) == 0
    first = capsys.readouterr().out.lstrip("\ufeff").split("\r\n", 1)[0]
    assert first.startswith("# ") and "FIKTIVA DEMODATA" in first


def test_real_crime_sources_stay_unmarked(tmp_path, capsys):
    cfg, store = _store(tmp_path, fictitious=False)
    facts = base.facts(store)
    assert not facts["demo"] and facts["fictitious_sources"] == []
    assert not ExportData(store, cfg).demo and DEMO_MARK not in source_line(figure_context(store, cfg))
    capsys.readouterr()
    assert main(["--db", cfg.db_url, "compare", "--place", probe.TORG]) == 0
    assert "FIKTIV" not in capsys.readouterr().out
