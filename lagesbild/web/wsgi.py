"""WSGI entry point: ``gunicorn -w 4 -b 127.0.0.1:8050 lagesbild.web.wsgi:server`` (behind a TLS proxy).

Settings come from ``LAGESBILD_*`` environment variables (see the README); every worker opens the same
store (an SQLite file in WAL mode or a PostgreSQL URL), and the store's data version keeps the workers'
caches in step after an ingest.

The listen addresses are gunicorn's own ``bind`` setting when gunicorn imports this module (command line,
config file such as ``gunicorn.conf.py``, or ``GUNICORN_CMD_ARGS``: read from gunicorn's resolved
configuration), else its ``-b``/``--bind`` options on the command line (``flask run``'s ``--host`` or ``-h``, else its
``FLASK_RUN_HOST``),
else ``LAGESBILD_HOST``; sockets inherited from systemd's socket activation count as well. When
any of them is not a loopback address and the store has no accounts, importing this module prints a
Swedish message and exits with code 2 (``gunicorn --preload`` then exits with 2; without ``--preload``
the worker exits with gunicorn's boot-error code 3, so gunicorn stops with "Worker failed to boot"
instead of restarting it): nothing is served beyond the machine without login. A database server that
does not answer at the start exits with 75 (try again later), also in a gunicorn worker, which gunicorn
then starts again until the server answers.
"""

from __future__ import annotations

import logging
import os
import shlex
import socket
import sys

from lagesbild.analysis.warmup import start_warming
from lagesbild.db_unreachable import CLI_ADVICE, StoreUnreachable
from lagesbild.db_unreachable import EXIT_CODE as UNREACHABLE_EXIT
from lagesbild.errors import SettingsError
from lagesbild.export.render import warm_shared_renderer
from lagesbild.ingest import open_store
from lagesbild.logconfig import configure_logging
from lagesbild.settings import load_settings
from lagesbild.web import create_app
from lagesbild.web.heap import freeze_startup
from lagesbild.web.hosts import start_refusal


def bind_hosts(argv, environ, default: str, binds: list[str] | None = None) -> list[str]:
    """The hosts of gunicorn's ``binds`` (its resolved setting), else of its ``-b``/``--bind`` options,
    else ``[default]``.

    Examples
    --------
    >>> bind_hosts(["gunicorn", "-w", "2", "-b", "0.0.0.0:8050", "m:app"], {}, "127.0.0.1")
    ['0.0.0.0']
    >>> bind_hosts(["gunicorn", "--bind=[::1]:80"], {}, "x"), bind_hosts(["python"], {}, "127.0.0.1")
    (['::1'], ['127.0.0.1'])
    >>> bind_hosts(["gunicorn"], {"GUNICORN_CMD_ARGS": "--bind unix:/run/lb.sock"}, "0.0.0.0")
    ['localhost']
    >>> bind_hosts(["gunicorn"], {}, "127.0.0.1", ["0.0.0.0:8773"])
    ['0.0.0.0']

    ``flask run``'s ``-h``/``--host``, and sockets handed over by systemd (``LISTEN_FDS``) or a
    re-executing gunicorn (``GUNICORN_FD``), count too (:func:`inherited_hosts`):

    >>> bind_hosts(["/venv/bin/flask", "--app", "m", "run", "-h", "0.0.0.0"], {}, "127.0.0.1")
    ['0.0.0.0']
    >>> bind_hosts(["/venv/bin/flask", "run"], {"FLASK_RUN_HOST": "0.0.0.0"}, "127.0.0.1")
    ['0.0.0.0']
    """
    inherited = inherited_hosts(environ)
    if binds:
        return _hosts(binds) + inherited
    args = list(argv[1:]) + shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    flask_run = os.path.basename(str(argv[0] if argv else "")) == "flask" or "run" in args
    binds, flask_hosts = [], []  # flask's --host is an address without a port (``::`` as it is)
    for i, arg in enumerate(args):
        if arg in ("-b", "--bind") and i + 1 < len(args):
            binds.append(args[i + 1])
        elif flask_run and arg in ("-h", "--host") and i + 1 < len(args):
            flask_hosts.append(args[i + 1])
        elif arg.startswith("--bind="):
            binds.append(arg.split("=", 1)[1])
        elif arg.startswith("--host="):
            flask_hosts.append(arg.split("=", 1)[1])
        elif flask_run and arg.startswith("-h") and len(arg) > 2:
            flask_hosts.append(arg[2:])  # Click's short option with its value attached: -h0.0.0.0
        elif arg.startswith("-b") and len(arg) > 2:
            binds.append(arg[2:])
    if flask_run and not flask_hosts and environ.get("FLASK_RUN_HOST"):
        flask_hosts.append(environ["FLASK_RUN_HOST"])  # flask run reads it when --host is not given
    return (_hosts(binds) + [h.strip().strip("[]") for h in flask_hosts] + inherited) or [default]


