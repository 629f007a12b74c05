"""Mappings made in the browser: what a file needs mapped, and named mappings saved for the next file.

A file whose columns or categories the readers do not recognise needs a mapping (the YAML format of
:mod:`lagesbild.sources.mapping`, the CLI's ``--mapping``). :func:`mapping_needs` says what is missing:
the file's header cells no canonical column claims, the required columns not found, and (aggregated
crime) the category texts no category, alias or Brå node names, each with the suggestion of
:func:`lagesbild.sources.brahierarchy.suggest` (never a category of another crime family).

:func:`build_mapping` turns the choices of the Data page's form (header -> canonical column, text ->
category id, either may be ``ignorera``) into the CLI's mapping dict, and :func:`check_mapping` checks a
mapping exactly as a YAML mapping file is checked (it is written as YAML and read back with
:func:`lagesbild.sources.mapping.load_mapping`), plus that every column and category it names exists.

:class:`SavedMappings` keeps one named mapping per source under ``<data_dir>/mappningar``: ``NAME.yaml``
is the mapping itself, a file the CLI accepts as it is (``lagesbild ingest crimes FIL --mapping
NAME.yaml``), and ``NAME.json`` records the kind and the header the mapping was made for, so the next
file of the same shape (same header, compared after :func:`~lagesbild.sources.mapping.normalise`) gets it
applied automatically.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lagesbild.errors import InputError
from lagesbild.sources.brahierarchy import is_ignore, suggest
from lagesbild.sources.categories import load_vocabulary
from lagesbild.sources.mapping import load_mapping, match_columns, normalise
from lagesbild.sources.textfile import refuse_web_page
from lagesbild.sources.yamllines import load_yaml

MAPPING_DIR = "mappningar"
IGNORE = "ignorera"
#: the kinds whose readers take a mapping, and the Swedish label of each canonical column
COLUMN_LABELS = {
    "crimes": {"place": "Plats", "category": "Brottskategori",
               "period": "Period (månad, kvartal eller år)", "count": "Antal"},
    "survey": {"area": "Område", "level": "Nivå", "year": "År", "indicator": "Indikator",
               "share": "Andel", "respondents": "Antal svarande", "fictitious": "Fiktiva data",
               "option": "Svarsalternativ"},
    "incidents": {"incident_id": "Id", "date": "Datum (och tid)", "time": "Klockslag",
                  "category": "Brottskategori", "e": "E-koordinat (öst)", "n": "N-koordinat (nord)",
                  "x": "X-koordinat", "y": "Y-koordinat", "lon": "Longitud", "lat": "Latitud"},
}
#: the kinds whose category texts the form maps (the aggregated crime reader can also ignore and sum)
CATEGORY_KINDS = ("crimes",)
MAX_NAME = 60
_NAME = re.compile(r"[^0-9a-z_-]+")


@dataclass
class MappingNeeds:
    """What a file needs mapped before it can be read (see :func:`mapping_needs`)."""

    kind: str
    headers: list[str]
    matched: dict[str, str] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unknown_categories: list[str] = field(default_factory=list)
    suggestions: dict[str, str | None] = field(default_factory=dict)

    @property
    def needed(self) -> bool:
        """Whether the file cannot be read as it is (a column is missing or a category unknown)."""
        return bool(self.missing or self.unknown_categories)


def _reader(kind: str):
    import importlib

    return importlib.import_module(f"lagesbild.sources.{kind}")


def _recognised(kind: str, spec):
    """The reader's own test of a header row (with the mapping applied)."""
    aliases = _reader(kind).COLUMNS
    constants = {k: v for k, v in spec.constants.items() if k in aliases}
    if kind == "crimes":
        from lagesbild.sources.bra import is_bra_header
        from lagesbild.sources.crimes import _layout

        return lambda cells: is_bra_header(cells) or _layout(cells, spec.columns, constants) is not None
    need = set(_reader(kind).REQUIRED) - set(constants)
    return lambda cells: need <= set(match_columns(cells, aliases, spec.columns))


def _open(kind: str, path: Path, file_name: str, spec):
    """The file opened at its header: the row the reader recognises, else (the columns are what the
    form must ask for) the row of the most cells among the first rows, title lines left out."""
    from lagesbild.sources.tabular import open_table

    try:
        return open_table(path, accept=_recognised(kind, spec), expected="-", file_name=file_name)
    except InputError:
        pass
    rows: list[list[str]] = []

    def collect(cells):
        if sum(bool(str(c).strip()) for c in cells) >= 2:
            rows.append(list(cells))
        return False

    try:
        open_table(path, accept=collect, expected="-", file_name=file_name)
    except InputError:
        if not rows:
            raise
    best = max(rows, key=lambda cells: sum(bool(str(c).strip()) for c in cells))
    return open_table(path, accept=lambda cells: list(cells) == best, expected="-",
                      file_name=file_name)


