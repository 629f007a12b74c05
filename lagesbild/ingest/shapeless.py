"""Areas without a shape: sub-areas of a kommun that a Brå file counts but no map here draws.

Brå's statistics database gives yearly counts for a kommun and its sub-areas (Göteborg's
stadsområden Centrum, Hisingen, Nordost, Sydväst; Malmö's områden). When such a file (Brå's layout,
or any file of whole calendar years, as re-exports of Brå's tables are) names areas
that resolve neither in the store nor in the built-in geography, and the file names exactly one
known kommun, the unknown areas are stored as places of kind :data:`SUBAREA_KIND` under that kommun
with an empty geometry (:data:`EMPTY_WKT`): their counts compare like any place's, they contain no
incident, and the maps leave them out. A later places file with a shape for the same name or id
gives them their shape (:func:`adopt_shapeless_ids`). When the kommun cannot be decided (none or
several in the file), nothing is created and the unknown areas are refused as before; so is a name
close to a known one (:func:`_looks_misspelt`: a typo is no new area).
"""

from __future__ import annotations

import pandas as pd

from lagesbild.sources.textkeys import NATIONAL, normalize_key, slugify

SUBAREA_KIND = "stadsdelsomrade"
PARENT_KINDS = ("kommun", "stad")
EMPTY_WKT = "POLYGON EMPTY"


def has_shape(wkt: object) -> bool:
    """Whether a stored WKT is a shape (not empty, not missing).

    Examples
    --------
    >>> has_shape("POLYGON ((0 0, 1 0, 1 1, 0 0))"), has_shape("POLYGON EMPTY"), has_shape(None)
    (True, False, False)
    """
    return isinstance(wkt, str) and bool(wkt.strip()) and not wkt.strip().upper().endswith("EMPTY")


def shaped(places: pd.DataFrame) -> pd.DataFrame:
    """The places that have a shape (rows of the places table)."""
    if places.empty or "wkt_3006" not in places:
        return places
    return places[places["wkt_3006"].map(has_shape)]


def _kinds(stored: pd.DataFrame) -> dict[str, str]:
    from lagesbild.sources.geography import builtin_places

    g = builtin_places()
    kinds = dict(zip(g["place_id"], g["kind"], strict=True))
    kinds.update(zip(stored["place_id"], stored["kind"], strict=True))
    return kinds


def add_shapeless_areas(w, values: pd.Series, ingest_id: int) -> tuple[str | None, list[str]]:
    """Store the file's unknown areas as shapeless sub-areas of the one kommun the file names.

    Returns (the kommun's name, the names of the areas created, {normalised text: new place id});
    (None, [], {}) when nothing was created. A text naming a stored sub-area of *another* kommun
    (Göteborg's "Centrum" in a Malmö file) counts as unknown here, so it gets an area of its own
    (``malmo-centrum``) and the caller must use the returned ids for those rows.
    """
    from lagesbild.ingest.resolve import place_lookup, stored_or_builtin
    from lagesbild.sources.geography import builtin_places

    stored = w.read_places()
    lookup = place_lookup(stored) if len(stored) else {}
    texts = [v.strip() for v in pd.unique(values.to_numpy(dtype=object)) if isinstance(v, str) and v.strip()]
    found = {v: stored_or_builtin(v, lookup) for v in texts}
    kinds = _kinds(stored)
    parents = {p for p in found.values() if p and kinds.get(p) in PARENT_KINDS}
    # a sub-area of another kommun with the same name (Göteborg's and Malmö's "Centrum") is not this one
    district = dict(zip(stored["place_id"], stored["district_id"], strict=True)) if len(stored) else {}
    if len(parents) == 1:
        only = next(iter(parents))
        for v, p in found.items():
            if p and kinds.get(p) == SUBAREA_KIND and district.get(p) not in (None, only):
                found[v] = None
    unknown = list(dict.fromkeys(v for v, p in found.items()
                                 if p is None and normalize_key(v) not in NATIONAL))
    unknown = [v for v in unknown if not _looks_misspelt(v, stored, unknown)]
    if not unknown:
        return None, [], {}
    if len(parents) != 1:
        return None, [], {}
    parent = parents.pop()
    builtin = builtin_places()
    names = dict(zip(builtin["place_id"], builtin["name"], strict=True))
    names.update(zip(stored["place_id"], stored["name"], strict=True))
    taken = set(kinds)
    rows, created, ids = [], [], {}
    for text in unknown:
        key = normalize_key(text)
        if key in ids:
            continue
        pid = slugify(text) or key
        if pid in taken:
            pid = f"{parent}-{pid}"
        if pid in taken:
            return None, [], {}  # cannot give it an id of its own: refuse as before
        taken.add(pid)
        ids[key] = pid
        created.append(text)
        rows.append({"place_id": pid, "name": text, "kind": SUBAREA_KIND, "district_id": parent,
                     "population": None, "approximate": False,
                     "source": f"Område utan karta ur en fil från Brå (under {names.get(parent, parent)})",
                     "wkt_3006": EMPTY_WKT, "wkt_4326": EMPTY_WKT,
                     "minx": 0.0, "miny": 0.0, "maxx": 0.0, "maxy": 0.0})
    df = pd.DataFrame(rows)
    df["population"] = df["population"].astype("Int64")
    w.upsert_places(df, ingest_id)
    return names.get(parent, parent), created, ids


