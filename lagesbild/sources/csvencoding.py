"""Which encoding a CSV file is in: UTF-8 when the whole file decodes strictly, else Windows-1252 when
that decodes; UTF-16/32 (Excel's "Unicode-text") and files mixing the two are refused with the line
where it shows (:func:`detect_encoding`, read a block at a time: memory stays flat).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import numpy as np

from lagesbild.errors import InputError
from lagesbild.sources.cp1252 import first_undefined
from lagesbild.sources.utf16 import utf32_unmarked

BLOCK_BYTES = 4 << 20


def detect_encoding(path: Path, name: str) -> str:
    """``utf-8`` if the whole file decodes strictly as UTF-8, else ``cp1252`` if that decodes.

    A file with a UTF-16 or UTF-32 byte-order mark (Excel's and Notepad's "Unicode") is refused with
    a message saying how to save it.
    """
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_mark(path) or \
            utf32_unmarked(_head(path)):
        raise InputError(name, "filen är sparad som UTF-16/UTF-32 (\"Unicode\"); spara den som "
                               "\"CSV UTF-8\" eller som Excel-arbetsbok")
    bad_at = _utf8_error(path)
    if bad_at is None:
        return "utf-8"
    cp1252_bad = _cp1252_error(path)
    utf8_line = _utf8_elsewhere(path, bad_at) if cp1252_bad is None else None  # both would decode
    if utf8_line is not None:
        with open(path, "rb") as fh:
            line = fh.read(bad_at).count(b"\n") + 1
        first, last = sorted((line, utf8_line))
        lines = f"rad {first}" if first == last else f"rad {first} och rad {last}"
        raise InputError(name, f"filen blandar teckenkodningar: {lines} är sparade på olika sätt (UTF-8 "
                               "och troligen Windows-1252), så å, ä och ö skulle bli fel; spara hela filen "
                               "som UTF-8")
    bad_at = cp1252_bad
    if bad_at is None:
        return "cp1252"
    with open(path, "rb") as fh:
        line = fh.read(bad_at).count(b"\n") + 1
    raise InputError(name, f"filen är varken UTF-8 eller Windows-1252 (okänt tecken på rad {line}); "
                           "spara den som UTF-8")


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(1024)


def _utf16_without_mark(path: Path) -> bool:
    """Whether the file looks like UTF-16 without a byte-order mark: in its first kilobyte, every
    other byte is NUL on one side (ASCII text in UTF-16) and none on the other. Such a file is valid
    UTF-8 (NUL is a character) and read as such said only "ingen rubrikrad".

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "f.csv"
    ...     _ = p.write_bytes("Plats;Antal\\nVårberg;3\\n".encode("utf-16-le"))
    ...     a = _utf16_without_mark(p)
    ...     _ = p.write_bytes("Plats;Antal\\nVårberg;3\\n".encode())
    ...     a, _utf16_without_mark(p)
    (True, False)
    """
    head = _head(path)
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return any(side.count(0) >= 0.9 * len(side) and other.count(0) == 0
               for side, other in ((even, odd), (odd, even)))


#: å, ä, ö, Å, Ä, Ö, é, É, ü as UTF-8 writes them (C3 and one byte): in a Windows-1252 file these pairs
#: read "Ã¥", "Ã¤", "Ã¶" …, which Swedish text does not hold (such a file is itself mojibake)
_UTF8_LETTER = re.compile(rb"\xc3[\x84\x85\x89\x96\xa4\xa5\xa9\xb6\xbc]")


def _newlines_before(path: Path, end: int) -> int:
    """The line breaks in the file's first ``end`` bytes, read a block at a time (memory stays flat)."""
    count = 0
    with open(path, "rb") as fh:
        while end > 0:
            block = fh.read(min(BLOCK_BYTES, end))
            if not block:
                break
            count += block.count(b"\n")
            end -= len(block)
    return count


def _utf8_elsewhere(path: Path, bad_at: int) -> int | None:
    """The line of a Swedish letter written as UTF-8 in a file that is not all UTF-8 (its first invalid
    byte at ``bad_at``), or None.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "f.csv"
    ...     _ = p.write_bytes("a\\nBredäng\\n".encode() + "Bredäng\\n".encode("cp1252"))
    ...     _utf8_elsewhere(p, p.read_bytes().index(b"\\xe4"))
    2
    """
    start, carry = 0, b""  # start: the file position of data[0]
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(BLOCK_BYTES), b""):
            data = carry + block
            # the pattern's first byte is looked for first (memchr), and lines are counted only for a
            # hit: the regular expression stepped through every byte and the lines of every block were
            # counted, 0.09 s for a city's 97 MB incident file before its first row was read
            first = data.find(b"\xc3")
            hit = _UTF8_LETTER.search(data, first) if first >= 0 else None
            if hit:
                return _newlines_before(path, start + hit.start()) + 1
            start += len(data) - 1
            carry = data[-1:]
    return None


def _utf8_error(path: Path) -> int | None:
    """Byte position where strict UTF-8 decoding fails, or None."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    pos = 0
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(BLOCK_BYTES), b""):
                decoder.decode(block)
                pos += len(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return pos + max(exc.start, 0)
    return None


def _cp1252_error(path: Path) -> int | None:
    """Byte position of the first byte undefined in Windows-1252, or None."""
    buf = bytearray(BLOCK_BYTES)
    pos = 0
    with open(path, "rb", buffering=0) as fh:
        while size := fh.readinto(buf):
            bad = first_undefined(np.frombuffer(buf, dtype=np.uint8)[:size])
            if bad is not None:
                return pos + bad
            pos += size
    return None