def inherited_hosts(environ) -> list[str]:
    """The addresses of listening sockets this process inherited instead of opening: systemd's socket
    activation (``LISTEN_FDS``: file descriptors 3, 4, …) and gunicorn's own re-exec (``GUNICORN_FD``).
    A socket that cannot be read counts as open to everyone (``0.0.0.0``).

    Examples
    --------
    >>> inherited_hosts({}), inherited_hosts({"LISTEN_FDS": "x"})
    ([], ['0.0.0.0'])
    """
    fds: list[int] = []
    try:
        if environ.get("LISTEN_FDS"):
            fds += range(3, 3 + int(environ["LISTEN_FDS"]))
        if environ.get("GUNICORN_FD"):
            fds += [int(f) for f in environ["GUNICORN_FD"].split(",") if f.strip()]
    except ValueError:
        return ["0.0.0.0"]
    hosts = []
    for fd in fds:
        try:
            sock = socket.socket(fileno=fd)
            try:
                name = sock.getsockname()
            finally:
                sock.detach()  # the socket stays the server's: not closed here
        except OSError:
            hosts.append("0.0.0.0")
            continue
        hosts.append(name[0] if isinstance(name, tuple) else "localhost")  # a path: a Unix socket
    return hosts


def _hosts(binds) -> list[str]:
    """The host of each gunicorn ``bind`` as gunicorn reads it (``gunicorn.util.parse_address``): a
    ``tcp://`` prefix is dropped (``tcp://127.0.0.1:8050`` was refused as the host "tcp://127.0.0.1")
    and an empty host is every address (``:8050`` listens on 0.0.0.0; it was named "").

    >>> _hosts(["tcp://127.0.0.1:8050", ":8050", "[::1]:80", "unix:/run/lb.sock", "localhost"])
    ['127.0.0.1', '0.0.0.0', '::1', 'localhost', 'localhost']
    """
    hosts = []
    for b in binds:
        b = b[len("tcp://"):] if b.startswith("tcp://") else b
        if b.startswith(("unix:", "fd://")):
            # a local socket: only the proxy on this machine reaches it (an inherited fd:// socket is
            # counted by its address as well: gunicorn_binds adds the sockets a worker listens on)
            hosts.append("localhost")
        elif b.startswith("["):
            hosts.append(b[1:b.index("]")] if "]" in b else "0.0.0.0")
        else:
            hosts.append((b.rsplit(":", 1)[0] if ":" in b else b) or "0.0.0.0")
    return hosts


def gunicorn_binds() -> list[str] | None:
    """gunicorn's resolved ``bind`` list when gunicorn (master or worker) is importing this module,
    with the addresses of the sockets a worker actually listens on (they differ when the sockets came
    from systemd: gunicorn then ignores ``bind`` and has already removed ``LISTEN_FDS``)."""
    frame, binds, listening = sys._getframe(), None, []
    while frame is not None:  # the app (its cfg) sits inside the worker (its sockets)
        owner = frame.f_locals.get("self") if "gunicorn" in frame.f_code.co_filename else None
        bind = getattr(getattr(owner, "cfg", None), "bind", None)
        if binds is None and isinstance(bind, list) and all(isinstance(b, str) for b in bind):
            binds = list(bind)
        sockets = getattr(owner, "sockets", None)
        if isinstance(sockets, list) and not listening:
            listening = _listening(sockets)
        frame = frame.f_back
    return None if binds is None else binds + listening


def _listening(sockets) -> list[str]:
    """``host:port`` (or ``unix:path``) of each listening socket (gunicorn's wrap Python's sockets)."""
    out = []
    for sock in sockets:
        try:
            name = sock.getsockname()
        except (AttributeError, OSError):
            out.append("0.0.0.0:0")  # unknown: counted as open to everyone
            continue
        out.append(f"[{name[0]}]:{name[1]}" if isinstance(name, tuple) and ":" in name[0]
                   else f"{name[0]}:{name[1]}" if isinstance(name, tuple) else f"unix:{name}")
    return out


def in_gunicorn_worker() -> bool:
    """True while a gunicorn worker (not the master, as with ``--preload``) is importing this module."""
    frame = sys._getframe()
    while frame is not None:
        if frame.f_code.co_name == "load_wsgi" and "gunicorn" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


GUNICORN_BOOT_ERROR = 3  # a worker exiting with this makes the gunicorn master stop instead of retrying

log = logging.getLogger("lagesbild.web.wsgi")
try:
    settings = load_settings()
    configure_logging(settings.log_level)
    store = open_store(settings)  # a store that cannot be opened is a StoreError (a SettingsError)
except StoreUnreachable as _err:
    # the database server does not answer just now: exit code 75 (EX_TEMPFAIL), also in a gunicorn
    # worker, whose master then starts the worker again (its boot-error code 3 would stop gunicorn)
    configure_logging("INFO")
    log.critical("Fel: %s. %s", _err, CLI_ADVICE)
    raise SystemExit(UNREACHABLE_EXIT) from None
except SettingsError as _err:
    configure_logging("INFO")
    log.critical("Fel: %s", _err)
    raise SystemExit(GUNICORN_BOOT_ERROR if in_gunicorn_worker() else 2) from None
_refused = start_refusal(store, bind_hosts(sys.argv, os.environ, settings.host, gunicorn_binds()))
if _refused:
    log.critical("%s", _refused)
    raise SystemExit(GUNICORN_BOOT_ERROR if in_gunicorn_worker() else 2)
app = create_app(settings, store)
server = app.server
warm_shared_renderer(settings.chromium)  # the first chart export need not wait for Chromium
start_warming(store, settings)  # the first pages need not wait for the store's first reads
freeze_startup()  # the start-up heap out of the collector's full passes (lagesbild/web/heap.py)
# a worker forked from this process (gunicorn --preload) opens its own database connections: the
# parent's pooled ones are dropped in the child without closing them under the parent
os.register_at_fork(after_in_child=lambda: store.engine.dispose(close=False))
