"""Backup commands: ``backup`` and ``restore`` (see :mod:`lagesbild.store.backup`)."""

from __future__ import annotations

from lagesbild.cli import UserError, settings_and_store


def register(sub) -> None:
    """Add the backup commands to the parser."""
    b = sub.add_parser("backup", help="säkerhetskopiera hela databasen till en fil",
                       description="Säkerhetskopiera hela databasen: SQLite med SQLites backup-API "
                                   "(medan programmet används), PostgreSQL med pg_dump.")
    b.add_argument("--out", required=True, metavar="FIL", help="ny fil att skriva säkerhetskopian till")
    b.set_defaults(run=run_backup)

    r = sub.add_parser("restore", help="återställ databasen från en säkerhetskopia",
                       description="Återställ en säkerhetskopia från backup till en tom databas av "
                                   "samma slag (SQLite eller PostgreSQL).")
    r.add_argument("file", metavar="FIL", help="säkerhetskopian")
    r.add_argument("--force", action="store_true",
                   help="ersätt innehållet även om databasen inte är tom")
    r.set_defaults(run=run_restore)


def run_backup(args) -> int:
    """``backup``: write the copy and say where it is."""
    from lagesbild.analysis.admin import backup

    _settings, store = settings_and_store(args)
    path = backup(store, args.out)
    counts = store.counts()
    print(f"Säkerhetskopian är sparad: {path} ({counts['ingest_log']} inläsningar, "
          f"{counts['places']} platser).")
    return 0


def run_restore(args) -> int:
    """``restore``: put a backup back, then open the store again (upgrading an older one)."""
    from lagesbild.analysis.admin import backup_kind, restore
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    # a file that is no backup, or one of the other kind of store, is refused before a store is
    # opened or created
    kind = backup_kind(args.file)
    target = "sqlite" if load_settings(db=args.db).db_url.startswith("sqlite") else "postgresql"
    if kind != target:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise UserError(f"{args.file}: säkerhetskopian kommer från {names[kind]} men databasen är "
                        f"{names[target]}; återställ till samma sorts databas")
    settings, store = settings_and_store(args, new_ok=True)
    restore(store, args.file, force=args.force)
    store = open_store(settings)
    with store.transaction() as w:  # caches in running dashboards see a new data version
        w.bump_version()
    counts = store.counts()
    print(f"Databasen är återställd från {args.file} ({counts['ingest_log']} inläsningar, "
          f"{counts['places']} platser).")
    return 0
