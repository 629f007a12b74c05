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
from lagesbild.settings import sqlite_file

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
    """Connection arguments for the PostgreSQL tools, the password in the environment (not argv)."""
    url = make_url(store.url)
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = {"PGCONNECT_TIMEOUT": "10", **os.environ}  # a server that never answers is given up
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args + ["--dbname", url.database or "postgres"], env


def _run(cmd: list[str], env: dict, what: str) -> None:
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        detail = (res.stderr or res.stdout).strip().splitlines()
        last = detail[-1] if detail else res.returncode
        raise InputError(what, f"{Path(cmd[0]).name} misslyckades: {last}")


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
            raise InputError(store.url, f"databastypen {_kind(store)} kan inte säkerhetskopieras")
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
