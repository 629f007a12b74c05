"""Dashboard export controls as plain functions: layout, job files, progress polling, downloads."""

from __future__ import annotations

import base64
import threading
import time
from pathlib import Path

import dash
import plotly.graph_objects as go
import pytest
from dash import html

import lagesbild.export.pack as pack_module
import lagesbild.export.render as render_module
from lagesbild.export.pack import PackResult
from lagesbild.settings import load_settings
from lagesbild.store import Store
from lagesbild.web import export_controls as xc
from lagesbild.web.registry import set_context


@pytest.fixture()
def ctx(tmp_path):
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = Store(settings.db_url)
    set_context(settings, store)
    return settings, store


def _ids(component) -> set:
    found = set()

    def walk(c):
        if isinstance(c, (list, tuple)):
            for x in c:
                walk(x)
            return
        if hasattr(c, "id") and c.id is not None:
            found.add(c.id if isinstance(c.id, str) else tuple(sorted(c.id.items())))
        walk(getattr(c, "children", None) or [])
    walk(component)
    return found


def _wait(folder, state, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        status = xc.read_status(folder)
        if status and status["state"] == state:
            return status
        time.sleep(0.05)
    raise AssertionError(f"job did not reach {state}: {xc.read_status(folder)}")


def test_layout_pieces_have_their_components(ctx):
    ids = _ids(xc.pack_button(places=["varberg"]))
    for key in ("places", "periods", "meeting", "external", "start", "progress", "status", "job",
                "poll", "files"):
        assert xc.IDS[key] in ids
    assert (("fmt", "zip"), ("type", "lb-pack-download")) in ids
    menu = _ids(xc.chart_export_menu("trend-graph"))
    assert (("fmt", "pdf"), ("graph", "trend-graph"), ("type", "lb-chart-export")) in menu


def test_callbacks_register_on_an_app(ctx):
    app = dash.Dash(__name__)
    app.layout = html.Div([xc.pack_button(), xc.chart_export_menu("g")])
    xc.register_export_callbacks(app)
    outputs = " ".join(app.callback_map)
    assert xc.IDS["job"] in outputs and "lb-pack-download" in outputs and "lb-chart-download" in outputs


def test_job_ids_cannot_escape_the_exports_folder(tmp_path):
    assert xc.job_dir(tmp_path, "../../etc/passwd") is None
    assert xc.job_dir(tmp_path, None) is None
    assert xc.job_dir(tmp_path, "a" * 32) == tmp_path / "exports" / ("a" * 32)


def test_start_asks_for_places_and_two_periods(ctx):
    out = xc._start(1, ["varberg"], ["2022–2023"], "Beredningsgrupp", [])
    assert out[2] == xc.TEXT["need"] and out[1] is True


def test_a_failed_job_reports_a_swedish_message(ctx):
    settings, store = ctx
    job = xc.start_pack_job(store, settings, places=["varberg"], periods=["2021–2022", "2022–2023"])
    status = _wait(xc.job_dir(settings.data_dir, job), "failed")
    assert "inga anmälda brott" in status["message"]
    disabled, message, _done, _total, hidden = xc._poll(1, job)
    assert disabled is True and hidden is True and "kunde inte skapas" in message


def test_a_job_reports_progress_and_offers_its_files(ctx, monkeypatch):
    settings, store = ctx
    calls = {}

    def fake_build_pack(store_, settings_, *, out_dir, progress, renderer, **request):
        calls.update(request)
        out = Path(out_dir)
        for i in range(1, 4):
            progress(i, 4, f"steg {i}")
        files = [out / f"paket.{ext}" for ext in ("docx", "pdf", "zip")]
        for f in files:
            f.write_bytes(b"x" + f.suffix.encode())
        return PackResult(*files, charts=5, tables=2)

    monkeypatch.setattr(pack_module, "build_pack", fake_build_pack)
    monkeypatch.setattr(render_module, "shared_renderer", lambda chromium=None: None)
    job, disabled, _msg, value, hidden = xc._start(1, ["varberg"], ["2021–2022", "2022–2023"],
                                                   " Trygghetsråd ", ["ja"])
    assert disabled is False and value == 0 and hidden is True
    _wait(xc.job_dir(settings.data_dir, job), "done")
    assert calls == {"places": ["varberg"], "periods": ["2021–2022", "2022–2023"],
                     "meeting": "Trygghetsråd", "external": True, "with_map": True}
    disabled, message, _done, _total, hidden = xc._poll(2, job)
    assert disabled is True and hidden is False and message == xc.TEXT["done"]
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    token = context_value.set(AttributeDict(triggered_inputs=[
        {"prop_id": '{"fmt":"pdf","type":"lb-pack-dl"}.n_clicks', "value": 1}]))
    try:
        sent = xc._download(1, job)
    finally:
        context_value.reset(token)
    assert sent["filename"] == "paket.pdf" and base64.b64decode(sent["content"]) == b"x.pdf"


def test_a_user_builds_one_pack_at_a_time_and_the_server_a_few(ctx, monkeypatch):
    """A reader could start any number of packs, each a thread with a browser in the serving process:
    now one per user and :data:`~lagesbild.web.pack_jobs.PACKS_AT_ONCE` per process, the rest
    refused in Swedish; a finished pack frees its place."""
    from lagesbild.web import pack_jobs

    settings, store = ctx
    release, started = threading.Event(), threading.Semaphore(0)

    def slow_build_pack(store_, settings_, *, out_dir, progress, renderer, **request):
        started.release()
        assert release.wait(20)
        raise ValueError("avbrutet i testet")

    monkeypatch.setattr(pack_module, "build_pack", slow_build_pack)
    monkeypatch.setattr(render_module, "shared_renderer", lambda chromium=None: None)
    request = dict(places=["varberg"], periods=["2021–2022", "2022–2023"])
    first = xc.start_pack_job(store, settings, owner="anna", **request)
    with pytest.raises(pack_jobs.PackBusy, match="Ditt förra mötespaket skapas fortfarande"):
        xc.start_pack_job(store, settings, owner="anna", **request)
    second = xc.start_pack_job(store, settings, owner="bertil", **request)
    assert pack_jobs.PACKS_AT_ONCE == 2
    with pytest.raises(pack_jobs.PackBusy, match="Servern skapar redan 2 mötespaket"):
        xc.start_pack_job(store, settings, owner="cecilia", **request)
    refused = xc._start(1, ["varberg"], ["2021–2022", "2022–2023"], "", [])  # as "(öppet läge)"
    assert refused[2] == pack_jobs.JOB_TEXT["busy"] and refused[0] is dash.no_update
    assert started.acquire(timeout=20) and started.acquire(timeout=20)
    release.set()
    for job in (first, second):
        _wait(xc.job_dir(settings.data_dir, job), "failed")
    deadline = time.time() + 20
    while pack_jobs._RUNNING and time.time() < deadline:  # the threads end after their last status
        time.sleep(0.05)
    assert pack_jobs._RUNNING == {}
    again = xc.start_pack_job(store, settings, owner="anna", **request)
    _wait(xc.job_dir(settings.data_dir, again), "failed")


def test_lost_job_says_so(ctx):
    disabled, message, *_ = xc._poll(1, "f" * 32)
    assert disabled is True and message == xc.TEXT["lost"]


def test_chart_export_bytes_of_a_server_figure(ctx, monkeypatch, tmp_path):
    settings, _ = ctx
    seen = {}

    class FakeRenderer:
        def render(self, jobs, progress=None):
            for job in jobs:
                seen["fig"] = job.fig
                job.path.write_bytes(b"%PDF-fake")
            return [j.path for j in jobs]

    monkeypatch.setattr(render_module, "shared_renderer", lambda chromium=None: FakeRenderer())
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.update_layout(title=dict(text="<b>Trend</b>", subtitle=dict(text="Vårberg · 2022–2023")),
                      meta={"title": "Trend", "place": "Vårberg", "periods": ["2022–2023"]})
    fig.add_annotation(text="Källa: Polisen, anmälda brott; bearbetning SDF", name="source_line",
                       xref="paper", yref="paper", x=0, y=0, showarrow=False)
    content, name = xc.export_chart_bytes(fig, "pdf", settings)
    assert content == b"%PDF-fake" and name == "Trend Vårberg · 2022–2023.pdf"
    assert seen["fig"]["layout"]["title"]["text"] == "<b>Trend</b>"
