"""Why the dashboard cannot listen where its settings say, in Swedish, before it starts (ops6).

``app.py`` on a port another program held printed its address, then werkzeug's English "Address already
in use" and exit code 1. ``lagesbild.ports.port_refusal`` gives the reason; ``app.py`` (not this
round's file: see the report) is to print it as ``Fel: …`` and exit 2.
"""

from __future__ import annotations

import socket

from lagesbild.ports import port_refusal


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
