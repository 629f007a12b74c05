"""Why the dashboard cannot listen where its settings say, in Swedish, before it starts (ops6).

``app.py`` on a port another program held printed its address, then werkzeug's English "Address already
in use" and exit code 1. ``lagesbild.ports.port_refusal`` gives the reason; ``app.py`` prints it as
``Fel: …`` and exits 2 before it loads the demo or prints its address.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from lagesbild.ports import port_refusal

APP = Path(__file__).resolve().parents[1] / "app.py"


def test_a_port_another_program_holds_is_named_with_what_to_do():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert port_refusal("127.0.0.1", port) == (
            f"Porten {port} på 127.0.0.1 används redan av ett annat program (kanske en lägesbild som redan "
            "körs). Stoppa det eller välj en annan port med LAGESBILD_PORT.")


def test_a_free_port_is_no_refusal_and_stays_free():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    assert port_refusal("127.0.0.1", port) is None
    with socket.create_server(("127.0.0.1", port)):  # the check let go of it: the server can bind
        pass


def test_an_address_that_is_not_this_machines_names_lagesbild_host():
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): documentation only, never a machine's own address
    assert port_refusal("192.0.2.1", 8050) == (
        "Adressen 192.0.2.1 finns inte på den här datorn; ange en av datorns adresser i LAGESBILD_HOST.")


def test_a_host_name_that_does_not_resolve_names_lagesbild_host():
    assert port_refusal("finns-inte.invalid", 8050) == (
        "Adressen finns-inte.invalid (LAGESBILD_HOST) kan inte slås upp; ange en IP-adress eller ett känt "
        "värdnamn.")


def test_app_py_on_a_port_another_program_holds_says_so_in_swedish_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")}
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        env.update(LAGESBILD_HOST="127.0.0.1", LAGESBILD_PORT=str(port), LAGESBILD_DATA_DIR=str(tmp_path),
                   LAGESBILD_DB=str(tmp_path / "store.sqlite"))
        done = subprocess.run([sys.executable, str(APP)], env=env, capture_output=True, text=True,
                              timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        f"Fel: Porten {port} på 127.0.0.1 används redan av ett annat program (kanske en lägesbild som redan "
        "körs). Stoppa det eller välj en annan port med LAGESBILD_PORT.")
    assert "Lägesbild:" not in done.stdout and "Traceback" not in done.stderr
    assert "demodata" not in done.stdout  # refused before the demo was loaded into the empty store
