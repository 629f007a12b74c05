"""The command line: ``python -m lagesbild <kommando>``.

Each module in this package registers its subcommands with ``register(subparsers)``; this module
parses the arguments, opens the store, and turns user errors into Swedish messages with exit code 2
(never a traceback); a database server that does not answer (stopped, restarting, the connection lost)
ends the command with exit code 75 (``EX_TEMPFAIL``: try again later; :mod:`lagesbild.db_unreachable`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import signal
import sqlite3
import sys
import warnings

from lagesbild import __version__
from lagesbild.cli.swedish import SwedishParser, swedish_metavars
from lagesbild.db_unreachable import CLI_ADVICE, StoreUnreachable, unreachable
from lagesbild.db_unreachable import EXIT_CODE as UNREACHABLE_EXIT
from lagesbild.errors import (
    OS_REASONS,
    STORE_LOCKED,
    STORE_REASONS,
    InputError,
    SettingsError,
    library_reason,
)
from lagesbild.logconfig import configure_logging
from lagesbild.settings import hide_password

# Modules that register subcommands, in the order they appear in --help.
COMMAND_MODULES = ("lagesbild.cli.data", "lagesbild.cli.overview", "lagesbild.cli.analysis", "lagesbild.cli.places", "lagesbild.cli.export",
                   "lagesbild.cli.meeting", "lagesbild.cli.backup", "lagesbild.cli.users")


class UserError(Exception):
    """A mistake in the command line's arguments, reported in Swedish."""


