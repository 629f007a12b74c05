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
