"""Recheck (sec6): gunicorn's own ``tcp://`` and empty-host bind forms in the start refusal.

gunicorn reads ``-b tcp://127.0.0.1:8765`` as 127.0.0.1 and ``-b :8765`` as every address
(``gunicorn.util.parse_address``). On a store without accounts ``lagesbild.web.wsgi`` took the host
of the first as "tcp://127.0.0.1", no loopback address, and refused to serve loopback ("Fel: appen
skulle lyssna på tcp://127.0.0.1, …", worker exit 3); the second was named "" ("lyssna på , 0.0.0.0").
Both are run through gunicorn itself (``--check-config`` loads the app with the resolved ``bind``
and exits, no port is opened), and gunicorn's parser is the reference for the hosts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from gunicorn.util import parse_address

from lagesbild.store import Store

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _check_config(tmp_path, bind: str) -> subprocess.CompletedProcess:
    db = tmp_path / "s.sqlite"
    Store(f"sqlite:///{db}")  # a store with its tables and no account
    env = dict(os.environ, LAGESBILD_DB=str(db), LAGESBILD_DATA_DIR=str(tmp_path), LAGESBILD_HOST="127.0.0.1")
    env.pop("GUNICORN_CMD_ARGS", None)
    return subprocess.run([str(GUNICORN), "--check-config", "-b", bind, "lagesbild.web.wsgi:server"],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_gunicorn_reads_the_binds_as_this_test_says():
    assert parse_address("tcp://127.0.0.1:8765") == ("127.0.0.1", 8765)
    assert parse_address(":8765") == ("", 8765)  # "" to bind(): every address


def test_a_tcp_url_bind_on_loopback_is_served_without_accounts(tmp_path):
    done = _check_config(tmp_path, "tcp://127.0.0.1:8765")
    assert "databasen har inga konton" not in done.stderr
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("bind", ["tcp://0.0.0.0:8765", ":8765"])
def test_every_address_is_refused_and_named_as_an_address(tmp_path, bind):
    done = _check_config(tmp_path, bind)
    assert done.returncode == 2
    assert "Fel: appen skulle lyssna på 0.0.0.0, men databasen har inga konton" in done.stderr
    assert "tcp://" not in done.stderr
