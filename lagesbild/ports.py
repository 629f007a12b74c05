"""Whether the dashboard's server can listen where the settings say, asked before it starts.

Dash's development server (``app.py``) printed its address and then stopped with exit code 1 and
werkzeug's English "Address already in use" when another program held the port; an address that is
not this machine's, or a port below 1024 for an ordinary user, ended the same way.
"""

from __future__ import annotations

import errno
import socket


def port_refusal(host: str, port: int) -> str | None:
    """Why the server cannot listen on ``host``:``port`` (Swedish, for ``Fel: …`` and exit code 2), or
    None when it can. Asked before the start line is printed: Dash's server otherwise printed its
    address and then stopped with exit 1 and werkzeug's English "Address already in use".

    Examples
    --------
    >>> with socket.create_server(("127.0.0.1", 0)) as taken:
    ...     print(port_refusal("127.0.0.1", taken.getsockname()[1]).split(" (")[0])
    Porten ... på 127.0.0.1 används redan av ett annat program
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return f"Adressen {host} (LAGESBILD_HOST) kan inte slås upp; ange en IP-adress eller ett känt värdnamn."
    family, _, _, _, address = infos[0]
    try:
        with socket.create_server(address[:2], family=family):
            return None
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            return (f"Porten {port} på {host} används redan av ett annat program (kanske en lägesbild som "
                    "redan körs). Stoppa det eller välj en annan port med LAGESBILD_PORT.")
        if err.errno == errno.EACCES:
            return (f"Porten {port} får inte användas av den här användaren (portar under 1024 kräver "
                    "administratörsrättigheter); välj en port från 1024 med LAGESBILD_PORT.")
        if err.errno == errno.EADDRNOTAVAIL:
            return (f"Adressen {host} finns inte på den här datorn; ange en av datorns adresser i "
                    "LAGESBILD_HOST.")
        return f"Servern kan inte lyssna på {host}:{port}: {err.strerror or err}."
