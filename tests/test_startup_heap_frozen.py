"""Both ways of serving the dashboard freeze the start-up heap (lagesbild/web/heap.py).

A full garbage collection walked the ≈ 200 000 objects a started dashboard keeps for its life (Dash,
plotly, pandas, the callback registry) and stopped a callback for 100–200 ms every 60–120 calls. ``app.py``
and ``lagesbild.web.wsgi`` now call ``gc.freeze()`` once the app is made; ``create_app`` itself does not
(tests make many apps in one process). Reference: ``gc.get_freeze_count()``, Python's own count, which is 0
in a process that never froze. (``wsgi``'s freeze: tests/test_web_callbacks.py, in process.)
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SERVE_WITHOUT_SERVING = """
import gc, sys
sys.path.insert(0, {root!r})
import dash
import app
dash.Dash.run = lambda self, **kwargs: print("run", gc.get_freeze_count(), flush=True)
rc = app.main()
print("rc", rc, flush=True)
"""


def test_app_py_freezes_the_start_up_heap_before_it_serves(demo_store_path, tmp_path):
    db = tmp_path / "copy.sqlite"
    with sqlite3.connect(demo_store_path) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    env = {**os.environ, "LAGESBILD_DB": str(db), "LAGESBILD_DATA_DIR": str(tmp_path),
           "LAGESBILD_HOST": "127.0.0.1", "LAGESBILD_PORT": "8769"}
    res = subprocess.run([sys.executable, "-c", SERVE_WITHOUT_SERVING.format(root=str(ROOT))], env=env,
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    lines = dict(line.split(" ", 1) for line in res.stdout.splitlines() if line.startswith(("run ", "rc ")))
    assert int(lines["run"]) > 10_000  # frozen before the server starts answering
    assert lines["rc"] == "0"


def test_creating_an_app_alone_freezes_nothing(demo_store, demo_settings):
    import gc

    from lagesbild.web import create_app

    gc.unfreeze()
    create_app(demo_settings, demo_store)
    assert gc.get_freeze_count() == 0
