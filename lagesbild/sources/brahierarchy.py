"""Brå's crime hierarchy (``lagesbild/data/bra_brott.yaml``): nodes, parents, families, categories.

Used by every crime reader to turn category texts into dashboard categories without counting a
total with its parts (:func:`combine`), and by the unknown-category message to propose a category of
the same crime family only (:func:`suggest`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from lagesbild.sources.mapping import normalise
from lagesbild.sources.textkeys import fold

HIERARCHY_FILE = Path(__file__).resolve().parent.parent / "data" / "bra_brott.yaml"
# Words that say nothing about the kind of crime (ignored when guessing a node from a text).
STOP_WORDS = frozenset({"i", "mot", "och", "av", "brott", "inkl", "grov", "grovt", "kap", "m", "fl",
                        "o", "d", "eller", "fran", "ur", "med", "utan", "samt", "ej", "pa", "till",
                        "for", "totalt", "antal", "anmalda", "ovrigt", "ovriga", "brottsbalken",
                        "specialstraffrattsliga", "forfattningar", "lag", "lagen", "om", "st", "p", "t",
                        "fr", "darav", "prel", "forsok", "a", "b", "annan", "annat", "enbart"})
# The first level of Brå's full path names ("Brott mot brottsbalken, 3-7 kap. …"), normalised.
PATH_ROOTS = ("brott mot brottsbalken", "brott mot specialstraffrattsliga forfattningar")
# Texts in a mapping file's categories: that mean "leave these rows out".
IGNORE_TARGETS = frozenset({"ignorera", "ignore", "hoppa over", "-", "bort"})


@dataclass(frozen=True)
class Node:
    """One node of Brå's tree."""

    node_id: str
    name: str
    parent: str | None
    family: str
    category: str | None
    brott_id: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hierarchy:
    """Nodes by id, every normalised name or alias -> node id, and Brå's Brott_ID -> node id."""

    nodes: dict[str, Node]
    lookup: dict[str, str]
    by_brott_id: dict[str, str] = field(default_factory=dict)

    def node_of(self, text: object) -> str | None:
        """The node a text names, or None.

        Examples
        --------
        >>> load_hierarchy().node_of("Inbrott i lägenhet")
        'lagenhetsinbrott'
        """
        return self.lookup.get(normalise(text))

    def node_of_id(self, brott_id: object) -> str | None:
        """The node Brå's numeric Brott_ID names (either of its two tables), or None.

        Examples
        --------
        >>> h = load_hierarchy()
        >>> h.node_of_id("13258"), h.node_of_id(5036), h.node_of_id("13258.0"), h.node_of_id("1")
        ('biltillgrepp', 'totalt', 'biltillgrepp', None)
        """
        text = str(brott_id).strip().removesuffix(".0") if brott_id is not None else ""
        return self.by_brott_id.get(text)

    def known_ancestor(self, text: object) -> str | None:
        """The node whose full path name (Brå's "Nivå, Nivå, …" naming) begins the text, or None.

        A text under a known node that this file lacks ("Brott mot brottsbalken, 8-12 kap. Brott mot
        förmögenhet, 12 kap. Skadegörelsebrott, Skadegörelse genom brand") is a part of that node.

        Examples
        --------
        >>> load_hierarchy().known_ancestor("Brott mot brottsbalken, 3-7 kap. Brott mot person, "
        ...                                 "5 kap. Ärekränkningsbrott, Förtal")
        'arekrankning'
        >>> load_hierarchy().known_ancestor("Bus") is None
        True
        """
        key = normalise(text)
        best, size = None, 0
        for alias, nid in self.lookup.items():
            if len(alias) > size and alias.startswith(PATH_ROOTS) and key.startswith(alias + " "):
                best, size = nid, len(alias)
        return best

    def ancestors(self, node_id: str) -> list[str]:
        """The node's parent, grandparent, … (nearest first)."""
        out, seen = [], {node_id}
        parent = self.nodes[node_id].parent
        while parent is not None and parent not in seen:
            out.append(parent)
            seen.add(parent)
            parent = self.nodes[parent].parent
        return out

    def mapped_category(self, node_id: str) -> str | None:
        """The category of the node or of its nearest ancestor that has one."""
        for nid in [node_id, *self.ancestors(node_id)]:
            if self.nodes[nid].category:
                return self.nodes[nid].category
        return None


