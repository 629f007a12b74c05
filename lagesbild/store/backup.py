"""Backup and restore of a whole store: SQLite with its online backup API, PostgreSQL with pg_dump.

* **SQLite**: :meth:`sqlite3.Connection.backup` copies the database page by page while other processes
  keep reading and writing (WAL mode); the copy is one consistent SQLite file in rollback-journal mode
  (no -wal/-shm files beside it, readable from a read-only folder). Restoring copies a backup file
  into the store's file the same way.
* **PostgreSQL**: ``pg_dump --format=custom`` (Debian's ``postgresql-client``) writes the database to one
  file; ``pg_restore --clean --if-exists --single-transaction`` puts it back, all or nothing.

A backup is restored only into a store of the same kind, and only into an empty store unless
``force`` is given. The file's first bytes say what it is (``SQLite format 3`` or ``PGDMP``).
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from lagesbild.errors import OS_REASONS, STORE_REASONS, InputError, library_reason
from lagesbild.settings import hide_password, sqlite_file

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
PAGES_PER_STEP = 1024  # SQLite backup step: other writers may proceed between steps


def _kind(store) -> str:
    return store.engine.dialect.name


def _sqlite_path(store) -> Path:
    """The store's file, also of an SQLite URI filename (``sqlite:///file:…?mode=ro&uri=true``, whose
    ``database`` is no path)."""
    path = sqlite_file(store.url)
    if path is None:
        raise InputError(store.url, "en databas i minnet kan inte säkerhetskopieras")
    return path


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or (sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [None])[-1]
    if found is None:
        raise InputError(name, f"{name} saknas; installera Debian-paketet postgresql-client")
    return found


def _pg_args(store) -> tuple[list[str], dict]:
    """Connection arguments for the PostgreSQL tools: one libpq connection string with everything the
    store's own connection uses (host, port, user, database and every parameter after '?' of the URL:
    a unix socket's folder as ``?host=``, ``sslmode``, several hosts …), so that pg_dump and pg_restore
    reach the same database as the store (without the URL's parameters they went to the default socket:
    another server's database, or none). The password goes in the environment, not on the command
    line, where ``ps`` shows it."""
    _cargs, opts = store.engine.dialect.create_connect_args(make_url(store.url))
    env = {"PGCONNECT_TIMEOUT": "10", **os.environ}  # a server that never answers is given up
    if opts.get("password") is not None:
        env["PGPASSWORD"] = str(opts["password"])
    words = [f"{key}={_conninfo_value(value)}" for key, value in opts.items()
             if key != "password" and isinstance(value, (str, int)) and not isinstance(value, bool)]
    return ["--dbname", " ".join(words) if words else "dbname=postgres"], env


def _conninfo_value(value) -> str:
    r"""A value of a libpq connection string, quoted (``'…'`` with ``\`` and ``'`` escaped).

    >>> _conninfo_value("/var/run/postgresql"), _conninfo_value("it's")
    ("'/var/run/postgresql'", "'it\\'s'")
    """
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


#: why pg_dump or pg_restore failed, by their (English) messages; the first match wins, before the
#: reasons a store cannot be opened (whose "No such file" would name a file for a missing socket)
TOOL_REASONS = (
    (r"server version mismatch", "databasservern är nyare än verktyget; installera postgresql-client "
                                 "av serverns version"),
    (r"unsupported version \(.*\) in file header",
     "säkerhetskopian är gjord av en nyare pg_dump än denna pg_restore"),
    (r"input file (does not appear to be a valid archive|is too short)|did not find magic string|"
     r"could not read (from )?input file|unexpected end of file", "säkerhetskopian är skadad eller avkortad"),
    (r"permission denied for|must be owner of",
     "databasanvändaren saknar behörighet på databasservern"),
    (r"connection to server .*failed|could not connect|Is the server running",
     "kan inte ansluta till databasservern (adress, port, och är den igång?)"),
    (r"server closed the connection|terminating connection|connection to server was lost|"
     r"no connection to the server", "anslutningen till databasservern bröts"),
)


def tool_failure(tool: str, output: str) -> str:
    """Why pg_dump or pg_restore (``tool``) failed, in Swedish, from what it wrote; its own last line
    when the reason is not known.

    >>> tool_failure("pg_dump", 'pg_dump: error: connection to server on socket "/x/.s.PGSQL.5432" '
    ...              'failed: No such file or directory\\n\\tIs the server running locally?')
    'pg_dump misslyckades: kan inte ansluta till databasservern (adress, port, och är den igång?)'
    """
    lines = output.strip().splitlines()
    errors = [line for line in lines if ": error: " in line]  # not the "detail: Command was: …" after it
    last = (errors or lines)[-1].strip() if lines else "inget meddelande"
    reason = library_reason(output, TOOL_REASONS + STORE_REASONS, default=last)
    return f"{tool} misslyckades: {reason}"


def _run(cmd: list[str], env: dict, what: str) -> None:
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        raise InputError(what, tool_failure(Path(cmd[0]).name, res.stderr or res.stdout or ""))


def backup(store, out) -> Path:
    """Write a backup of the whole store to ``out`` (a new file); return its path."""
    out = Path(out)
    if out.exists():
        raise InputError(str(out), "filen finns redan; välj ett nytt filnamn för säkerhetskopian")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".backup-", dir=out.parent)
    except OSError as exc:  # the folder cannot be written: say so of the file asked for
        raise OSError(exc.errno, exc.strerror, str(out)) from None
    os.close(fd)
    try:
        if _kind(store) == "sqlite":
            _sqlite_path(store)  # not a store in memory
            raw = store.engine.raw_connection()  # opened as the store is (a read-only URI too)
            dst = sqlite3.connect(tmp)
            try:
                with dst:
                    raw.driver_connection.backup(dst, pages=PAGES_PER_STEP)
                # one self-contained file: a copy in WAL mode (the store's) makes every reader of it
                # create -wal and -shm files beside it, and cannot be read from a read-only folder
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
                raw.close()
        elif _kind(store) == "postgresql":
            args, env = _pg_args(store)
            _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl", "--file", tmp,
                  *args], env, str(out))
        else:
            raise InputError(hide_password(store.url), f"databastypen {_kind(store)} kan inte säkerhetskopieras")
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def backup_kind(path) -> str:
    """``sqlite`` or ``postgresql``, from the first bytes of a backup file."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise InputError(str(path), "filen finns inte") from None
    except OSError as exc:
        reason = OS_REASONS.get(exc.errno, f"systemfel {exc.errno}")  # Swedish, not the C library's English
        raise InputError(str(path), f"filen kunde inte läsas ({reason})") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise InputError(str(path), "filen är ingen säkerhetskopia från lagesbild backup (varken en "
                                "SQLite-databas eller en pg_dump-fil)")


def _check_sqlite_backup(path: Path) -> None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(str(path), f"säkerhetskopian är skadad ({library_reason(exc)})") from None
    if not ok:
        raise InputError(str(path), "säkerhetskopian är skadad (SQLite quick_check)")
    if not {"meta", "places", "ingest_log"} <= tables:
        raise InputError(str(path), "filen är en SQLite-databas men ingen lägesbild-databas")


#: why SQLite refused to copy a backup into the store's file
RESTORE_REASONS = ((r"database is locked|busy", "databasen används av ett annat program (stoppa webbappen "
                                                "och försök igen)"),)


@contextmanager
def _with_pages_of(path: Path, dst):
    """The backup file to copy into ``dst``: itself, or when its page size differs from the store's a
    temporary copy with the store's page size. SQLite cannot copy into a database in WAL mode whose
    page size differs (a backup of a store made with 4 KiB pages, before stores had 64 KiB pages, into
    a new store); the copy sits beside the store, on the disk that must hold it anyway."""
    probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        page = probe.execute("PRAGMA page_size").fetchone()[0]
    finally:
        probe.close()
    want = dst.execute("PRAGMA page_size").fetchone()[0]
    if page == want:
        yield path
        return
    folder = Path(dst.execute("PRAGMA database_list").fetchone()[2]).parent
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=folder) as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        con = sqlite3.connect(copy)
        try:
            con.execute("PRAGMA journal_mode=DELETE")
            con.execute(f"PRAGMA page_size={int(want)}")
            con.execute("VACUUM")
        finally:
            con.close()
        yield copy


def restore(store, path, *, force: bool = False) -> None:
    """Replace the store's contents by a backup made by :func:`backup` (same kind of store).

    The store must be empty unless ``force``. The store object must not be used afterwards; open the
    store again (which also upgrades a backup made by an older version).
    """
    path = Path(path)
    kind = backup_kind(path)
    if kind != _kind(store):
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise InputError(str(path), f"säkerhetskopian kommer från {names[kind]} men databasen är "
                                    f"{names.get(_kind(store), _kind(store))}; återställ till samma "
                                    "sorts databas")
    if not force and not store.is_empty():
        raise InputError(str(path), "databasen är inte tom; återställ till en tom databas eller ange "
                                    "--force för att ersätta allt den innehåller")
    store.engine.dispose()
    if kind == "sqlite":
        _check_sqlite_backup(path)
        dst = sqlite3.connect(_sqlite_path(store))
        try:
            with _with_pages_of(path, dst) as source:
                src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
                try:
                    src.backup(dst, pages=PAGES_PER_STEP)
                finally:
                    src.close()
        except sqlite3.Error as exc:
            raise InputError(str(path), "säkerhetskopian kunde inte återställas: "
                                        f"{library_reason(exc, STORE_REASONS + RESTORE_REASONS)}") from None
        finally:
            dst.close()
    else:
        args, env = _pg_args(store)
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl",
              "--single-transaction", *args, str(path)], env, str(path))
