"""CSV and text files saved as UTF-16: with a byte-order mark, as Excel's "Unicode-text (*.txt)" (tabs,
UTF-16 LE) and Notepad's "Unicode", or without one, as some statistics tools save "Unicode" text. The
mark says the encoding; without it the NUL bytes do (:func:`unmarked`: ASCII and Latin-1 text in
UTF-16 has a NUL in every other byte, which no UTF-8 or Windows-1252 text has). Such a file is read:
the reader gets a UTF-8 copy (lines and their numbers unchanged; messages name the user's file),
removed when the table is closed or, at the latest, when the process ends. UTF-32 is still refused
with advice (:func:`lagesbild.sources.csvencoding.detect_encoding`).

Examples
--------
>>> import os, tempfile
>>> p = os.path.join(tempfile.mkdtemp(), "a.txt")
>>> _ = open(p, "wb").write("Plats\\tAntal\\r\\nVårberg\\t3\\r\\n".encode("utf-16"))
>>> copy = utf8_copy(p, "a.txt")
>>> open(copy, "rb").read()
b'Plats\\tAntal\\r\\nV\\xc3\\xa5rberg\\t3\\r\\n'
>>> os.unlink(copy); utf8_copy(copy.replace(".csv", ""), "x") is None
True
"""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

from lagesbild.errors import InputError

BLOCK = 1 << 20
#: the bytes looked at for UTF-16 without a mark, and the share of NUL bytes on one side it needs
UNMARKED_SAMPLE = 1024
UNMARKED_SHARE = 0.9
#: the marks read, and their encodings; UTF-32 LE's mark begins with UTF-16 LE's and is refused elsewhere
MARKS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def utf16_encoding(path: str | Path) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the file starts with that byte-order mark (not UTF-32's), or
    has none and is UTF-16 by its NUL bytes (:func:`unmarked`)."""
    marked = utf16_marked(path)
    if marked is not None:
        return marked
    try:
        with open(path, "rb") as fh:
            head = fh.read(UNMARKED_SAMPLE)
    except OSError:
        return None
    return unmarked(head)


def utf16_marked(path: str | Path) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the file starts with that byte-order mark (not UTF-32's)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return None
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None
    return next((enc for mark, enc in MARKS if head.startswith(mark)), None)


def unmarked(head: bytes) -> str | None:
    """The UTF-16 of a file's first bytes without a byte-order mark, as Brå's and other tools' "Unicode"
    text is saved: mostly ASCII and Latin-1 letters, so in UTF-16 LE every odd byte is NUL (at least
    :data:`UNMARKED_SHARE` of them) and no even one, in UTF-16 BE the other way round. A UTF-32 file
    (three NULs in four) and a text with NUL bytes here and there are neither.

    >>> unmarked("Område\\tAntal\\r\\n".encode("utf-16-le")), unmarked("Område\\tAntal".encode("utf-16-be"))
    ('utf-16-le', 'utf-16-be')
    >>> unmarked("Område\\tAntal".encode("utf-32-le")), unmarked(b"Omr\\xe5de;Antal\\r\\n"), unmarked(b"ab")
    (None, None, None)
    """
    head = head[:len(head) - len(head) % 2]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= UNMARKED_SHARE * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= UNMARKED_SHARE * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def utf8_copy(path: str | Path, name: str) -> str | None:
    """A temporary UTF-8 copy of a UTF-16 file with a byte-order mark (without the mark), or None for any
    other file. A byte sequence that is no UTF-16 is refused naming its line."""
    encoding = utf16_encoding(path)
    if encoding is None:
        return None
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    mark = 2 if utf16_marked(path) else 0
    fd, copy = tempfile.mkstemp(prefix="lagesbild-utf16-", suffix=".csv")
    lines = 0
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb") as fh:
            fh.read(mark)
            for block in iter(lambda: fh.read(BLOCK), b""):
                try:
                    text = decoder.decode(block)
                except UnicodeDecodeError as exc:  # the lines before the bad bytes, in this block
                    lines += block[:exc.start - exc.start % 2].decode(encoding, "replace").count("\n")
                    raise
                lines += text.count("\n")
                out.write(text.encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError:
        os.unlink(copy)
        raise InputError(name, f"filen är sparad som UTF-16 (\"Unicode\") men har ett tecken som inte är "
                               f"UTF-16 (omkring rad {lines + 1}); spara den som \"CSV UTF-8\" eller som "
                               "Excel-arbetsbok") from None
    except BaseException:
        os.unlink(copy)
        raise
    return copy


def utf32_unmarked(head: bytes) -> bool:
    """Whether a file's first bytes look like UTF-32 without a byte-order mark: three bytes in every
    four NUL (ASCII and Latin-1 text in UTF-32 LE or BE), refused with advice by the CSV reader.

    >>> utf32_unmarked("Plats;Antal\\nVårberg;3\\n".encode("utf-32-le")), utf32_unmarked("Plats;Antal".encode("utf-16-le"))
    (True, False)
    """
    head = head[:len(head) - len(head) % 4]
    if len(head) < 16:
        return False
    lanes = [head[i::4] for i in range(4)]
    return any(lanes[text].count(0) == 0 and all(lanes[i].count(0) >= UNMARKED_SHARE * len(lanes[i]) for i in nul)
               for text, nul in ((0, (1, 2, 3)), (3, (0, 1, 2))))  # LE, BE
