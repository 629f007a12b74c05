"""scripts/setup.sh on a fresh Debian machine: a python3 that cannot make a virtual environment
(Debian leaves ensurepip to the python3-venv package) gets python3-venv through apt, like the other
system packages; it stopped at "python3 -m venv" with "ensurepip is not available"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from lagesbild.settings import ROOT


def _missing(tmp_path, python: str) -> list[str]:
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")  # a checkout without .venv
    res = subprocess.run(["bash", "scripts/setup.sh"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60, env={**os.environ, "LAGESBILD_SETUP_LIST": "1", "PYTHON": python})
    assert res.returncode == 0, res.stderr
    return res.stdout.split()


def test_a_python_without_venv_support_gets_python3_venv(tmp_path):
    assert "python3-venv" in _missing(tmp_path, shutil.which("false"))  # cannot run ensurepip


def test_a_python_with_venv_support_needs_nothing_more(tmp_path):
    assert "python3-venv" not in _missing(tmp_path, sys.executable)
