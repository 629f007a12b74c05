"""Whole text files (YAML, JSON) as a string: byte-order marks, UTF-8 or Windows-1252, Swedish errors.

A byte-order mark decides the encoding (UTF-8, UTF-16 or UTF-32, as Windows Notepad saves "UTF-8 with
BOM" or "Unicode"); without one the file is UTF-8 when it decodes strictly, else Windows-1252. A
character the encoding cannot hold is reported with its line.

Examples
--------
>>> decode_text(b"\\xef\\xbb\\xbfplats: V\\xc3\\xa5rberg", "a.yaml")
'plats: Vårberg'
>>> decode_text("plats: Vårberg".encode("utf-16"), "a.yaml")
'plats: Vårberg'
>>> decode_text(b"plats: V\\xe5rberg", "a.yaml")
'plats: Vårberg'
"""

from __future__ import annotations

import codecs
from pathlib import Path

from lagesbild.errors import InputError, RowError

#: byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one)
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))
FALLBACK = "cp1252"


def _undecodable(raw: bytes, start: int, name: str, encoding: str) -> InputError:
    line = raw[:start].count(b"\n") + 1
    value = raw[start:start + 4].hex(" ")
    reason = f"tecknet kan inte läsas som {encoding}; spara filen som UTF-8"
    return InputError(name, f"filen har ett tecken som inte kan läsas (rad {line})",
                      [RowError(name, line, None, f"byte {value}", reason)])


def decode_text(raw: bytes, name: str) -> str:
    """Decode a file's bytes (see the module docstring); a leading BOM is removed."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            body = raw[len(bom):]
            try:
                return body.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as exc:
                raise _undecodable(body, exc.start, name, encoding.upper()) from None
    try:
        return raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as utf8:
        try:
            return raw.decode(FALLBACK)
        except UnicodeDecodeError:
            raise _undecodable(raw, utf8.start, name, "UTF-8 eller Windows-1252") from None


def read_text(path: str | Path, name: str) -> str:
    """Read and decode a whole text file; a missing or unreadable file is an :class:`InputError`."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(name, "filen finns inte") from None
    except OSError as exc:
        raise InputError(name, f"filen kunde inte läsas ({exc.strerror or exc.__class__.__name__})") \
            from None
    return decode_text(raw, name)