def program_name() -> str:
    """How the command was started, for the usage lines: ``lagesbild`` (the installed console script)
    or ``python -m lagesbild``."""
    return "lagesbild" if os.path.basename(sys.argv[0] or "") == "lagesbild" else "python -m lagesbild"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = SwedishParser(
        prog=program_name(),
        description="Lägesbild: anmälda brott, trygghetsmätningar och åtgärdsplan per plats.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="visa programmets version och avsluta")
    parser.add_argument("--db", help=DB_HELP)
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    _db_after_the_command(parser)
    swedish_metavars(parser)
    return parser


DB_HELP = "databas: SQLAlchemy-URL eller sökväg till SQLite-fil (annars LAGESBILD_DB eller standard)"


def _db_after_the_command(parser: argparse.ArgumentParser) -> None:
    """``--db`` also after the command (``lagesbild ingest crimes fil.csv --db x.sqlite``, as issue #2
    names it for ingest): every subcommand takes it too; given there, it wins over one given before."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                command.add_argument("--db", default=argparse.SUPPRESS, metavar="DATABAS", help=DB_HELP)
                _db_after_the_command(command)


#: library warnings shown after a command's own output (at most this many)
MAX_WARNINGS = 5


def main(argv=None) -> int:
    """Run the command line; return the exit code.

    Warnings of the libraries (openpyxl, pandas, pyogrio …) are collected while the command runs and
    printed after its output and its "Fel:" message, so they never come before the message that says
    what went wrong. Ctrl-C at any point (also while the libraries are still being loaded) ends it
    with one line, "Avbrutet." or "Avbrutet: " and what was and was not saved (a command that writes
    says so through :func:`on_interrupt`), and exit code 130, never a traceback; so does SIGTERM
    (``kill``, a service manager stopping it), with exit code 143. Either rolls back the write in
    progress.
    """
    from lagesbild.cli.encoding import tolerant_output, utf8_args

    tolerant_output()  # a Latin-1 or ASCII terminal: "–" written as "-", not a UnicodeEncodeError
    argv = utf8_args(sys.argv[1:] if argv is None else list(argv))
    previous = _terminate_as_interrupt()
    try:
        return _main(argv)
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        _libraries_log_as_asked("CRITICAL")  # quiet again for whatever runs after the command


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the command is, as Ctrl-C's KeyboardInterrupt is: the transaction being
    written is rolled back on the way out (killed by the signal's default action, the process left
    it to the database to discard and said nothing)."""


def _raise_terminated(_signum, _frame):
    raise Terminated


def _terminate_as_interrupt():
    """Have SIGTERM raise :class:`Terminated` while the command runs; the handler it replaces (None
    when it cannot be set: not the main thread)."""
    try:
        return signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:
        return None


def on_interrupt(args, say) -> None:
    """Have an interruption of the command say what is true then: ``say()`` returns the text after
    "Avbrutet: " (what was saved and what not; None for the plain "Avbrutet."). It is asked after
    the write in progress was rolled back."""
    args.on_interrupt = say


def _interrupted(exc: KeyboardInterrupt, args=None) -> int:
    """Say "Avbrutet." (or "Avbrutet: " and the command's own account, :func:`on_interrupt`) on a line
    of its own; return the shell's code for the signal: 143 for SIGTERM, 130 for Ctrl-C."""
    _close_progress_bars()
    text = "Avbrutet."
    say = getattr(args, "on_interrupt", None)
    if say is not None:
        try:
            told = say()
        except Exception:  # the account is a courtesy: never a traceback instead
            logging.getLogger("lagesbild.cli").debug("the interrupted command's account failed", exc_info=True)
            told = None
        if told:
            text = f"Avbrutet: {told}"
    with contextlib.suppress(BrokenPipeError, ValueError):  # stderr already closed
        # on a terminal, from the start of a line cleared of a bar the signal cut off mid-drawing
        print(("\r\x1b[K" if sys.stderr.isatty() else "") + text, file=sys.stderr)
    return 143 if isinstance(exc, Terminated) else 130


def _close_progress_bars() -> None:
    """Close the progress bars still drawn (one opened just before the interruption reached the code
    that closes it), so the message starts a line of its own, not after "Läser x.csv: 0 rader …"."""
    tqdm = sys.modules.get("tqdm")
    if tqdm is None:
        return
    for bar in list(getattr(tqdm.tqdm, "_instances", ())):
        with contextlib.suppress(Exception):
            bar.close()


def _main(argv) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # the CLI's output and its "Fel:" message are what the user asked for: the log adds nothing
    # unless LAGESBILD_LOG_LEVEL asks for it
    wanted = os.environ.get("LAGESBILD_LOG_LEVEL", "").strip().upper()
    level = wanted if wanted in ("DEBUG", "INFO", "WARNING", "ERROR") else "CRITICAL"
    configure_logging(level)
    _libraries_log_as_asked(level)
    with warnings.catch_warnings(record=True) as caught:
        code = _run(args)
    _print_warnings(caught)
    return code


_LIBRARY_HANDLER = "lagesbild-cli-libraries"


class _StderrNow(logging.StreamHandler):
    """A handler writing to the standard error of the moment a record comes (the root logger's handler
    outlives one call of :func:`main`, e.g. in tests that capture standard error)."""

    def __init__(self):
        logging.Handler.__init__(self)

    @property
    def stream(self):
        return sys.stderr


def _libraries_log_as_asked(level: str) -> None:
    """The libraries' own log records (psycopg's "error ignored terminating <psycopg.Pipeline [BAD]>:
    the connection is lost" when the database server goes away mid-write) go where lagesbild's go: to
    standard error in the log's format at ``LAGESBILD_LOG_LEVEL``, else nowhere. Without a handler,
    Python's last-resort handler printed them, in English, before the "Fel:" message."""
    from lagesbild.logconfig import FORMAT

    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _LIBRARY_HANDLER:
            root.removeHandler(handler)
    handler = _StderrNow()
    handler.set_name(_LIBRARY_HANDLER)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)


#: warnings about a library's future versions: about the code, not the user's data; logged, not shown
DEVELOPER_WARNINGS = (FutureWarning, DeprecationWarning, PendingDeprecationWarning)


