"""Whole text files (YAML, JSON) as a string: byte-order marks, UTF-8 or Windows-1252, Swedish errors.

A byte-order mark decides the encoding (UTF-8, UTF-16 or UTF-32, as Windows Notepad saves "UTF-8 with
BOM" or "Unicode"); without one the file is UTF-16 when every other byte is NUL (UTF-16 text of
ASCII letters, as some tools save it without the mark), UTF-8 when it decodes strictly, else
Windows-1252. A
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
import os
import re
import stat
from pathlib import Path

from lagesbild.errors import InputError, RowError, library_reason

#: byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one)
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))
FALLBACK = "cp1252"
#: how a web page begins (lower case, after a byte-order mark, white space and an XML declaration or
#: comment): a server's error or login page saved under the data file's name
WEB_PAGE_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")
WEB_PAGE_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.I | re.S)
WEB_PAGE_REASON = ("filen är en webbsida (HTML), inte en datafil – troligen en felsida eller "
                   "inloggningssida som sparades i stället för filen; ladda ner filen igen")


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
    unmarked = _utf16_unmarked(raw)
    if unmarked:  # valid UTF-8 too (NUL is a character): it said "otillåtet tecken U+0000"
        try:
            return raw.decode(unmarked).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise _undecodable(raw, exc.start, name, "UTF-16") from None
    try:
        return raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as utf8:
        try:
            return raw.decode(FALLBACK)
        except UnicodeDecodeError:
            raise _undecodable(raw, utf8.start, name, "UTF-8 eller Windows-1252") from None


def _utf16_unmarked(raw: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the text is UTF-16 without a byte-order mark (in its first
    kilobyte every other byte is NUL on one side and none on the other, as ASCII in UTF-16), else None.

    >>> _utf16_unmarked("- aktivitet: x\\n".encode("utf-16-le")), _utf16_unmarked(b"- aktivitet: x\\n")
    ('utf-16-le', None)
    """
    head = raw[:1024]
    if len(head) < 8 or len(raw) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def check_readable(path: str | Path, name: str) -> None:
    """Refuse, before anything reads it, a path that is not a readable regular file.

    A named pipe would block a reader forever and a link to a device (``/dev/zero``) never ends, so
    only a regular file (or a link to one) passes; a file the user may not read is refused in Swedish.

    Examples
    --------
    >>> check_readable("/dev/null", "null.csv")
    Traceback (most recent call last):
    lagesbild.errors.InputError: null.csv: är inte en fil
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(name, "filen finns inte") from None
    except OSError as exc:
        raise InputError(name, _unreadable(exc)) from None
    if not stat.S_ISREG(mode):
        raise InputError(name, "är inte en fil")
    try:
        os.close(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)))
    except OSError as exc:
        raise InputError(name, _unreadable(exc)) from None


def _unreadable(exc: OSError) -> str:
    return library_reason(exc.strerror or "", default="filen kunde inte läsas")


def refuse_web_page(path: str | Path, name: str) -> None:
    """Refuse a file that is a web page (:data:`WEB_PAGE_STARTS`), whatever its name ends with, saying
    the page's title: every reader would otherwise give its own misleading reason ("ingen rubrikrad",
    "inte en Excel-fil", "filen är XML").

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "brott.csv")
    >>> _ = open(path, "wb").write(b"\\xef\\xbb\\xbf\\n <!DOCTYPE html><html><title>404 \\xe2\\x80\\x93 Sidan\\n finns inte</title>")
    >>> refuse_web_page(path, "brott.csv")
    Traceback (most recent call last):
    lagesbild.errors.InputError: brott.csv: filen är en webbsida (HTML), inte en datafil – troligen en felsida eller inloggningssida som sparades i stället för filen; ladda ner filen igen (sidans rubrik: "404 – Sidan finns inte")
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return  # the reader says why
    start = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    while start.startswith((b"<?xml", b"<!--")):
        close = b"?>" if start.startswith(b"<?") else b"-->"
        end = start.find(close)
        if end < 0:
            return
        start = start[end + len(close):].lstrip()
    if not start.startswith(WEB_PAGE_STARTS):
        return
    title = WEB_PAGE_TITLE.search(head)
    shown = " ".join(title.group(1).decode("utf-8", "replace").split())[:80] if title else ""
    raise InputError(name, WEB_PAGE_REASON + (f' (sidans rubrik: "{shown}")' if shown else ""))


def read_text(path: str | Path, name: str) -> str:
    """Read and decode a whole text file; a missing or unreadable file is an :class:`InputError`."""
    check_readable(path, name)
    refuse_web_page(path, name)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(name, _unreadable(exc)) from None
    # a byte-order mark at the start of a later line: files joined with cat or copy /b (YAML said
    # "ett listelement (-) väntades" at an invisible character)
    return decode_text(raw, name).replace("\n\ufeff", "\n")


def long_integer_at(text: str, digits: int = 4300) -> tuple[int, int] | None:
    """Line and character where the first JSON integer of more than `digits` digits starts (Python's json
    refuses it, ValueError, without saying where); None when it is not found.

    Examples
    --------
    >>> long_integer_at('[\\n  {"id": ' + "9" * 4301 + "}]")
    (2, 10)
    >>> long_integer_at('[1, 2]') is None
    True
    """
    found = re.search(r"[\[,:]\s*(-?\d{" + str(digits + 1) + r",})", text)
    if found is None:
        return None
    before = text[:found.start(1)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")
