"""Built-in geography: Sweden's kommuner and län, Stockholm's city, 13 stadsdelsområden and 117
stadsdelar (``lagesbild/data/geo/builtin.geojson``, made by ``scripts/make_builtin_geo.py``; sources and
licences in ``lagesbild/data/geo/SOURCES.md``).

A fresh store knows these places by name, id and code: a file naming ``Göteborg``, ``Bodens kommun``,
``2582`` (SCB kommunkod) or ``Hässelby-Vällingby`` resolves without a places file first
(:func:`find_builtin`). Names are compared with case forgiven; accents are forgiven too unless two
built-in places differ only in accents (``Vårberg`` the stadsdel, ``Varberg`` the kommun), in which case
the name must be written exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from lagesbild.sources.geofile import read_geofile
from lagesbild.sources.textkeys import fold, normalize_key

BUILTIN_FILE = Path(__file__).resolve().parent.parent / "data" / "geo" / "builtin.geojson"
COLUMNS = ["place_id", "name", "kind", "district_id", "population", "approximate", "source", "code",
           "geometry"]
# Endings users and Brå write after a place name: "Bodens kommun", "Stockholms stad", "Göteborgs stad".
SUFFIXES = re.compile(r"(?i)\s*(s)?\s+(kommun|stad|kommune|stadsdelsområde|stadsdelsnämndsområde|"
                      r"stadsområde)$")
# A district named after its kommun: "Stockholm stadsdelsområde Hässelby-Vällingby", "Stockholms stad
# stadsområde Söderort" (Brå's and the police's area names) -> the district's own name (group 1).
# The regions' own names: "Region Skåne" is Skåne län; "Region Gotland" is the kommun Gotland (it has
# the region's tasks; the län is "Gotlands län", the same area). Names the rule below does not reach:
REGION = re.compile(r"(?i)^region(?:en)?\s+(.+)$")
REGION_NAMES = {"gotland": "Gotland", "sörmland": "Södermanlands län", "jämtland härjedalen": "Jämtlands län",
                "västra götalandsregionen": "Västra Götalands län"}
KOMMUN_PREFIXED = re.compile(r"(?i)^.+?\s+(?:stadsdelsområde|stadsdelsnämndsområde|stadsområde|stadsdel)\s+(.+)$")
CODE_AND_NAME = re.compile(r"^(\d{4})\s+(.+)$|^(.+?)\s*\((\d{4})\)$")


@lru_cache(maxsize=1)
def builtin_places() -> gpd.GeoDataFrame:
    """Every built-in place in EPSG:3006 with the places table's columns and ``code``.

    Examples
    --------
    >>> g = builtin_places()
    >>> g["kind"].value_counts().sort_index().to_dict()
    {'kommun': 289, 'lan': 21, 'stad': 1, 'stadsdel': 117, 'stadsdelsomrade': 13}
    """
    raw = read_geofile(BUILTIN_FILE, BUILTIN_FILE.name).to_crs(3006)
    out = gpd.GeoDataFrame({
        "place_id": raw["place_id"], "name": raw["namn"], "kind": raw["typ"],
        "district_id": raw["stadsdelsomrade"].astype(object).where(raw["stadsdelsomrade"].notna(), None),
        "population": pd.array([None] * len(raw), dtype="Int64"), "approximate": False,
        "source": raw["kalla"], "code": raw["kod"].astype(object).where(raw["kod"].notna(), None)},
        geometry=raw.geometry, crs=3006)
    return out[COLUMNS]


@lru_cache(maxsize=1)
def builtin_names() -> tuple[str, ...]:
    """Every built-in place's name as written, for suggestions when a name is misspelt.

    >>> "Botkyrka" in builtin_names(), "Hässelby-Vällingby" in builtin_names()
    (True, True)
    """
    return tuple(dict.fromkeys(builtin_places()["name"].astype(str)))


@lru_cache(maxsize=1)
def _lookups() -> tuple[dict, dict, dict]:
    """(name as written, case forgiven), (id or code), (accents forgiven, when unambiguous)."""
    g = builtin_places()
    names: dict[str, str] = {}
    ids: dict[str, str] = {}
    loose: dict[str, set] = {}
    for pid, name, code in zip(g["place_id"], g["name"], g["code"], strict=True):
        names.setdefault(fold(name), pid)
        ids.setdefault(pid, pid)
        if code:
            ids.setdefault(code, pid)
        loose.setdefault(normalize_key(name), set()).add(pid)
    return names, ids, {k: next(iter(v)) for k, v in loose.items() if len(v) == 1}


def _candidates(text: str) -> list[str]:
    text = " ".join(str(text).split())
    out = [text]
    m = CODE_AND_NAME.match(text)  # "2582 Boden", "Boden (2582)"
    if m:
        code, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out += [code] + _candidates(name)
    if "," in text:  # "Norrbottens län, Bodens kommun", "Stockholm, Hässelby-Vällingby"
        out += _candidates(text.rsplit(",", 1)[1])
    region = REGION.match(text)
    named = REGION_NAMES.get((region.group(1) if region else text).lower())
    if named:
        out.append(named)
    elif region:  # "Region Stockholm" -> "Stockholms län", "Region Örebro län" -> "Örebro län"
        name = region.group(1)
        out += [name] if name.lower().endswith(" län") else [f"{name}s län", f"{name} län"]
    prefixed = KOMMUN_PREFIXED.match(text)
    if prefixed:
        out += _candidates(prefixed.group(1))
    if SUFFIXES.search(text):
        head = text.rsplit(" ", 1)[0]
        out += [head] + ([head[:-1]] if head.lower().endswith("s") else [])
    if re.fullmatch(r"\d{3}", text):
        out.append("0" + text)  # kommunkod read as a number: 180 -> 0180
    return list(dict.fromkeys(out))


def candidates(text: str) -> list[str]:
    """The spellings a place text may stand for (suffixes ``kommun``/``stad`` dropped).

    Examples
    --------
    >>> candidates("Bodens kommun")
    ['Bodens kommun', 'Bodens', 'Boden']
    """
    return _candidates(text)


def find_builtin(text: object, *, exact: bool = False) -> str | None:
    """The built-in place a text names (by name, id or code), or None; with ``exact``, only a name
    written with its accents (case forgiven), an id or a code.

    Examples
    --------
    >>> [find_builtin(t) for t in ["Stockholm", "hässelby-vällingby", "GÖTEBORG", "Boden", "2582",
    ...                            "Bodens kommun", "Vårberg", "Varberg", "Hasselby Vallingby", "Atlantis"]]
    ['stockholm', 'hasselby-vallingby', 'goteborg', 'boden', 'boden', 'boden', 'varberg', \
'varberg-kommun', 'hasselby-vallingby', None]
    >>> [find_builtin(t) for t in ["2582 Boden", "Boden (2582)", "Norrbottens län, Bodens kommun",
    ...                            "Hässelby-Vällingby stadsdelsområde", "Stockholm, Skärholmen"]]
    ['boden', 'boden', 'boden', 'hasselby-vallingby', 'skarholmen']
    >>> [find_builtin(t) for t in ["Stockholm stadsdelsområde Hässelby-Vällingby", "Stockholms stad, Skärholmen",
    ...                            "Stockholms stad stadsdelsområde Skärholmen", "Stockholm stadsområde Söderort"]]
    ['hasselby-vallingby', 'skarholmen', 'skarholmen', None]
    >>> [find_builtin(t) for t in ["Region Gotland", "Region Skåne", "Region Uppsala", "Region Örebro län",
    ...                            "Region Sörmland", "Västra Götalandsregionen"]]
    ['gotland', 'skane-lan', 'uppsala-lan', 'orebro-lan', 'sodermanlands-lan', 'vastra-gotalands-lan']
    """
    if not isinstance(text, str) or not text.strip():
        return None
    names, ids, loose = _lookups()
    cands = _candidates(text)
    tables = ((names, fold), (ids, fold)) + (() if exact else ((loose, normalize_key),))
    for table, key in tables:
        for cand in cands:
            hit = table.get(key(cand))
            if hit is not None:
                return hit
    return None
