"""The windows of :mod:`lagesbild.core.effects`: months with data for every area compared, equal
windows before and after an activity's start, and the rest of a district as a comparison area.

The start month belongs to "after"; each window runs as far as months with data run, up to the
asked length, and both are cut to the shorter (:func:`run_length`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from lagesbild.core.compare import split_categories
from lagesbild.core.periods import EN_DASH, MONTH_ABBR, Period, month_starts

#: the unit of the windows' first and last days (a day is what they hold; NaT alone would be in ns)
DAY_DTYPE = "datetime64[s]"


def stack(frames: list) -> pd.DataFrame | None:
    """The frames in one (None when all are empty or None), the empty ones left out before
    :func:`pandas.concat`, which will stop leaving them out itself (an empty frame's object columns
    would then decide the dtypes).

    Examples
    --------
    >>> stack([pd.DataFrame(columns=["p"]), pd.DataFrame({"p": [0.5]})])["p"].dtype
    dtype('float64')
    >>> stack([pd.DataFrame(columns=["p"])]) is None
    True
    """
    kept = [f for f in frames if f is not None and len(f)]
    return pd.concat(kept, ignore_index=True) if kept else None


TOO_SHORT_AFTER = "för kort tid efter start för att bedöma"
TOO_SHORT_BEFORE = "för kort tid med data före start för att bedöma"
NO_DATA = "kan inte bedömas: platsen har inga brottsdata per månad före eller efter start"
NO_MONTHS = "kan inte bedömas: inga månader med data att jämföra"
ENDED_BEFORE = "kan inte bedömas: brottsdata per månad finns bara t.o.m. {month}, före start"
GAP = "kan inte bedömas: månader strax {side} start saknar data"
#: the total row's note when the categories it sums have data for different months
NOTE_TOTAL_CUT = ("summan räknar bara månader som alla kategorier har data för; kategorier med data "
                  "längre bedöms var för sig")


#: the comparison with the rest of the district of a row whose windows that area has no data for
#: (:func:`comparison_gap`; ``what`` is :data:`WHAT_CATEGORY` or, for the total, :data:`WHAT_TOTAL`)
NO_COMPARISON_DATA = "kan inte bedömas: jämförelseområdet saknar data för {what}"
COMPARISON_PART = "kan inte bedömas: jämförelseområdet saknar data för {what} i {n} av fönstrens {total} månader"
WHAT_CATEGORY, WHAT_TOTAL = "kategorin", "någon av kategorierna"


def comparison_gap(covered, before: Period | None, after: Period | None) -> str:
    """Why the windows ``before`` and ``after`` (cut from the place's own months) cannot be compared
    with the comparison area, whose months with data (for every area of the comparison) are
    ``covered``: '' when it covers every month of both, else :data:`NO_COMPARISON_DATA` (no month) or
    :data:`COMPARISON_PART` (some), with ``{what}`` left to fill in. A place's own file of 19
    categories beside a district's of 8: the other 11 are still judged at the place, only not
    against the district.

    Examples
    --------
    >>> first = pd.Timestamp("2022-01-01")
    >>> before, after = window(shift(first, -12), 12), window(first, 12)
    >>> comparison_gap(set(pd.date_range("2020-01-01", "2023-12-01", freq="MS")), before, after)
    ''
    >>> comparison_gap(set(), before, after).format(what=WHAT_CATEGORY)
    'kan inte bedömas: jämförelseområdet saknar data för kategorin'
    >>> comparison_gap(set(pd.date_range("2020-01-01", "2022-06-01", freq="MS")), before, after)
    'kan inte bedömas: jämförelseområdet saknar data för {what} i 6 av fönstrens 24 månader'
    """
    months = [m for w in (before, after) if w is not None
              for m in pd.date_range(w.start, w.end, freq="MS")]
    missing = sum(m not in covered for m in months)
    if not missing:
        return ""
    if missing == len(months):
        return NO_COMPARISON_DATA
    return COMPARISON_PART.replace("{n}", str(missing)).replace("{total}", str(len(months)))


def untestable(covered, first_after: pd.Timestamp, n_after: int, n_before: int, least: int,
               no_data: bool = False) -> str:
    """Why windows of fewer than ``least`` months cannot be judged, truthfully: the place has no
    monthly data (:data:`NO_DATA`: none at all, or only yearly counts), the monthly data end before
    the start (:data:`ENDED_BEFORE`, not "too short after": time has passed, the months are not
    there), begin after it, end or begin too close to it, or have a gap right at it.

    Examples
    --------
    >>> months = set(pd.date_range("2020-01-01", "2023-08-01", freq="MS"))
    >>> untestable(months, pd.Timestamp("2024-06-01"), 0, 0, 3)
    'kan inte bedömas: brottsdata per månad finns bara t.o.m. aug 2023, före start'
    >>> untestable(months, pd.Timestamp("2023-07-01"), 2, 12, 3)
    'för kort tid efter start för att bedöma'
    >>> untestable(months - {pd.Timestamp("2022-03-01")}, pd.Timestamp("2022-03-01"), 0, 12, 3)
    'kan inte bedömas: månader strax efter start saknar data'
    """
    if no_data:
        return NO_DATA
    before = [m for m in covered if m < first_after]
    after = [m for m in covered if m >= first_after]
    if not after and not before:
        return NO_MONTHS
    if not after:
        last = max(before)
        return ENDED_BEFORE.format(month=f"{MONTH_ABBR[last.month - 1]} {last.year}")
    if not before:
        return TOO_SHORT_BEFORE  # the data begin after the start
    if n_after < least:
        return GAP.format(side="efter") if max(after) >= shift(first_after, least) else TOO_SHORT_AFTER
    return GAP.format(side="före") if min(before) < shift(first_after, -least) else TOO_SHORT_BEFORE


def shift(month: pd.Timestamp, n: int) -> pd.Timestamp:
    """The month ``n`` months later (earlier when ``n`` is negative).

    Examples
    --------
    >>> shift(pd.Timestamp("2023-01-01"), -2).date()
    datetime.date(2022, 11, 1)
    """
    return pd.Timestamp(month.date() + relativedelta(months=n))


def covered_months(monthly: pd.DataFrame, coverage, ids, data_end=None) -> set:
    """Months with data for every area in ``ids`` (see :func:`lagesbild.core.effects.before_after`):
    without coverage rows, every month from the first to the last of ``monthly``; with ``data_end``
    (the last day of complete data) none that ends after it.

    Examples
    --------
    >>> m = pd.DataFrame({"month": pd.to_datetime(["2023-01-01", "2023-03-01"])})
    >>> sorted(d.month for d in covered_months(m, None, [], data_end="2023-03-02"))  # March has begun
    [1, 2]
    """
    if coverage is None:
        if monthly.empty:
            return set()
        months = month_starts(monthly["month"])
        found = set(pd.date_range(months.min(), months.max(), freq="MS"))
    else:
        months = month_starts(coverage["month"]).to_numpy()
        place = coverage["place_id"].to_numpy(dtype=object)
        everywhere = set(pd.DatetimeIndex(np.unique(months[pd.isna(place)])))
        sets = [everywhere | set(pd.DatetimeIndex(np.unique(months[place == i]))) for i in ids]
        found = set.intersection(*sets) if sets else everywhere
    if data_end is None or pd.isna(data_end):
        return found
    end = pd.Timestamp(data_end)
    return {m for m in found if m + pd.offsets.MonthEnd(0) <= end}


def category_covered(monthly: pd.DataFrame, coverage, ids, data_end, categories, summed,
                     total: str = "alla") -> dict:
    """:func:`covered_months` of each category (a frozenset of months each; key None: the months
    without regard to category): with coverage naming categories, a category's months are those of
    the rows naming it or none, and the total's (``total``) those every category it sums
    (``summed``) has.

    Examples
    --------
    >>> m = pd.DataFrame({"month": pd.to_datetime(["2023-01-01"])})
    >>> cov = pd.DataFrame({"place_id": "a", "category": ["rån", "rån", "stöld"],
    ...                     "month": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-01-01"])})
    >>> got = category_covered(m, cov, ["a"], None, ["rån", "stöld", "alla"], ["rån", "stöld"])
    >>> [sorted(d.month for d in got[c]) for c in ("rån", "stöld", "alla", None)]
    [[1, 2], [1], [1], [1, 2]]
    """
    every = frozenset(covered_months(monthly, coverage, ids, data_end))
    out = {None: every}
    named = coverage is not None and "category" in coverage and coverage["category"].notna().any()
    if not named:
        return out | dict.fromkeys(categories, every)
    general = coverage["category"].isna().to_numpy()
    own = {c: frozenset(covered_months(monthly, coverage[general | (coverage["category"] == c).to_numpy()],
                                       ids, data_end)) for c in dict.fromkeys([*summed, *categories]) if c != total}
    common = frozenset.intersection(*[own[c] for c in summed]) if summed else every
    return out | {c: common if c == total else own[c] for c in categories}


def rows_and_parts(category, found: list, total_category: str = "totalt") -> tuple[list, list]:
    """The rows shown (``alla`` last when there is a total) and the categories the total sums: as
    the comparisons (:func:`lagesbild.core.compare.split_categories`), the categories asked for, a
    source's own total (``totalt``) only when alone (added to its parts it counted them twice).

    Examples
    --------
    >>> rows_and_parts(["rån", "stöld"], ["narkotika", "rån", "stöld", "totalt"])
    (['rån', 'stöld', 'alla'], ['rån', 'stöld'])
    >>> rows_and_parts(None, ["rån", "totalt"])
    (['rån', 'totalt', 'alla'], ['rån'])
    """
    summed, shown = split_categories(found, category)
    return shown, [c for c in summed if c != total_category] or summed


def run_length(covered: set, first: pd.Timestamp, step: int, limit: int) -> int:
    """How many months from ``first`` on, one ``step`` (+1 or −1) at a time, are in ``covered``, up to
    ``limit``.

    Examples
    --------
    >>> months = set(pd.date_range("2023-01-01", "2023-06-01", freq="MS"))
    >>> run_length(months, pd.Timestamp("2023-04-01"), 1, 12), run_length(months, pd.Timestamp("2023-04-01"), -1, 2)
    (3, 2)
    """
    n = 0
    while n < limit and shift(first, step * n) in covered:
        n += 1
    return n


def spans(covered: set, first_after: pd.Timestamp, limit: int) -> tuple[int, int]:
    """How many months in ``covered`` run on from ``first_after`` and back from the month before it,
    each up to ``limit`` (:func:`run_length`): the longest windows after and before a start.

    Examples
    --------
    >>> spans(set(pd.date_range("2023-01-01", "2023-06-01", freq="MS")), pd.Timestamp("2023-05-01"), 12)
    (2, 4)
    """
    return run_length(covered, first_after, 1, limit), run_length(covered, shift(first_after, -1), -1, limit)


def window(first: pd.Timestamp, k: int) -> Period | None:
    """The ``k`` months from ``first`` as a period with a Swedish label, or None for no months.

    Examples
    --------
    >>> window(pd.Timestamp("2022-11-01"), 3).label
    'nov 2022–jan 2023'
    """
    if k == 0:
        return None
    last = shift(first, k - 1)
    label = f"{MONTH_ABBR[first.month - 1]} {first.year}{EN_DASH}{MONTH_ABBR[last.month - 1]} {last.year}"
    return Period(label, first.date(), (last + pd.offsets.MonthEnd(0)).date(), "range")


def rest_of_district(monthly: pd.DataFrame, place_id, district_id: str, exclude_ids=()) -> pd.DataFrame:
    """Monthly counts of a district minus those of a place (and any other excluded places).

    Parameters
    ----------
    monthly : DataFrame
        The store's ``monthly_counts`` frame (``place_id, category, month, count``), which must hold
        the district's own rows (its ``place_id`` is ``district_id``).
    place_id : str or list of str
        The place(s) to take away.
    district_id : str
        The district's place id.
    exclude_ids : iterable of str
        Further places to take away (e.g. a buffer).

    Returns
    -------
    DataFrame
        ``place_id`` (``resten-av-<district_id>``), ``category``, ``month``, ``count`` (int). A
        place count larger than the district's (inconsistent sources) gives 0, not a negative count;
        ``attrs['below']`` lists those ``(category, month)``.

    Examples
    --------
    >>> m = pd.DataFrame({"place_id": ["sdo", "torg", "sdo"], "category": ["rån"] * 3,
    ...     "month": pd.to_datetime(["2020-01-01", "2020-01-01", "2020-02-01"]), "count": [10, 4, 3]})
    >>> rest_of_district(m, "torg", "sdo")["count"].tolist()
    [6, 3]
    """
    ids = [place_id] if isinstance(place_id, str) else list(place_id)
    ids += [i for i in exclude_ids if i not in ids]
    frame = monthly.assign(month=month_starts(monthly["month"]).to_numpy())
    keys = ["category", "month"]
    district = frame[frame["place_id"] == district_id].groupby(keys)["count"].sum()
    parts = frame[frame["place_id"].isin(ids)].groupby(keys)["count"].sum()
    raw = district.sub(parts.reindex(district.index, fill_value=0))
    rest = raw.clip(lower=0).astype(int)
    out = rest.reset_index().assign(place_id=f"resten-av-{district_id}")
    out = out[["place_id", "category", "month", "count"]].reset_index(drop=True)
    out.attrs["below"] = list(raw.index[(raw < 0).to_numpy()])  # (category, month): the place had more
    return out


#: the comparison of a category whose rest of the district fell below zero in some month
OTHER_SOURCE = ("kan inte bedömas: platsen har fler brott än området runt den, så antalen kommer från olika "
                "källor och kan inte jämföras")
_BLANK = {"relative_ratio": np.nan, "relative_ci_low": np.nan, "relative_ci_high": np.nan, "relative_p": np.nan,
          "relative_phi": np.nan, "relative_nu": np.nan, "wdd": np.nan, "wdd_var": np.nan, "wdd_z": np.nan, "wdd_p": np.nan}


def without_other_source(table: pd.DataFrame, below, parts, total: str = "alla") -> pd.DataFrame:
    """``table`` (rows of a before/after table, or the family's other tests) without a comparison for
    the categories in ``below`` — where the place counted more crimes than its district in some month
    (:func:`rest_of_district`'s ``attrs['below']``: the counts come from different sources, and the
    rest clipped to 0 is no comparison area) — nor for the ``total`` when it sums one of them (its
    ``parts``). Their verdict is :data:`OTHER_SOURCE`; untested, they leave the family.

    Examples
    --------
    >>> t = pd.DataFrame({"category": ["narkotika", "rån", "alla"], "relative_p": [0.01, 0.5, 0.02]})
    >>> without_other_source(t, ["narkotika"], ["narkotika", "rån"])["relative_p"].tolist()
    [nan, 0.5, nan]
    """
    hit = table["category"].isin(list(below)).to_numpy()
    if set(below) & set(parts):
        hit |= (table["category"] == total).to_numpy()
    if not hit.any():
        return table
    out = table.copy()
    for col, value in _BLANK.items():
        if col in out:
            out.loc[hit, col] = value
    for col in ("comparison_before", "comparison_after", "relative_significant", "wdd_significant"):
        if col in out:
            out[col] = out[col].mask(hit)
    if "relative_verdict" in out:
        out.loc[hit, "relative_verdict"] = OTHER_SOURCE
    if "wdd_verdict" in out:
        out.loc[hit, "wdd_verdict"] = None
    return out
