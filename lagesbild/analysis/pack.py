"""What a chart export and the meeting pack hold for a place: the numbers behind every chart and table.

The categories a chart shows are chosen by :func:`chart_categories`: the largest at the place over the
periods, and every category whose change between the periods is statistically säkerställd (a category
that rose is never left out). A trend over Sep–Aug years shows the years up to the latest asked for;
any other periods (tertials, custom ranges …) are shown as asked.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild.analysis import base
from lagesbild.analysis.categories import resolve_category
from lagesbild.analysis.comparison import whole_categories, with_whole_counts
from lagesbild.analysis.place import category_order, months, months_end, place_comparison
from lagesbild.analysis.source_change import source_switches
from lagesbild.core.compare import ALL, counts_by_period
from lagesbild.core.effect_yearly import span_text, whole_span
from lagesbild.core.periods import as_date, sep_aug_years_between
from lagesbild.core.shares import share_of_parent

MAX_TREND_YEARS = 6
MAP_BUFFER_M = {"torg": 600.0, "centrum": 600.0}  # small places are shown with their surroundings
MAP_BUFFER_DEFAULT = 150.0
DEFAULT_PERIODS = 2  # latest Sep–Aug years when none are asked for


@dataclass
class PackContent:
    """A pack's request, checked: the places (rows as dicts) and the periods, in order."""

    places: list
    periods: list


def default_periods(store, n: int = DEFAULT_PERIODS, places=None) -> list:
    """The latest ``n`` Sep–Aug years (the last may be incomplete), or, with yearly counts only
    (Brå), the latest ``n`` calendar years with yearly counts.

    With ``places`` (ids or names), their own default comparison (:func:`~lagesbild.analysis.base.default_comparison`)
    when the places with crime data agree on it: a pack of Göteborg (Brå's yearly tables) beside a
    kommun's monthly data took the store's Sep–Aug years, every number "saknas". When they differ,
    the Sep–Aug years of the one whose data run latest. A name that is no place (refused later),
    or places without crime data, leave the store's."""
    store_wide = base.latest_years(store, n) or base.whole_years(store)[-n:]
    own = []
    for key in dict.fromkeys(places or []):
        try:
            pid = base.resolve_place(store, key)["place_id"]
        except base.NotFound:
            return store_wide
        if places_data_until(store, [pid]) is not None:
            own.append(base.default_comparison(store, pid, n))
    own = [o for o in own if o]
    if not own:
        return store_wide
    if all(o == own[0] for o in own):
        return own[0]
    sep_aug = [o for o in own if all(p.kind == "sep_aug" for p in o)]
    return max(sep_aug, key=lambda o: o[-1].end) if sep_aug else store_wide


def places_data_until(store, place_ids):
    """The last day of these places' crime data: what a pack of them says as "Data t.o.m." (the
    latest of the places' own ends), or None when none of them has crime data.

    A place's end is :func:`~lagesbild.analysis.place.place_data_until` when the store covers months
    of it, else the end of its last count of a whole period (Brå's calendar years). The store's own
    "data t.o.m." (:func:`~lagesbild.analysis.base.data_until`) is the latest of every place's: a
    Brå table to December 2025 made a pack of places whose incidents end in August 2023 say
    "Data t.o.m. 31 dec 2025"."""
    whole = base.whole_rows(store)
    days = []
    for pid in dict.fromkeys(place_ids or []):
        days.append(_monthly_until(store, pid))
        own = whole.loc[whole["place_id"] == pid, "period_end"] if len(whole) else whole
        if len(own):
            days.append(pd.Timestamp(own.max()).date())
    days = [as_date(d) for d in days if d is not None]
    return max(days) if days else None


