"""scripts/setup.sh as an ordinary user on a fresh Debian without sudo: a Swedish message naming the
missing system packages and the apt-get command to run as root, exit code 2. It ran "sudo apt-get
update" and stopped with bash's English "sudo: command not found" (exit 127)."""

from __future__ import annotations

import shutil
import subprocess

from lagesbild.settings import ROOT

#: the programs setup.sh runs before it asks apt for anything (no sudo, apt-get, chromium, python3)
TOOLS = ("bash", "dirname", "ls", "sha256sum", "cut", "cat")


def test_without_sudo_an_ordinary_user_is_told_what_to_run_as_root(tmp_path):
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")  # a checkout without .venv
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool))
    fake_id = bin_dir / "id"  # an ordinary user, whoever runs the test
    fake_id.write_text("#!/bin/bash\necho 1000\n", encoding="utf-8")
    fake_id.chmod(0o755)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "PYTHON": "python3"}
    res = subprocess.run([str(bin_dir / "bash"), "scripts/setup.sh"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=60, env=env)
    assert res.returncode == 2, (res.returncode, res.stderr)
    assert "bara root kan installera dem (sudo finns inte)" in res.stderr
    assert "apt-get install --no-install-recommends chromium chromium-driver" in res.stderr
    assert "command not found" not in res.stderr
    assert not (tmp_path / ".venv").exists()
