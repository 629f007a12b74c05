"""Start the lägesbild dashboard on the store named by the settings (``python app.py``).

Settings come from ``LAGESBILD_*`` environment variables (``LAGESBILD_DB``, ``LAGESBILD_HOST``,
``LAGESBILD_PORT`` …; see the README). When the store is empty, the fictitious demo data are loaded
first, so a fresh checkout opens on something to look at (the dashboard marks it as demo data).

This runs Dash's development server. In production, serve the same app with a WSGI server and several
workers on the same store::

    gunicorn -w 4 -b 127.0.0.1:8050 lagesbild.web.wsgi:server   # behind nginx with TLS

On any address other than loopback the app refuses to start while the store has no accounts
(``python -m lagesbild users add NAMN --roll admin`` creates the first).
"""

from __future__ import annotations

import sys


def prepare_store(settings):
    """Open the store and load the demo data into it when it is empty."""
    from lagesbild.ingest import open_store

    store = open_store(settings)
    if store.is_empty():
        try:
            from lagesbild.demo import load_demo
        except ImportError:
            try:
                from lagesbild.demo.load import load_demo
            except ImportError:
                print("Databasen är tom och demodata saknas i den här installationen; läs in egna "
                      "filer under Data eller med 'python -m lagesbild ingest'.", file=sys.stderr)
                return store
        print("Databasen är tom: läser in fiktiva demodata (tar en stund första gången) …", flush=True)
        try:
            for report in load_demo(store, settings):
                print("  " + report.message, flush=True)
        except Exception as err:
            print(f"Demodata kunde inte läsas in helt ({type(err).__name__}: {str(err)[:300]}); "
                  "instrumentpanelen startar med det som lästes in.", file=sys.stderr, flush=True)
    return store


def main() -> int:
    """Build settings from the environment, prepare the store and run the development server."""
    from lagesbild.cli.encoding import tolerant_output
    from lagesbild.db_unreachable import CLI_ADVICE, EXIT_CODE, StoreUnreachable
    from lagesbild.errors import InputError, SettingsError
    from lagesbild.ingest import open_store
    from lagesbild.logconfig import configure_logging
    from lagesbild.ports import port_refusal
    from lagesbild.settings import load_settings
    from lagesbild.web import create_app
    from lagesbild.web.hosts import start_refusal

    tolerant_output()  # a Latin-1 or ASCII locale: "Lägesbild:" and the demo lines without a traceback
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        refused = start_refusal(open_store(settings), [settings.host])
        if refused:  # before the demo data are loaded: nothing is served beyond loopback without login
            print(refused, file=sys.stderr)
            return 2
        busy = port_refusal(settings.host, settings.port)
        if busy:  # before the demo load and the start line (werkzeug said it in English, exit 1)
            print(f"Fel: {busy}", file=sys.stderr)
            return 2
        store = prepare_store(settings)
    except StoreUnreachable as err:  # a passing state, not a wrong setting: 75, "try again later"
        print(f"Fel: {err}. {CLI_ADVICE}", file=sys.stderr)
        return EXIT_CODE
    except (SettingsError, InputError) as err:
        print(f"Fel: {err}", file=sys.stderr)
        return 2
    app = create_app(settings, store)
    from lagesbild.analysis.warmup import start_warming
    from lagesbild.export.render import warm_shared_renderer

    warm_shared_renderer(settings.chromium)  # the first chart export need not wait for Chromium
    start_warming(store, settings)  # the first pages need not wait for the store's first reads
    from lagesbild.web.heap import freeze_startup

    freeze_startup()  # the start-up heap out of the garbage collector's full passes (a 100-200 ms stall)
    from lagesbild.web.hosts import start_url

    print(f"Lägesbild: {start_url(settings.host, settings.port)}", flush=True)
    app.run(host=settings.host, port=settings.port, debug=False)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:  # Ctrl-C while the store is opened or the demo data are read in
        print("Avbrutet.", file=sys.stderr)
        raise SystemExit(130) from None
