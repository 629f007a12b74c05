"""A places file that gives known places a new shape keeps what the store knows and the file does not say.

Two steps, run by :func:`lagesbild.ingest.handlers.ingest_places` before the districts are resolved:

* :func:`recognise_stadsdelar`: a file whose places are (nearly all) Stockholm's stadsdelar by name —
  Stockholms stad's own file, upper-case names only (``HÄSSELBY GÅRD``), no kind or district — is
  recognised: its places get the built-in stadsdelar's ids, names, kind ``stadsdel`` and
  stadsdelsområde (what the file states itself wins). Without this, ``SKÄRHOLMEN`` (the stadsdel)
  would take the id ``skarholmen`` and replace the shape of the stadsdelsområde Skärholmen.
  A file of Stockholm's stadsdelsområden by name (the city's stadsdelsnämnd layer exported with names
  and shapes only) is recognised the same way (:func:`recognise_districts`): kind ``stadsdelsomrade``,
  the built-in ids and names; without this its 13 areas were stored as ``omrade``.
* :func:`keep_stored`: a place of the file that is already stored keeps its stored kind, district,
  population and ``approximate`` where the file leaves them empty, and its stored name where the file
  gives none or only an upper-case variant of it (``HÄSSELBY GÅRD`` for ``Hässelby gård``).

Which fields a file left empty comes from the reader (``meta["unstated"]`` of
:func:`lagesbild.sources.places.read_places`).
"""

from __future__ import annotations

import re

import pandas as pd

from lagesbild.sources.textkeys import normalize_key

#: fields a stored place keeps when the file leaves them empty
KEPT_FIELDS = ("kind", "district_id", "population", "approximate")
#: share of a file's places that must be stadsdelar for the file to be taken for Stockholm's stadsdelar
STADSDEL_SHARE = 0.9
STADSDEL_KIND = "stadsdel"
DISTRICT_KIND = "stadsdelsomrade"
#: names the city's file cuts ("ULVSUNDA INDUSTRIOMR", see scripts/make_builtin_geo.py) -> built-in id
CUT_NAMES = {"ulvsundaindustriomr": "ulvsunda-industriomrade"}
_SUFFIX = re.compile(r"\s*\(stadsdel\)$")


def is_upper_variant(new: object, old: object) -> bool:
    """Whether `new` is `old` in capitals (accents forgiven), adding nothing but losing the case.

    Examples
    --------
    >>> is_upper_variant("HÄSSELBY GÅRD", "Hässelby gård"), is_upper_variant("HASSELBY GARD", "Hässelby gård")
    (True, True)
    >>> is_upper_variant("Hässelby Gård", "Hässelby gård"), is_upper_variant("VÅRBY", "Vårberg")
    (False, False)
    """
    return (isinstance(new, str) and isinstance(old, str) and new != old and new == new.upper()
            and new != new.lower() and normalize_key(new) == normalize_key(old))


def _builtin_stadsdelar(kind: str = STADSDEL_KIND) -> dict[str, tuple[str, str, str | None]]:
    """normalize_key of a built-in place's name of `kind` (a stadsdel's without `` (stadsdel)``) ->
    (id, name, district)."""
    from lagesbild.sources.geography import builtin_places

    g = builtin_places()
    g = g[g["kind"] == kind]
    out = {normalize_key(_SUFFIX.sub("", n)): (p, n, d)
           for p, n, d in zip(g["place_id"], g["name"], g["district_id"], strict=True)}
    by_id = {p: (p, n, d) for p, n, d in out.values()}
    out.update({k: by_id[p] for k, p in CUT_NAMES.items() if p in by_id})
    return out


def _unnamed_hits(gdf: pd.DataFrame, unstated: dict, known: dict) -> dict:
    """Row position -> built-in match, for the places whose file gives neither id nor kind."""
    hits = {}
    for i, (name, line) in enumerate(zip(gdf["name"], gdf["line"], strict=True)):
        miss = unstated.get(int(line), frozenset())
        if "place_id" in miss and "kind" in miss:
            hit = known.get(normalize_key(name))
            if hit is not None:
                hits[i] = hit
    return hits


