"""Checks of the listen addresses at start and of the ``Host`` and ``Origin`` headers against DNS
rebinding and cross-site posts.

* **Listen addresses.** A server about to listen beyond loopback on a store without accounts is
  refused before it starts (:func:`start_refusal`, called by ``app.py`` and :mod:`lagesbild.web.wsgi`).

* **Host in open mode.** Without accounts the app answers loopback without a login (see
  :mod:`lagesbild.web.auth`). A page on another site can point its own name at 127.0.0.1 (DNS
  rebinding); the browser then sends that name as ``Host`` and treats the app as the other site's
  own. So in open mode only a ``Host`` that names loopback is served (:func:`loopback_host`);
  anything else gets 421 with :data:`HOST_REFUSED`.
* **Origin on posts.** A state-changing request (POST) whose ``Origin`` header names another host
  (or port) than its ``Host`` is refused (403, :data:`ORIGIN_REFUSED`) in every mode. Browsers send
  ``Origin`` on every POST; clients that send none (scripts, the test client) are left to the CSRF
  token.

Examples
--------
>>> loopback_host("127.0.0.1:8050"), loopback_host("[::1]:80"), loopback_host("localhost")
(True, True, True)
>>> loopback_host("evil.example:8050"), loopback_host("127.0.0.1.evil.example"), loopback_host("")
(False, False, False)
>>> same_origin("http://127.0.0.1:8050", "127.0.0.1:8050"), same_origin("null", "127.0.0.1:8050")
(True, False)
"""

from __future__ import annotations

import functools
import ipaddress
from urllib.parse import urlsplit

from lagesbild.analysis.admin import accounts

HOST_REFUSED = ("Okänd värdadress. Utan konton svarar Lägesbild bara på adresser på den här datorn, "
                "som http://127.0.0.1; öppna appen via en sådan adress.")
ORIGIN_REFUSED = "Begäran kom från en annan webbplats och har stoppats."


def host_name(host: str | None) -> str:
    """The name part of a ``Host`` value (no port, no brackets), lower case.

    Examples
    --------
    >>> host_name("[::1]:8050"), host_name("LocalHost:80"), host_name("10.0.0.1")
    ('::1', 'localhost', '10.0.0.1')
    """
    host = (host or "").strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


@functools.lru_cache(maxsize=256)  # asked twice a request for the same few addresses
def is_loopback(host: str | None) -> bool:
    """True for an address or name (without a port) of this machine: 127.0.0.0/8, ::1 and ``localhost``.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback("::")
    (True, True, False, False)
    """
    name = (host or "").strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def loopback_host(host: str | None) -> bool:
    """True when a ``Host`` value (maybe with a port) names this machine (:func:`is_loopback`)."""
    return is_loopback(host_name(host))


def _netloc(host: str, scheme: str = "") -> str:
    """``host[:port]`` in lower case, without the scheme's default port (80, 443)."""
    host = host.strip().lower()
    for default, schemes in ((":80", ("http", "")), (":443", ("https", ""))):
        if scheme in schemes and host.endswith(default):
            return host[:-len(default)]
    return host


def same_origin(origin: str, host: str | None) -> bool:
    """True when the ``Origin`` header names the same host and port as the ``Host`` header."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # "null" (sandboxed or privacy-sensitive context) or garbage
    return _netloc(parts.netloc, parts.scheme) == _netloc(host or "")


def start_url(host: str, port: int) -> str:
    """The address the app prints when it starts; an IPv6 address in brackets, as a URL needs it.

    Examples
    --------
    >>> start_url("127.0.0.1", 8050), start_url("::1", 8763)
    ('http://127.0.0.1:8050/', 'http://[::1]:8763/')
    """
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


START_REFUSED = ("Fel: appen skulle lyssna på {host}, men databasen har inga konton, så vem som helst som "
                 "når porten skulle kunna läsa allt. Skapa först ett administratörskonto med "
                 "'python -m lagesbild users add NAMN --roll admin', eller lyssna bara på 127.0.0.1 "
                 "(LAGESBILD_HOST=127.0.0.1).")


def start_refusal(store, hosts) -> str | None:
    """The Swedish refusal to serve ``hosts`` (listen addresses) from a store without accounts, or None.

    Examples
    --------
    >>> from lagesbild.store import Store
    >>> start_refusal(Store("sqlite://"), ["127.0.0.1"]) is None
    True
    >>> start_refusal(Store("sqlite://"), ["0.0.0.0"])[:33]
    'Fel: appen skulle lyssna på 0.0.0'

    Each address is named once (gunicorn's ``bind`` and the socket it opened for it are one address).
    """
    outside = list(dict.fromkeys(h for h in hosts if not is_loopback(h)))
    if outside and accounts.user_count(store) == 0:
        return START_REFUSED.format(host=", ".join(outside))
    return None
