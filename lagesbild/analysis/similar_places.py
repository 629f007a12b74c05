"""Jämför's "Liknande platser": the places most like a chosen one by population and crime mix
(:func:`similar_places`), the mix read from monthly counts or, for places with Brå's yearly tables
only, from their counts for whole periods."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lagesbild.analysis import base
from lagesbild.core.period_pairs import TOTAL_CATEGORY
from lagesbild.core.periods import month_starts
from lagesbild.core.population import period_population

SIMILAR_K = 3  # similar places added to one chosen place

#: Jämför's note under the similar places (side_by_side), as :func:`similar_places` chooses them
SIMILAR_NOTE = ("Liknande platser: platser av samma slag ({kind}) – vid för få, andra platser på samma "
                "nivå – med närmast befolkning och brottsfördelning (avstånd = |ln(befolkningskvot)| + "
                "halva summan av skillnaderna i kategoriandelar under de valda perioderna). Befolkningen "
                "är den som brotten per 1 000 invånare räknas med; platser utan känt invånarantal kan "
                "inte jämföras per invånare och föreslås inte.")
#: the same when the chosen place has no known population: only the crime mix counts (similar_places)
SIMILAR_NOTE_NO_POPULATION = (
    "Liknande platser: platser av samma slag ({kind}) – vid för få, andra platser på samma nivå – med "
    "närmast brottsfördelning (avstånd = halva summan av skillnaderna i kategoriandelar under de valda "
    "perioderna). {name} har inget känt invånarantal, så befolkningen jämförs inte: platserna väljs bara "
    "efter brottsfördelningen, och även platser utan känt invånarantal kan föreslås.")


def _mixes(monthly: pd.DataFrame, periods) -> pd.DataFrame:
    """Each place's share of its crimes per category in the months of the periods (sensitive
    included): one row per place with crimes then, one column per category, rows summing to 1.

    One pass over the monthly counts for every place at once (a filter per place cost 27 ms each,
    3 s for the 100 small places of a city).

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": ["a", "a", "b", "c"], "category": ["x", "y", "x", "x"],
    ...                         "month": pd.to_datetime(["2022-09-01", "2022-10-01", "2022-09-01",
    ...                                                  "2021-01-01"]), "count": [3, 1, 2, 5]})
    >>> from lagesbild.core.periods import parse_period
    >>> _mixes(monthly, [parse_period("2022-2023")])
    category     x     y
    place_id
    a         0.75  0.25
    b         1.00  0.00
    """
    months = pd.DatetimeIndex(sorted(set().union(*[set(p.whole_months) for p in periods])))
    inside = monthly[month_starts(monthly["month"]).isin(months).to_numpy()]
    sums = inside.groupby(["place_id", "category"])["count"].sum().unstack(fill_value=0)
    sums.columns.name = "category"
    totals = sums.sum(axis=1)
    return sums[totals > 0].div(totals[totals > 0], axis=0)


def _with_whole_rows(store, monthly: pd.DataFrame, place_ids, periods) -> pd.DataFrame:
    """The monthly counts plus, for places without months in the periods, their counts for whole
    periods inside them (Brå's yearly tables; the source's own total left out), dated at the
    period's first month: what :func:`_mixes` reads a place's crime mix from."""
    if base.whole_rows(store).empty:  # monthly data only: nothing to add
        return monthly
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    months = month_starts(monthly["month"]) if len(monthly) else monthly["month"]
    seen = set(monthly.loc[(months >= pd.Timestamp(start)).to_numpy()
                           & (months <= pd.Timestamp(end)).to_numpy(), "place_id"])
    add = base.whole_rows_within(store, set(place_ids) - seen, start, end)
    add = add[add["category"] != TOTAL_CATEGORY] if len(add) else add
    if add.empty:
        return monthly
    rows = pd.DataFrame({"place_id": add["place_id"], "category": add["category"],
                         "month": add["period_start"], "count": add["count"]})
    return pd.concat([monthly[["place_id", "category", "month", "count"]], rows], ignore_index=True)


def similar_places(store, settings, place_id, periods, k: int = SIMILAR_K) -> pd.DataFrame:
    """The ``k`` places most like ``place_id`` by population and crime mix.

    Candidates are the places of the same kind; when there are fewer than ``k``, the other places of
    the same level are added (small places for a small place, districts for a district; never the city).
    The distance is ``|ln(pop / pop₀)| + TV(mix, mix₀)``: the log ratio of the populations plus the
    total-variation distance (half the sum of absolute differences) between the shares of the
    categories in the months of ``periods``. The populations are those the rates divide by: the mean
    over the months of ``periods`` from :func:`lagesbild.analysis.base.population_table` (the stored
    figure for a place the table does not hold). A candidate without a known population is left out
    (its rates could never be compared with the chosen place's); without a population for the chosen
    place only the mix counts. Places without crimes in those months are left out (the chosen
    place without crimes then has every candidate at mix distance ½).

    Returns
    -------
    DataFrame
        ``place_id, name, kind, population, distance, same_kind`` sorted by distance (at most ``k``);
        ``attrs["by_population"]`` says whether the chosen place's population counted (else only the mix
        did, and candidates without a population may be among them).
    """
    places = base.places(store)
    me = places.set_index("place_id").loc[place_id]
    level = (places["kind"] == "stadsdelsomrade") if me["kind"] == "stadsdelsomrade" else \
        ~places["kind"].isin(base.AREA_KINDS)
    cand = places[(places["place_id"] != place_id) & (places["kind"] != "stad")
                  & ((places["kind"] == me["kind"]) | level)]
    ids = [place_id, *cand["place_id"]]
    mixes = _mixes(_with_whole_rows(store, base.complete_counts(store, place_ids=ids), ids, periods), periods)
    mix0 = mixes.loc[place_id] if place_id in mixes.index else None
    cand = cand[cand["place_id"].isin(mixes.index)]
    shares = mixes.loc[cand["place_id"]].to_numpy()
    tv = (0.5 * np.abs(shares - mix0.to_numpy()).sum(axis=1) if mix0 is not None
          else np.full(len(cand), 0.5))
    months = pd.DatetimeIndex(sorted(set().union(*[set(p.whole_months) for p in periods])))
    table = base.population_table(store, settings)

    def pop_of(pid, row):  # the population the rates use, None when unknown (or 0)
        return period_population(months, table, pid, min_population=1, constant=base.population(row))[0]

    pop0 = pop_of(place_id, me.to_dict())
    rows = []
    for r, mix_distance in zip(cand.itertuples(), tv, strict=True):
        pop = pop_of(r.place_id, r._asdict())
        if pop0 and not pop:
            continue
        dpop = abs(math.log(pop / pop0)) if pop and pop0 else 0.0
        rows.append({"place_id": r.place_id, "name": r.name, "kind": r.kind, "population": pop,
                     "distance": dpop + float(mix_distance), "same_kind": r.kind == me["kind"]})
    out = pd.DataFrame(rows, columns=["place_id", "name", "kind", "population", "distance", "same_kind"])
    out = out.sort_values(["same_kind", "distance", "place_id"], ascending=[False, True, True])
    out = out.head(k).sort_values(["distance", "place_id"]).reset_index(drop=True)
    out.attrs["by_population"] = bool(pop0)  # False: the chosen place has none, only the mix counted
    return out


def similar_note(sim: pd.DataFrame, chosen: dict) -> str:
    """The note under the places :func:`similar_places` suggested for ``chosen`` (its place row): the
    population counted, or (``sim.attrs["by_population"]`` False) the crime mix only."""
    note = SIMILAR_NOTE if sim.attrs.get("by_population", True) else SIMILAR_NOTE_NO_POPULATION
    return note.format(kind=base.KIND_NAMES.get(chosen["kind"], chosen["kind"]), name=chosen["name"])
