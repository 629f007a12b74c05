"""Ctrl-C (SIGINT) and SIGTERM during a long ``ingest``, ``demo`` and ``pack``, as a kommun's IT
department meets them: a real process, its standard error a terminal (so the progress bar is drawn),
and a real signal sent once the command's own progress shows it is under way.

Expected: exit code 130 (SIGINT) or 143 (SIGTERM), no traceback, one line on a line of its own that
says what is true ("Avbrutet: ingenting av x.csv sparades." …), the store as before the file being
read (``status`` answers), no half-written output and no files left in the temporary folder.

Before: "Avbrutet." only, also when an earlier file of the same command was read in, when ``demo``
had kept its places (after which ``demo`` refused to go on: "databasen är inte tom") and when the
pack was already written; on a terminal it was printed after the cut-off progress bar ("Läser
x.csv: 0.00 rader [00:00, ? rader/s]Avbrutet."); a signal during the pack's clean-up left its
charts in the temporary folder.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import random
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import pytest

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings

PLACES = ROOT / "geodata" / "places.geojson"
SMALL = ROOT / "tests" / "data" / "incidenter_3006.csv"  # 4 incidents in SWEREF 99 TM
ROWS = 300_000
CATEGORIES = ("Narkotika", "Skadegörelse", "Butiksstöld", "Personrån", "Misshandel")


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    """300 000 police incidents (the layout of ``incidenter_3006.csv``) around Stockholm."""
    rnd = random.Random(4)
    path = tmp_path_factory.mktemp("big") / "polis300k.csv"
    lines = ["Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N"]
    for i in range(ROWS):
        e, n = 661016.3 + rnd.uniform(-8000, 8000), 6583721.2 + rnd.uniform(-8000, 8000)
        lines.append(f"P-{i},{2019 + i % 5}-{1 + i // 7 % 12:02d}-{1 + i // 3 % 28:02d},{i % 24:02d}:15,"
                     f"{CATEGORIES[i % 5]},{e:.1f},{n:.1f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def places_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("base") / "store.sqlite"
    store = open_store(load_settings({}, db=str(db), data_dir=str(db.parent)))
    ingest_file(store, "places", PLACES)
    store.engine.dispose()
    return db


def _env(tmp) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "LAGESBILD_LOG_LEVEL"}
    env.update(PYTHONPATH=str(ROOT), TMPDIR=str(tmp), LAGESBILD_DATA_DIR=str(tmp.parent / "data"))
    return env


def _interrupt(args, *, when: str, sig, tmp) -> tuple[int, str, str]:
    """Run the CLI with standard error on a terminal 100 columns wide; once ``when`` is on it, send
    ``sig``. Returns the exit code, standard output and what the terminal showed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "lagesbild", *args], stdout=subprocess.PIPE,
                            stderr=slave, cwd=ROOT, env=_env(tmp))
    os.close(slave)
    shown, sent = b"", False
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            ready = select.select([master], [], [], 1)[0]
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the terminal's other end closed: the process has ended
                    break
                if not chunk:
                    break
                shown += chunk
            if not sent and when.encode() in shown:
                proc.send_signal(sig)
                sent = True
            if not ready and proc.poll() is not None:
                break
        out = proc.communicate(timeout=300)[0]
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    assert sent, f"{when!r} never shown: {shown[-500:]!r}"
    return proc.returncode, out.decode(), shown.decode(errors="replace")


def _last_line(shown: str) -> str:
    """The last line as it stands on the terminal: what follows its last carriage return, with the
    escape that clears the line taken out."""
    lines = [line for line in shown.replace("\r\n", "\n").split("\n") if line.strip()]
    return lines[-1].split("\r")[-1].replace("\x1b[K", "")


def _state(db) -> tuple:
    store = open_store(load_settings({}, db=str(db)))
    try:
        log = store.ingest_log()
        return store.counts(), sorted(zip(log["file_name"], log["status"], log["rows_accepted"], strict=True))
    finally:
        store.engine.dispose()


def _status_ok(db, tmp) -> dict:
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), "status", "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, env=_env(tmp), timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_a_long_ingest_says_what_was_saved(big_csv, places_store, tmp_path, sig, code):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "store.sqlite"
    shutil.copy(places_store, db)
    # the reference: the same store with only the small file read in
    ref = tmp_path / "ref.sqlite"
    shutil.copy(places_store, ref)
    store = open_store(load_settings({}, db=str(ref)))
    ingest_file(store, "incidents", SMALL, crs=3006)
    store.engine.dispose()

    code_, out, shown = _interrupt(["--db", str(db), "ingest", "incidents", str(SMALL), str(big_csv),
                                    "--crs", "3006"], when="Läser polis300k.csv", sig=sig, tmp=tmp)
    assert code_ == code, shown[-2000:]
    assert "Traceback" not in shown
    assert _last_line(shown) == ("Avbrutet: incidenter_3006.csv är inläst; ingenting av polis300k.csv "
                                 "sparades.")
    assert out.splitlines() == ["incidenter_3006.csv: 4 rader inlästa."]
    assert _state(db) == _state(ref)
    assert _status_ok(db, tmp)["antal_rader"] == _status_ok(ref, tmp)["antal_rader"]
    assert _leftovers(folder) == ["store.sqlite"]  # no -wal, -shm or -journal left behind
    assert _leftovers(tmp) == []


