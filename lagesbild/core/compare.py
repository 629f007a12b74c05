"""Comparisons of reported crime between periods and their verdicts (shares: :mod:`lagesbild.core.shares`).

Input is the store's ``monthly_counts`` frame (``place_id, category, month, count[, source]``) and,
optionally, its ``coverage`` frame (``source, place_id, month``; ``place_id`` None = every place).

Missing months and zero months are different things. A month is *covered* for a place when a coverage
row names the place (or every place) for that month, or when the place has a row for that month. A
covered month without rows means zero crimes; an uncovered month means no data, and a period with
uncovered months is not tested. Without a coverage frame, every month from the first to the last month
in ``monthly`` counts as covered. ``place_id=None`` sums every row (the city), and a month then counts
as covered when any source covers it; this assumes ``monthly`` holds places that do not overlap.

A file can end in the middle of a month (the extraction date, or the date of the last incident): that
month is incomplete, and ``data_end`` leaves it out, as if it were not covered (:func:`complete_until`),
so that the like-for-like cut compares whole months with whole months.

The test of each pair is the quasi-Poisson F test with the dispersion estimated from the place's own
monthly history of that category (:mod:`lagesbild.core.dispersion`), or the exact Poisson test when the
history is too short (the verdict says so). The p-values of one table are adjusted together with the
Benjamini–Hochberg procedure (:mod:`lagesbild.core.fdr`): ``p_value`` is the adjusted p-value that
decides the verdict, ``p_unadjusted`` the test's own.

Monthly data cannot be split: only the calendar months lying wholly inside a period are counted (a note
says so when a period has partial months), and the exposure of a period is the number of days in
those months. Periods are compared in chronological order, each with the next; see :func:`compare`.

Examples
--------
>>> from lagesbild.core.periods import parse_period
>>> monthly = pd.DataFrame({"place_id": "torg", "category": "skadegorelse",
...                         "month": pd.to_datetime(["2018-01-01", "2019-01-01"]), "count": [274, 142]})
>>> out = compare(monthly, [parse_period("2018-01"), parse_period("2019-01")])
>>> out[["count_a", "count_b", "change", "verdict"]].values.tolist()
[[274, 142, -132, 'minskning, statistiskt säkerställd (exakt Poissontest: för kort historik)']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core import periods as pr
from lagesbild.core.coverage import (
    complete_until,
    covered_months,
    data_until,
    partial_note_of,
)
from lagesbild.core.cube import place_cube
from lagesbild.core.likeforlike import (  # noqa: F401 - the cuts are re-exported
    common_until,
    common_until_many,
    cut_periods,
    grouped,
    in_row_order,
    row_cuts,
)
from lagesbild.core.pair_table import (  # noqa: F401 - the table's words are re-exported
    COMPARE_COLUMNS,
    COUNT_COLUMNS,
    LENGTH_NOTE_THRESHOLD,
    NOTES,
    VERDICT_MISSING,
    VERDICT_NO_MONTHS,
    compare_cube,
    compare_cube_family,
    count_frame,
    family_p_values,
    months_word,
)
from lagesbild.core.period_pairs import TOTAL_CATEGORY, Rows
from lagesbild.core.place_family import ALL, EXACT_SUFFIX, adjust_place_family, row_verdict
from lagesbild.core.population import MIN_POPULATION
from lagesbild.core.series import series_arrays

__all__ = ["ALL", "EXACT_SUFFIX", "TOTAL_CATEGORY", "complete_until", "compare", "counts_by_period",
           "covered_months", "data_until", "grouped", "monthly_series", "row_cuts", "row_verdict"]


def _categories(monthly, categories) -> tuple[list, list]:
    """Return (the categories summed, the category rows shown: those plus ``alla`` for a total)."""
    found = pd.unique(monthly["category"].to_numpy())  # as .dropna().unique(), without a copy
    return split_categories(sorted(c for c in found.tolist() if not pd.isna(c)), categories)


def split_categories(every, categories) -> tuple[list, list]:
    """The categories summed and the rows shown (those plus ``alla`` for a total) when ``categories``
    are asked for; ``every`` is what None or ``alla`` alone means.

    Examples
    --------
    >>> split_categories(["rån", "stöld"], None), split_categories(["rån", "stöld"], ["rån"])
    ((['rån', 'stöld'], ['rån', 'stöld', 'alla']), (['rån'], ['rån']))
    >>> split_categories(["rån", "stöld"], "alla")
    (['rån', 'stöld'], ['alla'])
    """
    if categories is None:
        asked = list(every)
    elif isinstance(categories, str):
        asked = [categories]
    else:
        asked = list(dict.fromkeys(categories))
    if asked == [ALL]:
        return list(every), [ALL]
    summed = [c for c in asked if c != ALL]
    total = len(summed) > 1 or ALL in asked or not summed
    return summed, summed + ([ALL] if total else [])


def counts_by_period(monthly: pd.DataFrame, periods, *, place_id=None, categories=None,
                     coverage: pd.DataFrame | None = None, data_end=None,
                     cube_cache: dict | None = None) -> pd.DataFrame:
    """Counts per category (and their total ``alla`` when there are several) in each period.

    Parameters
    ----------
    monthly : DataFrame
        ``place_id, category, month, count``.
    periods : sequence of Period or str
        Kept in the order given.
    place_id : str or None
        The place; None sums every row (the city).
    categories : str, sequence of str or None
        None = every category in ``monthly``; ``alla`` asks for the total row.
    coverage : DataFrame or None
        The store's coverage frame (see the module docstring).
    data_end : date-like or None
        Last day of complete data (:func:`complete_until`); later months count as not covered.
    cube_cache : dict or None
        The place's cubes kept by the caller per data version (:func:`lagesbild.core.cube.place_cube`).

    Returns
    -------
    DataFrame
        ``place_id, category, period, kind, start, end, count, days, n_months, months_missing,
        partial_months``: ``days`` and ``n_months`` count the whole calendar months inside the period,
        ``months_missing`` those of them without data.

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": "a", "category": ["rån", "stöld", "rån"],
    ...     "month": pd.to_datetime(["2021-01-01", "2021-02-01", "2021-05-01"]), "count": [1, 2, 4]})
    >>> t = counts_by_period(monthly, ["T1 2021", "T2 2021"], place_id="a")
    >>> t[["category", "period", "count", "months_missing"]].values.tolist()
    [['rån', 'T1 2021', 1, 0], ['stöld', 'T1 2021', 2, 0], ['alla', 'T1 2021', 3, 0], \
['rån', 'T2 2021', 4, 3], ['stöld', 'T2 2021', 0, 3], ['alla', 'T2 2021', 4, 3]]
    """
    periods = [pr.parse_period(p) for p in periods]
    cats, shown = _categories(monthly, categories)
    cube = place_cube(monthly, coverage, place_id, cats, cube_cache)
    return count_frame(_rows(cube, cats, shown, data_end), periods, [place_id])


def _rows(cube, cats, shown, until) -> Rows:
    """The rows of one place's table: the total sums the categories asked for."""
    return Rows(cube, [0], shown, [cube.categories.isin(cats)], until)


