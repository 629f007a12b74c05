"""The canonical crime-category vocabulary (``lagesbild/data/categories.yaml``) and its aliases.

A category text in a file is matched after :func:`normalise` (lower case, no accents, no punctuation),
first against the aliases a mapping file adds (``categories: {"Text i filen": narkotikabrott}``), then
against the shipped aliases, display names and ids. Texts that match nothing are reported together in
one error (:func:`unknown_error`) that lists them and shows how to map them. A file's texts are resolved
with Brå's crime hierarchy too (:func:`resolve_categories`): a part of a known crime is ignored, not
unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from lagesbild.errors import InputError, RowError
from lagesbild.sources.brahierarchy import is_ignore, load_hierarchy
from lagesbild.sources.mapping import normalise

VOCABULARY_FILE = Path(__file__).resolve().parent.parent / "data" / "categories.yaml"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SHOW_UNKNOWN = 30


@dataclass(frozen=True)
class Category:
    """One canonical category."""

    category_id: str
    name: str
    sensitive: bool
    aliases: tuple[str, ...]
    family: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """All categories by id, and every normalised alias -> id."""

    categories: dict[str, Category]
    lookup: dict[str, str]

    def resolve(self, values: Iterable[object], extra: Mapping[str, str] | None = None,
                source: str = "mappning") -> tuple[dict[str, str], list[str]]:
        """See :func:`resolve`."""
        lookup = dict(self.lookup)
        for text, target in (extra or {}).items():
            target_id = self.lookup.get(normalise(target))
            if target_id is None:
                raise InputError(source, f"kategorin {target!r} som {text!r} ska mappas till finns "
                                         f"inte; giltiga kategorier: "
                                         f"{', '.join(c.name for c in self.categories.values())}")
            lookup[normalise(text)] = target_id
        mapping: dict[str, str] = {}
        unknown: list[str] = []
        for value in values:
            text = "" if value is None else str(value)
            if text in mapping or text in unknown:
                continue
            hit = lookup.get(normalise(text))
            if hit is None:
                unknown.append(text)
            else:
                mapping[text] = hit
        return mapping, unknown


def _load(path: Path) -> Vocabulary:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    categories: dict[str, Category] = {}
    lookup: dict[str, str] = {}
    for item in data["categories"]:
        cid = str(item["id"])
        if not ID_PATTERN.match(cid) or cid in categories:
            raise ValueError(f"{path}: ogiltigt eller upprepat kategori-id {cid!r}")
        aliases = tuple(str(a) for a in item.get("aliases") or ())
        categories[cid] = Category(cid, str(item["name"]), bool(item.get("sensitive", False)), aliases,
                                   str(item.get("family") or ""))
        for alias in (cid, item["name"], *aliases):
            key = normalise(alias)
            if lookup.get(key, cid) != cid:
                raise ValueError(f"{path}: aliaset {alias!r} finns i både {lookup[key]} och {cid}")
            lookup[key] = cid
    return Vocabulary(categories, lookup)


@lru_cache(maxsize=4)
def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Load (once) the category vocabulary.

    Examples
    --------
    >>> v = load_vocabulary()
    >>> v.categories["vald_nara_relation"].sensitive, v.categories["narkotikabrott"].name
    (True, 'Narkotikabrott')
    """
    return _load(Path(path) if path else VOCABULARY_FILE)


def resolve(values: Iterable[object], extra: Mapping[str, str] | None = None, *,
            vocabulary: Vocabulary | None = None,
            source: str = "mappning") -> tuple[dict[str, str], list[str]]:
    """Map category texts to canonical ids.

    Parameters
    ----------
    values : iterable of str
        Category texts as written (repeats are fine).
    extra : mapping, optional
        Extra aliases from a mapping file: text -> category id (or any known alias of it).
    vocabulary : Vocabulary, optional
        Default: the shipped vocabulary.
    source : str
        Name of the mapping file, for the error when `extra` points at an unknown category.

    Returns
    -------
    mapping : dict
        Text as written -> category id, for the texts recognised.
    unknown : list of str
        Texts not recognised, in order of first appearance.

    Examples
    --------
    >>> resolve(["Narkotika", "stöld i butik, varuhus o.d.", "Bus", "Narkotika"])
    ({'Narkotika': 'narkotikabrott', 'stöld i butik, varuhus o.d.': 'tillgrepp_butik'}, ['Bus'])
    >>> resolve(["Bus"], {"bus": "skadegorelse"})[0]
    {'Bus': 'skadegorelse'}
    """
    return (vocabulary or load_vocabulary()).resolve(values, extra, source)


