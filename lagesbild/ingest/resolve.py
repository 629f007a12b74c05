"""Resolving place names as written in a file to the store's place ids."""

from __future__ import annotations

import pandas as pd
import shapely

from lagesbild.errors import RowError
from lagesbild.sources.textkeys import fold, normalize_key

# Spellings users write for the whole city, mapped to the city's place id.
CITY_ALIASES = {"stockholm": "stockholm", "stockholmsstad": "stockholm", "helastaden": "stockholm",
                "staden": "stockholm", "stad": "stockholm"}


class PlaceLookup(dict):
    """Normalised name or id -> place_id (accents, case and punctuation forgiven), with ``names``:
    each name as written (case and spacing forgiven, accents kept) -> place_id, which
    :func:`stored_or_builtin` tries first, so that "Varberg" is not taken for a stored "Vårberg"."""

    def __init__(self, *args, names=None, ids=(), shown=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.names = dict(names or {})
        self.ids = frozenset(ids)
        self.shown = dict(shown or {})  # place_id -> name as stored, for "Menade du …?"


#: the replacement character: a NUL byte or an undecodable byte as the readers show it
DAMAGED = "\ufffd"
DAMAGED_REASON = (f"namnet har ett skadat tecken ({DAMAGED}: en NUL-byte eller ett tecken i fel teckenkodning); "
                  "rätta namnet i filen")


def place_lookup(places: pd.DataFrame) -> PlaceLookup:
    """Normalised name or id -> place_id, for every stored place (and the names as written).

    Examples
    --------
    >>> lk = place_lookup(pd.DataFrame({"place_id": ["hasselby-torg"], "name": ["Hässelby torg"]}))
    >>> lk["hasselbytorg"], lk.names
    ('hasselby-torg', {'hässelby torg': 'hasselby-torg'})
    """
    lookup = PlaceLookup(names={fold(n): p for p, n in zip(places["place_id"], places["name"], strict=True)},
                         ids=places["place_id"],
                         shown=dict(zip(places["place_id"], places["name"].astype(str), strict=True)))
    for pid, name in zip(places["place_id"], places["name"], strict=True):
        lookup[normalize_key(pid)] = pid
        lookup[normalize_key(name)] = pid
    if "stockholm" in set(places["place_id"]):
        lookup.update({k: v for k, v in CITY_ALIASES.items() if k not in lookup})
    return lookup


def rejoin_names(parts: list, lookup: dict) -> list:
    """An activity's places as its cell split them at commas, with the parts of a stored place whose
    name has a comma joined again ("Storvretens centrum, Skäftingebacken …" was two unknown places).
    The longest run of parts naming a stored place wins; anything else stays as split.

    Examples
    --------
    >>> lk = place_lookup(pd.DataFrame({"place_id": ["sv"], "name": ["Storvreten, Hågelby"]}))
    >>> rejoin_names(["Alby", "Storvreten", "Hågelby", "Fittja"], lk)
    ['Alby', 'Storvreten, Hågelby', 'Fittja']
    >>> rejoin_names(["Alby"], lk)
    ['Alby']
    """
    if not isinstance(parts, list) or len(parts) < 2:
        return parts
    out, i = [], 0
    while i < len(parts):
        for j in range(len(parts), i + 1, -1):  # at least two parts, the longest first
            joined = ", ".join(str(p) for p in parts[i:j])
            if normalize_key(joined) in lookup:
                out.append(joined)
                i = j
                break
        else:
            out.append(parts[i])
            i += 1
    return out


def resolve_places(values: pd.Series, lines: pd.Series, lookup: dict, *, file: str,
                   column: str) -> tuple[pd.Series, list[RowError]]:
    """Map each value to a place id; unknown places become one error per row, and so does a name with a
    damaged character (U+FFFD, what a reader shows for a NUL byte or an undecodable one): the key
    drops it, so "Hässelby\ufffd torg" was read as Hässelby torg without a word.

    Examples
    --------
    >>> lk = place_lookup(pd.DataFrame({"place_id": ["hasselby-torg"], "name": ["Hässelby torg"]}))
    >>> ids, errs = resolve_places(pd.Series(["Hässelby torg", "Hässelby\ufffd torg"]), pd.Series([2, 3]), lk,
    ...                            file="b.csv", column="Plats")
    >>> ids.tolist()[0], pd.isna(ids.tolist()[1]), errs[0].message()
    ('hasselby-torg', True, 'b.csv, rad 3, kolumn "Plats", värde "Hässelby\ufffd torg": namnet har ett skadat tecken (\ufffd: en NUL-byte eller ett tecken i fel teckenkodning); rätta namnet i filen')
    """
    keys = values.map(lambda v: normalize_key(v) if isinstance(v, str) and DAMAGED not in v else "")
    ids = keys.map(lookup)
    errors = []
    damaged = values.map(lambda v: isinstance(v, str) and DAMAGED in v).astype(bool)
    ids[damaged.to_numpy()] = None
    known = sorted(set(lookup.values()))
    hint = ("okänd plats: namnet finns varken bland de inlästa platserna eller bland de inbyggda "
            "(Sveriges kommuner och län, Stockholms stadsdelar och stadsdelsområden); lägg in platsen "
            "först (en platsfil på sidan Data eller lagesbild ingest places FIL) eller använd en av: "
            + ", ".join(known[:12]) + (" …" if len(known) > 12 else ""))
    if not known:
        hint = ("okänd plats: namnet finns inte bland de inbyggda platserna (Sveriges kommuner och län, "
                "Stockholms stadsdelar och stadsdelsområden) och inga egna platser är inlästa ännu (läs "
                "först in en platsfil på sidan Data eller kör lagesbild ingest places FIL)")
    shown = getattr(lookup, "shown", {})
    guesses: dict[str, str] = {}  # one search per value written, however many rows repeat it
    for value, line in zip(values[ids.isna()], lines[ids.isna()], strict=False):
        damaged_here = isinstance(value, str) and DAMAGED in value
        if not damaged_here and str(value) not in guesses:  # the first MAX_GUESSED texts: a column of
            guessed = len(guesses) < MAX_GUESSED  # 100 000 addresses taken for places costs no minutes
            guesses[str(value)] = did_you_mean(str(value), shown.values()) if guessed else ""
        reason = DAMAGED_REASON if damaged_here else hint + ("." + guesses[str(value)] if guesses[str(value)] else "")
        errors.append(RowError(file, int(line), column, str(value), reason))
    return ids, errors


#: how many different misspelt texts of one file get a suggestion
MAX_GUESSED = 50
#: how alike a name must be to be suggested for a misspelt one (difflib's ratio: "Fitja" for "Fittja" is 0,91)
GUESS_CUTOFF = 0.8


def did_you_mean(value: str, names) -> str:
    """`` Menade du "X"?`` for the stored or built-in place names closest to ``value`` (case and
    accents forgiven, :func:`difflib.get_close_matches`), else "".

    Examples
    --------
    >>> did_you_mean("Fitja", ["Fittja", "Alby centrum"])
    ' Menade du "Fittja"?'
    >>> did_you_mean("hasselby torgg", ["Hässelby torg"]), did_you_mean("Glömstavägen 12", ["Fittja"])
    (' Menade du "Hässelby torg"?', '')
    >>> did_you_mean("Botkyrca kommun", [])
    ' Menade du "Botkyrka"?'
    """
    from difflib import get_close_matches

    from lagesbild.sources.geography import builtin_names, candidates
    from lagesbild.sources.textkeys import strip_accents

    def loose(text: str) -> str:
        return strip_accents(fold(text))

    by_key: dict[str, str] = {}
    for name in [*names, *builtin_names()]:  # a stored name first: it wins a tie with a built-in one
        by_key.setdefault(loose(str(name)), str(name))
    hits: list[str] = []
    for written in candidates(value):  # "Botkyrca kommun" is compared as "Botkyrca" too
        hits += [h for h in get_close_matches(loose(written), list(by_key), n=3, cutoff=GUESS_CUTOFF)
                 if h not in hits]
    hits = hits[:3]
    if not hits:
        return ""
    return " Menade du " + " eller ".join(f'"{by_key[h]}"' for h in hits) + "?"


def place_rows(gdf) -> pd.DataFrame:
    """The places table's rows for a GeoDataFrame of places in EPSG:3006."""
    wgs = gdf.to_crs(4326)
    bounds = shapely.bounds(gdf.geometry.values)
    return pd.DataFrame({
        "place_id": gdf["place_id"], "name": gdf["name"], "kind": gdf["kind"],
        "district_id": gdf["district_id"], "population": gdf["population"],
        "approximate": gdf["approximate"].astype(bool), "source": gdf["source"].fillna(""),
        "wkt_3006": shapely.to_wkt(gdf.geometry.values, rounding_precision=2),
        "wkt_4326": shapely.to_wkt(wgs.geometry.values, rounding_precision=6),
        "minx": bounds[:, 0], "miny": bounds[:, 1], "maxx": bounds[:, 2], "maxy": bounds[:, 3],
    })


def stored_or_builtin(text: object, lookup: dict) -> str | None:
    """The place a text names (also with ``kommun``/``stad`` dropped), else None: a stored place's
    id as it is, a stored place's name as written (accents kept), then a built-in place's name as
    written, its id or its code (:func:`lagesbild.sources.geography.find_builtin`), then a stored place
    with accents forgiven, then a built-in one. "Varberg" is thus Varberg kommun even when Vårberg is stored (the two once
    shared one place's rows, the later file replacing the earlier).

    Examples
    --------
    >>> lk = place_lookup(pd.DataFrame({"place_id": ["varberg", "hasselby-torg"],
    ...                                 "name": ["Vårberg", "Hässelby torg"]}))
    >>> [stored_or_builtin(t, lk) for t in ["Vårberg", "Varberg", "Varbergs kommun", "Hasselby torg",
    ...                                     "varberg"]]
    ['varberg', 'varberg-kommun', 'varberg-kommun', 'hasselby-torg', 'varberg']
    """
    from lagesbild.sources.geography import candidates, find_builtin

    if not isinstance(text, str) or DAMAGED in text:  # refused by resolve_places, naming the character
        return None
    if text.strip() in getattr(lookup, "ids", ()):
        return text.strip()
    cands = candidates(text)
    names = getattr(lookup, "names", {})
    for cand in cands:
        hit = names.get(fold(cand))
        if hit is not None:
            return hit
    hit = find_builtin(text, exact=True)
    if hit is not None:
        return hit
    for cand in cands:
        hit = lookup.get(normalize_key(cand))
        if hit is not None:
            return hit
    return find_builtin(text)


def add_builtin_places(w, place_ids, ingest_id: int) -> list[str]:
    """Store the built-in places `place_ids` (and their districts) that the store lacks."""
    from lagesbild.sources.geography import builtin_places

    have = set(w.read_places()["place_id"])
    builtin = builtin_places()
    want = {p for p in place_ids if p and p not in have}
    want |= {d for d in builtin[builtin["place_id"].isin(want)]["district_id"].dropna() if d not in have}
    if not want:
        return []
    rows = builtin[builtin["place_id"].isin(want)]
    w.upsert_places(place_rows(rows), ingest_id)
    return sorted(want)


def resolve_with_builtin(w, values: pd.Series, lines: pd.Series, *, file: str, column: str,
                         ingest_id: int, lookup: dict | None = None
                         ) -> tuple[pd.Series, list[RowError], list[str]]:
    """Map place texts to ids against the store, then the built-in geography (added to the store).

    ``lookup`` is the stored places' :func:`place_lookup` when the caller has built it already (read
    from the store otherwise). Returns (ids, one error per unknown row, the built-in places added).
    """
    if lookup is None:
        stored = w.read_places()
        lookup = place_lookup(stored) if len(stored) else {}
    found = {v: stored_or_builtin(v, lookup) for v in pd.unique(values.to_numpy(dtype=object))}
    added = add_builtin_places(w, [p for p in found.values() if p], ingest_id)
    ids = values.map(found)  # by the text as written: "Vårberg" and "Varberg" in one file stay apart
    unknown = ids.isna()
    known = PlaceLookup({**lookup, **{normalize_key(p): p for p in found.values() if p}},
                        shown=getattr(lookup, "shown", {}))
    _, errors = resolve_places(values[unknown], lines[unknown], known, file=file, column=column)
    return ids, errors, added


def taken_names(places: pd.DataFrame, stored: pd.DataFrame, *, file: str) -> list[RowError]:
    """A RowError for each place whose name (as :func:`normalize_key` compares names) another place
    already has — stored or earlier in the file — under another id: files naming it would reach only
    one of them. Namesakes in different districts or kommuner (both given) are allowed.

    Examples
    --------
    >>> stored = pd.DataFrame({"place_id": ["varberg"], "name": ["Vårberg"], "district_id": ["skh"]})
    >>> new = pd.DataFrame({"place_id": ["nytt"], "name": ["VÅRBERG "], "district_id": ["skh"],
    ...                     "line": [3]})
    >>> print(taken_names(new, stored, file="p.geojson")[0].message())
    p.geojson, rad 3, kolumn "namn", värde "VÅRBERG ": namnet används redan av platsen "Vårberg" (id varberg); använd id:t varberg för samma plats, eller ge platsen ett eget namn
    >>> taken_names(new.assign(district_id=["annan-kommun"]), stored, file="p.geojson")
    []
    """
    owners: dict[str, list[tuple]] = {}
    for pid, name, district in zip(stored["place_id"], stored["name"], stored["district_id"], strict=True):
        for key in {normalize_key(name), normalize_key(pid)}:
            owners.setdefault(key, []).append((pid, name, district))
    errors = []
    for pid, name, district, line in zip(places["place_id"], places["name"], places["district_id"],
                                         places["line"], strict=True):
        key = normalize_key(name)
        clash = [o for o in owners.get(key, []) if o[0] != pid and not _apart(o[2], district)]
        if clash:
            other_id, other_name, _ = clash[0]
            errors.append(RowError(file, int(line), "namn", str(name),
                                   f"namnet används redan av platsen \"{other_name}\" (id {other_id}); "
                                   f"använd id:t {other_id} för samma plats, eller ge platsen ett eget "
                                   "namn"))
        owners.setdefault(key, []).append((pid, name, district))
    return errors


def _apart(a, b) -> bool:
    """Whether two districts are both given and differ."""
    return isinstance(a, str) and isinstance(b, str) and a != b


def same_place_twice(df: pd.DataFrame, file: str, column: str,
                     key=("category", "period_start", "period_end"), what="kategori och period") -> list[RowError]:
    """A RowError for each row whose place, written another way, another row of the file already
    gives for the same category and period ("Hässelby torg" and "Hasselby torg"): one would replace
    the other's count. `key` and `what` name the other columns (a survey's year and indicator).

    Examples
    --------
    >>> t = pd.Timestamp("2023-01-01")
    >>> df = pd.DataFrame({"place": ["Hässelby torg", "Hasselby torg"], "place_id": "hasselby-torg",
    ...                    "category": "rån", "period_start": t, "period_end": t, "line": [2, 3]})
    >>> [e.reason for e in same_place_twice(df, "f.csv", "Plats")]
    ['samma plats (hasselby-torg), kategori och period som rad 2, där platsen skrivs "Hässelby torg"']
    """
    known = df[df["place_id"].notna()]
    key = ["place_id", *key]
    later = known.duplicated(key, keep="first")
    if not later.any():
        return []
    first = known.groupby(key, sort=False)[["line", "place"]].transform("first")
    return [RowError(file, int(line), column, str(place),
                     f'samma plats ({pid}), {what} som rad {int(n)}, där platsen skrivs "{p0}"')
            for line, place, pid, n, p0 in zip(known["line"][later], known["place"][later],
                                                 known["place_id"][later], first["line"][later],
                                                 first["place"][later], strict=True)]