def _population(population) -> float | None:
    if population is None or pd.isna(population):
        return None
    if float(population) <= 0:
        raise ValueError(f"Befolkningen måste vara ett positivt tal, inte {population!r}.")
    return float(population)


def prepare_periods(monthly, periods, coverage, place_id, like_for_like, minimum=2, data_end=None,
                    categories=None, cube=None):
    """The periods in chronological order, cut like for like when the latest ends after the data
    (:func:`lagesbild.core.likeforlike.like_for_like`), and the note saying so (None when not cut)."""
    periods = sorted((pr.parse_period(p) for p in periods), key=lambda p: (p.start, p.end))
    if len(periods) < minimum:
        raise ValueError("Ange minst två perioder att jämföra." if minimum == 2 else "Ange en period.")
    if not like_for_like:
        return periods, None
    cats, _ = _categories(monthly, categories)
    cube = cube if cube is not None else place_cube(monthly, coverage, place_id, cats)
    return cut_periods(periods, common_until(cube, 0, cube.categories.isin(cats), data_end))


def compare(monthly: pd.DataFrame, periods, *, place_id=None, categories=None, category=None,
            coverage: pd.DataFrame | None = None, alpha: float = 0.05, population=None,
            like_for_like: bool = True, population_table: pd.DataFrame | None = None,
            min_population: float = MIN_POPULATION, data_end=None, fdr: bool = True,
            dispersion_cache: dict | None = None, cube_cache: dict | None = None) -> pd.DataFrame:
    """Compare counts between consecutive periods, with the exact Poisson test and a Swedish verdict.

    Parameters
    ----------
    monthly : DataFrame
        The store's ``monthly_counts`` frame.
    periods : sequence of Period or str
        At least two; sorted chronologically, then each is compared with the next.
    place_id : str or None
        The place (or district); None sums every row (the city).
    categories, category : str, sequence of str or None
        The categories (``category`` is an alias); None = every category in ``monthly``. With several
        categories a total row ``alla`` is added.
    coverage : DataFrame or None
        The store's ``coverage`` frame; tells months without data from months with zero crimes.
    alpha : float
        Significance level of the verdict (default 5 %).
    population : number or None
        Inhabitants of the place, the same every year (used when ``population_table`` is None).
    population_table : DataFrame or None
        ``place_id, year, population``: each year's population (interpolated between known years, see
        :mod:`lagesbild.core.population`). ``rate_a``/``rate_b`` are crimes per 1 000 inhabitants and
        year (annualised), NaN without a population or below ``min_population`` inhabitants.
    min_population : number
        No rates for places with fewer inhabitants (default 1 000).
    data_end : date-like or None
        Last day of complete data (:func:`complete_until` of the extraction date); a month after it
        is left out.
    fdr : bool
        Adjust the table's p-values as one family (Benjamini–Hochberg); ``attrs['fdr']`` describes it.
    like_for_like : bool
        When the latest period ends after the data does, cut every period to the same months (see
        :func:`lagesbild.core.likeforlike.like_for_like`); the note says so.
    dispersion_cache : dict or None
        Dispersions already fitted (e.g. per data version by the analysis layer), see
        :func:`lagesbild.core.dispersion.estimate_many`.
    cube_cache : dict or None
        The place's cubes kept by the caller per data version (:func:`lagesbild.core.cube.place_cube`).

    Returns
    -------
    DataFrame
        One row per category × consecutive pair, columns ``COMPARE_COLUMNS``. ``change`` is
        ``count_b - count_a``; ``pct_change`` is in percent (NaN, with a note, when ``count_a`` is 0).
        ``p_unadjusted`` is the quasi-Poisson F test (:mod:`lagesbild.core.dispersion`) or, with too
        short a history, :func:`~lagesbild.core.poisson.poisson_rate_test`, with the periods' days as
        exposures (``method`` names the test); ``p_value`` the Benjamini–Hochberg adjusted p-value
        that decides ``significant`` and ``verdict``. A pair with months without data is not tested
        (``p_value`` NaN, ``significant`` False, verdict "kan inte bedömas: data saknas för N
        månader", ``change`` NaN; a count is NaN when its period has no data at all).

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": "torg", "category": "narkotika",
    ...     "month": pd.to_datetime(["2020-09-01", "2021-09-01", "2022-03-01"]), "count": [32, 60, 1]})
    >>> out = compare(monthly, ["2020–2021", "2021–2022"], place_id="torg", population=2000)
    >>> out[["end_b", "count_a", "count_b", "verdict"]].values.tolist()
    [[Timestamp('2022-03-31 00:00:00'), 32, 61, 'ökning, statistiskt säkerställd (exakt Poissontest: \
för kort historik)']]
    >>> round(float(out.loc[0, "rate_b"]), 1)  # 61 crimes in 7 months, per 1 000 of 2 000 and year
    52.3
    >>> out.loc[0, "note"].startswith("Jämförelsen avser sep–mar i varje period eftersom data för hela "
    ...                               "månader bara finns t.o.m. 31 mars 2022.")
    True
    """
    if category is not None and categories is not None:
        raise ValueError("Ange antingen category eller categories, inte båda.")
    if not 0 < alpha < 1:
        raise ValueError(f"Signifikansnivån måste ligga mellan 0 och 1, inte {alpha!r}.")
    cats = categories if categories is not None else category
    summed, shown = _categories(monthly, cats)
    cube = place_cube(monthly, coverage, place_id, summed, cube_cache)
    ordered, _ = prepare_periods(monthly, periods, coverage, place_id, False)
    # each row is cut like for like where its own data end: a category whose data end early cuts
    # its own row (and the total that sums it), never the other categories'
    asked = [cube.categories.isin(summed) if c == ALL else cube.categories == c for c in shown]
    # the family is every category of the place, whichever are shown (each cut where its data end)
    own = cube.categories[cube.has_row[0].any(axis=1)] if fdr and len(cube.months) else []
    others = [c for c in own if c not in set(shown)]
    every = row_cuts(cube, ordered, asked + [cube.categories == c for c in others], data_end, like_for_like)
    cuts, other_cuts = every[:len(shown)], every[len(shown):]
    by_cut = grouped(other_cuts)
    covered = cube.covered[0] if len(cube.months) else np.zeros(0, bool)
    partial = partial_note_of(cube.months[covered], data_end)
    parts, family = {}, {}
    for cut, rows in grouped(cuts).items():
        periods_r, note = cut
        # the family's rows with the same periods are fitted and tested in the same pass
        parts[cut], family[cut] = compare_cube_family(
            cube, [place_id], list(periods_r), [shown[r] for r in rows],
            [others[r] for r in by_cut.get(cut, [])], summed=[cube.categories.isin(summed)], alpha=alpha,
            pos=[0], lfl_notes=[note], partial_notes=[partial], population_table=population_table,
            constants=[_population(population)], min_population=min_population, until=data_end,
            cache=dispersion_cache)
    out = in_row_order(parts, cuts, shown)
    notes = {c: note for c, (_, note) in zip(shown, cuts, strict=True) if note}
    if not fdr:
        out.attrs["like_for_like"] = notes
        return out
    extra = []
    for cut, rows in by_cut.items():
        extra += family[cut] if cut in family else family_p_values(
            cube, 0, list(cut[0]), [others[r] for r in rows], data_end, dispersion_cache)
    table = adjust_place_family(out, extra, alpha)
    table.attrs["like_for_like"] = notes
    return table


