"""Recheck (sec6): one account starting meeting pack after meeting pack filled the disk.

A pack took about 6 s on the demo store and some 3 MB (Word, PDF, ZIP), and every finished pack stayed
in ``<data_dir>/exports`` for a day: a läsare on the running server made 4 packs in 24 s and left 5
folders (15.2 MB) — at that pace 600 packs, 1.8 GB, an hour per account and serving process, all kept
until the next day. Now an account keeps its :data:`pack_jobs.PACKS_KEPT` newest finished packs; a
pack still being built (here or by another worker) and other accounts' packs are left alone.

The pack itself is replaced by a stand-in that writes a finished status (the building is not under
test); each job's thread is joined before the next starts, as the one-pack-per-user rule requires.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts
from lagesbild.web import pack_jobs

REQUEST = dict(places=["varberg"], periods=["2021–2022", "2022–2023"], meeting="Beredningsgrupp")


@pytest.fixture()
def ctx(tmp_path, monkeypatch):
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = Store(settings.db_url)
    for name in ("bo", "eva"):
        accounts.add_user(store, name, "ett-långt-lösenord", "läsare")

    def finished_pack(folder, store, settings, **request):
        (folder / "pack.zip").write_bytes(b"x" * 1000)
        pack_jobs.write_status(folder, state="done", done=1, total=1, message="klart", zip="pack.zip")
        with pack_jobs._LOCK:
            pack_jobs._RUNNING.pop(folder.name, None)

    monkeypatch.setattr(pack_jobs, "run_pack_job", finished_pack)
    return settings, store


def _start(settings, store, owner):
    job = pack_jobs.start_pack_job(store, settings, owner=owner, **REQUEST)
    for thread in threading.enumerate():
        if thread.name == f"pack-{job[:8]}":
            thread.join()
    return job


def _jobs(settings):
    return {p.name for p in (Path(settings.data_dir) / "exports").iterdir()}


def test_an_account_keeps_only_its_newest_finished_packs(ctx):
    settings, store = ctx
    jobs = [_start(settings, store, "bo") for _ in range(10)]
    kept = _jobs(settings)
    assert len(kept) == pack_jobs.PACKS_KEPT == 3
    assert kept == set(jobs[-3:])  # the newest three: the page's pack and one or two in other tabs
    # each one still offered to its owner
    assert all(pack_jobs.read_status(pack_jobs.job_dir(settings.data_dir, j))["state"] == "done" for j in kept)


def test_other_accounts_and_running_packs_are_left_alone(ctx):
    settings, store = ctx
    evas = [_start(settings, store, "eva") for _ in range(2)]
    first = _start(settings, store, "bo")
    # a pack of bo's still being built by another worker: status "running"
    pack_jobs.write_status(pack_jobs.job_dir(settings.data_dir, first), state="running", done=0, total=1)
    bos = [_start(settings, store, "bo") for _ in range(6)]
    kept = _jobs(settings)
    assert set(evas) <= kept
    assert first in kept
    assert set(bos[-3:]) <= kept and not set(bos[:-3]) & kept
