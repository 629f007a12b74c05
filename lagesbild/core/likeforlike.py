"""Like for like: cutting every period to the part the latest, incomplete one has data for.

A partial year is never presented as a whole one: when the latest period ends after the last day with
data, every period is cut to the same span from its own start (see :func:`like_for_like`). Where the
data end is found per row of a table (:func:`common_until_many` on the monthly cube): each category
where its own data end, a total where every category it sums has data (:func:`row_cuts`), so a
category whose data end early cuts its own row and the total, never the other categories'; and the
footnote saying which rows were cut how (:func:`cut_lines`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from lagesbild.core.periods import (
    EN_DASH,
    MONTH_ABBR,
    Period,
    as_date,
    format_date_sv,
    month_end,
    parse_period,
)

NOTE = "Jämförelsen avser {span} i varje period eftersom data bara finns t.o.m. {until}."
#: the note when the periods are cut to whole months: data may go on into a month not yet complete (the
#: header's "data t.o.m. 17 okt"), so "data only until 30 Sep" would contradict it (meet3)
NOTE_WHOLE = ("Jämförelsen avser {span} i varje period eftersom data för hela månader bara finns "
              "t.o.m. {until}.")
#: the like-for-like sentence in a row's note (:data:`NOTE` or :data:`NOTE_WHOLE` filled in)
NOTE_PATTERN = re.compile(r"Jämförelsen avser .+? i varje period eftersom data (?:för hela månader )?bara "
                          r"finns t\.o\.m\. \d{1,2} \w+ \d{4}\.")


def _shifted_end(start: date, months: int, days: int, whole_months: int | None) -> date:
    """End of a cut period: ``whole_months`` whole months when given and ``start`` is a 1st, else
    ``months`` months and ``days`` days after ``start``."""
    if whole_months is not None and start.day == 1:
        last = start + relativedelta(months=whole_months - 1)
        return month_end(last.year, last.month)
    return start + relativedelta(months=months) + timedelta(days=days)


def _span_text(periods: list[Period], latest: Period, whole_months: int | None) -> str:
    same_start = len({(p.start.month, p.start.day) for p in periods}) == 1
    if whole_months is not None and same_start:
        a, b = MONTH_ABBR[latest.start.month - 1], MONTH_ABBR[latest.end.month - 1]
        return a if whole_months == 1 else f"{a}{EN_DASH}{b}"
    if whole_months is not None:
        return "den första månaden" if whole_months == 1 else f"de första {whole_months} månaderna"
    if same_start:
        a, b = format_date_sv(latest.start), format_date_sv(latest.end)
        return f"{a.rsplit(' ', 1)[0]}{EN_DASH}{b.rsplit(' ', 1)[0]}"
    return "lika lång tid från periodens början"


def like_for_like(periods, data_until) -> tuple[list[Period], str | None]:
    """Cut every period to the part the latest one has data for, so that like is compared with like.

    When the latest period (the one ending last) ends after ``data_until``, every period is cut to the
    same span of months and days from its own start as the latest one has data for: with data until
    31 March 2022, 2021–2022 becomes 1 Sep 2021 – 31 Mar 2022 and 2020–2021 becomes 1 Sep 2020 – 31 Mar
    2021. When ``data_until`` is the last day of a month and a period starts on the 1st, the cut ends on
    the last day of the corresponding month (so February in leap years is whole). Labels and kinds are
    kept; the note says what was done.

    Parameters
    ----------
    periods : sequence of Period
    data_until : date-like
        Last day with data.

    Returns
    -------
    (list of Period, str or None)
        The periods (unchanged when the latest is complete) and a Swedish note, or None.

    Raises
    ------
    ValueError
        When the latest period starts after ``data_until`` (nothing to compare).

    Examples
    --------
    >>> from lagesbild.core.periods import sep_aug_year
    >>> ps, note = like_for_like([sep_aug_year(2020), sep_aug_year(2021)], "2022-03-31")
    >>> [(p.label, p.end.isoformat()) for p in ps]
    [('2020–2021', '2021-03-31'), ('2021–2022', '2022-03-31')]
    >>> note
    'Jämförelsen avser sep–mar i varje period eftersom data för hela månader bara finns t.o.m. 31 mars 2022.'
    >>> like_for_like([sep_aug_year(2020)], "2021-08-31")[1] is None
    True
    """
    periods = [parse_period(p) for p in periods]
    if not periods:
        return [], None
    until = as_date(data_until)
    latest = max(periods, key=lambda p: (p.end, p.start))
    if latest.end <= until:
        return periods, None
    if until < latest.start:
        raise ValueError(f"Perioden {latest.label} börjar efter att data tar slut "
                         f"({format_date_sv(until)}).")
    rd = relativedelta(until, latest.start)
    months, days = rd.years * 12 + rd.months, rd.days
    whole = None
    if latest.start.day == 1 and until == month_end(until.year, until.month):
        whole = (until.year - latest.start.year) * 12 + until.month - latest.start.month + 1
    out = [p.truncated(_shifted_end(p.start, months, days, whole)) for p in periods]
    span = _span_text(out, latest.truncated(until), whole)
    return out, (NOTE if whole is None else NOTE_WHOLE).format(span=span, until=format_date_sv(until))


def cut_lines(comparison, names=None) -> list[str]:
    """The footnotes of a comparison table cut like for like per category: one line per distinct
    cut, naming the categories it applies to when not every category was cut alike.

    A category whose data end early is cut where its own data end (and the total ``alla`` that sums
    it); the other categories are compared in whole periods, and the footnote says so.

    Parameters
    ----------
    comparison : DataFrame
        :func:`lagesbild.core.compare.compare`'s table (``category, like_for_like, note``).
    names : dict or None
        Category id → Swedish name.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"category": ["ran", "stold", "alla"], "like_for_like": [False, True, True],
    ...     "note": ["", NOTE.format(span="sep–mar", until="31 mars 2022") + " Testet …",
    ...              NOTE.format(span="sep–mar", until="31 mars 2022")]})
    >>> cut_lines(t, {"ran": "Rån", "stold": "Stöld"})
    ['* Stöld och Alla: Jämförelsen avser sep–mar i varje period eftersom data bara finns t.o.m. 31 mars \
2022. Övriga kategorier jämförs hela perioder.']
    >>> cut_lines(t.assign(like_for_like=True, note=t["note"].iloc[2]))
    ['* Jämförelsen avser sep–mar i varje period eftersom data bara finns t.o.m. 31 mars 2022.']
    """
    if comparison is None or not len(comparison) or "like_for_like" not in comparison:
        return []
    names = dict(names or {})
    every = list(dict.fromkeys(comparison["category"]))
    cuts: dict = {}
    for cat, cut, note in zip(comparison["category"], comparison["like_for_like"], comparison["note"],
                              strict=True):
        found = NOTE_PATTERN.search(str(note or "")) if bool(cut) else None
        if found:
            cuts.setdefault(found.group(0), [])
            if cat not in cuts[found.group(0)]:
                cuts[found.group(0)].append(cat)
    if len(cuts) == 1 and len(next(iter(cuts.values()))) == len(every):
        return [f"* {next(iter(cuts))}"]
    lines = []
    for sentence, cats in cuts.items():
        named = [("Alla" if c == "alla" else names.get(c, c)) for c in cats]
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " och " + named[-1]
        lines.append(f"* {listed}: {sentence}")
    if lines and sum(len(c) for c in cuts.values()) < len(every):
        lines[-1] += " Övriga kategorier jämförs hela perioder."
    return lines


def cut_periods(periods, until):
    """``periods`` cut like for like at ``until`` (unchanged when the latest starts after it)."""
    latest = max(periods, key=lambda p: (p.end, p.start))
    if until is None or until < latest.start:
        return periods, None
    return like_for_like(periods, until)


def common_until(cube, pos, asked, until=None):
    """The last day every asked category (bool [cube category]) of the place has data for
    (categories without any data left out; with coverage without categories, the place's last
    covered month); see :func:`common_until_many`."""
    return common_until_many(cube, [pos], [asked], until)[0]


def common_until_many(cube, pos, asked, until=None, absent=None) -> list:
    """:func:`common_until` of each position (``asked`` bool [place, cube category]); None without
    data. A position may also be :data:`~lagesbild.core.cube.UNKNOWN` or :data:`~lagesbild.core.cube.CITY`.
    ``absent`` (bool [place]) says that a category the cube does not hold is asked too: with coverage
    naming categories its months are those of the rows naming none, as in a cube built with it.

    Examples
    --------
    >>> from lagesbild.core.cube import build_cube
    >>> monthly = pd.DataFrame({"place_id": ["a", "b"], "category": "rån",
    ...                         "month": pd.to_datetime(["2021-01-01", "2021-03-01"]), "count": 1})
    >>> cov = pd.DataFrame({"source": "s", "place_id": ["a", "b"], "category": ["rån", None],
    ...                     "month": pd.to_datetime(["2021-02-01", "2021-04-01"])})
    >>> [d.isoformat() for d in common_until_many(build_cube(monthly, cov), [0, 1], [[True], [True]])]
    ['2021-02-28', '2021-04-30']
    """
    pos, asked = np.asarray(pos, np.int64), np.asarray(asked, bool).reshape(len(pos), -1)
    keep = cube.until_mask(until)
    M = len(cube.months)
    if M == 0:
        return [None] * len(pos)
    general = cube.covered_of(pos) & keep
    last = np.where(general.any(axis=1), M - 1 - np.argmax(general[:, ::-1], axis=1), -1)
    absent = np.zeros(len(pos), bool) if absent is None else np.asarray(absent, bool)
    if cube.per_category and (asked.any() or absent.any()):
        every = np.arange(len(cube.categories))
        if absent.any():  # position -1: a category the cube does not hold
            every, asked = np.r_[every, -1], np.c_[asked, absent]
        by_cat = np.empty((len(pos), len(every), M), bool)
        places = pos >= 0
        by_cat[places] = cube.covered_by_category(pos[places], every)
        for i in np.flatnonzero(~places):
            by_cat[i] = cube.place_coverage(int(pos[i]), every)
        by_cat &= keep
        ends = np.where(by_cat.any(axis=2), M - 1 - np.argmax(by_cat[:, :, ::-1], axis=2), M)
        ends = np.where(asked, ends, M).min(axis=1)
        last = np.where(ends < M, ends, last)
    month_ends = cube.months + pd.offsets.MonthEnd(0)
    return [None if i < 0 else month_ends[i].date() for i in last]


def row_cuts(cube, periods, asked, until, like_for_like=True, *, pos: int = 0, absent=None) -> list:
    """``(periods, note)`` of each row (``asked``: bool [cube category] of each, the categories it
    sums) of the place at ``pos``: the periods cut like for like at the last day the row's categories
    have data for (:func:`common_until_many`, :func:`cut_periods`; ``absent`` per row: it also sums a
    category the cube does not hold), or as they are (note None).

    Examples
    --------
    >>> from lagesbild.core.cube import build_cube
    >>> from lagesbild.core.periods import parse_period
    >>> monthly = pd.DataFrame({"place_id": "a", "category": ["rån", "stöld"],
    ...                         "month": pd.to_datetime(["2021-12-01", "2021-03-01"]), "count": 1})
    >>> cov = pd.DataFrame({"source": "s", "place_id": "a", "category": ["rån", "stöld"],
    ...                     "month": pd.to_datetime(["2021-12-01", "2021-03-01"])})
    >>> cube = build_cube(monthly, cov)
    >>> cuts = row_cuts(cube, [parse_period("2020"), parse_period("2021")],
    ...                 [cube.categories == "rån", cube.categories == "stöld"], None)
    >>> [(p[-1].end.isoformat(), note) for p, note in cuts]
    [('2021-12-31', None), ('2021-03-31', 'Jämförelsen avser jan–mar i varje period eftersom data för hela \
månader bara finns t.o.m. 31 mars 2021.')]
    """
    if not like_for_like or not asked:
        return [(tuple(periods), None)] * len(asked)
    ends = common_until_many(cube, [pos] * len(asked), np.asarray(asked, bool).reshape(len(asked), -1), until,
                             absent)
    found = {}
    for end in ends:
        if end not in found:
            cut, note = cut_periods(list(periods), end)
            found[end] = (tuple(cut), note)
    return [found[end] for end in ends]


def grouped(cuts) -> dict:
    """The rows (positions) of each distinct cut, in the order first met."""
    groups = {}
    for r, cut in enumerate(cuts):
        groups.setdefault(cut, []).append(r)
    return groups


def in_row_order(parts: dict, cuts, shown) -> pd.DataFrame:
    """The tables of each cut as one, the rows in the order of ``shown`` (each row's pairs together)."""
    if len(parts) == 1:
        return next(iter(parts.values()))
    blocks = {cut: dict(list(table.groupby("category", sort=False))) for cut, table in parts.items()}
    return pd.concat([blocks[cut][c] for c, cut in zip(shown, cuts, strict=True)], ignore_index=True)
