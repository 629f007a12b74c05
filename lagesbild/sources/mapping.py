"""Header matching and the mapping file for layouts the readers do not recognise.

Headers are matched against alias tables declared at the top of each reader (``COLUMNS``), after
:func:`normalise`: lower case, accents removed (``Område`` = ``omrade``), punctuation and extra
whitespace dropped (``Andel (%)`` = ``andel``). When several headers match one column, the one matching
the earliest alias in the table wins.

Mapping file
------------
A YAML file passed to a reader (``mapping=``) overrides the automatic matching. Every key is optional::

    # mappning.yaml
    sheet: Blad2                  # XLSX: the sheet to read (default: first sheet with a known header)
    columns:                      # canonical column: header as written in the file
      place: Område
      category: Brottsrubrik
      count: Antal anmälda brott
    categories:                   # text as written in the file: canonical category id
      "Eget bruk av narkotika (ringa)": narkotikabrott
      "Klotter på kollektivtrafik": skadegorelse
    constants:                    # values for columns the file does not have
      place: Hässelby torg
    options:                      # reader-specific settings
      crs: 3011                   # incidents: coordinate system of the file
      share: percent              # survey: percent | fraction

The canonical column names of each reader are the keys of its ``COLUMNS`` table (for example ``place``,
``category``, ``period``, ``count`` for aggregated crime). The same keys may be given as a Python dict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild.errors import InputError, RowError
from lagesbild.sources.loptid import not_finite, shown
from lagesbild.sources.textfile import read_text
from lagesbild.sources.textkeys import strip_accents
from lagesbild.sources.yamllines import LineLoader, load_yaml

MAPPING_KEYS = ("sheet", "columns", "categories", "constants", "options")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: object) -> str:
    """Lower-case, strip accents, punctuation and extra whitespace.

    Examples
    --------
    >>> normalise("  Stöld i butik, varuhus o.d. ")
    'stold i butik varuhus o d'
    >>> normalise("Andel (%)")
    'andel'
    """
    if text is None:
        return ""
    plain = strip_accents(str(text).casefold())
    return _NON_WORD.sub(" ", plain).strip()


@dataclass(frozen=True)
class ColumnMapping:
    """A parsed mapping file (see the module docstring)."""

    columns: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    categories: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    options: dict[str, object] = field(default_factory=dict)
    source: str = "mappning"


def load_mapping(mapping: str | Path | Mapping | ColumnMapping | None) -> ColumnMapping:
    """Read a mapping file (YAML path) or dict into a :class:`ColumnMapping`.

    Raises
    ------
    InputError
        When the file cannot be read or has unknown keys or wrong types.

    Examples
    --------
    >>> m = load_mapping({"columns": {"place": "Område"}, "constants": {"place": "Vårberg"}})
    >>> m.columns, m.constants, m.sheet
    ({'place': 'Område'}, {'place': 'Vårberg'}, None)
    >>> load_mapping(None).columns
    {}
    """
    if mapping is None:
        return ColumnMapping()
    if isinstance(mapping, ColumnMapping):
        return mapping
    source = "mappning"
    if isinstance(mapping, (str, Path)):
        source = str(mapping)
        data = load_yaml(read_text(mapping, source), source, loader=LineLoader)
    else:
        data = mapping
    return _parse_mapping(data or {}, source)


def _parse_mapping(data: object, source: str) -> ColumnMapping:
    if not isinstance(data, Mapping):
        raise InputError(source, "mappningsfilen ska innehålla nycklar som columns:, categories:, "
                                 "constants:, sheet:")
    unknown = [k for k in data if k not in MAPPING_KEYS]
    if unknown:
        raise InputError(source, f"okända nycklar i mappningsfilen: {', '.join(map(str, unknown))}; "
                                 f"tillåtna: {', '.join(MAPPING_KEYS)}")
    parts = {}
    for key in ("columns", "categories", "constants", "options"):
        value = data.get(key) or {}
        if not isinstance(value, Mapping):
            raise InputError(source, f"{key}: ska vara en lista med 'namn: värde'")
        for k, v in value.items():
            line = getattr(value, "key_lines", {}).get(k)
            if key != "options":
                _refuse_not_one_value(k, v, key, line, source)
            _refuse_read_as(v, f"{key}: {k}", line, source, names=key in ("columns", "categories"))
        conv = (lambda v: v) if key == "options" else str
        parts[key] = {str(k): conv(v) for k, v in value.items()}
    sheet = data.get("sheet")
    _refuse_read_as(sheet, "sheet", getattr(data, "key_lines", {}).get("sheet"), source, names=True)
    return ColumnMapping(sheet=None if sheet is None else str(sheet), source=source, **parts)


def _refuse_not_one_value(k: object, v: object, key: str, line: int | None, source: str) -> None:
    """Refuse a column, category or constant without a name or a value (``place:`` or ``~: inbrott``,
    which were the text "None") or with a list or mapping as its value (its Python spelling was used)."""
    if k is None:
        where, value, reason = f"{key}: ~", None, "namnet före kolonet saknas (~ eller null)"
    elif v is None:
        where, value, reason = f"{key}: {k}", None, "värdet saknas; skriv det efter kolonet eller ta bort raden"
    elif isinstance(v, (Mapping, list)):
        where, value, reason = f"{key}: {k}", None, ("värdet ska vara ett enda namn eller tal, inte en lista "
                                                      "eller en uppsättning 'namn: värde'")
    else:
        return
    raise InputError(source, f"{where}: {reason}", [RowError(source, line, where, value, reason)])


def _refuse_read_as(value: object, where: str, line: int | None, source: str, *, names: bool) -> None:
    """Refuse a value YAML read as something other than what was written: ``.nan``/``.inf`` anywhere,
    and where a name is meant (a sheet, a column, a category) true/false or a number with decimals
    (``sheet: 2.50`` is 2.5)."""
    if isinstance(value, float) and not math.isfinite(value):
        reason = not_finite(value)
    elif names and (isinstance(value, bool) or (isinstance(value, float) and not value.is_integer())):
        reason = ("YAML läser värdet som " + ("sant/falskt" if isinstance(value, bool) else "ett tal")
                  + ", inte som namnet det står för; skriv namnet inom citattecken")
    else:
        return
    raise InputError(source, f"{where}: {reason}", [RowError(source, line, where, shown(value), reason)])


def match_columns(headers: Sequence[str], aliases: Mapping[str, Sequence[str]],
                  overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Find the header (as written) for each canonical column.

    Parameters
    ----------
    headers : sequence of str
        Headers as written in the file.
    aliases : mapping
        Canonical name -> accepted header spellings, best first.
    overrides : mapping, optional
        Canonical name -> header as written (from a mapping file); wins over the aliases.

    Returns
    -------
    dict
        Canonical name -> header as written, only for the columns found.

    Examples
    --------
    >>> match_columns(["OMRÅDE", "Antal"], {"place": ["plats", "område"], "count": ["antal"]})
    {'place': 'OMRÅDE', 'count': 'Antal'}
    >>> match_columns(["Ort", "Antal"], {"place": ["plats"]}, {"place": "ort"})
    {'place': 'Ort'}
    """
    keyed: dict[str, str] = {}
    for header in headers:
        keyed.setdefault(normalise(header), header)
    found: dict[str, str] = {}
    taken: set[str] = set()
    for canonical, header in (overrides or {}).items():
        hit = keyed.get(normalise(header))
        if hit is not None:
            found[canonical] = hit
            taken.add(hit)
    for canonical, names in aliases.items():
        if canonical in found or canonical in (overrides or {}):
            continue
        for name in names:
            hit = keyed.get(normalise(name))
            if hit is not None and hit not in taken:
                found[canonical] = hit
                taken.add(hit)
                break
    return found


def describe(aliases: Mapping[str, Sequence[str]], names: Sequence[str]) -> str:
    """Swedish list of the accepted headers for `names`, for error messages.

    Examples
    --------
    >>> describe({"place": ["Plats", "Område"]}, ["place"])
    'Plats (eller Område)'
    """
    parts = []
    for name in names:
        options = list(aliases[name])
        more = f" (eller {', '.join(options[1:4])})" if len(options) > 1 else ""
        parts.append(options[0] + more)
    return ", ".join(parts)
