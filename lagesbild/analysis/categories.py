"""Categories as a user names them: an id (``skadegorelse``) or a Swedish name (``Skadegörelse``),
case, accents, spaces and hyphens ignored, resolved to the store's category ids once, so a mistyped
category is a clear message instead of an empty answer."""

from __future__ import annotations

from lagesbild.analysis.base import NotFound, category_names
from lagesbild.core.compare import ALL
from lagesbild.sources.textkeys import normalize_key

#: every category: the same as naming none (the total over every category is always shown)
ALL_KEYS = {"alla", "allakategorier"}
#: the id (core's label of the total) and display name of the row or series that sums every category
ALL_ID, ALL_NAME = ALL, "Alla kategorier"


def display_names(store) -> dict:
    """Category id -> Swedish name, with :data:`ALL_ID` -> :data:`ALL_NAME` for the sum of all.

    Examples
    --------
    >>> from lagesbild.store import Store
    >>> from lagesbild.ingest import sync_categories
    >>> store = Store("sqlite://"); sync_categories(store)
    >>> names = display_names(store)
    >>> names["skadegorelse"], names["alla"]
    ('Skadegörelse', 'Alla kategorier')
    """
    return {**category_names(store), ALL_ID: ALL_NAME}


def resolve_categories(store, keys) -> list[str] | None:
    """The category ids of ``keys`` (ids or names), in order and once each; None for no keys (and
    for "alla" alone, which means every category).

    Raises
    ------
    NotFound
        For a key that is no category; the message lists the known ids with their names.

    Examples
    --------
    >>> from lagesbild.store import Store
    >>> from lagesbild.ingest import sync_categories
    >>> store = Store("sqlite://"); sync_categories(store)
    >>> resolve_categories(store, ["Skadegörelse", "narkotikabrott", "skadegorelse"])
    ['skadegorelse', 'narkotikabrott']
    >>> resolve_categories(store, ["skadegörelse ", "Våld i nära relation", "alla"])
    ['skadegorelse', 'vald_nara_relation']
    >>> resolve_categories(store, ["Alla kategorier"]) is None
    True
    >>> resolve_categories(store, ["nope"])
    Traceback (most recent call last):
    ...
    lagesbild.analysis.notfound.NotFound: Okänd kategori: 'nope'. Kända: bedrageri (Bedrägeri), ...
    """
    if not keys:
        return None
    names = category_names(store)
    by_key = {normalize_key(n): c for c, n in names.items()} | {normalize_key(c): c for c in names}
    out = []
    for key in keys:
        if normalize_key(key) in ALL_KEYS:
            continue
        cid = by_key.get(normalize_key(key))
        if cid is None:
            known = ", ".join(f"{c} ({n})" for c, n in sorted(names.items()))
            raise NotFound(f"Okänd kategori: {key!r}. Kända: {known}.")
        out.append(cid)
    return list(dict.fromkeys(out)) or None


def resolve_category(store, key) -> str | None:
    """One category id for ``key`` (an id or a name), or None for no key (see
    :func:`resolve_categories`)."""
    found = resolve_categories(store, [key] if key else None)
    return found[0] if found else None
