"""Recheck (websec): a chart export that the server's browser cannot draw names no server path.

The chart-export callback showed a render failure's own text to the web user: "Exporten
misslyckades: Chromium hittades inte på '/opt/…/chromium' …" (the server's paths and set-up), or the
English words of the renderer. The user now gets a Swedish message without them; the log keeps them.
"""

from __future__ import annotations

import logging

import plotly.graph_objects as go
import pytest

import lagesbild.web.chart_source as chart_source
from lagesbild.export.render import CHROMIUM_MISSING, RENDER_FAILED, RenderError
from lagesbild.settings import load_settings
from lagesbild.store import Store
from lagesbild.web import export_controls as xc
from lagesbild.web.registry import set_context

PAYLOAD = {"fmt": "png", "graph": "place-trend_years", "path": "/plats/varberg", "search": "", "t": 1}


@pytest.fixture()
def ctx(tmp_path, monkeypatch):
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "x.sqlite"))
    set_context(settings, Store(settings.db_url))
    monkeypatch.setattr(chart_source, "figure_for", lambda path, search, graph: go.Figure())


@pytest.mark.parametrize("reason", [
    CHROMIUM_MISSING.format(path="/opt/hemlig-mapp/chromium"),
    RENDER_FAILED.format(name="bild.png", reason="Transform failed with error code 525: /tmp/kaleido-x/a.js"),
])
def test_a_render_failure_says_so_in_swedish_without_the_servers_paths(ctx, monkeypatch, caplog, reason):
    def broken(fig, fmt, settings, **_kw):
        raise RenderError(reason)

    monkeypatch.setattr(xc, "export_chart_bytes", broken)
    with caplog.at_level(logging.ERROR, logger="lagesbild.web.export_controls"):
        download, message = xc.chart_download(PAYLOAD)
    assert download is xc.no_update
    assert message == xc.TEXT["render_failed"]
    assert "/opt/" not in message and "/tmp/" not in message and "Transform failed" not in message
    assert reason in caplog.text  # the operator still finds what went wrong


def test_a_refused_request_still_says_why(ctx):
    _download, message = xc.chart_download({**PAYLOAD, "fmt": "exe"})
    assert message == "Exporten misslyckades: Okänt exportformat: 'exe'."
