"""Defects an independent probe of the hardening found (requests the project had not seen), through
the real Flask app and its test client on stores built by code."""

from __future__ import annotations

import io

import pytest

from lagesbild.logconfig import configure_logging
from lagesbild.settings import load_settings
from lagesbild.store import Store


@pytest.fixture
def log_text():
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    yield stream
    configure_logging("WARNING")


# ----- server errors ---------------------------------------------------------------------------------
def test_a_server_error_logs_its_traceback_once(tmp_path, log_text):
    """Flask's own "Exception on …" record and the app's "server error on …" record both carried the
    traceback: every 500 was in the log twice."""
    from lagesbild.web import create_app

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "e.sqlite"))
    app = create_app(cfg, Store(cfg.db_url))

    def broken():
        raise RuntimeError("ett fel i testet")

    app.server.add_url_rule("/test-fel", "test_fel", broken)
    r = app.server.test_client().get("/test-fel")
    assert r.status_code == 500 and r.get_data(as_text=True).startswith("Något gick fel på servern")
    text = log_text.getvalue()
    assert text.count("Traceback (most recent call last)") == 1, text
    assert text.count("RuntimeError: ett fel i testet") == 1
    assert "lagesbild.web.security ERROR server error on GET /test-fel" in text