def _load(path: Path) -> Hierarchy:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw = {str(item["id"]): item for item in data["nodes"]}
    nodes: dict[str, Node] = {}
    lookup: dict[str, str] = {}
    by_id: dict[str, str] = {}

    def family(nid: str) -> str:
        item = raw[nid]
        return str(item.get("family") or (family(str(item["parent"])) if item.get("parent") else ""))

    for nid, item in raw.items():
        parent = item.get("parent")
        if parent is not None and str(parent) not in raw:
            raise ValueError(f"{path}: noden {nid!r} har en okänd förälder {parent!r}")
        ids = tuple(str(v) for v in (item.get("brott_id") or {}).values() if v is not None)
        nodes[nid] = Node(nid, str(item["name"]), None if parent is None else str(parent), family(nid),
                          item.get("category"), ids)
        for bid in ids:
            if by_id.get(bid, nid) != nid:
                raise ValueError(f"{path}: Brott_ID {bid} finns i både {by_id[bid]} och {nid}")
            by_id[bid] = nid
        for alias in (item["name"], *(item.get("aliases") or ())):
            key = normalise(alias)
            if lookup.get(key, nid) != nid:
                raise ValueError(f"{path}: namnet {alias!r} finns i både {lookup[key]} och {nid}")
            lookup[key] = nid
    return Hierarchy(nodes, lookup, by_id)


@lru_cache(maxsize=2)
def load_hierarchy(path: str | Path | None = None) -> Hierarchy:
    """Load (once) Brå's crime hierarchy.

    Examples
    --------
    >>> h = load_hierarchy()
    >>> h.nodes["villainbrott"].parent, h.nodes["villainbrott"].category, h.nodes["klotter"].family
    ('bostadsinbrott', 'inbrott', 'skadegörelse')
    """
    return _load(Path(path) if path else HIERARCHY_FILE)


def is_ignore(target: object) -> bool:
    """Whether a mapping file's target means "ignore these rows".

    Examples
    --------
    >>> is_ignore("ignorera"), is_ignore("narkotikabrott")
    (True, False)
    """
    return normalise(target) in IGNORE_TARGETS or str(target).strip() == "-"


def _words(text: str) -> set[str]:
    """The words of a text that say something about the kind of crime (no numbers, no stop words)."""
    return {w for w in normalise(text).split() if not w.isdigit()} - STOP_WORDS


def _best_node(text: str, h: Hierarchy) -> str | None:
    """The node sharing the most telling words with the text; None when nodes of different families
    share as many (an unsure guess never crosses a family)."""
    words = _words(text)
    if not words:
        return None
    score, best = 0, []
    for key, nid in h.lookup.items():
        shared = len(words & _words(key))
        if shared > score:
            score, best = shared, [nid]
        elif shared == score and shared:
            best.append(nid)
    if not best or len({h.nodes[n].family for n in best}) > 1:
        return None
    return best[0]


def suggest(text: str, vocab) -> str | None:
    """A category of the text's own crime family to propose for an unknown text, or None.

    The text names a node of Brå's tree (or shares the most words with one); the proposal is that
    node's category or its nearest ancestor's, and only when the category's family is the node's.

    Examples
    --------
    >>> from lagesbild.sources.categories import load_vocabulary
    >>> suggest("Stöld ur fordon, övrigt", load_vocabulary())
    'bilbrott'
    >>> suggest("Brott mot trafikbrottslagen, övriga", load_vocabulary()) is None
    True
    """
    h = load_hierarchy()
    nid = h.node_of(text)
    if nid is None and normalise(text).startswith(PATH_ROOTS):
        nid = h.known_ancestor(text)  # Brå's own full path name: its nearest known node, no guessing
    elif nid is None:
        nid = _best_node(text, h)
    if nid is None:
        return None
    cid = h.mapped_category(nid)
    if cid is None or cid not in vocab.categories:
        return None
    return cid if vocab.categories[cid].family == h.nodes[nid].family else None