def _apply(gdf: pd.DataFrame, unstated: dict, hits: dict, kind: str) -> pd.DataFrame:
    """The places of `hits` with the built-in id, name and `kind`, and the built-in district where the
    file gives none."""
    gdf = gdf.copy()
    cols = {c: list(gdf[c]) for c in ("place_id", "name", "kind", "district_id")}
    for i, (pid, name, district) in hits.items():
        cols["place_id"][i], cols["name"][i], cols["kind"][i] = pid, name, kind
        if "district_id" in unstated.get(int(gdf["line"].iloc[i]), frozenset()):
            cols["district_id"][i] = district
    for c, values in cols.items():
        gdf[c] = values
    return gdf


def recognise_stadsdelar(gdf: pd.DataFrame, unstated: dict) -> tuple[pd.DataFrame, int]:
    """Give the places of a stadsdelar file the built-in stadsdelar's ids, names, kind and district.

    Only places whose file gives neither id nor kind are considered. The file counts as a stadsdelar
    file when at least :data:`STADSDEL_SHARE` of its places are built-in stadsdelar by name and at least
    one of them has a name no stadsdelsområde has (a lone "Skärholmen" stays the stadsdelsområde).
    Returns the table and the number of places recognised.
    """
    if gdf.empty:
        return gdf, 0
    hits = _unnamed_hits(gdf, unstated, _builtin_stadsdelar())
    clear = [h for h in hits.values() if not _SUFFIX.search(h[1])]
    if not clear or len(hits) < STADSDEL_SHARE * len(gdf):
        return gdf, 0
    return _apply(gdf, unstated, hits, STADSDEL_KIND), len(hits)


def recognise_districts(gdf: pd.DataFrame, unstated: dict) -> tuple[pd.DataFrame, int]:
    """Give the places of a file of Stockholm's stadsdelsområden the built-in ids, names and kind
    ``stadsdelsomrade``.

    The rule of :func:`recognise_stadsdelar`: only places whose file gives neither id nor kind; at least
    :data:`STADSDEL_SHARE` of the file's places are built-in stadsdelsområden by name, and at least one
    has a name no stadsdel has (``Farsta`` alone is the stadsdel's name too, ``Hässelby-Vällingby`` is
    only the stadsdelsområde's). Returns the table and the number of places recognised.
    """
    if gdf.empty:
        return gdf, 0
    hits = _unnamed_hits(gdf, unstated, _builtin_stadsdelar(DISTRICT_KIND))
    stadsdelar = _builtin_stadsdelar()
    clear = [h for h in hits.values() if normalize_key(h[1]) not in stadsdelar]
    if not clear or len(hits) < STADSDEL_SHARE * len(gdf):
        return gdf, 0
    return _apply(gdf, unstated, hits, DISTRICT_KIND), len(hits)


def recognise_builtin(gdf: pd.DataFrame, unstated: dict) -> tuple[pd.DataFrame, int, int]:
    """A file of Stockholm's stadsdelar or of its stadsdelsområden by name, recognised
    (:func:`recognise_stadsdelar`, else :func:`recognise_districts`): the table, the number of
    stadsdelar and the number of stadsdelsområden recognised."""
    gdf, stadsdelar = recognise_stadsdelar(gdf, unstated)
    if stadsdelar:
        return gdf, stadsdelar, 0
    gdf, districts = recognise_districts(gdf, unstated)
    return gdf, 0, districts


