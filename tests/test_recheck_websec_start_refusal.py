"""Recheck (websec): the refusal to serve beyond loopback without accounts names each address once.

``gunicorn -b 0.0.0.0:8767`` on a store without accounts said "appen skulle lyssna på 0.0.0.0,
0.0.0.0": the start check reads gunicorn's ``bind`` setting and the socket the worker listens on,
which are the same address.
"""

from __future__ import annotations

from lagesbild.store import Store
from lagesbild.web.hosts import start_refusal


def test_an_address_named_by_the_bind_and_its_socket_is_said_once():
    # what lagesbild.web.wsgi.bind_hosts gives for gunicorn's bind 0.0.0.0:8767 and the worker's socket
    message = start_refusal(Store("sqlite://"), ["0.0.0.0", "0.0.0.0"])
    assert message.startswith("Fel: appen skulle lyssna på 0.0.0.0, men databasen har inga konton")
    assert message.count("0.0.0.0") == 1


def test_different_addresses_are_all_named_in_their_order():
    message = start_refusal(Store("sqlite://"), ["10.0.0.5", "127.0.0.1", "::", "10.0.0.5"])
    assert message.startswith("Fel: appen skulle lyssna på 10.0.0.5, ::, men databasen")
