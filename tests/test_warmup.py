"""The start-up warm-up (analysis.warmup): after it, the first pages' questions read nothing more from
the database; a gunicorn master that warms and then forks its workers serves from them."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import event

from lagesbild.analysis import base
from lagesbild.analysis.meeting import quick_comparison
from lagesbild.analysis.overview import overview_table
from lagesbild.analysis.place import place_view
from lagesbild.analysis.warmup import start_warming, warm
from lagesbild.ingest import open_store
from lagesbild.settings import ROOT, load_settings
from tests.e2e_support import copy_sqlite


@pytest.fixture
def fresh_demo(demo_store_path, tmp_path):
    """A copy of the demo store opened anew: nothing of it cached or memoised yet."""
    copy_sqlite(demo_store_path, tmp_path / "demo.sqlite")
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "demo.sqlite"))
    return open_store(settings), settings


def _data_reads(store, ask) -> list[str]:
    """The SQL statements ``ask()`` sends, less the data-version lookups every request makes."""
    sent = []

    def record(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        ask()
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    return [s for s in sent if "meta" not in s]


def _first_pages(store, settings):
    first = base.first_small_place(store)
    overview_table(store, settings)
    place_view(store, settings, first)
    quick_comparison(store, settings, place=first)


def test_after_warming_the_first_pages_read_nothing_more(fresh_demo):
    store, settings = fresh_demo
    first = base.first_small_place(store)
    assert _data_reads(store, lambda: warm(store, settings) == ["översikt", f"plats {first}"])
    assert _data_reads(store, lambda: _first_pages(store, settings)) == []


def test_without_warming_the_first_pages_read_the_store(fresh_demo):
    """The other side of the test above: the same questions on a cold store do read it."""
    store, settings = fresh_demo
    assert len(_data_reads(store, lambda: _first_pages(store, settings))) > 3


def test_the_background_warm_up_finishes_and_an_empty_store_is_no_error(tmp_path):
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "tom.sqlite"))
    store = open_store(settings)
    thread = start_warming(store, settings)
    thread.join(60)
    assert not thread.is_alive() and warm(store, settings) == []


@pytest.mark.slow
def test_gunicorn_preload_workers_fork_after_the_warm_up_and_serve(demo_store_path, tmp_path):
    """``gunicorn --preload -w 2``: the master warms while it starts and forks two workers (each
    fork waits for the warm-up thread; the child drops the parent's pooled connections); they serve
    pages and stop without a traceback."""
    copy_sqlite(demo_store_path, tmp_path / "demo.sqlite")
    env = {"LAGESBILD_DB": str(tmp_path / "demo.sqlite"), "LAGESBILD_DATA_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen([gunicorn, "--preload", "-w", "2", "-b", "127.0.0.1:0",
                             "lagesbild.web.wsgi:server"], env=env, cwd=tmp_path,
                            stderr=subprocess.PIPE, text=True)
    try:
        port, workers, log = None, 0, []
        deadline = time.monotonic() + 240
        while workers < 2 and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            log.append(line)
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
            port = int(found.group(1)) if found else port
            workers += "Booting worker" in line
        assert port and workers == 2, "".join(log)
        for path in ("/", "/_dash-layout", "/plats/hasselby-torg", "/", "/_dash-dependencies"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:
                assert answer.status == 200
    finally:
        proc.terminate()
        _, rest = proc.communicate(timeout=60)
    # the fork waited for the warm-up (its report comes before the first worker boots), and the
    # workers' exit does not wait for the export browser's loop, which only the master has (it
    # printed a TimeoutError traceback per worker after 30 s). (A stop within a second or two of the
    # start can still print the browser library's own complaint about its profile folder.)
    warmed = next(i for i, line in enumerate(log) if "Förberedde översikt, plats" in line)
    assert warmed < next(i for i, line in enumerate(log) if "Booting worker" in line)
    everything = "".join(log) + rest
    assert "TimeoutError" not in everything and "lagesbild/" not in everything  # no traceback of ours
    assert "Shutting down: Master" in rest