def test_a_signal_during_demo_names_the_part_kept_and_the_way_on(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    db = tmp_path / "demo.sqlite"
    code, out, shown = _interrupt(["--db", str(db), "demo"], when="Läser brott_demo.csv",
                                  sig=signal.SIGINT, tmp=tmp)
    assert code == 130 and "Traceback" not in shown
    # the demo reads its places in first, in a transaction of their own: they are kept
    assert [s["källa"] for s in _status_ok(db, tmp)["källor"]] == ["demo-platser"]
    assert _last_line(shown) == ("Avbrutet: demodata lästes in bara delvis (demo-platser); "
                                 "'python -m lagesbild demo' läser in resten.")
    assert _leftovers(tmp) == []
    # the way on the message names works
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), "demo", "--force"],
                         capture_output=True, text=True, cwd=ROOT, env=_env(tmp), timeout=300)
    assert res.returncode == 0, res.stderr
    assert _status_ok(db, tmp)["demodata"] is True


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.sqlite"
    (folder / "tmp").mkdir()
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), "demo"], capture_output=True,
                         text=True, cwd=ROOT, env=_env(folder / "tmp"), timeout=300)
    assert res.returncode == 0, res.stderr
    return db


@pytest.fixture
def short_tmp():
    """A temporary folder with a short path: Chromium does not start under a long one (pytest's)."""
    folder = Path(tempfile.mkdtemp(prefix="ops4-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_signal_while_the_pack_is_drawn_leaves_no_file(demo_store, tmp_path, short_tmp):
    tmp = short_tmp
    out = tmp_path / "paket"
    code, stdout, shown = _interrupt(["--db", str(demo_store), "pack", "--places", "hasselby-torg",
                                      "--out", str(out)], when="diagram ", sig=signal.SIGTERM, tmp=tmp)
    assert code == 143 and "Traceback" not in shown and stdout == ""
    assert _last_line(shown) == "Avbrutet: inget mötespaket skrevs."
    assert _leftovers(out) == []
    assert _leftovers(tmp) == []
    assert not re.search(r"Mötespaketet är klart", shown)


#: the CLI whose ingest is sent SIGTERM as it records its end (the rejections report written, the
#: transaction not yet committed): the last moment a signal can roll the ingest back
LATE_SIGTERM_CLI = """
import os, signal, sys
from lagesbild.cli import main
from lagesbild.store import writer

original = writer.Writer.finish_ingest

def finish_then_terminated(self, *args, **kw):
    os.kill(os.getpid(), signal.SIGTERM)
    return original(self, *args, **kw)

writer.Writer.finish_ingest = finish_then_terminated
sys.exit(main(sys.argv[1:]))
"""


def test_a_signal_before_the_commit_leaves_no_report_of_rejected_rows(places_store, tmp_path):
    """Before, ``--keep-valid``'s report of rejected rows was written into its place before the
    commit: a signal then left a report of an ingest that never happened (or half of one)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    db = tmp_path / "store.sqlite"
    shutil.copy(places_store, db)
    data = tmp_path / "in"
    data.mkdir()
    crimes = data / "brott.csv"
    crimes.write_text("Plats;Brottskategori;Månad;Antal\nVårberg;Narkotika;2022-01;4\n"
                      "Vårberg;Narkotika;2022-02;fyra\n", encoding="utf-8")
    before = _state(db)
    res = subprocess.run([sys.executable, "-c", LATE_SIGTERM_CLI, "--db", str(db), "ingest", "crimes",
                          str(crimes), "--keep-valid", "--no-progress"], capture_output=True, text=True,
                         cwd=ROOT, env=_env(tmp), timeout=300)
    assert (res.returncode, res.stderr.strip(), res.stdout) == (
        143, "Avbrutet: ingenting av brott.csv sparades.", "")
    assert _state(db) == before
    assert _leftovers(data) == ["brott.csv"]  # no brott.avvisade.csv, nothing written aside
    assert _leftovers(tmp) == []
    # guard: without the signal the report is there, under its name
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), "ingest", "crimes", str(crimes),
                          "--keep-valid", "--no-progress"], capture_output=True, text=True, cwd=ROOT,
                         env=_env(tmp), timeout=300)
    assert res.returncode == 0, res.stderr
    assert _leftovers(data) == ["brott.avvisade.csv", "brott.csv"]
    assert "fyra" in (data / "brott.avvisade.csv").read_text(encoding="utf-8-sig")


def test_a_chromium_that_does_not_start_is_a_swedish_message(demo_store, tmp_path):
    """A Chromium that exits as it starts (here a LAGESBILD_CHROMIUM that is no browser; before ops6's
    fix a TMPDIR of 70 characters did it too) ended the pack with choreographer's English traceback
    (exit 1)."""
    tmp = Path(tempfile.mkdtemp(prefix="ops4-", dir="/tmp"))
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    broken.chmod(0o755)
    try:
        res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(demo_store), "pack", "--places",
                              "hasselby-torg", "--out", str(tmp_path / "paket"), "--no-progress"],
                             capture_output=True, text=True, cwd=ROOT,
                             env=dict(_env(tmp), LAGESBILD_CHROMIUM=str(broken)), timeout=300)
        assert res.returncode == 2 and "Traceback" not in res.stderr
        assert res.stderr.strip().startswith("Fel: Chromium, som ritar diagrammen, kunde inte starta.")
        assert _leftovers(tmp_path / "paket") == []
        assert not [n for n in _leftovers(tmp) if n.startswith("lagesbild")]  # (Chromium leaves its own)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
