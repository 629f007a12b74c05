"""Overview helpers: the place × category matrix and the key-figure tiles.

Examples
--------
>>> [t["label"] for t in make_overview_tiles(data_until="2023-08-31", n_places=7)][:3]
['Data t.o.m.', 'Platser', 'Pågående aktiviteter']
"""

from __future__ import annotations

import pandas as pd

from lagesbild import clock
from lagesbild.figures.figdict import records
from lagesbild.figures.format import MISSING, fmt_change, fmt_date, fmt_int, fmt_pct, fmt_period
from lagesbild.figures.tables import ARROWS, category_label, verdict_class


def make_overview_matrix(comparison: pd.DataFrame, places: pd.DataFrame, *,
                         category_names=None) -> pd.DataFrame:
    """One cell per place × category for the overview: latest count, change and its class.

    Parameters
    ----------
    comparison : DataFrame
        :func:`~lagesbild.core.compare.compare` rows of every place for one pair of periods
        (``place_id`` set).
    places : DataFrame
        ``place_id, name`` (the order of the rows is kept).

    Returns
    -------
    DataFrame
        ``place_id, name, category, category_name, count, change, pct, klass, verdict, title``; ``count``
        and ``change`` formatted; ``title`` a one-line Swedish hover text.
    """
    names = dict(category_names or {})
    cols = ["place_id", "name", "category", "category_name", "count", "change", "pct", "klass",
            "verdict", "title"]
    if comparison is None or comparison.empty:
        return pd.DataFrame(columns=cols)
    df = comparison.merge(places[["place_id", "name"]], on="place_id", how="inner")
    periods = {p: fmt_period(p) for p in pd.unique(df[["period_a", "period_b"]].to_numpy().ravel())}
    rows = []
    used = ["place_id", "name", "category", "significant", "verdict", "count_a", "count_b", "change",
            "pct_change", "period_a", "period_b"]
    for r in records(df[used]):  # column by column: to_dict("records") boxes every cell
        klass = verdict_class(r["significant"], r["verdict"])
        cat = category_label(names, r["category"])
        rows.append({
            "place_id": r["place_id"], "name": r["name"], "category": r["category"],
            "category_name": cat, "count": fmt_int(r["count_b"]), "change": fmt_change(r["change"]),
            "pct": fmt_pct(r["pct_change"], 0, sign=True, fraction=False), "klass": klass,
            "verdict": ARROWS[klass] + str(r["verdict"]),
            "title": f"{r['name']}, {cat}: {fmt_int(r['count_a'])} ({periods[r['period_a']]}) → "
                     f"{fmt_int(r['count_b'])} ({periods[r['period_b']]}); {r['verdict']}",
        })
    order = {pid: i for i, pid in enumerate(places["place_id"])}
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("place_id", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def running_activities(activities: pd.DataFrame, on=None) -> pd.DataFrame:
    """Activities running on a date (default today): not ended and not starting later. An activity
    without an end date runs "tillsvidare", as the action plan lists it, also when its start date is
    missing.

    Examples
    --------
    >>> acts = pd.DataFrame({"start_date": pd.to_datetime(["2019-02-01", "2019-02-01", None, "2030-01-01"]),
    ...                      "end_date": pd.to_datetime([None, "2020-01-01", None, None])})
    >>> len(running_activities(acts, on="2021-01-01"))
    2
    """
    if activities is None or activities.empty:
        return activities
    day = pd.Timestamp(on if on is not None else clock.today())
    start = pd.to_datetime(activities["start_date"])
    end = pd.to_datetime(activities["end_date"])
    return activities[(start.isna() | (start <= day)) & (end.isna() | (end >= day))]


def make_overview_tiles(*, data_until=None, n_places: int = 0, activities=None, comparison=None,
                        headline=None, on=None) -> list[dict]:
    """Key-figure tiles for the overview: each ``{label, value, detail, tone}``.

    ``tone`` is ``up``/``down`` (significant increases/decreases), ``neutral`` or ``info``.

    Parameters
    ----------
    comparison : DataFrame, optional
        The comparisons the overview's table shows (every row and column, the districts' and the
        ``alla`` column's too), so the tiles count the table's marked cells.
    headline : list of dict, optional
        Survey headlines ``{indicator, share, year, place}`` to show as tiles.

    Examples
    --------
    >>> [t["value"] for t in make_overview_tiles(data_until="2023-08-31", n_places=7)]
    ['31 aug 2023', '7', '–', '–', '–']
    """
    tiles = [{"label": "Data t.o.m.", "value": fmt_date(data_until) if data_until else MISSING,
              "detail": "senaste månad med brottsdata", "tone": "info"},
             {"label": "Platser", "value": fmt_int(n_places), "detail": "i lägesbilden", "tone": "info"}]
    running = running_activities(activities, on) if activities is not None else None
    tiles.append({"label": "Pågående aktiviteter",
                  "value": MISSING if running is None else fmt_int(len(running)),
                  "detail": "i åtgärdsplanen", "tone": "info"})
    if comparison is not None and not comparison.empty:
        cmp = comparison
        klass = pd.Series([verdict_class(s, v) for s, v in zip(cmp["significant"], cmp["verdict"], strict=True)],
                          dtype=object)
        # the comparisons tested, as the table's note counts them: rows that cannot be judged ("kan inte
        # bedömas: data saknas") are none (desk9's Södertälje: "av 73 jämförelser" above "69 jämförelser")
        n = int(cmp["p_value"].notna().sum()) if "p_value" in cmp else len(cmp)
        # a part year compared like for like names the months counted, as the table's heading does
        # (the tiles said "2025–2026 → 2026–2027" over one September each)
        spans = _like_for_like_spans(cmp)
        pair = (f"{fmt_period(cmp['period_a'].iloc[0])} → {fmt_period(cmp['period_b'].iloc[0])}"
                if len(spans) != 1 else "{1} → {0}".format(*next(iter(spans))))
        for key, label, tone in (("okning", "Säkerställda ökningar", "up"),
                                 ("minskning", "Säkerställda minskningar", "down")):
            tiles.append({"label": label, "value": fmt_int(int((klass == key).sum())),
                          "detail": f"av {fmt_int(n)} jämförelser, {pair}", "tone": tone})
    else:
        tiles += [{"label": lab, "value": MISSING, "detail": "ingen jämförelse", "tone": "neutral"}
                  for lab in ("Säkerställda ökningar", "Säkerställda minskningar")]
    for h in headline or []:
        tiles.append({"label": h["indicator"], "value": fmt_pct(h["share"]),
                      "detail": f"{h.get('place', '')} {h.get('year', '')}".strip(), "tone": "neutral"})
    return tiles


def counted_months(cmp: pd.DataFrame) -> str:
    """What the heading adds when the comparison counts only some months of each year (the latest
    year begun, data for whole months up to its first months): ``" – bara sep 2026 mot sep 2025"``.
    Without it the heading said "2026–2027 jämfört med 2025–2026" over counts of one September
    each, and only a note under the table told.

    Examples
    --------
    >>> t = pd.DataFrame({"like_for_like": [True, False], "p_value": [0.5, None],  # row 2: not tested
    ...                   "start_a": pd.to_datetime(["2025-09-01"] * 2),
    ...                   "end_a": pd.to_datetime(["2025-10-31", "2026-08-31"]),
    ...                   "start_b": pd.to_datetime(["2026-09-01"] * 2),
    ...                   "end_b": pd.to_datetime(["2026-10-31", "2027-08-31"])})
    >>> counted_months(t)
    ' – bara sep–okt 2026 mot sep–okt 2025'
    >>> counted_months(t.assign(like_for_like=False))
    ''
    >>> counted_months(t.assign(p_value=[0.5, 0.2]))  # a tested row compares the whole years
    ' – för en del platser och kategorier bara några månader av året (se noterna)'
    """
    spans = _like_for_like_spans(cmp)
    if not spans - {None}:
        return ""
    if len(spans) != 1:
        return " – för en del platser och kategorier bara några månader av året (se noterna)"
    (b, a), = spans
    return f" – bara {b} mot {a}"


def _like_for_like_spans(cmp: pd.DataFrame) -> set:
    """The distinct (later, earlier) spans of months the like-for-like rows count, as text, with None
    when a tested row compares the whole periods (then no one span names the table)."""
    if "like_for_like" not in cmp or not cmp["like_for_like"].fillna(False).astype(bool).any():
        return set()
    lfl = cmp["like_for_like"].fillna(False).astype(bool)
    tested = cmp["p_value"].notna() if "p_value" in cmp else pd.Series(True, index=cmp.index)
    cut = cmp[lfl]
    whole = {None} if (~lfl & tested).any() else set()
    return whole | {(fmt_period(f"{pd.Timestamp(r.start_b):%Y-%m-%d}–{pd.Timestamp(r.end_b):%Y-%m-%d}"),
             fmt_period(f"{pd.Timestamp(r.start_a):%Y-%m-%d}–{pd.Timestamp(r.end_a):%Y-%m-%d}"))
            for r in cut[["start_a", "end_a", "start_b", "end_b"]].itertuples()}