def _looks_misspelt(text: str, stored: pd.DataFrame, unknown: list[str]) -> bool:
    """Whether ``text`` is close to (not equal to) the name of a stored or built-in place or of another
    unknown area of the file ("Hisngen" beside "Hisingen"): then it is no new area but left to the
    resolver's "okänd plats" message.

    Examples
    --------
    >>> _looks_misspelt("Hisngen", pd.DataFrame({"name": ["Hisingen"]}), ["Hisngen"])
    True
    >>> _looks_misspelt("Nordost", pd.DataFrame({"name": ["Hisingen"]}), ["Nordost", "Sydväst"])
    False
    """
    from difflib import get_close_matches

    from lagesbild.sources.geography import builtin_places

    key = normalize_key(text)
    names = [*builtin_places()["name"], *stored.get("name", []), *unknown]
    keys = {normalize_key(n) for n in names if isinstance(n, str)} - {key}
    return bool(get_close_matches(key, keys, n=1, cutoff=MISSPELT))


#: similarity (difflib's ratio) above which an unknown area is taken for a misspelt known name
MISSPELT = 0.85


def shapeless_message(parent: str | None, names: list[str]) -> str:
    """The ingest report's sentence about the areas created without a shape.

    Examples
    --------
    >>> shapeless_message("Göteborg", ["Centrum", "Hisingen"])
    '2 nya områden utan karta under Göteborg: Centrum, Hisingen. Lägg in en platsfil för att få dem på kartan.'
    >>> shapeless_message(None, [])
    ''
    """
    if not names:
        return ""
    what = "nytt område" if len(names) == 1 else "nya områden"
    return (f"{len(names)} {what} utan karta under {parent}: {', '.join(names)}. "
            "Lägg in en platsfil för att få dem på kartan.")


def adopt_shapeless_ids(gdf, stored: pd.DataFrame):
    """A places file's places that name a stored shapeless place (by name, its id not stored, no other
    kommun or district given) take that place's id (and its kommun, when the file gives none): the
    shape replaces the empty one and the counts stay."""
    if stored.empty or gdf.empty:
        return gdf
    empty = stored[~stored["wkt_3006"].map(has_shape)]
    if empty.empty:
        return gdf
    by_name: dict[str, list] = {}
    for pid, name, district in zip(empty["place_id"], empty["name"], empty["district_id"], strict=True):
        by_name.setdefault(normalize_key(name), []).append((pid, district))
    from lagesbild.ingest.resolve import place_lookup, stored_or_builtin

    known, lookup = set(stored["place_id"]), place_lookup(stored)
    gdf = gdf.copy()
    ids, districts = list(gdf["place_id"]), list(gdf["district_id"])
    for i, (pid, name) in enumerate(zip(gdf["place_id"], gdf["name"], strict=True)):
        hits = by_name.get(normalize_key(name), [])
        if pid in known or len(hits) != 1 or hits[0][0] in ids:
            continue
        given = districts[i] if isinstance(districts[i], str) else None
        if given is not None and stored_or_builtin(given, lookup) != hits[0][1]:
            continue  # the file puts it under another kommun or district: another place
        ids[i] = hits[0][0]
        if given is None:
            districts[i] = hits[0][1]
    gdf["place_id"], gdf["district_id"] = ids, districts
    return gdf
