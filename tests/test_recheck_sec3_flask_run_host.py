"""An independent security recheck (sec3): the start check of the WSGI entry must see every way
``flask run`` is told to listen beyond loopback.

``flask run`` takes its address from ``--host``/``-h`` and also from the environment variable
``FLASK_RUN_HOST`` (Click's ``FLASK_`` prefix) and as ``-h0.0.0.0`` (a short option with its value
attached). The start check read only the first two, so ``FLASK_RUN_HOST=0.0.0.0 flask --app
lagesbild.web.wsgi:server run`` on a store without accounts started serving on every address instead of
stopping with the Swedish refusal and exit code 2.
"""

from __future__ import annotations

import pytest

from lagesbild.settings import load_settings
from lagesbild.store import Store


def _bind_hosts():
    """lagesbild.web.wsgi.bind_hosts without importing the module (its import opens the store)."""
    import ast
    import pathlib

    import lagesbild.web as web

    source = (pathlib.Path(web.__file__).parent / "wsgi.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    keep = [n for n in tree.body if isinstance(n, ast.FunctionDef)
            and n.name in ("bind_hosts", "inherited_hosts", "_hosts")]
    namespace = {"os": __import__("os"), "shlex": __import__("shlex"), "socket": __import__("socket")}
    exec(compile(ast.Module(body=keep, type_ignores=[]), "wsgi.py", "exec"), namespace)  # our own code, read from the file
    return namespace["bind_hosts"]


FLASK = ["/srv/venv/bin/flask", "--app", "lagesbild.web.wsgi:server", "run"]


@pytest.mark.parametrize(("argv", "environ", "expected"), [
    (FLASK, {"FLASK_RUN_HOST": "0.0.0.0"}, ["0.0.0.0"]),
    (FLASK + ["-h0.0.0.0"], {}, ["0.0.0.0"]),
    (FLASK + ["--host", "::"], {"FLASK_RUN_HOST": "127.0.0.1"}, ["::"]),  # the option wins, as in flask
])
def test_flask_runs_host_from_its_environment_variable_or_a_short_option_counts(argv, environ, expected):
    from lagesbild.web.hosts import start_refusal

    hosts = _bind_hosts()(argv, environ, "127.0.0.1")
    assert hosts == expected
    refusal = start_refusal(Store("sqlite://"), hosts)
    assert refusal is not None and refusal.startswith(f"Fel: appen skulle lyssna på {expected[0]}")


def test_the_environment_variable_is_not_read_outside_flask_run():
    """Guard: gunicorn ignores FLASK_RUN_HOST; its own bind (or the default) is what counts."""
    bind_hosts = _bind_hosts()
    assert bind_hosts(["gunicorn", "-b", "127.0.0.1:8050", "m:app"], {"FLASK_RUN_HOST": "0.0.0.0"},
                      "127.0.0.1") == ["127.0.0.1"]
    assert bind_hosts(FLASK + ["-h", "127.0.0.1"], {}, "0.0.0.0") == ["127.0.0.1"]
    assert load_settings({}).host == "127.0.0.1"
