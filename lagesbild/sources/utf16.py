"""CSV and text files saved as UTF-16 with a byte-order mark: Excel's "Unicode-text (*.txt)" (tabs,
UTF-16 LE) and Notepad's "Unicode". The mark says the encoding, so such a file is read: the reader gets a
UTF-8 copy (lines and their numbers unchanged; messages name the user's file), removed when the table
is closed or, at the latest, when the process ends. A UTF-16 file without a mark (the encoding a guess)
and UTF-32 are still refused with advice (:func:`lagesbild.sources.csvrows.detect_encoding`).

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
#: the marks read, and their encodings; UTF-32 LE's mark begins with UTF-16 LE's and is refused elsewhere
MARKS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def utf16_encoding(path: str | Path) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the file starts with that byte-order mark (not UTF-32's)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return None
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None
    return next((enc for mark, enc in MARKS if head.startswith(mark)), None)


def utf8_copy(path: str | Path, name: str) -> str | None:
    """A temporary UTF-8 copy of a UTF-16 file with a byte-order mark (without the mark), or None for any
    other file. A byte sequence that is no UTF-16 is refused naming its line."""
    encoding = utf16_encoding(path)
    if encoding is None:
        return None
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    fd, copy = tempfile.mkstemp(prefix="lagesbild-utf16-", suffix=".csv")
    lines = 0
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb") as fh:
            fh.read(2)
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