def _print_warnings(caught) -> None:
    """Print the libraries' warnings about the input (openpyxl's unreadable date cell …) after the
    output; those about the libraries' own future (pandas' FutureWarning) go to the log only."""
    for w in caught:
        if issubclass(w.category, DEVELOPER_WARNINGS):
            logging.getLogger("lagesbild.cli").debug("%s: %s", w.category.__name__, w.message)
    texts = list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught
                               if not issubclass(w.category, DEVELOPER_WARNINGS)))
    if not texts:
        return
    try:
        print("Obs: varningar från programbibliotek (på engelska):", file=sys.stderr)
        for text in texts[:MAX_WARNINGS]:
            print(f"  {text}", file=sys.stderr)
        if len(texts) > MAX_WARNINGS:
            print(f"  … och {len(texts) - MAX_WARNINGS} till", file=sys.stderr)
    except (BrokenPipeError, ValueError):  # stderr already closed
        pass


#: the commands that print numbers of the store: each says so when they are the demo's fictitious ones
NUMBER_COMMANDS = ("overview", "since", "compare", "compare-places", "survey", "hotspots", "effect", "quick", "patterns")
DEMO_NOTE = "OBS: FIKTIVA DEMODATA – inte verklig brottsstatistik (python -m lagesbild demo --remove tar bort dem)."
#: a store with a crime source of its own marked fictitious (its file's "# FIKTIVA" note), not the demo
FICTITIOUS_NOTE = "OBS: FIKTIVA DATA i {sources} – inte verklig brottsstatistik."


