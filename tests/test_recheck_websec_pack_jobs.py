"""Recheck (websec): a meeting pack that fails before it is begun still ends, and frees its place.

On the running dashboard a pack whose code failed to import (an ``ImportError`` raised by
``from lagesbild.export.pack import build_pack`` in the job's thread) stayed "Skapar mötespaketet …"
for ever: the thread died before its ``try``, so no failed status was written and the job was never
taken off the running list. Its user was then refused every further pack ("Ditt förra mötespaket
skapas fortfarande") until the server was restarted, and two such jobs refused everyone's.
"""

from __future__ import annotations

import sys
import threading

import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store
from lagesbild.web import pack_jobs
from lagesbild.web.registry import set_context

REQUEST = dict(places=["varberg"], periods=["2021–2022", "2022–2023"], meeting="Beredningsgrupp")


@pytest.fixture()
def ctx(tmp_path):
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = Store(settings.db_url)
    set_context(settings, store)
    return settings, store


def _finish(job_id: str) -> None:
    """Wait for the job's thread to end (joined: no timing)."""
    for thread in threading.enumerate():
        if thread.name == f"pack-{job_id[:8]}":
            thread.join()


def test_a_pack_whose_code_cannot_be_loaded_fails_in_swedish_and_frees_its_user(ctx, monkeypatch, caplog):
    settings, store = ctx
    monkeypatch.setitem(sys.modules, "lagesbild.export.pack", None)  # its import raises ImportError
    job = pack_jobs.start_pack_job(store, settings, owner="bo", **REQUEST)
    _finish(job)
    status = pack_jobs.read_status(pack_jobs.job_dir(settings.data_dir, job))
    assert status["state"] == "failed"
    assert status["message"] == pack_jobs.JOB_TEXT["unexpected"]
    assert job not in pack_jobs._RUNNING
    assert "meeting pack" in caplog.text  # the reason is in the log, not on the page
    # the same user may start another pack at once (was: "Ditt förra mötespaket skapas fortfarande")
    again = pack_jobs.start_pack_job(store, settings, owner="bo", **REQUEST)
    _finish(again)
    assert pack_jobs.read_status(pack_jobs.job_dir(settings.data_dir, again))["state"] == "failed"
    assert pack_jobs._RUNNING == {}



def test_a_pack_the_servers_browser_cannot_draw_names_no_server_path(ctx, monkeypatch, caplog):
    """The failed pack's status said "Mötespaketet kunde inte skapas: Chromium hittades inte på
    '/opt/…/chromium' …" to the web user (the render error is one of the package's Swedish errors,
    but it is about the server)."""
    import lagesbild.export.render as render_module

    reason = render_module.CHROMIUM_MISSING.format(path="/opt/hemlig-mapp/chromium")

    def no_browser(chromium=None):
        raise render_module.RenderError(reason)

    settings, store = ctx
    monkeypatch.setattr(render_module, "shared_renderer", no_browser)
    job = pack_jobs.start_pack_job(store, settings, owner="cecilia", **REQUEST)
    _finish(job)
    status = pack_jobs.read_status(pack_jobs.job_dir(settings.data_dir, job))
    assert status["state"] == "failed"
    assert status["message"] == pack_jobs.JOB_TEXT["unexpected"] and "/opt/" not in status["message"]
    assert reason in caplog.text
    assert pack_jobs._RUNNING == {}