def whole_periods_only(store, place_id) -> dict | None:
    """The span of a place's counts of whole periods (Brå's calendar years, a file of Sep–Aug years)
    when those are all its crime data: ``{"start", "end", "kind"}`` (kind ``calendar``, ``sep_aug``
    or ``other``); None when the store
    covers any month of the place, or it has no whole periods. Before/after an activity's start is cut
    from months, so such a place has none (the pack says why)."""
    whole = base.whole_rows(store)
    own = whole[whole["place_id"] == place_id] if len(whole) else whole
    if not len(own) or len(base.coverage_for(store, [place_id])):
        return None
    return whole_span(own)


def whole_span_text(whole: dict) -> str:
    """:func:`whole_periods_only`'s span in Swedish ("kalenderåren 2019–2025"), as the effects' verdict
    names it (:func:`lagesbild.core.effect_yearly.span_text`)."""
    return span_text(whole)


def _monthly_until(store, place_id):
    """The last day of the place's monthly data (:func:`~lagesbild.analysis.place.place_data_until`),
    None when the store covers no month of it."""
    from lagesbild.analysis.place import place_data_until

    return place_data_until(store, place_id) if len(base.coverage_for(store, [place_id])) else None


def pack_content(store, places, periods) -> PackContent:
    """Check a pack's places and periods (:class:`~lagesbild.analysis.base.NotFound` or ValueError
    with a Swedish message) and return them resolved."""
    if store.data_until() is None:
        raise base.NotFound("Databasen innehåller inga anmälda brott. Läs in data först "
                            "(python -m lagesbild ingest crimes …) eller kör demo.")
    pers = base.parse_periods(periods)
    if len(pers) < 2:
        raise ValueError("Mötespaketet jämför perioder: ange minst två, t.ex. 2021–2022 2022–2023.")
    require_data_in(store, pers)
    rows = [base.resolve_place(store, p) for p in dict.fromkeys(places or [])]
    if not rows:
        raise ValueError("Ange minst en plats.")
    return PackContent(rows, pers)


def require_data_in(store, periods) -> None:
    """Refuse (ValueError, Swedish) periods of which none overlaps the monthly data: a pack of
    2030–2031 against 2031–2032 was written in full, every number "saknas". Stores with yearly
    counts only are not checked here (their years are checked where they are compared)."""
    span = base.data_span(store)
    if span is not None and periods and all(p.start > span[1] or p.end < span[0] for p in periods):
        from lagesbild.core.periods import format_date_sv

        raise ValueError(f"Ingen av perioderna ({', '.join(p.label for p in periods)}) har data: brottsdata "
                         f"finns {format_date_sv(span[0])}–{format_date_sv(span[1])}.")


def pack_options(store) -> tuple[list[tuple[str, str]], list[str]]:
    """(place id, name) of every place and the years a pack may compare: the Sep–Aug years with data
    and the calendar years with yearly counts (:func:`~lagesbild.analysis.base.year_choices`), for
    the pack's controls."""
    pl = store.places()
    return (list(zip(pl["place_id"], pl["name"], strict=True)), [y.label for y in base.year_choices(store)])


def chart_categories(store, place_id, periods, n: int | None, category=None, *, alpha: float = 0.05
                     ) -> list[str]:
    """The ``n`` largest categories at the place over the periods, plus every category with a
    statistically säkerställd change between them (or just ``category`` when asked for)."""
    chosen = resolve_category(store, category)  # an unknown one is NotFound; "alla" is every category
    if chosen is not None:
        return [chosen]
    m = base.complete_counts(store, place_ids=[place_id])
    start, end = pd.Timestamp(periods[0].start), pd.Timestamp(periods[-1].end)
    m = m[(m["month"] >= start) & (m["month"] <= end)]
    ranked = m.groupby("category")["count"].sum().sort_values(ascending=False, kind="stable").index.tolist()
    ranked += [c for c in whole_categories(store, place_id, periods) if c not in set(ranked)]
    cats = ranked[:n] if n else ranked
    if n and len(periods) >= 2:
        cmp = place_comparison(store, place_id, periods, alpha=alpha)
        changed = set(cmp.loc[cmp["significant"].fillna(False).astype(bool) & (cmp["category"] != ALL),
                              "category"])
        cats += [c for c in ranked if c in changed and c not in cats]
    return cats