def keep_stored(gdf: pd.DataFrame, stored: pd.DataFrame, unstated: dict) -> tuple[pd.DataFrame, list]:
    """Stored places of the file keep what the file does not say (see the module docstring).

    Returns the table and the ids of the places that kept something.

    Examples
    --------
    >>> stored = pd.DataFrame({"place_id": ["hasselby-gard"], "name": ["Hässelby gård"], "kind": ["stadsdel"],
    ...                        "district_id": ["hasselby-vallingby"], "population": [None],
    ...                        "approximate": [False]})
    >>> new = pd.DataFrame({"place_id": ["hasselby-gard"], "name": ["HÄSSELBY GÅRD"], "kind": ["omrade"],
    ...                     "district_id": [None], "population": pd.array([None], dtype="Int64"),
    ...                     "approximate": [False], "line": [1]})
    >>> out, kept = keep_stored(new, stored, {1: frozenset({"kind", "district_id", "population"})})
    >>> out[["name", "kind", "district_id"]].values.tolist(), kept
    ([['Hässelby gård', 'stadsdel', 'hasselby-vallingby']], ['hasselby-gard'])
    """
    if gdf.empty or stored.empty:
        return gdf, []
    by_id = stored.drop_duplicates("place_id").set_index("place_id")
    gdf = gdf.copy()
    cols = {c: list(gdf[c]) for c in ("name", *KEPT_FIELDS)}
    kept = []
    for i, (pid, line) in enumerate(zip(gdf["place_id"], gdf["line"], strict=True)):
        if pid not in by_id.index:
            continue
        old, miss = by_id.loc[pid], unstated.get(int(line), frozenset())
        changed = False
        for field in KEPT_FIELDS:
            value = old[field]
            if field in miss and not _missing(value) and not _same(value, cols[field][i]):
                cols[field][i], changed = value, True
        name = cols["name"][i]
        if ("name" in miss or is_upper_variant(name, old["name"])) and old["name"] != name:
            cols["name"][i], changed = old["name"], True
        if changed:
            kept.append(pid)
    for c, values in cols.items():
        gdf[c] = pd.array(values, dtype=gdf[c].dtype) if c == "population" else values
    return gdf, kept


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _same(a, b) -> bool:
    return (_missing(a) and _missing(b)) or (not _missing(b) and a == b)


def merge_messages(recognised: int, kept: list, districts: int = 0) -> list[str]:
    """The ingest report's notes about the places recognised (stadsdelar; `districts`:
    stadsdelsområden) and kept.

    Examples
    --------
    >>> merge_messages(117, ["hasselby-gard", "varberg"])[0]
    '117 platser känns igen som Stockholms stadsdelar (samma namn som i den inbyggda geografin): de får typen stadsdel, sitt stadsdelsområde och namnet skrivet som där (t.ex. Hässelby gård, inte HÄSSELBY GÅRD).'
    >>> merge_messages(0, ["hasselby-gard"])
    ['1 plats som redan fanns fick ny form men behöll det filen inte anger (typ, stadsdelsområde, befolkning, namnets stavning): hasselby-gard.']
    >>> merge_messages(0, [], districts=13)[0]
    '13 platser känns igen som Stockholms stadsdelsområden (samma namn som i den inbyggda geografin): de får typen stadsdelsområde och namnet skrivet som där.'
    """
    out = []
    if districts:
        out.append(f"{districts} {'plats' if districts == 1 else 'platser'} känns igen som Stockholms "
                   "stadsdelsområden (samma namn som i den inbyggda geografin): de får typen "
                   "stadsdelsområde och namnet skrivet som där.")
    if recognised:
        out.append(f"{recognised} {'plats' if recognised == 1 else 'platser'} känns igen som Stockholms "
                   "stadsdelar (samma namn som i den inbyggda geografin): de får typen stadsdel, sitt "
                   "stadsdelsområde och namnet skrivet som där (t.ex. Hässelby gård, inte HÄSSELBY GÅRD).")
    if kept:
        shown = ", ".join(kept[:10]) + (" …" if len(kept) > 10 else "")
        what = "plats som redan fanns" if len(kept) == 1 else "platser som redan fanns"
        out.append(f"{len(kept)} {what} fick ny form men behöll det filen inte anger (typ, "
                   f"stadsdelsområde, befolkning, namnets stavning): {shown}.")
    return out
