"""The command line's output on a terminal or file whose encoding is not UTF-8.

On a server with a Latin-1 locale (``LANG=sv_SE.ISO-8859-1``), or with ``LANG=C`` where Python's
UTF-8 mode is switched off, standard output cannot encode the en dash of "2022–2023", the arrow of a
comparison, or (ASCII) even "å": every command, ``--help`` too, ended in a ``UnicodeEncodeError``
traceback with exit code 1. :func:`tolerant_output` keeps the streams' encoding (what the terminal
shows, what a file is read with) and writes a character that encoding lacks as its nearest plain form:
"–" as "-", "→" as "->", "å" as "a" (ASCII only; Latin-1 has "å"), anything else as "?".

Examples
--------
>>> "2022–2023 → 5\u00a0000 å".encode("latin-1", errors=ERRORS)
b'2022-2023 -> 5\\xa0000 \\xe5'
>>> "Hässelby – 1\u00a0234".encode("ascii", errors=ERRORS)
b'Hasselby - 1 234'
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

ERRORS = "lagesbild-plain"
#: nearest plain forms of the typographic characters the output uses
PLAIN = {"–": "-", "—": "-", "−": "-", "→": "->", "←": "<-", "≥": ">=", "≤": "<=", "×": "x", "…": "...",
         "\u00a0": " ", "\u202f": " ", "\u2009": " ", "’": "'", "‘": "'", "”": '"', "“": '"', "«": '"',
         "»": '"', "±": "+/-", "·": "*", "•": "*", "²": "2", "⁴": "4"}


def _plain(char: str) -> str:
    if char in PLAIN:
        return PLAIN[char]
    base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    return base or "?"


def _plain_errors(err: UnicodeError):
    if not isinstance(err, UnicodeEncodeError):
        raise err
    return "".join(_plain(c) for c in err.object[err.start:err.end]), err.end


codecs.register_error(ERRORS, _plain_errors)


def tolerant_output(streams=None) -> None:
    """Have ``streams`` (standard output and error) write what their encoding lacks in plain form
    instead of failing; UTF-8 streams, and streams that cannot be reconfigured (a test's capture),
    are left as they are."""
    for stream in streams or (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if not encoding or codecs.lookup(encoding).name in ("utf-8", "utf-16", "utf-32"):
            continue
        try:
            stream.reconfigure(errors=ERRORS)
        except (AttributeError, ValueError, OSError):
            continue


def utf8_args(args: list[str]) -> list[str]:
    """Arguments Python could not decode in an ASCII locale (kept as surrogates: "H\\udcc3\\udca4sselby")
    decoded as the UTF-8 they are, so ``--place "Hässelby torg"`` still names the place; arguments that
    are not UTF-8 either stay as they are.

    Examples
    --------
    >>> utf8_args(["--place", "H\\udcc3\\udca4sselby torg"])
    ['--place', 'Hässelby torg']
    """
    out = []
    for arg in args:
        try:
            out.append(arg.encode("utf-8", "surrogateescape").decode("utf-8"))
        except UnicodeError:
            out.append(arg)
    return out