def _required(kind: str, found: dict, constants: dict, headers: list[str]) -> list[str]:
    have = set(found) | set(constants)
    if kind == "crimes":
        from lagesbild.sources.dates import is_period

        wide = "category" in have and any(is_period(h) for h in headers if h not in found.values())
        need = ("place", "category") if wide else ("place", "category", "period", "count")
        return [c for c in need if c not in have]
    return [c for c in _reader(kind).REQUIRED if c not in have]


def mapping_needs(kind: str, path, mapping=None, *, file_name: str | None = None) -> MappingNeeds | None:
    """What file ``path`` of ``kind`` needs mapped, given ``mapping``; None for kinds without mappings.

    Raises
    ------
    InputError
        When the file cannot be opened at all (empty, not a table).
    """
    if kind not in COLUMN_LABELS:
        return None
    path = Path(path)
    name = file_name or path.name
    refuse_web_page(path, name)
    spec = load_mapping(mapping)
    opened = _open(kind, path, name, spec)
    headers = [h for h in opened.headers if h != "line"]
    aliases = _reader(kind).COLUMNS
    found = match_columns(headers, aliases, spec.columns)
    constants = {k: v for k, v in spec.constants.items() if k in aliases}
    missing = [] if _is_bra(kind, headers) else _required(kind, found, constants, headers)
    out = MappingNeeds(kind, headers, matched=found, missing=missing)
    used = set(found.values())
    period_like = _period_like(kind)
    out.unknown_columns = [] if _is_bra(kind, headers) else [
        h for h in headers if h not in used and not period_like(h)]
    if kind in CATEGORY_KINDS and "category" in found:
        from lagesbild.sources.crimes import TOTAL_LABELS, resolve_categories

        column = found["category"]
        values = opened.read().table[column].dropna().astype(str).str.strip()
        texts = [t for t in values.unique() if t and normalise(t) not in TOTAL_LABELS]
        _known, unknown, _ignored = resolve_categories(texts, spec.categories, spec.source)
        vocab = load_vocabulary()
        out.unknown_categories = sorted(unknown, key=normalise)
        out.suggestions = {t: suggest(t, vocab) for t in out.unknown_categories}
    return out


def _is_bra(kind: str, headers) -> bool:
    """Brå's own layouts: their reader knows every column (none is asked)."""
    if kind != "crimes":
        return False
    from lagesbild.sources.bra import is_bra_header

    return is_bra_header(headers)


def _period_like(kind: str):
    if kind != "crimes":
        return lambda header: False
    from lagesbild.sources.dates import is_period

    return is_period


def build_mapping(kind: str, columns: dict[str, str], categories: dict[str, str],
                  base: dict | None = None, constants: dict[str, str] | None = None) -> dict:
    """The CLI mapping dict from the form's choices.

    Parameters
    ----------
    columns : dict
        Header as written -> canonical column, or ``ignorera`` (left out of the mapping).
    categories : dict
        Text as written -> category id, or ``ignorera`` (the rows are skipped).
    base : dict, optional
        A mapping already applied (a saved one); the choices are added to it.
    constants : dict, optional
        Canonical column -> the value of every row (a file without a place column: its place); empty
        values are left out.

    Raises
    ------
    InputError
        When two headers are given the same canonical column.

    Examples
    --------
    >>> build_mapping("crimes", {"Brottsgrupp": "category", "Övrigt": "ignorera"},
    ...               {"Villa": "inbrott", "Lägenhet": "inbrott", "Bus": "ignorera"})
    {'columns': {'category': 'Brottsgrupp'}, 'categories': {'Villa': 'inbrott', 'Lägenhet': 'inbrott', \
'Bus': 'ignorera'}}
    """
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in (base or {}).items()}
    cols = dict(out.get("columns") or {})
    labels = COLUMN_LABELS.get(kind, {})
    for header, canonical in columns.items():
        if not canonical or canonical == IGNORE:
            continue
        if cols.get(canonical) not in (None, header):
            raise InputError("mappning", f"kolumnen {labels.get(canonical, canonical)!r} är vald för "
                                         f"både {cols[canonical]!r} och {header!r}; välj en")
        cols[canonical] = str(header)
    cats = dict(out.get("categories") or {})
    for text, target in categories.items():
        if target:
            cats[str(text)] = str(target)
    fixed = dict(out.get("constants") or {})
    for canonical, value in (constants or {}).items():
        text = "" if value is None else str(value).strip()
        if text:
            fixed[canonical] = text
    if cols:
        out["columns"] = cols
    if cats:
        out["categories"] = cats
    if fixed:
        out["constants"] = fixed
    return out