def trend_periods(store, place_id, periods) -> list:
    """The periods of a trend chart: Sep–Aug years from the place's first data up to the latest asked
    for (at most :data:`MAX_TREND_YEARS`), or exactly the periods asked for when they are of another
    kind."""
    if periods and any(p.kind != "sep_aug" for p in periods):
        return list(periods)
    until = store.data_until()
    years = base.place_years_with_data(store, place_id)
    if periods:
        last = max(p.end for p in periods)
        years = [y for y in years if y.start <= last] or list(periods)
    return (years or sep_aug_years_between(until, until))[-MAX_TREND_YEARS:]


def trend_counts(store, place: dict, periods, *, category=None, n: int = 5, alpha: float = 0.05):
    """(the periods, counts per period and category) of a place's trend chart."""
    pers = trend_periods(store, place["place_id"], periods)
    cats = chart_categories(store, place["place_id"], pers, n, category, alpha=alpha)
    counts = with_whole_counts(store, counts_by_period(
        base.complete_counts(store, place_ids=[place["place_id"]]), pers, place_id=place["place_id"],
        categories=cats, coverage=base.coverage_for(store, [place["place_id"]])), place["place_id"])
    return pers, counts[counts["category"] != ALL].reset_index(drop=True)


def month_series(store, place: dict, periods, *, category=None, n: int = 3, alpha: float = 0.05):
    """The monthly series over the periods (up to the last day of complete months, as on Plats:
    :func:`lagesbild.analysis.place.months_end`) for the chart's categories."""
    start, end = periods[0].start, months_end(store, place["place_id"], periods)
    cats = chart_categories(store, place["place_id"], periods, n, category, alpha=alpha)
    return months(base.complete_counts(store, place_ids=[place["place_id"]]),
                  base.coverage_for(store, [place["place_id"]]), place["place_id"], cats, start, end)


def month_source_changes(store, place: dict, periods, categories) -> pd.DataFrame:
    """Where the monthly series of :func:`month_series` changes source (``month, before, after``,
    :func:`lagesbild.analysis.source_change.source_switches`), for the chart's dotted lines."""
    start, end = periods[0].start, months_end(store, place["place_id"], periods)
    return source_switches(base.complete_counts(store, place_ids=[place["place_id"]]), place["place_id"],
                           list(categories), start, end)


def share_numbers(store, place: dict, periods, *, category=None, n: int = 3, alpha: float = 0.05):
    """(parent ids, names) and the place's share of each parent's counts per period, with its test."""
    parents = base.parent_ids(store, place)
    cats = chart_categories(store, place["place_id"], periods, n, category, alpha=alpha)
    if category is None:
        cats = _shared_with(store, parents, cats, chart_categories(store, place["place_id"], periods, None),
                            n)
    ids = [place["place_id"], *parents]
    shares = share_of_parent(base.complete_counts(store, place_ids=ids), periods, place["place_id"], parents,
                             categories=cats, coverage=base.coverage_for(store, ids), alpha=alpha,
                             until=base.data_end(store), cache=base.memo(store, ("dispersions",), dict))
    return {p: base.place_name(store, p) for p in parents}, shares


def _shared_with(store, parents, cats: list, ranked: list, n: int) -> list:
    """The chart's categories that a parent has months of, topped up from ``ranked`` to ``n``: a place
    with a file of 19 categories, whose largest three its district and the city had no month of,
    got a share chart of nothing ("inga månadssiffror för stadsdelsområdet eller staden") beside the
    categories they share. ``cats`` as they are when no parent has a month of any of them."""
    covered = base.coverage_for(store, list(parents)) if parents else None
    if covered is None or covered.empty or covered["category"].isna().any():  # every category covered
        return cats
    have = set(covered["category"])
    keep = [c for c in cats if c in have]
    fill = [c for c in ranked if c in have and c not in keep]
    shared = keep + fill[:max(n - len(keep), 0)]
    return shared or cats


