"""SCB's PC-Axis files (``.px``, Statistikdatabasen's "PC-Axis" download and PxWebApi's ``px`` format)
read into a :class:`~lagesbild.sources.population_cube.Cube`.

A px file is keywords, each ``KEYWORD[lang]("variable")=value;``: texts in double quotes (a long
text continues in the next quoted piece on the next line), lists separated by commas. ``STUB`` and
``HEADING`` name the variables, ``VALUES("variable")`` their categories (``CODES`` their codes), and
``DATA=`` the figures in row-major order: the stub's variables, then the heading's, the last varying
fastest, separated by blanks; ``".."`` and the other dot codes are missing. The variants real files
have are in :data:`QUIRKS`; anything else is refused naming the line, in Swedish.

Examples
--------
>>> cube = read_pcaxis('CODEPAGE="utf-8";\\nSTUB="region";\\nHEADING="år";\\n'
...     'VALUES("region")="0180 Stockholm";\\nVALUES("år")="2023","2024";\\nDATA=\\n984748 "..";\\n'
...     .encode(), "f.px")
>>> [d.codes for d in cube.dims], [c[1] for c in cube.cells], [c[3] for c in cube.cells]
([['0180 Stockholm'], ['2023', '2024']], ['984748', None], [7, 7])
"""

from __future__ import annotations

import bisect
import codecs
import re

from lagesbild.errors import InputError
from lagesbild.sources.population_cube import Cube, Dimension, cells_total

#: What real px files do, and how each is read (the code below looks these up by key).
QUIRKS = {
    # the encoding when CODEPAGE is missing (PX 2013 says iso-8859-1; SCB's download declares it)
    "default_codepage": "iso-8859-1",
    # CODEPAGE names seen, and Python's codec for each (iso-8859-1 files from Windows hold cp1252's
    # extra characters such as "–", which iso-8859-1 would read as control characters)
    "codepages": {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "windows-1252": "cp1252",
                  "cp1252": "cp1252", "ansi": "cp1252", "utf-8": "utf-8", "utf8": "utf-8",
                  "iso-8859-15": "iso-8859-15"},
    # keywords in another language than the file's own ("TITLE[en]=") are skipped
    "language_suffix": re.compile(r"\[[A-Za-z_-]{1,10}\]$"),
    # the dot codes of a missing figure, and "-" (nil), read as the CSV reader reads them (missing)
    "missing": ("..", "...", "....", ".....", "......", "-", ""),
    # keywords that make a file this reader cannot read (sparse data by KEYS)
    "refused": {"KEYS": "filen har glesa data (KEYS), som inte kan läsas; spara tabellen som CSV eller "
                        "hämta den som json-stat2"},
}
KEYWORD = re.compile(r'\s*([A-Z][A-Z0-9_-]*(?:\[[A-Za-z_-]{1,10}\])?)\s*(?:\(((?:"[^"]*"\s*,?\s*)*)\))?\s*=',
                     re.S)
TOKEN = re.compile(r'"[^"]*"|[^\s,;"]+')
START = re.compile(rb'^(?:\xef\xbb\xbf)?\s*[A-Z][A-Z0-9-]*(?:\[[A-Za-z_-]+\])?(?:\("[^"\r\n]*"\))?\s*=')
SPACE = re.compile(r"\s*")
VALUE = re.compile(r'(?:"[^"]*"|[^";])*')
PIECE = re.compile(r'"([^"]*)"|(,)|([^\s",]+)')
MAX_KEYWORDS = 100_000


def looks_like_px(raw: bytes, suffix: str) -> bool:
    """Whether a file is a px file: named ``.px`` or starting with a keyword (``CHARSET="ANSI";``).

    >>> looks_like_px(b'CHARSET="ANSI";\\r\\n', ".txt"), looks_like_px(b"region;2023\\n", ".csv")
    (True, False)
    """
    return suffix.lower() == ".px" or bool(START.match(raw[:200]))


def _decode(raw: bytes, name: str) -> str:
    found = re.search(rb'CODEPAGE\s*=\s*"([^"\r\n]{1,40})"', raw[:4096])
    declared = found.group(1).decode("ascii", "replace").strip().lower() if found else QUIRKS["default_codepage"]
    if raw.startswith(codecs.BOM_UTF8):
        raw, declared = raw[3:], "utf-8"
    encoding = QUIRKS["codepages"].get(declared)
    if encoding is None:
        raise InputError(name, f"px-filens CODEPAGE \"{declared[:40]}\" kan inte läsas (bara "
                               "iso-8859-1, windows-1252 och UTF-8)")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding == "cp1252":  # the five bytes cp1252 leaves undefined: iso-8859-1 as declared
            return raw.decode("iso-8859-1")
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(name, f"rad {line}: tecknet kan inte läsas som {declared} (filens CODEPAGE)") from None