def _run(args) -> int:
    # loaded here, not when the module is: a Ctrl-C while they load is then "Avbrutet.", not a traceback
    from sqlalchemy.exc import SQLAlchemyError

    from lagesbild.analysis import NotFound  # the analysis layer loads numpy/scipy: not for --help

    try:
        code = int(args.run(args) or 0)
        _demo_note(args, code)
        return code
    except StoreUnreachable as exc:  # the server does not answer just now: a passing state, not the input
        print(f"Fel: {exc}. {CLI_ADVICE}", file=sys.stderr)
        return UNREACHABLE_EXIT
    except (InputError, SettingsError, UserError, NotFound) as exc:
        text = exc.message() if isinstance(exc, InputError) else str(exc)
        print(f"Fel: {text}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    except OSError as exc:  # an --out that cannot be written, a full disk: the file and why
        print(f"Fel: {os_error_text(exc)}", file=sys.stderr)
        return 2
    except (SQLAlchemyError, sqlite3.Error) as exc:  # the store refused a read or write after it was opened
        logging.getLogger("lagesbild.cli").debug("the store refused the command", exc_info=exc)
        text = store_failure_text(getattr(args, 'store_url', None), exc)
        if unreachable(exc):  # the server went away during the command (its write rolled back)
            print(f"Fel: {text}. {CLI_ADVICE}", file=sys.stderr)
            return UNREACHABLE_EXIT
        if LOCKED.search(str(exc)):  # another write held the store too long: "try again later", as 75 says
            print(f"Fel: {text}", file=sys.stderr)
            return UNREACHABLE_EXIT
        print(f"Fel: {text}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        return _interrupted(exc, args)
    except Exception as exc:
        if type(exc).__name__ != "BrowserFailedError":  # choreographer's: Chromium did not start
            raise
        logging.getLogger("lagesbild.cli").debug("Chromium did not start", exc_info=exc)
        print(f"Fel: {BROWSER_FAILED}", file=sys.stderr)
        return 2


#: Chromium (which draws the charts of chart and pack) closed as it started: a LAGESBILD_CHROMIUM that
#: is no working browser (a long TMPDIR no longer is a cause: export.browser_tmp gives it a short one)
BROWSER_FAILED = ("Chromium, som ritar diagrammen, kunde inte starta. Kontrollera att LAGESBILD_CHROMIUM "
                  "anger en fungerande Chromium (standard /usr/bin/chromium).")


def _demo_note(args, code: int) -> None:
    """After a command's numbers from a demo store, :data:`DEMO_NOTE`: last in its text, on standard
    error beside JSON, CSV or GeoJSON (which programs read)."""
    store = getattr(args, "store", None)
    if code or store is None or getattr(args, "command", None) not in NUMBER_COMMANDS:
        return
    from lagesbild.analysis.base import facts

    known = facts(store)
    if known["demo"]:
        note = DEMO_NOTE if known["demo_store"] else FICTITIOUS_NOTE.format(
            sources=", ".join(known["fictitious_sources"]))
        print(note, file=sys.stdout if getattr(args, "format", "text") == "text" else sys.stderr)


#: a command that only reads, run on an SQLite file that does not exist (a mistyped --db)
NO_STORE = ("databasen {path} finns inte; läs in data med 'python -m lagesbild ingest' (eller "
            "'demo'), eller ange rätt databas med --db")

#: the same, on an SQLite file of 0 bytes (no store was ever written there)
EMPTY_STORE = ("databasen {path} är en tom fil (0 byte) utan data; läs in data med 'python -m lagesbild "
               "ingest' (eller 'demo'), eller ange rätt databas med --db")

#: a write that waited for another process's write until it gave up (SQLite's busy timeout, PostgreSQL's
#: lock timeout): a passing state like a server that does not answer, so the same exit code (75)
LOCKED = STORE_LOCKED  # the one pattern, shared with the web's 503 (lagesbild.errors)

#: why the store refused a read or write (after the reasons shared with opening it)
WRITE_REASONS = (
    (LOCKED.pattern,
     "databasen är låst av en annan skrivning; försök igen om en stund"),
    (r"database or disk is full|No space left|disk full", "disken där databasen ligger är full"),
    (r"permission denied for|must be owner of",
     "databasanvändaren får inte skriva (saknar behörighet på databasservern)"),
    (r"read-only transaction|read only", "databasen får inte skrivas (skrivskyddad)"),
    (r"server closed the connection|terminating connection|connection (is )?(closed|lost|bad)",
     "anslutningen till databasservern bröts"),
)


def store_failure_text(url: str | None, exc: BaseException) -> str:
    """A store's refusal in the middle of a command, in Swedish, the URL's password hidden (the write
    it refused is rolled back: each write is one transaction).

    >>> store_failure_text("sqlite:////tmp/x.sqlite", OSError("attempt to write a readonly database"))
    'databasen sqlite:////tmp/x.sqlite: får inte skrivas (skrivskyddad)'
    """
    where = f"databasen {hide_password(url)}" if url else "databasen"
    reason = library_reason(exc, WRITE_REASONS + STORE_REASONS,
                            default="databasen gav ett fel (LAGESBILD_LOG_LEVEL=DEBUG visar det)")
    return f"{where}: {reason.removeprefix('databasen ')}"


def os_error_text(exc: OSError) -> str:
    """An operating-system error as a Swedish message naming the file.

    >>> os_error_text(FileNotFoundError(2, "No such file or directory", "/proc/x"))
    '/proc/x: kan inte läsas eller skrivas (mappen eller filen finns inte)'
    """
    where = exc.filename if exc.filename is not None else "filen"
    reason = OS_REASONS.get(exc.errno, f"systemfel {exc.errno}" if exc.errno else "okänt systemfel")
    return f"{where}: kan inte läsas eller skrivas ({reason})"


def settings_and_store(args, *, new_ok: bool = False):
    """Settings (with ``--db`` applied) and the opened store. Only a command that writes (``new_ok``)
    creates a store that does not exist; one that reads says the file is missing."""
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    settings = load_settings(db=getattr(args, "db", None))
    args.store_url = settings.db_url  # named in a "Fel:" when the store refuses a write later
    path = settings.sqlite_path
    if not new_ok and path is not None and not path.exists():
        raise UserError(NO_STORE.format(path=path))
    if not new_ok and path is not None and path.is_file() and path.stat().st_size == 0:
        # SQLite takes an empty file for an empty database: 'status' wrote 2,7 MB of tables into a
        # file made by mistake (touch, a failed copy) and reported an empty store
        raise UserError(EMPTY_STORE.format(path=path))
    args.store = open_store(settings)  # asked after the command whether it holds the demo
    return settings, args.store
