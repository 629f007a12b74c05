"""The command line on a server whose locale is not UTF-8 (ops6).

With a Latin-1 locale (simulated by ``PYTHONIOENCODING=latin-1``), or ``LANG=C`` with Python's UTF-8
mode off, standard output could not encode "–" (Latin-1) or even "ä" (ASCII): ``--help`` and every
command ended in a ``UnicodeEncodeError`` traceback, and a place named with "ä" on the command line
was not found. Now the output keeps the terminal's encoding with plain forms for what it lacks.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lagesbild.settings import ROOT

pytestmark = pytest.mark.slow  # the CLI in new processes

ASCII_C = {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


def _run(args, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("LAGESBILD_", "LC_", "LANG", "PYTHONIOENCODING", "PYTHONUTF8"))}
    return subprocess.run([sys.executable, "-m", "lagesbild", *args], capture_output=True, cwd=ROOT,
                          env={**base, "PYTHONPATH": str(ROOT), **env}, timeout=300)


def test_help_on_a_latin1_terminal_keeps_its_letters_and_plain_dashes():
    res = _run(["pack", "--help"], LANG="C", LC_ALL="C", PYTHONIOENCODING="latin-1")
    assert res.returncode == 0, res.stderr.decode("latin-1")
    text = res.stdout.decode("latin-1")  # what a Latin-1 terminal shows
    assert "perioder att jämföra, t.ex. 2021-2022 2022-2023" in text
    assert "september-augusti-åren" in text


def test_help_on_an_ascii_terminal(tmp_path):
    res = _run(["--help"], **ASCII_C)
    assert res.returncode == 0 and b"Traceback" not in res.stderr
    text = res.stdout.decode("ascii")
    assert text.startswith("anvandning: ")
    assert "lagesbild: anmalda brott, trygghetsmatningar och atgardsplan per plats." in text.lower()


def test_a_place_with_a_swedish_letter_is_found_in_an_ascii_locale(places_store, settings):
    """``--place "Hässelby torg"`` reached the program as surrogates and was an unknown place, told in
    a message full of backslash escapes; now the place is found (and the store has no crimes, which
    the message says in plain letters)."""
    places_store.engine.dispose()
    res = _run(["--db", settings.db, "compare", "--place", "Hässelby torg"], **ASCII_C)
    err = res.stderr.decode("ascii")
    assert res.returncode == 2 and "Traceback" not in err and "\\x" not in err and "\\u" not in err
    assert err.strip() == ("Fel: det finns inte data for tva hela september-augusti-ar eller kalenderar; "
                           "ange --periods eller --from/--to")
