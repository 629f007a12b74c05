"""WSGI entry point: ``gunicorn -w 4 -b 127.0.0.1:8050 lagesbild.web.wsgi:server`` (behind a TLS proxy).

Settings come from ``LAGESBILD_*`` environment variables (see the README); every worker opens the same
store (an SQLite file in WAL mode or a PostgreSQL URL), and the store's data version keeps the workers'
caches in step after an ingest.

The listen addresses are gunicorn's own ``bind`` setting when gunicorn imports this module (command line,
config file such as ``gunicorn.conf.py``, or ``GUNICORN_CMD_ARGS``: read from gunicorn's resolved
configuration), else its ``-b``/``--bind`` options on the command line, else ``LAGESBILD_HOST``. When
any of them is not a loopback address and the store has no accounts, importing this module prints a
Swedish message and exits with code 2 (``gunicorn --preload`` then exits with 2; without ``--preload``
the worker exits with gunicorn's boot-error code 3, so gunicorn stops with "Worker failed to boot"
instead of restarting it): nothing is served beyond the machine without login.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys

from lagesbild.analysis.warmup import start_warming
from lagesbild.errors import SettingsError
from lagesbild.export.render import warm_shared_renderer
from lagesbild.ingest import open_store
from lagesbild.logconfig import configure_logging
from lagesbild.settings import load_settings
from lagesbild.web import create_app
from lagesbild.web.auth import start_refusal


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
    """
    if binds:
        return _hosts(binds)
    args = list(argv[1:]) + shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    binds = []
    for i, arg in enumerate(args):
        if arg in ("-b", "--bind") and i + 1 < len(args):
            binds.append(args[i + 1])
        elif arg.startswith("--bind="):
            binds.append(arg.split("=", 1)[1])
        elif arg.startswith("-b") and len(arg) > 2:
            binds.append(arg[2:])
    return _hosts(binds) or [default]


def _hosts(binds) -> list[str]:
    hosts = []
    for b in binds:
        if b.startswith(("unix:", "fd://")):
            hosts.append("localhost")  # a local socket: only the proxy on this machine reaches it
        elif b.startswith("["):
            hosts.append(b[1:b.index("]")])
        else:
            hosts.append(b.rsplit(":", 1)[0] if ":" in b else b)
    return hosts


def gunicorn_binds() -> list[str] | None:
    """gunicorn's resolved ``bind`` list when gunicorn (master or worker) is importing this module."""
    frame = sys._getframe()
    while frame is not None:
        owner = frame.f_locals.get("self") if "gunicorn" in frame.f_code.co_filename else None
        bind = getattr(getattr(owner, "cfg", None), "bind", None)
        if isinstance(bind, list) and all(isinstance(b, str) for b in bind):
            return bind
        frame = frame.f_back
    return None


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
# a worker forked from this process (gunicorn --preload) opens its own database connections: the
# parent's pooled ones are dropped in the child without closing them under the parent
os.register_at_fork(after_in_child=lambda: store.engine.dispose(close=False))
