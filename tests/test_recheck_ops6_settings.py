"""A misspelt ``LAGESBILD_*`` variable stops the start instead of being ignored (ops6).

An IT department writing ``LAGESBILD_SECURE_COOKIE=1`` (no S) in a service file got no word, and the
session cookies kept going over plain http; ``LAGESBILD_ALHPA=0.01`` left every test at 5 %. Now any
``LAGESBILD_*`` variable that names no setting stops the CLI and the server with exit code 2 and a
Swedish message naming it and the setting it most resembles.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lagesbild.errors import SettingsError
from lagesbild.settings import ROOT, SETTINGS, load_settings


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")}
    env.update(PYTHONPATH=str(ROOT), **extra)
    return env


@pytest.mark.parametrize(("name", "meant"), [
    ("LAGESBILD_SECURE_COOKIE", "LAGESBILD_SECURE_COOKIES"),
    ("LAGESBILD_ALHPA", "LAGESBILD_ALPHA"),
    ("LAGESBILD_MAX_UPLOAD", "LAGESBILD_MAX_UPLOAD_MB"),
    ("LAGESBILD_db", "LAGESBILD_DB"),  # the environment is case-sensitive: only upper case is read
])
def test_a_misspelt_setting_is_refused_and_the_meant_one_named(name, meant):
    with pytest.raises(SettingsError) as err:
        load_settings({name: "1"})
    assert str(err.value) == (f"Okänd inställning {name}='1': det finns ingen sådan inställning. "
                              f"Menade du {meant}?")


def test_an_unknown_setting_with_no_near_name_points_to_the_readme():
    with pytest.raises(SettingsError, match=r"^Okänd inställning LAGESBILD_FOO='x': .*README"):
        load_settings({"LAGESBILD_FOO": "x"})


def test_every_real_setting_and_the_setup_scripts_variable_are_accepted():
    """Guard: the check knows every setting of the table (their defaults given as variables) and the
    variable scripts/setup.sh reads."""
    environ = {f"LAGESBILD_{s.name.upper()}": str(int(s.default) if isinstance(s.default, bool) else s.default)
               for s in SETTINGS}
    environ = {k: v for k, v in environ.items() if v != ""}
    environ["LAGESBILD_SETUP_LIST"] = "1"
    assert load_settings(environ).port == 8050


@pytest.mark.slow
def test_the_cli_stops_on_a_misspelt_setting(tmp_path):
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(tmp_path / "x.sqlite"), "status"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env=_env(LAGESBILD_PROXIE="1"))
    assert (res.returncode, res.stdout) == (2, "")
    assert res.stderr.strip() == ("Fel: Okänd inställning LAGESBILD_PROXIE='1': det finns ingen sådan "
                                  "inställning. Menade du LAGESBILD_PROXIES?")


@pytest.mark.slow
def test_the_server_stops_on_a_misspelt_setting(tmp_path):
    res = subprocess.run([sys.executable, str(ROOT / "app.py")], capture_output=True, text=True, cwd=ROOT,
                         timeout=60, env=_env(LAGESBILD_DATA_DIR=str(tmp_path), LAGESBILD_PORT="8763",
                                              LAGESBILD_PORTT="8763"))  # (old code served: a timeout)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "Fel: Okänd inställning LAGESBILD_PORTT='8763'" in res.stderr
    assert "Menade du LAGESBILD_PORT?" in res.stderr
    assert not (tmp_path / "lagesbild.sqlite").exists()  # stopped before the store was made
