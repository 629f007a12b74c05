"""A throwaway PostgreSQL server for tests: initdb in a temporary folder, a private port on loopback.

Uses Debian's postgresql binaries (installed by scripts/setup.sh). As root, the server runs as the
``postgres`` system user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL saknas: kör scripts/setup.sh (installerar paketet postgresql)")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def postgres_server():
    """Yield an SQLAlchemy URL of a fresh, empty PostgreSQL database; stop and delete it after."""
    folder = tempfile.mkdtemp(prefix="lagesbild-pg-")
    data = os.path.join(folder, "data")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = _free_port()
    subprocess.run(_as_user([_bin("initdb"), "-D", data, "-U", "lagesbild", "-A", "trust",
                             "-E", "UTF8", "--no-locale"]), check=True, capture_output=True)
    log = os.path.join(folder, "log.txt")
    subprocess.run(_as_user([_bin("pg_ctl"), "-D", data, "-l", log, "-w", "-o",
                             f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"]),
                   check=True, capture_output=True)
    try:
        for _ in range(50):
            ok = subprocess.run([_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                                capture_output=True).returncode == 0
            if ok:
                break
            time.sleep(0.2)
        subprocess.run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "lagesbild",
                        "lagesbild"], check=True, capture_output=True)
        yield f"postgresql+psycopg://lagesbild@127.0.0.1:{port}/lagesbild"
    finally:
        subprocess.run(_as_user([_bin("pg_ctl"), "-D", data, "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
