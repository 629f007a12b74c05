"""``status`` names the store without its password, also one given after the question mark
(``?password=``, which libpq reads): it printed ``password=X`` in text and JSON."""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main


@pytest.fixture
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_status_hides_a_password_after_the_question_mark(pg_url, capsys, fmt):
    url = pg_url + "?password=Hemligt77&application_name=lagesbild"  # the test server trusts every login
    capsys.readouterr()
    assert main(["--db", url, "status", "--format", fmt]) == 0
    out = capsys.readouterr()
    assert "Hemligt77" not in out.out + out.err
    shown = json.loads(out.out)["databas"] if fmt == "json" else out.out.splitlines()[0]
    assert "password=***" in shown, shown
