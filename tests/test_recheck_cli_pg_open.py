"""A PostgreSQL store the server refuses says why in Swedish, exit code 2, no password and no traceback.

Before, a server without SSL asked for with ``?sslmode=require``, a role the server does not know and
a server that wants a password the URL lacks were all "kan inte ansluta till databasservern (adress,
port, och är den igång?)" — the server was up and answering — and ``?connect_timeout=abc`` was
"okänt fel".
"""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from lagesbild.cli import main
from lagesbild.store.open_error import open_error


@pytest.fixture
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _status(capsys, url: str) -> tuple[int, str]:
    code = main(["--db", url, "status"])
    out = capsys.readouterr()
    assert out.out == "" and "Traceback" not in out.err
    return code, out.err


def _with_password(url: str) -> str:
    return url.replace("lagesbild@", "lagesbild:Hemligt77@", 1)


def test_a_server_without_ssl_asked_for_ssl_says_so(pg_url, capsys):
    code, err = _status(capsys, _with_password(pg_url) + "?sslmode=require")
    assert code == 2
    assert "tar inte emot krypterade anslutningar (SSL)" in err and "sslmode" in err
    assert "Hemligt77" not in err and "***" in err


def test_a_role_the_server_does_not_know_is_named(pg_url, capsys):
    code, err = _status(capsys, pg_url.replace("lagesbild@", "okand:Hemligt77@", 1))
    assert code == 2
    assert "användaren 'okand' finns inte på databasservern" in err
    assert "Hemligt77" not in err


def test_a_connect_timeout_that_is_no_number_is_named(capsys):
    code, err = _status(capsys, "postgresql://u:Hemligt77@127.0.0.1:1/db?connect_timeout=abc")
    assert code == 2
    assert "värdet 'abc' är inte tillåtet för connect_timeout i URL:en" in err
    assert "Hemligt77" not in err


@pytest.mark.parametrize(("server_says", "reason"), [
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: '
     "fe_sendauth: no password supplied", "databasservern kräver ett lösenord och URL:en har inget"),
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  no pg_hba.conf '
     'entry for host "10.0.0.9", user "anna", database "lagesbild", no encryption',
     "databasservern tar inte emot den här användaren till den här databasen från den här datorn"),
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  sorry, too many '
     "clients already", "databasservern har inga lediga anslutningar"),
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  the database '
     "system is starting up", "databasservern startar eller stängs just nu"),
])
def test_the_servers_refusals_are_told_apart_from_no_server(server_says, reason):
    exc = OperationalError("connect", {}, Exception(server_says))
    message = str(open_error("postgresql+psycopg://anna:Hemligt77@10.0.0.5/lagesbild", exc))
    assert reason in message, message
    assert "adress, port, och är den igång" not in message and "Hemligt77" not in message


def test_a_socket_folder_without_a_server_is_not_called_a_file(capsys):
    code, err = _status(capsys, "postgresql://u:Hemligt77@/db?host=/finns-inte-clipg&port=5432")
    assert code == 75  # no server there (a stopped local server has no socket): try again later
    assert 'ingen databasserver lyssnar på /finns-inte-clipg/.s.PGSQL.5432' in err
    assert "filen kan inte öppnas" not in err and "Hemligt77" not in err


def test_a_password_after_the_question_mark_is_hidden_too(capsys):
    code, err = _status(capsys, "postgresql://127.0.0.1:1/db?user=u&password=Hemligt77&sslmode=disable")
    assert code == 75  # nothing listens on port 1: try again later
    assert "password=***&sslmode=disable" in err and "Hemligt77" not in err
