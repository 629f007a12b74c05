"""The last line of defence of an ingest: failures that no reader check caught become Swedish messages.

Every reader checks its input and :mod:`lagesbild.ingest.limits` checks every value against the store,
so none of these should happen; when one does (a value a check missed, a file too deeply nested for
Python's recursion limit, memory running out), the transaction has been rolled back and the user gets
an :class:`~lagesbild.errors.InputError` (exit code 2) instead of a traceback. The messages start with
:data:`STORE_REFUSED` or :data:`TOO_COMPLEX`, which the fuzz tests look for: reaching this guard is a
bug to fix in a reader.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy.exc import DataError, IntegrityError

from lagesbild.errors import InputError

STORE_REFUSED = "databasen tog inte emot ett värde i filen"
TOO_COMPLEX = "filen är för stor eller för djupt nästlad för att läsas"


@contextmanager
def refused_as_input_error(name: str):
    """Turn the store's refusal of a value, deep recursion and lack of memory into an InputError."""
    try:
        yield
    except (DataError, IntegrityError) as exc:
        detail = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
        raise InputError(name, f"{STORE_REFUSED} ({detail}); inget lästes in") from None
    except (RecursionError, MemoryError):
        raise InputError(name, f"{TOO_COMPLEX}; inget lästes in") from None


def check_file_size(path, name: str, max_mb: int) -> None:
    """Refuse a file larger than `max_mb` MB (the setting ``max_ingest_mb``; MB of 1 048 576 bytes, as
    the web upload's ``max_upload_mb``) before any of it is read: a 3 GB JSON file took 6,5 GB of memory
    before it failed. A path that cannot be looked at is left to the reader, which says why.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "stor.json")
    >>> with open(path, "wb") as f:
    ...     _ = f.truncate(3 * 1024**3)  # sparse: no disk used
    >>> check_file_size(path, "stor.json", 1024)
    Traceback (most recent call last):
    ...
    lagesbild.errors.InputError: stor.json: filen är 3\xa0072,0 MB; lagesbild läser högst 1\xa0024 MB (inställningen max_ingest_mb: höj den med LAGESBILD_MAX_INGEST_MB, högst 65\xa0536, eller dela upp filen); inget lästes
    >>> check_file_size(path, "stor.json", 3072)  # within the bound: nothing said
    """
    import os

    from lagesbild.settings import SETTINGS
    from lagesbild.sources.numbers import format_number

    most = next(s.maximum for s in SETTINGS if s.name == "max_ingest_mb")
    try:
        size = os.stat(path).st_size
    except (OSError, ValueError):
        return
    if size > max_mb * 1024 * 1024:
        raise InputError(name, f"filen är {format_number(size / 1024**2, 1)} MB; lagesbild läser högst "
                               f"{format_number(max_mb)} MB (inställningen max_ingest_mb: höj den med "
                               f"LAGESBILD_MAX_INGEST_MB, högst {format_number(most)}, eller dela upp filen); "
                               "inget lästes")
