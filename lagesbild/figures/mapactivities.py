"""The action plan's activities on the map: one marker per place, the list of activities with whether
each lies in a hot spot, and the numbers that tie the two together.

Examples
--------
>>> pts = pd.DataFrame({"place_id": ["t"]})
>>> number_points(pts, pd.DataFrame({"Nr": [1], "_place_id": ["t"]}))["label"].tolist()
['1']
"""

from __future__ import annotations

import re
import textwrap

import pandas as pd

from lagesbild.figures import palette
from lagesbild.figures.kept import MISSING, KeptByIdentity
from lagesbild.figures.markup import plain, plain_all


def _to_4326(gdf):
    if gdf is None or len(gdf) == 0:
        return gdf
    return gdf.to_crs(4326) if gdf.crs is not None and gdf.crs.to_epsg() != 4326 else gdf


FOLLOWUP_ORDER = {"T1": 1, "T2": 2, "T3": 3, "VB": 4}


def activity_points(activities: pd.DataFrame, links: pd.DataFrame, places, followups=None) -> pd.DataFrame:
    """One marker per place with activities: ``place_id, lon, lat, aktivitet, hover``.

    The hover text lists each activity with its arbetsgrupp, sammankallande, mötesfrekvens and latest
    follow-up (latest year; VB after T2 after T1). The marker sits on a point inside the place.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> pl = gpd.GeoDataFrame({"place_id": ["t"], "name": ["Torget"]}, geometry=[box(17.8, 59.3, 17.9, 59.4)],
    ...                       crs=4326)
    >>> acts = pd.DataFrame({"activity_id": ["a"], "aktivitet": ["Platssamverkan"], "arbetsgrupp": ["AG"],
    ...                      "sammankallande": ["SDF"], "motesfrekvens": ["1 gång per månad"]})
    >>> fu = pd.DataFrame({"activity_id": ["a", "a"], "year": [2022, 2022], "period": ["T1", "VB"],
    ...                    "goal_met": ["nej", "ja"], "carried_out": ["", "Vandringar"]})
    >>> pts = activity_points(acts, pd.DataFrame({"activity_id": ["a"], "place_id": ["t"]}), pl, fu)
    >>> "Senaste uppföljning: VB 2022 – mål uppfyllt: ja" in pts.loc[0, "hover"]
    True
    """
    cols = ["place_id", "lon", "lat", "aktivitet", "hover"]
    if activities is None or activities.empty or links is None or links.empty or places is None:
        return pd.DataFrame(columns=cols)
    places = _to_4326(places)
    latest = {}
    if followups is not None and len(followups):
        fu = followups.assign(_o=followups["period"].map(FOLLOWUP_ORDER).fillna(0))
        for r in fu.sort_values(["year", "_o"]).to_dict("records"):
            latest[r["activity_id"]] = r
    merged = links.merge(activities, on="activity_id").merge(
        pd.DataFrame({"place_id": places["place_id"], "name": places.get("name", places["place_id"]),
                      "point": places.geometry.representative_point()}), on="place_id")
    rows = []
    for pid, sub in merged.groupby("place_id", sort=False):
        parts = []
        for r in sub.to_dict("records"):
            text = f"<b>{plain(r['aktivitet'])}</b>"
            for key, label in (("arbetsgrupp", "Arbetsgrupp"), ("sammankallande", "Sammankallande"),
                               ("motesfrekvens", "Mötesfrekvens")):
                text += f"<br>{label}: {plain(r.get(key) or '–')}"
            f = latest.get(r["activity_id"])
            done = "<br>".join(plain_all(textwrap.wrap(str(f.get("carried_out") or ""), 60))) if f else ""
            text += ("<br>Senaste uppföljning: –" if f is None else
                     f"<br>Senaste uppföljning: {plain(f['period'])} {f['year']} – mål uppfyllt: "
                     f"{plain(f['goal_met'])}"
                     + (f"<br>{done}" if done else ""))  # the follow-up's text whole, wrapped
            parts.append(text)
        point = sub["point"].iloc[0]
        rows.append({"place_id": pid, "lon": point.x, "lat": point.y,
                     "aktivitet": "; ".join(sub["aktivitet"]),
                     "hover": f"<i>{plain(sub['name'].iloc[0])}</i><br>" + "<br><br>".join(parts)})
    return pd.DataFrame(rows, columns=cols)


POINTS_KEPT = 16
_POINTS = KeptByIdentity(POINTS_KEPT)  # the four frames -> their points, while the frames live


def kept_activity_points(activities, links, places, followups=None) -> pd.DataFrame:
    """:func:`activity_points`, worked out once for each set of frames while they live (the
    :data:`POINTS_KEPT` sets used last; a copy each call): the analysis layer returns the same plan,
    links and outlines for an area until the data change, so a change of category or period on the
    map (0.25 ms a map) does not write the activities' hover texts again. Frames are recognised by
    identity, checked through weak references (an id of a frame since freed may be reused;
    :mod:`lagesbild.figures.kept`); they must not be changed once drawn (the analysis layer's never
    are)."""
    frames = (activities, links, places, followups)
    points = _POINTS.get(frames)
    if points is not MISSING:
        return points.copy()
    points = activity_points(activities, links, places, followups)
    if not _POINTS.put(frames, points):  # a frame without weak references is never kept
        return points
    return points.copy()