def history_dispersions(monthly: pd.DataFrame, place_id, categories, *, coverage=None, data_end=None,
                        cache: dict | None = None, cube_cache: dict | None = None) -> dict:
    """Each category's dispersion from the place's monthly history (covered months up to
    ``data_end``), fitted together; ``alla`` sums every category the place has rows of.

    Examples
    --------
    >>> months = pd.date_range("2019-01-01", periods=24, freq="MS")
    >>> counts = [5, 1, 9, 2, 0, 7, 3, 12, 4, 1, 8, 2, 6, 0, 3, 3, 11, 1, 2, 9, 0, 4, 7, 1]
    >>> m = pd.DataFrame({"place_id": "a", "category": "rån", "month": months, "count": counts})
    >>> round(history_dispersions(m, "a", ["rån", "alla"])["alla"].phi, 2)
    3.23
    """
    cube = place_cube(monthly, coverage, place_id, [c for c in categories if c != ALL], cube_cache)
    own = cube.has_row[0].any(axis=1) if len(cube.months) else np.zeros(len(cube.categories), bool)
    shown = list(categories)
    fitted = Rows(cube, [0], shown, [own], data_end).dispersions(cache=cache)[0]
    return dict(zip(shown, fitted, strict=True))


def monthly_series(monthly: pd.DataFrame, place_id=None, category=None, *,
                   coverage: pd.DataFrame | None = None, start=None, end=None) -> pd.DataFrame:
    """A complete monthly series with missing months told apart from zeros, and a rolling 12-month sum.

    Parameters
    ----------
    place_id : str or None
        None sums every place (the city).
    category : str, sequence of str or None
        None sums every category.
    start, end : date-like or None
        First and last month shown; default the first and last covered month.

    Returns
    -------
    DataFrame
        ``month`` (every month in the range), ``count`` (Int64, ``<NA>`` when not covered),
        ``covered`` (bool), ``rolling_12`` (Int64: sum of the 12 months ending with this one, ``<NA>``
        unless all 12 are covered).

    Examples
    --------
    >>> monthly = pd.DataFrame({"place_id": "a", "category": "rån",
    ...                         "month": pd.date_range("2020-01-01", periods=13, freq="MS"), "count": 1})
    >>> cov = pd.DataFrame({"source": "s", "place_id": None,
    ...                     "month": pd.date_range("2020-01-01", periods=14, freq="MS")})
    >>> s = monthly_series(monthly, "a", coverage=cov)
    >>> s["count"].tolist()[-2:], s["rolling_12"].tolist()[-3:]
    ([1, 0], [12, 12, 11])
    >>> monthly_series(monthly, "a", start="2019-12-01")[["count", "covered"]].values.tolist()[0]
    [<NA>, False]
    """
    index, (covered,), (counts,), (rolling,) = series_arrays(monthly, place_id, [category], coverage=coverage,
                                                           start=start, end=end)
    return pd.DataFrame({"month": index, "count": pd.array(counts, dtype="Int64"), "covered": covered,
                         "rolling_12": pd.array(rolling, dtype="Int64")})
