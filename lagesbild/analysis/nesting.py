"""Places inside places: a district, the areas in it and the squares in those (``district_id`` is
each place's larger place, to any depth).

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"place_id": ["sdo", "omr", "torg", "annan"],
...                    "district_id": [None, "sdo", "omr", None]})
>>> sorted(inside(df, "sdo")), sorted(inside(df, "torg"))
(['omr', 'sdo', 'torg'], ['torg'])
"""

from __future__ import annotations

import pandas as pd

#: kinds of place as large as a city or larger: never a part of it
NOT_IN_CITY = ("kommun", "lan")


def inside(places: pd.DataFrame, place_id) -> set:
    """``place_id`` and every place whose chain of larger places leads to it (a cycle stops)."""
    if "district_id" not in places:
        return {place_id}
    found, frontier = {place_id}, {place_id}
    parents = places["district_id"].to_numpy(dtype=object)
    ids = places["place_id"].to_numpy(dtype=object)
    while frontier:
        frontier = {p for p, d in zip(ids, parents, strict=True) if d in frontier} - found
        found |= frontier
    return found


def activities_inside(activities: pd.DataFrame, links: pd.DataFrame, places: pd.DataFrame,
                      place_id) -> pd.DataFrame:
    """The activities at ``place_id`` or a place inside it, to any depth (``links``: ``activity_id,
    place_id``): what Åtgärdsplan lists for a district and Översikt's tile counts.

    Examples
    --------
    >>> places = pd.DataFrame({"place_id": ["sdo", "torg", "annan"], "district_id": [None, "sdo", None]})
    >>> acts = pd.DataFrame({"activity_id": ["a", "b"]})
    >>> links = pd.DataFrame({"activity_id": ["a", "b"], "place_id": ["torg", "annan"]})
    >>> activities_inside(acts, links, places, "sdo")["activity_id"].tolist()
    ['a']
    """
    within = inside(places, place_id)
    return activities[activities["activity_id"].isin(links.loc[links["place_id"].isin(within), "activity_id"])]


def in_city(place_row: dict, city_row: dict) -> bool:
    """Whether a place can lie in the city: not a kommun or län, and, where both have a bounding box,
    the centre of the place's inside the city's.

    Examples
    --------
    >>> city = {"minx": 0.0, "miny": 0.0, "maxx": 10.0, "maxy": 10.0}
    >>> in_city({"kind": "stadsdel", "minx": 2.0, "miny": 2.0, "maxx": 4.0, "maxy": 4.0}, city)
    True
    >>> in_city({"kind": "plats", "minx": 20.0, "miny": 2.0, "maxx": 24.0, "maxy": 4.0}, city)
    False
    >>> in_city({"kind": "kommun"}, city), in_city({"kind": "plats"}, city)
    (False, True)
    """
    if place_row.get("kind") in NOT_IN_CITY:
        return False
    box = [place_row.get(k) for k in ("minx", "miny", "maxx", "maxy")]
    outer = [city_row.get(k) for k in ("minx", "miny", "maxx", "maxy")]
    if any(v is None or pd.isna(v) for v in (*box, *outer)):
        return True
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return bool(outer[0] <= x <= outer[2] and outer[1] <= y <= outer[3])