WHOLE_AREA_KINDS = ("stadsdelsomrade", "stad")  # activities of a whole district are not "in" a hot spot


def activities_in_hotspots(activities: pd.DataFrame, links: pd.DataFrame, places, cells,
                           unknown: str | None = None) -> pd.DataFrame:
    """Each activity on the map with its place and whether the place touches a hot spot.

    A place lies in a hot spot when its outline meets a cell with ``gi_bin > 0`` (Gi*, 90 % or more);
    the strongest class met is named. An activity of a whole district is said to concern the whole
    area. ``unknown`` is said instead of ja/nej when the map has no hot spot classes (density, too few
    crimes). Rows: ``Nr`` (the number on the map), ``Aktivitet, Plats, Ligger i het punkt`` and the
    hidden ``_place_id``; the activities of one place are numbered one after another.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> pl = gpd.GeoDataFrame({"place_id": ["t", "u"], "name": ["Torget", "Parken"]},
    ...                       geometry=[box(0, 0, 100, 100), box(500, 500, 600, 600)], crs=3006)
    >>> cells = gpd.GeoDataFrame({"gi_bin": [3, 0]}, geometry=[box(50, 50, 250, 250),
    ...                           box(500, 500, 700, 700)], crs=3006)
    >>> acts = pd.DataFrame({"activity_id": ["a", "b"], "aktivitet": ["Samverkan", "Vandring"]})
    >>> links = pd.DataFrame({"activity_id": ["a", "b"], "place_id": ["t", "u"]})
    >>> activities_in_hotspots(acts, links, pl, cells)["Ligger i het punkt"].tolist()
    ['ja – het punkt, 99 % konfidens', 'nej']
    """
    cols = ["Nr", "Aktivitet", "Plats", "Ligger i het punkt", "_place_id"]
    if activities is None or activities.empty or links is None or links.empty or places is None \
            or len(places) == 0:
        return pd.DataFrame(columns=cols)
    hot = None
    if cells is not None and len(cells) and "gi_bin" in cells:
        hot = cells[cells["gi_bin"] > 0]
        hot = hot.to_crs(places.crs) if hot.crs is not None and places.crs is not None else hot
    geoms = dict(zip(places["place_id"], places.geometry, strict=False))
    names = dict(zip(places["place_id"], places.get("name", places["place_id"]), strict=False))
    kinds = dict(zip(places["place_id"], places["kind"], strict=True)) if "kind" in places else {}
    rows = []
    for r in links.merge(activities, on="activity_id").to_dict("records"):
        geom = geoms.get(r["place_id"])
        if geom is None:
            continue
        met = hot[hot.intersects(geom)] if hot is not None and len(hot) else None
        if kinds.get(r["place_id"]) in WHOLE_AREA_KINDS:  # the area itself: it holds every hot spot
            verdict = "gäller hela området"
        elif unknown:
            verdict = unknown
        elif met is None or met.empty:
            verdict = "nej"
        else:
            label = palette.GI_CLASSES[int(met["gi_bin"].max())][0]
            verdict = "ja – " + label.replace("Het punkt – ", "het punkt, ")
        rows.append({"Aktivitet": r["aktivitet"], "Plats": names[r["place_id"]],
                     "Ligger i het punkt": verdict, "_place_id": r["place_id"]})
    # numbers in names in their order: "Aktivitet 2" before "Aktivitet 10" (it was number 12 of 23)
    rows.sort(key=lambda r: (r["Ligger i het punkt"], r["Plats"], natural_key(r["Aktivitet"])))
    out = pd.DataFrame(rows, columns=cols[1:])
    return out.reset_index(drop=True).assign(Nr=lambda d: d.index + 1)[cols]


def natural_key(text) -> tuple:
    """A sort key that orders the numbers inside a text by value.

    >>> sorted(["Aktivitet 10", "Aktivitet 2", "Aktivitet 1"], key=natural_key)
    ['Aktivitet 1', 'Aktivitet 2', 'Aktivitet 10']
    """
    parts = re.split(r"(\d+)", str(text))
    return tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts))


def number_points(points: pd.DataFrame, listed: pd.DataFrame) -> pd.DataFrame:
    """Activity markers (:func:`activity_points`) labelled with their numbers in ``listed``
    (:func:`activities_in_hotspots`): ``3`` or ``4–6``.

    Examples
    --------
    >>> pts = pd.DataFrame({"place_id": ["t", "u"]})
    >>> listed = pd.DataFrame({"Nr": [1, 2, 3], "_place_id": ["u", "t", "t"]})
    >>> number_points(pts, listed)["label"].tolist()
    ['2–3', '1']
    """
    def label(nrs) -> str:
        nrs = sorted(nrs)
        if len(nrs) > 1 and nrs[-1] - nrs[0] == len(nrs) - 1:
            return f"{nrs[0]}–{nrs[-1]}"
        return ", ".join(str(n) for n in nrs)
    if points is None or len(points) == 0 or listed is None or len(listed) == 0:
        return points
    labels = listed.groupby("_place_id")["Nr"].apply(label)
    return points.assign(label=points["place_id"].map(labels).fillna(""))