def mapping_yaml(mapping: dict) -> str:
    """The mapping as the YAML text the CLI's ``--mapping`` reads.

    Examples
    --------
    >>> print(mapping_yaml({"categories": {"Bus": "skadegorelse"}}), end="")
    categories:
      Bus: skadegorelse
    """
    return yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False, default_flow_style=False)


def check_mapping(kind: str, mapping: dict, source: str = "mappning") -> dict:
    """Check a mapping as a YAML mapping file is checked, and that its columns and categories exist.

    Returns the mapping as read back from its YAML text.

    Raises
    ------
    InputError
        For anything the CLI would refuse, and for unknown canonical columns or categories.
    """
    data = load_yaml(mapping_yaml(mapping), source) or {}
    spec = load_mapping(data)
    labels = COLUMN_LABELS.get(kind)
    if labels is None:
        raise InputError(source, f"filer av typen {kind!r} läses utan mappning")
    bad = [c for c in (*spec.columns, *spec.constants) if c not in labels]
    if bad:
        raise InputError(source, f"okända kolumner i mappningen: {', '.join(bad)}; tillåtna: "
                                 f"{', '.join(labels)}")
    vocab = load_vocabulary()
    for text, target in spec.categories.items():
        if not is_ignore(target) and vocab.lookup.get(normalise(target)) is None:
            raise InputError(source, f"kategorin {target!r} som {text!r} ska mappas till finns inte")
    return data


def header_key(headers) -> str:
    """The shape of a file: its header cells, normalised.

    Examples
    --------
    >>> header_key(["Område", " Brottsgrupp "]) == header_key(["omrade", "BROTTSGRUPP"])
    True
    """
    return "|".join(normalise(h) for h in headers)


def mapping_name(text: str | None) -> str:
    """A safe file stem for a mapping's name (letters, digits, ``-`` and ``_``).

    Examples
    --------
    >>> mapping_name("Polisen brott/Söder"), mapping_name("..")
    ('polisen-brott-soder', 'mappning')
    """
    stem = _NAME.sub("-", normalise(text or "").replace(" ", "-")).strip("-_")[:MAX_NAME]
    return stem or "mappning"


class SavedMappings:
    """Named mappings under ``<data_dir>/mappningar`` (see the module docstring)."""

    def __init__(self, data_dir) -> None:
        self.root = Path(data_dir) / MAPPING_DIR

    def path(self, name: str) -> Path:
        """The YAML file of mapping ``name`` (the file the CLI's ``--mapping`` takes)."""
        return self.root / f"{mapping_name(name)}.yaml"

    def save(self, name: str, kind: str, headers, mapping: dict) -> Path:
        """Check and save ``mapping`` as ``name`` for files of ``kind`` with ``headers``."""
        data = check_mapping(kind, mapping, mapping_name(name))
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.path(name)
        meta = {"name": mapping_name(name), "kind": kind, "header": header_key(headers)}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(mapping_yaml(data), encoding="utf-8")
        tmp.replace(path)
        path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return path

    def find(self, kind: str, headers) -> tuple[str, dict] | None:
        """The saved mapping made for files of ``kind`` with this header, as (name, mapping)."""
        key = header_key(headers)
        if not self.root.is_dir():
            return None
        for meta_path in sorted(self.root.glob("*.json")):
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if meta.get("kind") == kind and meta.get("header") == key:
                return meta["name"], self.load(meta["name"], kind)
        return None

    def load(self, name: str, kind: str) -> dict:
        """A saved mapping, checked again (a hand-edited file is held to the same rules)."""
        path = self.path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            raise InputError(path.name, "den sparade mappningen finns inte") from None
        return check_mapping(kind, load_yaml(text, path.name) or {}, path.name)

    def forget(self, name: str) -> bool:
        """Remove mapping ``name``; whether there was one."""
        path = self.path(name)
        there = path.exists()
        path.unlink(missing_ok=True)
        path.with_suffix(".json").unlink(missing_ok=True)
        return there


def category_choices() -> list[tuple[str, str]]:
    """Every category as (id, Swedish name), sorted by name (the form's dropdown).

    Examples
    --------
    >>> ("narkotikabrott", "Narkotikabrott") in category_choices()
    True
    """
    vocab = load_vocabulary()
    return sorted(((c.category_id, c.name) for c in vocab.categories.values()),
                  key=lambda pair: normalise(pair[1]))
