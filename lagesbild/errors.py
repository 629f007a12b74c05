"""User-facing error types.

Every problem caused by the user's input is reported as a :class:`RowError` (one bad value) or an
:class:`InputError` (a whole file or a set of row errors). The CLI and the web layer print these as
Swedish messages; they are never shown as tracebacks.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field

_UNPRINTABLE = re.compile("[\x00\ud800-\udfff]")


def printable(text: str) -> str:
    """Text safe to print and store: NUL characters and lone surrogates become U+FFFD.

    Examples
    --------
    >>> printable("a\\x00b") == "a\\ufffdb"
    True
    """
    return _UNPRINTABLE.sub("\ufffd", text)


#: What a library's (English) error means, in Swedish: (pattern, reason); the pattern's groups fill
#: the reason (a text to format, or a function of the groups). The first match wins; a message matching none gets :data:`LIBRARY_FALLBACK`, so no
#: English text from csv, GDAL or SQLite reaches a user.
LIBRARY_REASONS = (
    (r"field larger than field limit \((\d+)\)",
     lambda n: f"ett fält är längre än {int(n):,} tecken".replace(",", "\u00a0")),  # Swedish thousands
    (r"new-line character seen in unquoted field", "radbrytning i ett fält utan citattecken"),
    (r"line contains NUL", "raden innehåller ett NUL-tecken"),
    (r"unexpected end of data|EOF inside string", "filen tar slut mitt i ett citerat fält"),
    (r"'[^']*' expected after '\"'", "ett citattecken följs av ett tecken som inte är avgränsaren"),
    (r"not recognized as (being in )?a supported file format", "okänt eller skadat filformat"),
    (r"At line (\d+), character (\d+): (Unterminated|Unexpected end)",
     "rad {0}, tecken {1}: JSON-texten tar slut för tidigt"),
    (r"At line (\d+), character (\d+)", "rad {0}, tecken {1}: ogiltig JSON"),
    (r"No such file or directory", "filen finns inte"),
    (r"Permission denied", "filen får inte läsas (behörighet saknas)"),
    (r"file is not a database|file is encrypted", "filen är ingen SQLite-databas"),
    (r"database disk image is malformed", "SQLite-databasen är skadad"),
)
LIBRARY_FALLBACK = "filens innehåll kunde inte tolkas"


def message_reasons(table: dict, *, whole: bool = False) -> tuple:
    """A reader's table ``{the beginning of a library's message: Swedish reason}`` (or of the whole
    message, ``whole``) as ``(pattern, reason)`` pairs for :func:`library_reason`.

    Examples
    --------
    >>> library_reason("Extra data", message_reasons({"Extra data": "text efter slutet"}, whole=True))
    'text efter slutet'
    """
    end = "$" if whole else ""
    return tuple(("^" + re.escape(english) + end, swedish) for english, swedish in table.items())


def library_reason(exc: BaseException | str, reasons=LIBRARY_REASONS, default: str = LIBRARY_FALLBACK) -> str:
    """A Swedish reason for a library's error message: the first of ``reasons`` (default
    :data:`LIBRARY_REASONS`; a reader's own from :func:`message_reasons`) that matches, else ``default``.

    Examples
    --------
    >>> library_reason("field larger than field limit (131072)")
    'ett fält är längre än 131\xa0072 tecken'
    >>> library_reason("Failed to read GeoJSON data; At line 1, character 40: Unterminated array")
    'rad 1, tecken 40: JSON-texten tar slut för tidigt'
    >>> library_reason(ValueError("something only an engineer would read"))
    'filens innehåll kunde inte tolkas'
    """
    text = str(exc)
    for pattern, reason in reasons:
        found = re.search(pattern, text)
        if found:
            return reason(*found.groups()) if callable(reason) else reason.format(*found.groups())
    return default


@dataclass(frozen=True)
class RowError:
    """One rejected value: where it is and why.

    Parameters
    ----------
    file : str
        File name as the user gave it.
    line : int or None
        1-based line in the file (for XLSX: the sheet row), None when the problem is the whole file.
    column : str or None
        Column name as written in the file.
    value : str or None
        The offending value as written.
    reason : str
        Why it is rejected, in Swedish.

    Examples
    --------
    >>> print(RowError("brott.csv", 12, "Antal", "-3", "antalet får inte vara negativt").message())
    brott.csv, rad 12, kolumn "Antal", värde "-3": antalet får inte vara negativt
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str
    sheet: str | None = None

    def message(self) -> str:
        """Return the error as one Swedish line."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"blad {self.sheet!r}".replace("'", '"'))
        if self.line is not None:
            parts.append(f"rad {self.line}")
        if self.column is not None:
            parts.append(f'kolumn "{self.column}"')
        if self.value is not None:
            parts.append(f'värde "{self.value}"')
        return printable(", ".join(parts) + f": {self.reason}")

    def as_dict(self) -> dict:
        """Return the error as a plain dict (for JSON and report files)."""
        return {
            "fil": self.file,
            "blad": self.sheet,
            "rad": self.line,
            "kolumn": self.column,
            "värde": self.value,
            "orsak": self.reason,
        }


def distinct_errors(errors) -> list[tuple[RowError, int]]:
    """The distinct row errors, in order, each with how many times it was found (a wide table gives
    the same error once per cell of a row).

    Examples
    --------
    >>> e = RowError("f.csv", 5, "Område", "X", "okänd plats")
    >>> [(err.line, n) for err, n in distinct_errors([e, e, RowError("f.csv", 6, "Antal", "x", "")])]
    [(5, 2), (6, 1)]
    """
    times: dict = {}
    for err in errors:
        key = (err.file, err.line, err.column, err.value, err.reason)
        times.setdefault(key, [err, 0])[1] += 1
    return [(err, n) for err, n in times.values()]


@dataclass
class InputError(Exception):
    """A file that cannot be ingested, with every reason found.

    Examples
    --------
    >>> err = InputError("brott.csv", "filen kunde inte läsas", [])
    >>> str(err)
    'brott.csv: filen kunde inte läsas'
    """

    file: str
    reason: str
    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message()

    def message(self, limit: int = 20) -> str:
        """Return a Swedish message listing at most `limit` distinct row errors; the same error of
        several cells of one row (a wide table's years, each with the same unknown place) once, with
        how many times it was found.

        Examples
        --------
        >>> same = RowError("brott.csv", 5, "Område", "Hisingen", "okänd plats")
        >>> print(InputError("brott.csv", "3 fel; inget lästes in", [same] * 3).message())
        brott.csv: 3 fel; inget lästes in
          brott.csv, rad 5, kolumn "Område", värde "Hisingen": okänd plats (3 gånger)
        """
        lines = [printable(f"{self.file}: {self.reason}")]
        found = distinct_errors(self.errors)
        for err, n in found[:limit]:
            lines.append("  " + err.message() + (f" ({n} gånger)" if n > 1 else ""))
        rest = sum(n for _, n in found[limit:])
        if rest:
            lines.append(f"  … och {rest} fel till")
        return "\n".join(lines)


class SettingsError(Exception):
    """A setting has a value that cannot be used."""


#: why a store cannot be opened, in Swedish, by its driver's (English) message; the first match wins
STORE_REASONS = (
    (r"file is not a database|file is encrypted", "filen är ingen SQLite-databas"),
    (r"database disk image is malformed", "SQLite-databasen är skadad"),
    (r"attempt to write a readonly database|[Rr]ead-only file system",
     "databasen får inte skrivas (skrivskyddad)"),
    (r"unable to open database file|Permission denied|Not a directory|Is a directory|No such file",
     "filen kan inte öppnas eller skapas där (finns mappen, och får den skrivas?)"),
    (r"password authentication failed|authentication failed",
     "inloggningen till databasservern misslyckades (användarnamn eller lösenord)"),
    (r"database \"[^\"]*\" does not exist", "databasen finns inte på databasservern"),
    (r"Connection refused|could not connect|connection (to server .*)?failed|timeout expired|"
     r"Name or service not known|could not translate host name|nodename nor servname",
     "kan inte ansluta till databasservern (adress, port, och är den igång?)"),
    (r"Can't load plugin|No module named", "databastypen stöds inte; ange en SQLite-fil eller en "
                                          "PostgreSQL-URL (postgresql://…)"),
)


class StoreError(SettingsError):
    """The store named by the settings cannot be opened (a Swedish message; exit code 2)."""


#: what an operating-system error means, in Swedish, by its errno (the CLI's messages, the zip guard's)
OS_REASONS = {errno.ENOENT: "mappen eller filen finns inte", errno.EACCES: "behörighet saknas",
              errno.EPERM: "behörighet saknas", errno.ENOSPC: "disken är full",
              errno.EDQUOT: "diskkvoten är slut", errno.EFBIG: "filen blir större än vad som får skrivas",
              errno.EROFS: "filsystemet är skrivskyddat", errno.EISDIR: "det är en mapp",
              errno.ENOTDIR: "en del av sökvägen är ingen mapp",
              errno.EEXIST: "en fil med det namnet finns där en mapp behövs",
              errno.ENAMETOOLONG: "namnet är för långt"}


#: a write that waited for another process's write to the store until it gave up
#: (``store.SQLITE_BUSY_MS``): SQLite's busy timeout, PostgreSQL's lock timeout of the write lock
STORE_LOCKED = re.compile(r"database is locked|could not obtain lock|lock timeout")

#: what the web answers such a request (503, with ``Retry-After``: :data:`STORE_BUSY_RETRY_AFTER`)
STORE_BUSY_WEB = "Databasen är upptagen av en annan inläsning just nu; försök igen om en stund."
STORE_BUSY_RETRY_AFTER = 10


def store_locked(exc: BaseException) -> bool:
    """Whether ``exc`` (or an exception it was raised from) is a write that gave up waiting for
    another write to the store (:data:`STORE_LOCKED`): a passing state, not a mistake.

    Examples
    --------
    >>> store_locked(RuntimeError("(sqlite3.OperationalError) database is locked"))
    True
    >>> store_locked(RuntimeError("canceling statement due to lock timeout"))
    True
    >>> store_locked(RuntimeError("database disk image is malformed"))
    False
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if STORE_LOCKED.search(str(getattr(exc, "orig", None) or exc)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
