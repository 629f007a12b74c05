"""Data: an ingest message's upload folders are cut out in time linear in the message's length (sec7).

``without_upload_folders`` used ``(?:[A-Za-z]:)?[^\\s:]*[/\\\\]uppladdningar[/\\\\][^/\\\\\\s]+[/\\\\]``: at
every position of a long run without spaces ``[^\\s:]*`` ran to the run's end and backed off again, so
an upload named with 20 000 letters took 2 s and one of 600 000 did not finish in 600 s — a forged
upload by an analytiker held a worker. The folders now end at the literal ``/uppladdningar/<token>/``
and the path before it is found by walking back. The old pattern is the reference on random text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.web.views.data import UPLOAD_TOKEN, without_upload_folders

OLD = re.compile(r"(?:[A-Za-z]:)?[^\s:]*[/\\]uppladdningar[/\\][^/\\\s]+[/\\]")
PIECES = st.sampled_from(["/", "\\", ":", " ", "\n", "C:", "x", "Å", "uppladdningar", "tmp1", ".csv",
                          "/srv/d/uppladdningar/ab12/", "C:\\d\\uppladdningar\\ab\\"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_the_same_text_as_the_old_pattern(text):
    assert without_upload_folders(text) == OLD.sub("", text)


def test_examples():
    msg = "b.csv: 1 rad inläst. Avvisade rader med orsak: /srv/d/uppladdningar/tmpab12/b.avvisade.csv"
    assert without_upload_folders(msg) == "b.csv: 1 rad inläst. Avvisade rader med orsak: b.avvisade.csv"
    win = r"Fel i C:\lagesbild\uppladdningar\0f3a\brott.csv och D:\x\uppladdningar\1b\y.csv"
    assert without_upload_folders(win) == "Fel i brott.csv och y.csv"
    assert without_upload_folders(None) is None


def test_a_long_name_without_spaces_is_read_through():
    """600 000 letters (the old pattern's time grew with the square: this did not finish in 600 s)."""
    name = "a" * 600_000 + ".csv"
    text = f"{name}: 2 fel; inget lästes in. Avvisade rader: /srv/d/uppladdningar/0f3a/{name}"
    assert without_upload_folders(text) == f"{name}: 2 fel; inget lästes in. Avvisade rader: {name}"
    assert without_upload_folders(name) == name


def test_upload_tokens_are_whole():
    assert UPLOAD_TOKEN.fullmatch("0" * 32)
    assert not UPLOAD_TOKEN.fullmatch("0" * 32 + "\n")
