"""Why a place whose crime data are counts of whole periods only has no before/after.

Before/after an activity's start (:mod:`lagesbild.core.effects`) counts months in equal windows. A
place with only yearly counts (Brå's calendar years, a file of whole September–August years) has no
month to cut a window from; its rows said only that the place has no monthly crime data
(:data:`lagesbild.core.effect_windows.NO_DATA`), as if it had no crime data at all. They say which
whole periods it has instead (:func:`whole_periods_reason`), the one text of the CLI, the web and the
pack.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.core.periods import format_date_sv

#: the verdict of a place with counts of whole periods only: ``{place}`` its name, ``{length}`` the
#: periods' kind (:data:`LENGTHS`), ``{periods}`` their span (:func:`span_text`)
WHOLE_PERIODS_ONLY = ("kan inte bedömas: före/efter kräver anmälda brott per månad, och {place} har bara "
                      "siffror för {length} ({periods})")
#: the whole periods' kind -> how the reason names them
LENGTHS = {"calendar": "hela år", "sep_aug": "hela år", "other": "perioder längre än en månad"}


def whole_span(rows: pd.DataFrame) -> dict | None:
    """The span of one place's counts of whole periods (``period_start``, ``period_end``: the store's
    ``period_counts`` rows of the place): ``{"start", "end", "kind"}``, kind ``calendar`` (every
    period a calendar year), ``sep_aug`` (every period a September–August year) or ``other``; None
    without rows.

    Examples
    --------
    >>> rows = pd.DataFrame({"period_start": ["2019-01-01", "2025-01-01"],
    ...                      "period_end": ["2019-12-31", "2025-12-31"]})
    >>> whole_span(rows)
    {'start': datetime.date(2019, 1, 1), 'end': datetime.date(2025, 12, 31), 'kind': 'calendar'}
    >>> whole_span(rows.iloc[:0]) is None
    True
    """
    if rows is None or not len(rows):
        return None
    start, end = pd.to_datetime(rows["period_start"]), pd.to_datetime(rows["period_end"])
    year_long = (start.dt.day == 1) & (end == start + pd.DateOffset(years=1) - pd.Timedelta(days=1))
    kind = ("calendar" if bool((year_long & (start.dt.month == 1)).all()) else
            "sep_aug" if bool((year_long & (start.dt.month == 9)).all()) else "other")
    return {"start": start.min().date(), "end": end.max().date(), "kind": kind}


def span_text(whole: dict) -> str:
    """The whole periods a place has, in Swedish: "kalenderåren 2019–2025".

    Examples
    --------
    >>> import datetime as dt
    >>> span_text({"start": dt.date(2019, 1, 1), "end": dt.date(2025, 12, 31), "kind": "calendar"})
    'kalenderåren 2019–2025'
    >>> span_text({"start": dt.date(2018, 9, 1), "end": dt.date(2024, 8, 31), "kind": "sep_aug"})
    'september–augusti-åren 2018–2019 till 2023–2024'
    >>> span_text({"start": dt.date(2019, 1, 1), "end": dt.date(2024, 6, 30), "kind": "other"})
    'perioder från 1 jan 2019 till 30 juni 2024'
    """
    first, last = whole["start"], whole["end"]
    if whole["kind"] == "calendar":
        return f"kalenderåret {first.year}" if first.year == last.year else f"kalenderåren {first.year}–{last.year}"
    if whole["kind"] == "sep_aug":
        if first.year + 1 == last.year:
            return f"september–augusti-året {first.year}–{last.year}"
        return f"september–augusti-åren {first.year}–{first.year + 1} till {last.year - 1}–{last.year}"
    return f"perioder från {format_date_sv(first)} till {format_date_sv(last)}"


def whole_periods_reason(place: str, rows: pd.DataFrame) -> str | None:
    """The verdict of a place named ``place`` whose only crime data are the counts of whole periods
    ``rows`` (:func:`whole_span`), or None without such rows.

    Examples
    --------
    >>> rows = pd.DataFrame({"period_start": ["2019-01-01"], "period_end": ["2025-12-31"]})
    >>> whole_periods_reason("Göteborg", rows.assign(period_end="2019-12-31"))
    'kan inte bedömas: före/efter kräver anmälda brott per månad, och Göteborg har bara siffror för hela år (kalenderåret 2019)'
    """
    whole = whole_span(rows)
    if whole is None:
        return None
    return WHOLE_PERIODS_ONLY.format(place=place, length=LENGTHS[whole["kind"]], periods=span_text(whole))
