"""The package logs ingests, exports and server errors with their context, through ``logging``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file

PACKAGE = Path(__file__).resolve().parent.parent / "lagesbild"




def test_an_ingest_logs_start_and_result_and_a_refusal_logs_why(places_store, tmp_path, log_text):
    good = tmp_path / "brott.csv"
    good.write_text("Plats;Brottskategori;Månad;Antal\nVårberg;Narkotika;2020-01;3\n", encoding="utf-8")
    ingest_file(places_store, "crimes", good)
    bad = tmp_path / "fel.csv"
    bad.write_text("Plats;Brottskategori;Månad;Antal\nVårberg;Narkotika;2020-01;-3\n", encoding="utf-8")
    with pytest.raises(InputError):
        ingest_file(places_store, "crimes", bad)
    ingest_file(places_store, "crimes", good)
    text = log_text.getvalue()
    assert "lagesbild.ingest.run INFO ingest crimes brott.csv (source polisen-brott) started" in text
    assert "ingest crimes brott.csv done: 1 rows accepted, 0 rejected" in text
    assert "lagesbild.ingest.run WARNING ingest crimes fel.csv refused, nothing written" in text
    assert "already read" in text


def test_a_server_error_is_logged_with_method_path_and_callback(settings, store, log_text):
    from lagesbild.web import create_app

    app = create_app(settings, store)

    @app.server.route("/_boom")
    def _boom():
        raise RuntimeError("något gick sönder")

    app.server.config["PROPAGATE_EXCEPTIONS"] = False
    assert app.server.test_client().get("/_boom").status_code == 500
    text = log_text.getvalue()
    assert "lagesbild.web.security ERROR server error on GET /_boom" in text
    assert "RuntimeError: något gick sönder" in text  # the traceback is in the log, not the page


def test_no_print_in_the_package_outside_the_cli():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "cli" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []
