"""The users CLI refuses what it must refuse before it asks for a password (checker sec).

A password typed at the prompt for an account that does not exist (or a name already taken) was asked
for twice and then thrown away: the refusal came after the prompt.
"""

from __future__ import annotations

import io
import sys

import pytest

from lagesbild.cli import main as cli_main
from lagesbild.store import Store, accounts


class _Terminal(io.StringIO):
    """Standard input that says it is a terminal (the prompt's path, not --stdin's)."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def prompts(monkeypatch):
    """The prompts shown (each getpass call's text); every answer is a valid password."""
    shown: list[str] = []

    def fake_getpass(prompt=""):
        shown.append(prompt)
        return "ett långt lösenord"

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    monkeypatch.setattr(sys, "stdin", _Terminal(""))
    return shown


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "u.sqlite")
    accounts.add_user(Store(f"sqlite:///{path}"), "anna", "annas långa lösenord", "admin")
    return path


def test_passwd_of_an_unknown_account_is_refused_before_the_prompt(db, prompts, capsys):
    assert cli_main(["--db", db, "users", "passwd", "okänd"]) == 2
    assert "Kontot 'okänd' finns inte." in capsys.readouterr().err
    assert prompts == []


def test_add_of_a_taken_name_is_refused_before_the_prompt(db, prompts, capsys):
    assert cli_main(["--db", db, "users", "add", "ANNA", "--roll", "läsare"]) == 2
    assert "finns redan som 'anna'" in capsys.readouterr().err
    assert prompts == []
    assert cli_main(["--db", db, "users", "add", "(kod)", "--roll", "läsare"]) == 2
    assert "reserverade" in capsys.readouterr().err
    assert prompts == []


def test_a_known_account_is_still_asked_twice_and_changed(db, prompts, capsys):
    assert cli_main(["--db", db, "users", "passwd", "ANNA"]) == 0
    assert prompts == ["Lösenord: ", "Upprepa lösenordet: "]
    store = Store(f"sqlite:///{db}")
    assert accounts.check_password(store, "anna", "ett långt lösenord") == {"username": "anna",
                                                                            "role": "admin"}
    assert cli_main(["--db", db, "users", "add", "bo", "--roll", "läsare"]) == 0
    assert accounts.get_user(store, "bo") == {"username": "bo", "role": "läsare"}


def test_stdin_is_not_read_for_a_refused_account(db, monkeypatch, capsys):
    stdin = io.StringIO("ett långt lösenord\nnästa rad\n")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert cli_main(["--db", db, "users", "passwd", "okänd", "--stdin"]) == 2
    assert stdin.tell() == 0  # the password line is left for whoever reads next