def _keywords(text: str, name: str) -> tuple[dict, int]:
    """``{(KEYWORD, variable or None): (value text, line)}`` up to ``DATA=``, and where DATA's values start."""
    lines = [m.start() for m in re.finditer("\n", text)]
    out: dict = {}
    at = 0
    while len(out) < MAX_KEYWORDS:
        start = SPACE.match(text, at).end()
        if start >= len(text):
            break
        m = KEYWORD.match(text, at)
        line = bisect.bisect_right(lines, start) + 1
        if not m:
            shown = text[start:start + 60].splitlines()[0][:40]
            raise InputError(name, f"rad {line}: \"{shown}\" är inget px-nyckelord (NYCKELORD=värde;)")
        key, variables = m.group(1), m.group(2)
        if key == "DATA":
            return out, m.end()
        end = _value_end(text, m.end())
        if end is None:
            raise InputError(name, f"rad {line}: värdet för {key} tar aldrig slut (ett ; saknas)")
        if key in QUIRKS["refused"]:
            raise InputError(name, f"rad {line}: {QUIRKS['refused'][key]}")
        variable = re.findall(r'"([^"]*)"', variables)[0] if variables else None
        if not QUIRKS["language_suffix"].search(key):
            out.setdefault((key, variable), (text[m.end():end], line))
        at = end + 1
    raise InputError(name, "px-filen har ingen DATA= med tabellens värden")


def _value_end(text: str, at: int) -> int | None:
    """Where the value starting at ``at`` ends: its ``;`` outside quotes (None when there is none)."""
    end = VALUE.match(text, at).end()
    return end if text[end:end + 1] == ";" else None


def _texts(value: str) -> list[str]:
    """A keyword's list: quoted pieces next to each other joined, items split at commas.

    >>> _texts('"0180 Stock"\\n"holm","0184", YES')
    ['0180 Stockholm', '0184', 'YES']
    """
    items, current = [], []
    for quoted, comma, bare in PIECE.findall(value):
        if comma:
            items.append("".join(current))
            current = []
        else:
            current.append(quoted or bare)
    items.append("".join(current))
    return items


def _one(keys: dict, key: str) -> str:
    found = keys.get((key, None))
    return " ".join(_texts(found[0])) if found else ""


def read_pcaxis(raw: bytes, name: str) -> Cube:
    """A px file as a cube; refused in Swedish naming the line."""
    text = _decode(raw, name)
    keys, data_at = _keywords(text, name)
    stub, heading = keys.get(("STUB", None)), keys.get(("HEADING", None))
    names = (_texts(stub[0]) if stub else []) + (_texts(heading[0]) if heading else [])
    names = [n for n in names if n]
    if not names:
        raise InputError(name, "px-filen har varken STUB eller HEADING (tabellens variabler)")
    dims = []
    for variable in names:
        values = keys.get(("VALUES", variable))
        if values is None:
            raise InputError(name, f"px-filen har ingen VALUES(\"{variable}\") för variabeln i STUB/HEADING")
        labels = _texts(values[0])
        codes = keys.get(("CODES", variable))
        codes = _texts(codes[0]) if codes else labels
        if len(codes) != len(labels):
            raise InputError(name, f"rad {keys[('CODES', variable)][1]}: CODES(\"{variable}\") har {len(codes)} "
                                   f"koder men VALUES har {len(labels)}")
        role = "time" if ("TIMEVAL", variable) in keys else \
            "metric" if _one(keys, "CONTVARIABLE") == variable else None
        dims.append(Dimension(variable, variable, codes, labels, role))
    total = cells_total([len(d.codes) for d in dims], name)
    title = " ".join(_one(keys, k) for k in ("TITLE", "DESCRIPTION", "CONTENTS", "UNITS")).strip()
    return Cube(title, dims, _data(text, data_at, total, name), kind="px-filen", contents=_one(keys, "CONTENTS"))


def _data(text: str, at: int, total: int, name: str) -> list:
    lines = [m.start() for m in re.finditer("\n", text)]
    cells = []
    end = _value_end(text, at)
    if end is None:
        end = len(text)
    for m in TOKEN.finditer(text, at, end):
        line = bisect.bisect_right(lines, m.start()) + 1
        if len(cells) >= total:
            raise InputError(name, f"rad {line}: DATA har fler värden än variablerna ger ({total})")
        token = m.group(0)
        value = token.strip('"').strip()
        cells.append((len(cells), None if value in QUIRKS["missing"] else value, f"DATA värde {len(cells) + 1}",
                      line))
    if len(cells) != total:
        line = bisect.bisect_right(lines, end) + 1
        raise InputError(name, f"rad {line}: DATA har {len(cells)} värden men variablerna ger {total}")
    after = SPACE.match(text, end + 1).end()
    if after < len(text):  # DATA is a px file's last keyword
        line = bisect.bisect_right(lines, after) + 1
        raise InputError(name, f"rad {line}: text efter DATA (\"{text[after:after + 30].splitlines()[0]}\"), som ska "
                               "vara filens sista nyckelord; ladda ner filen igen")
    return cells
