"""Resolving place names as written in a file to the store's place ids."""

from __future__ import annotations

import pandas as pd

from lagesbild.errors import RowError
from lagesbild.sources.textkeys import normalize_key

# Spellings users write for the whole city, mapped to the city's place id.
CITY_ALIASES = {"stockholm": "stockholm", "stockholmsstad": "stockholm", "helastaden": "stockholm",
                "staden": "stockholm", "stad": "stockholm"}


def place_lookup(places: pd.DataFrame) -> dict[str, str]:
    """Normalised name or id -> place_id, for every stored place.

    Examples
    --------
    >>> lk = place_lookup(pd.DataFrame({"place_id": ["hasselby-torg"], "name": ["Hässelby torg"]}))
    >>> lk["hasselbytorg"]
    'hasselby-torg'
    """
    lookup = {}
    for pid, name in zip(places["place_id"], places["name"]):
        lookup[normalize_key(pid)] = pid
        lookup[normalize_key(name)] = pid
    if "stockholm" in set(places["place_id"]):
        lookup.update({k: v for k, v in CITY_ALIASES.items() if k not in lookup})
    return lookup


def resolve_places(values: pd.Series, lines: pd.Series, lookup: dict, *, file: str,
                   column: str) -> tuple[pd.Series, list[RowError]]:
    """Map each value to a place id; unknown places become one error per row."""
    keys = values.map(lambda v: normalize_key(v) if isinstance(v, str) else "")
    ids = keys.map(lookup)
    errors = []
    known = sorted(set(lookup.values()))
    hint = ("okänd plats; lägg in platsen först (lagesbild ingest places …) eller använd en av: "
            + ", ".join(known[:12]) + (" …" if len(known) > 12 else ""))
    if not known:
        hint = "okänd plats: inga platser är inlästa ännu (kör först: lagesbild ingest places FIL)"
    for value, line in zip(values[ids.isna()], lines[ids.isna()]):
        errors.append(RowError(file, int(line), column, str(value), hint))
    return ids, errors
