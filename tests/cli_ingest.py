"""An ingest through the command line in a new process, on a copy of a store, with the store's SQL dump
before and after: for tests that a refused file exits with 2, says why and leaves the store as it was."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from lagesbild.settings import ROOT


def _dump(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def ingest_in_copy(store_path: Path, tmp_path: Path, kind: str, path: Path):
    """``python -m lagesbild ingest KIND PATH --no-progress`` on a copy of the SQLite store at
    ``store_path``; returns ``(completed process, dump before, dump after)``."""
    db = tmp_path / "s.sqlite"
    shutil.copy(store_path, db)
    before = _dump(db)
    res = subprocess.run([sys.executable, "-m", "lagesbild", "ingest", kind, "--no-progress", str(path)],
                         capture_output=True, text=True, env={**os.environ, "LAGESBILD_DB": str(db)},
                         cwd=ROOT, timeout=120)
    return res, before, _dump(db)