def combine(table: pd.DataFrame, texts: pd.Series, parents: Mapping[str, str] | None = None
            ) -> tuple[pd.DataFrame, np.ndarray]:
    """Sum the rows several texts give for one place × category × period, never a total with a part.

    Parameters
    ----------
    table : DataFrame
        Canonical crime rows (``place, category, period_start, period_end, count, preliminary, line``).
    texts : Series
        The category text as written, aligned with `table`.
    parents : mapping, optional
        Normalised text -> normalised parent text, from the file's own Brott_ID/Förälder_ID columns
        (used before the shipped tree).

    Returns
    -------
    (DataFrame, ndarray of bool)
        One row per place × category × period (the first line of the group kept) and a mask over
        `table` of the rows left out because an ancestor in the file counts towards the same category.

    Examples
    --------
    >>> t = pd.DataFrame({"place": "Boden", "category": "inbrott", "period_start": pd.Timestamp("2025-01-01"),
    ...     "period_end": pd.Timestamp("2025-12-31"), "count": pd.array([3, 4, 9], dtype="Int64"),
    ...     "preliminary": False, "line": [2, 3, 4]})
    >>> out, dropped = combine(t.iloc[:2], pd.Series(["Inbrott i villa", "Inbrott i lägenhet"]))
    >>> out["count"].tolist(), dropped.tolist()
    ([7], [False, False])
    >>> out, dropped = combine(t, pd.Series(["Inbrott i villa", "Inbrott i lägenhet", "Bostadsinbrott"]))
    >>> out["count"].tolist(), dropped.tolist()
    ([9], [True, True, False])
    """
    table = table.reset_index(drop=True)
    keys = normalise_series(texts.reset_index(drop=True))
    group = pd.DataFrame({"p": table["place"].map(fold), "c": table["category"],  # Vårberg ≠ Varberg
                          "s": table["period_start"], "e": table["period_end"]})
    gid = group.groupby(["p", "c", "s", "e"], sort=False, dropna=False).ngroup().to_numpy()
    sizes = np.bincount(gid) if len(gid) else np.array([], dtype=int)
    dropped = np.zeros(len(table), dtype=bool)
    multi = np.flatnonzero(sizes[gid] > 1) if len(gid) else np.array([], dtype=int)
    if len(multi):
        h = load_hierarchy()
        for _g, idx in pd.Series(multi).groupby(gid[multi]):
            present = {keys[i] for i in idx}
            for i in idx:
                if any(a in present for a in _ancestor_keys(keys[i], h, parents)):
                    dropped[i] = True
    kept = table[~dropped].copy()
    kgid = gid[~dropped]
    if len(kept) == int(len(np.unique(kgid))):
        return kept.reset_index(drop=True), dropped
    agg = kept.assign(_g=kgid).groupby("_g", sort=False).agg(
        place=("place", "first"), category=("category", "first"), period_start=("period_start", "first"),
        period_end=("period_end", "first"),
        count=("count", lambda s: pd.NA if s.isna().any() else int(s.sum())),
        preliminary=("preliminary", "any"), line=("line", "min"))
    agg["count"] = agg["count"].astype("Int64")
    return agg.reset_index(drop=True)[list(table.columns)], dropped


def normalise_series(texts: pd.Series) -> list[str]:
    cache: dict[str, str] = {}
    return [cache.setdefault(t, normalise(t)) if isinstance(t, str) else "" for t in texts]


def _ancestor_keys(key: str, h: Hierarchy, parents: Mapping[str, str] | None) -> list[str]:
    out: list[str] = []
    seen = {key}
    current = key
    while parents and current in parents and parents[current] not in seen:
        current = parents[current]
        seen.add(current)
        out.append(current)
    nid = h.lookup.get(key)
    if nid is not None:
        for a in h.ancestors(nid):
            node = h.nodes[a]
            out.append(normalise(node.name))
            out.extend(k for k, v in h.lookup.items() if v == a)
    return out