def map_buffer_m(place: dict) -> float:
    """How far around the place its pack map reaches, in metres (a torg or centrum 600, else 150).

    >>> map_buffer_m({"kind": "torg"}), map_buffer_m({"kind": "utsatt_omrade"})
    (600.0, 150.0)
    """
    return MAP_BUFFER_M.get(place["kind"], MAP_BUFFER_DEFAULT)


#: the pack map's area, in the title's "n i kartans rutor, m …" (the place and its surroundings: the
#: place's own count, on Plats and Karta, is another number)
MAP_AREA_WORDS = "i kartans område"


def map_area(store, place: dict):
    """The area a place's map shows: the place grown by its buffer (EPSG:3006)."""
    from lagesbild.analysis.maps import place_geometry

    return place_geometry(store, place["place_id"]).buffer(map_buffer_m(place))


def map_cells(store, settings, place: dict, period, *, category=None):
    """Gi* cells of one period around the place (None without incidents), every non-sensitive
    category unless one is asked for. As Karta's (:func:`lagesbild.analysis.maps.map_layers`), the
    cells' ``attrs["in_area"]`` holds the crimes in the map's area beside those its grid counts
    (``attrs["incidents"]``: cells less than half in the area or on land are left out), so the title
    says "26 i kartans rutor, 27 i kartans område" where they differ (it said "26"): the map's area is
    the place and :func:`map_buffer_m` around it, so ``attrs["area_words"]`` names it so."""
    from lagesbild.analysis.maps import in_area
    from lagesbild.core.hotspots import hotspots

    cats = base.mappable_categories(store, category or None)
    area = map_area(store, place)
    inc = store.incidents(category=cats, start=period.start, end=period.end, bbox=tuple(area.bounds))
    if not len(inc):
        return None
    cells = hotspots(inc, area, cell_size=float(settings.cell_size), fit_small=True)
    cells.attrs["in_area"] = [in_area(inc, area)]
    cells.attrs["area_words"] = MAP_AREA_WORDS  # the place grown by its buffer, not the place alone
    return cells


def map_problem(store, place: dict, period, *, category=None) -> str | None:
    """What the place's map says instead of hot spots when no incident with coordinates of the
    categories lies in the place in ``period`` but the store counts crimes there (monthly or yearly
    counts, from a file or Brå): :func:`lagesbild.analysis.maps.only_counts`, as Karta says it.
    None otherwise (the map is drawn as :func:`map_cells` finds it)."""
    import shapely

    from lagesbild.analysis.maps import only_counts, place_geometry

    cats = base.mappable_categories(store, category or None)
    geom = place_geometry(store, place["place_id"])
    inc = store.incidents(category=cats, start=period.start, end=period.end, bbox=tuple(geom.bounds))
    if len(inc) and shapely.intersects_xy(geom, inc["x"].to_numpy(), inc["y"].to_numpy()).any():
        return None
    if cats is None:  # no sensitive category in the store: every category
        cats = list(store.categories()["category_id"])
    return only_counts(store, place["place_id"], [cats] if isinstance(cats, str) else list(cats), period)


def colours_order(store, place_id) -> list[str]:
    """The category order the figures colour by (see :func:`~lagesbild.analysis.place.category_order`)."""
    return category_order(store, place_id)


NOTES_IN_PACK = 10  # the latest meeting notes of a place in its section


def place_notes(store, place_id, *, limit: int = NOTES_IN_PACK) -> pd.DataFrame:
    """The place's latest meeting notes for its section (newest meeting first):
    ``meeting_date, author, text, created_at`` (:func:`lagesbild.analysis.meeting.meeting_notes`)."""
    from lagesbild.analysis.meeting import meeting_notes

    notes = meeting_notes(store, places=[place_id])
    return notes[["meeting_date", "author", "text", "created_at"]].head(limit).reset_index(drop=True)
