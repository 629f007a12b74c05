"""``demo`` interrupted (Ctrl-C) keeps the parts it had read in (its places: each file is a transaction
of its own); ``demo`` alone then goes on, because the store holds nothing but the demo's own sources
(:func:`lagesbild.demo.load.holds_only_demo`). Before, it was refused "databasen är inte tom" and only
``demo --force`` went on. A store with anything else in it is still refused without ``--force``.

The interruption is real: the CLI on a terminal, SIGINT once it shows it reads the demo's incidents
(the helpers of tests/test_recheck_ops4_signals.py: waiting on output, never on time).
"""

from __future__ import annotations

import signal
import subprocess
import sys

from lagesbild.demo.load import PLACES, holds_only_demo
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from tests.test_recheck_ops4_signals import _env, _interrupt, _status_ok


def _demo(db, tmp) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), "demo"], capture_output=True,
                          text=True, cwd=ROOT, env=_env(tmp), timeout=300)


def test_demo_alone_goes_on_after_an_interrupted_demo(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    db = tmp_path / "demo.sqlite"
    code, _out, shown = _interrupt(["--db", str(db), "demo"], when="Läser brott_demo.csv",
                                   sig=signal.SIGINT, tmp=tmp)
    assert code == 130 and "Traceback" not in shown
    assert [s["källa"] for s in _status_ok(db, tmp)["källor"]] == ["demo-platser"]  # the part kept
    res = _demo(db, tmp)
    assert res.returncode == 0, res.stderr
    assert "Demodata inlästa" in res.stdout
    status = _status_ok(db, tmp)
    assert status["demodata"] is True
    assert sorted(s["källa"] for s in status["källor"]) == ["demo-atgardsplan", "demo-incidenter",
                                                           "demo-platser", "demo-trygghetsmatning"]


def test_demo_alone_is_still_refused_on_a_store_with_other_data(tmp_path):
    """Guard: the user's own places (another source) are no demo's: refused as before."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    db = tmp_path / "egen.sqlite"
    store = open_store(load_settings({}, db=str(db), data_dir=str(tmp_path / "data")))
    ingest_file(store, "places", PLACES, source="kommunens-platser")
    assert not holds_only_demo(store)
    store.engine.dispose()
    res = _demo(db, tmp)
    assert res.returncode == 2 and "databasen är inte tom" in res.stderr and "Traceback" not in res.stderr
    assert [s["källa"] for s in _status_ok(db, tmp)["källor"]] == ["kommunens-platser"]