def unknown_error(file: str, column: str | None, unknown: Mapping[str, tuple[int, int]],
                  sheet: str | None = None, vocabulary: Vocabulary | None = None) -> RowError:
    """One error listing every unknown category text and how to map it.

    Parameters
    ----------
    unknown : mapping
        Text -> (number of rows, first line).

    Examples
    --------
    >>> e = unknown_error("brott.csv", "Brottstyp", {"Bus": (2, 4)})
    >>> print(e.message().splitlines()[0])
    brott.csv, kolumn "Brottstyp": 1 okänd brottskategori: "Bus" (2 rader, första på rad 4).
    """
    vocab = vocabulary or load_vocabulary()
    shown = list(unknown.items())[:SHOW_UNKNOWN]
    listed = ", ".join(f'"{text}" ({n} {"rad" if n == 1 else "rader"}, '
                       f'{"på" if n == 1 else "första på"} rad {line})' for text, (n, line) in shown)
    more = f" … och {len(unknown) - len(shown)} till" if len(unknown) > len(shown) else ""
    word = "okänd brottskategori" if len(unknown) == 1 else "okända brottskategorier"
    example = "\n".join(f'  "{text}": {_guess(text, vocab)}' for text, _ in shown[:5])
    them = "den" if len(unknown) == 1 else "dem"
    names = ", ".join(c.name for c in sorted(vocab.categories.values(), key=lambda c: normalise(c.name)))
    reason = (f"{len(unknown)} {word}: {listed}{more}.\n"
              f"Välj kategori för {them} i formuläret på sidan Data, eller mappa {them} i en "
              f"mappningsfil (YAML) som anges vid inläsningen, till exempel:\ncategories:\n{example}\n"
              f"Kända kategorier: {names} (eller ignorera)")
    return RowError(file, None, column, None, reason, sheet)


def _guess(text: str, vocab: Vocabulary) -> str:
    """A plausible target for the example in the message (its Swedish name, which a mapping file
    accepts as well as the id), else a placeholder.

    Never a category of another crime family: a text that names a node of Brå's hierarchy is
    proposed the category of that node (or of its nearest mapped ancestor); otherwise only categories
    sharing a word with the text *and* the family the text's words point to are proposed.

    Examples
    --------
    >>> v = load_vocabulary()
    >>> _guess("Stöld ur eller från motordrivet fordon, grov", v)
    'Bilbrott'
    >>> _guess("Bus", v)
    '<kategori>'
    """
    from lagesbild.sources.brahierarchy import suggest

    hit = suggest(text, vocab)
    return vocab.categories[hit].name if hit else "<kategori>"


def resolve_categories(texts, extra: Mapping[str, str], source: str,
                       bra_parents: Mapping[str, str] | None = None):
    """Category texts -> (known {text: id}, unknown [text], ignored [text]).

    The vocabulary and the mapping file's aliases first; then Brå's crime hierarchy (a node's own
    category); a Brå node without a category, or a text the mapping file maps to ``ignorera``, is
    ignored rather than unknown. A text that is a part of a known node — by Brå's full path name
    ("Brott mot brottsbalken, …, Klotter, Övrigt klotter", in any file) or, in a Brå file
    (`bra_parents` given: its Förälder_ID links, maybe empty), by its parent links — is ignored too:
    it is a detail the dashboard does not count apart, never a category of its own.
    """
    ignore = {normalise(k) for k, v in extra.items() if is_ignore(v)}
    extra = {k: v for k, v in extra.items() if not is_ignore(v)}
    known, rest = load_vocabulary().resolve(texts, extra, source)
    hierarchy = load_hierarchy()
    unknown, ignored = [], []
    for text in rest:
        nid = hierarchy.node_of(text)
        if normalise(text) in ignore:
            ignored.append(text)
        elif nid is not None and hierarchy.nodes[nid].category:
            known[text] = hierarchy.nodes[nid].category
        elif nid is not None or hierarchy.known_ancestor(text) is not None or (
                bra_parents is not None and _under_known(text, hierarchy, bra_parents)):
            ignored.append(text)
        else:
            unknown.append(text)
    known = {k: v for k, v in known.items() if normalise(k) not in ignore}
    ignored += [k for k in texts if normalise(k) in ignore and k not in ignored]
    return known, unknown, ignored


def _under_known(text: str, hierarchy, parents: Mapping[str, str]) -> bool:
    """Whether a Brå file's text lies under a node of the shipped hierarchy."""
    if hierarchy.known_ancestor(text) is not None:
        return True
    current, seen = normalise(text), set()
    while current in parents and current not in seen:
        seen.add(current)
        current = parents[current]
        if current in hierarchy.lookup or hierarchy.known_ancestor(current) is not None:
            return True
    return False
