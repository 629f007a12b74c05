"""ing12: the check for Swedish letters written as UTF-8 in a Windows-1252 file (two encodings mixed)
ran a regular expression over every byte and counted the lines of every block of the file before the
first row was read (0.09 s of a city's 97 MB incident file). It now looks for the pattern's first byte
(0xC3) with ``bytes.find`` and counts lines only for a hit; the answer (the line, or None) is the old
function's, copied below verbatim from commit ee205f9 as the reference.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.sources import csvencoding

_UTF8_LETTER = re.compile(rb"\xc3[\x84\x85\x89\x96\xa4\xa5\xa9\xb6\xbc]")


def old_utf8_elsewhere(path, block_bytes):
    lines, carry = 0, b""
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(block_bytes), b""):
            data = carry + block
            hit = _UTF8_LETTER.search(data)
            if hit:
                return lines + data[:hit.start()].count(b"\n") + 1
            lines += data[:-1].count(b"\n")
            carry = data[-1:]
    return None


PIECES = st.sampled_from([b"a", b"Stoeld;", b"\n", b"\r\n", "å".encode("cp1252"), "Ö".encode("cp1252"),
                          "å".encode(), "ä".encode(), "É".encode(), "ü".encode(), b"\xc3", b"\xc3\xc3",
                          b"\xc3\n", b"\xc3\xa0", b"\xa5", b"\x00", "–".encode("cp1252")])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=60), st.integers(1, 9))
def test_same_line_as_before(tmp_path_factory, pieces, block):
    """Random files of Windows-1252 and UTF-8 letters, lone 0xC3 bytes and line ends, read in blocks of
    1 to 9 bytes, so that the two bytes of a letter fall on both sides of a block's end."""
    path = tmp_path_factory.mktemp("enc") / "f.csv"
    path.write_bytes(b"".join(pieces))
    want = old_utf8_elsewhere(path, block)
    saved = csvencoding.BLOCK_BYTES
    csvencoding.BLOCK_BYTES = block
    try:
        got = csvencoding._utf8_elsewhere(path, 0)
    finally:
        csvencoding.BLOCK_BYTES = saved
    assert got == want


def test_line_of_a_utf8_letter_counted_by_hand(tmp_path, monkeypatch):
    monkeypatch.setattr(csvencoding, "BLOCK_BYTES", 4)
    path = tmp_path / "f.csv"
    # line 1 and 2 in Windows-1252 (å is 0xE5), line 3 holds ä as UTF-8 (C3 A4) after a lone 0xC3
    path.write_bytes("Plats;Antal\nVårberg;3\n".encode("cp1252") + b"\xc3;" + "Bredäng;4\n".encode())
    assert csvencoding._utf8_elsewhere(path, 0) == 3


def test_a_file_without_0xc3_never_reaches_the_regular_expression(tmp_path, monkeypatch):
    """Failed on the old code: the pattern was searched byte by byte in every block."""
    class Refused:
        def search(self, *args):
            raise AssertionError("the regular expression ran on a file without 0xC3")

    monkeypatch.setattr(csvencoding, "_UTF8_LETTER", Refused())
    path = tmp_path / "f.csv"
    path.write_bytes(("Id;Datum;Brottskategori;X;Y\n" + "K1;2013-09-01 00:00;Stöld;664601,9;6591057,5\n" * 500)
                     .encode("cp1252"))
    assert csvencoding._utf8_elsewhere(path, 0) is None
    assert csvencoding.detect_encoding(path, "f.csv") == "cp1252"
