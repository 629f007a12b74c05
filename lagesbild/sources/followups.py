"""Follow-ups of action-plan activities (uppföljning T1, T2, VB per year): field names and parsing.

Shared by the YAML and XLSX readers of :mod:`lagesbild.sources.activities`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from lagesbild.sources.loptid import YEARS
from lagesbild.sources.loptid import BadValue as _Bad
from lagesbild.sources.loptid import as_text as _as_text
from lagesbild.sources.textkeys import normalize_key, strip_accents

#: fields of one follow-up entry
FOLLOWUP_FIELDS: dict[str, tuple[str, ...]] = {
    "goal_met": ("mål uppfyllt", "målet uppfyllt", "är målet nått", "målet nått", "mål nått", "goal_met",
                 "måluppfyllelse", "mål uppnått", "målet uppnått", "är målet uppfyllt"),
    "carried_out": ("genomförda aktiviteter", "genomfört", "vilka aktiviteter har genomförts",
                    "aktiviteter", "carried_out"),
}
PERIODS = {"t1": "T1", "tertial1": "T1", "t2": "T2", "tertial2": "T2", "vb": "VB",
           "verksamhetsberattelse": "VB"}
GOAL_WORDS = {"ja": "ja", "delvis": "delvis", "nej": "nej"}
#: how a goal's status is written beside the words of GOAL_WORDS: "uppfyllt", "delvis uppnått", "ej nått",
#: "målet är uppfyllt" (accents and case ignored)
GOAL_STATUS = re.compile(r"^(?:malet\s+(?:ar\s+)?|mal\s+)?(?:(?:helt|delvis|ej|inte)\s+)?(?:upp)?natt$|"
                         r"^(?:malet\s+(?:ar\s+)?|mal\s+)?(?:(?:helt|delvis|ej|inte)\s+)?uppfyllt$|"
                         r"^(?:ja|nej|delvis)$")


def lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Aliases (normalised) -> canonical names."""
    return {normalize_key(alias): canon for canon, aliases in table.items() for alias in aliases}


FOLLOWUP_LOOKUP = lookup(FOLLOWUP_FIELDS)
PERIOD_TOKEN = r"t\s*\d|tertial\s*\d|vb|verksamhetsberattelse"
FOLLOWUP_COLUMN = re.compile(rf"^\s*(?:uppfoljning\s*[:\-–]?\s*)?(?:(?P<p1>{PERIOD_TOKEN})\s+(?P<y1>\d{{4}})|"
                             rf"(?P<y2>\d{{4}})\s+(?P<p2>{PERIOD_TOKEN}))\s+(?P<field>\S.*)$")


#: the forms a follow-up's key may take, said when one is not understood
FOLLOWUP_FORMS = ("skriv året med T1, T2 och VB under (2023: {T1: …}), eller tertialen och året i ett: "
                  "T1 2023, 2023 T2, tertial 1 2023, VB 2023 eller jan–apr 2023")
#: the periods a follow-up is made for: (first month, last month) -> T1, T2, VB
FOLLOWUP_SPANS = {(1, 4): "T1", (5, 8): "T2", (1, 12): "VB"}


def goal_status(value: object) -> str | None:
    """The goal status a value clearly is (``ja``, ``nej``, ``delvis`` as those words, other forms such
    as ``delvis uppfyllt`` as written, trimmed), or None: a follow-up written without its field's name
    (a sheet's column ``T1 2026``, YAML's ``T1 2026: ja``) is read as "mål uppfyllt" only when it is one.

    Examples
    --------
    >>> goal_status(" Ja "), goal_status("Delvis uppfyllt"), goal_status("målet är nått"), goal_status(1)
    ('ja', 'Delvis uppfyllt', 'målet är nått', None)
    >>> goal_status("Två trygghetsvandringar"), goal_status("inte"), goal_status("")
    (None, None, None)
    """
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).rstrip(".!")
    key = strip_accents(text).lower()
    if not GOAL_STATUS.match(key):
        return None
    return GOAL_WORDS.get(key, text)


#: a follow-up column or key named by its period and year alone, maybe after "uppföljning" or with a
#: two-digit year ("T1 -26", "VB '26"): the year's digits, the period's token
BARE_FOLLOWUP = re.compile(rf"^(?:uppfoljning\s*[:\-–]?\s*)?(?:(?P<p1>{PERIOD_TOKEN})\s*[-–'’]?\s*"
                           rf"(?P<y1>\d{{2}}|\d{{4}})|(?P<y2>\d{{4}})\s+(?P<p2>{PERIOD_TOKEN}))"
                           r"(?:\s*[:\-–]?\s*uppfoljning)?$")


def bare_followup(text: object) -> tuple[int, str] | None:
    """``(year, period)`` of a name that is a follow-up period and its year with no field, or None.

    Examples
    --------
    >>> [bare_followup(t) for t in ("T1 2026", "VB 2026", "T1 -26", "Uppföljning T2 2026", "2026 T2")]
    [(2026, 'T1'), (2026, 'VB'), (2026, 'T1'), (2026, 'T2'), (2026, 'T2')]
    >>> bare_followup("Tertial 1 2026"), bare_followup("T1 2026 mål uppfyllt"), bare_followup("Plats")
    ((2026, 'T1'), None, None)
    """
    if text is None:
        return None
    found = BARE_FOLLOWUP.match(" ".join(strip_accents(str(text)).lower().split()))
    if found is None:
        return None
    period = PERIODS.get(normalize_key(found["p1"] or found["p2"]))
    digits = found["y1"] or found["y2"]
    year = int(digits) + (2000 if len(digits) == 2 else 0)
    return (year, period) if period is not None and YEARS[0] <= year <= YEARS[1] else None


def followup_key(key) -> tuple[int | None, str | None, str | None]:
    """``(year, period, None)`` of a follow-up key: a year (its T1, T2 and VB under it: period None)
    or one follow-up period written with its year in any form of the one period grammar
    (:func:`lagesbild.sources.dates.read_period`: ``T1 2023``, ``2023 T2``, ``VB 2023``,
    ``jan–apr 2023``); ``(None, None, reason)`` when it is not one.

    Examples
    --------
    >>> followup_key(2023), followup_key("T1 2023"), followup_key("2023 vb"), followup_key("maj–aug 2023")
    ((2023, None, None), (2023, 'T1', None), (2023, 'VB', None), (2023, 'T2', None))
    >>> followup_key("Q1 2023")[2][:60]
    'uppföljningar görs per tertial, T1 (jan–apr) och T2 (maj–aug'
    >>> followup_key("hösten")[2][:40]
    'okänt år eller period i uppföljningen; s'
    """
    from lagesbild.sources.dates import read_period

    text = _as_text(key, strict=False) or ""
    try:
        read = read_period(text, years=YEARS)
    except ValueError:
        return None, None, f"okänt år eller period i uppföljningen; {FOLLOWUP_FORMS}"
    if read.kind == "calendar_year":
        return read.start.year, None, None
    whole = read.start.day == 1 and read.start.year == read.end.year
    period = FOLLOWUP_SPANS.get((read.start.month, read.end.month)) if whole else None
    if period is not None and (read.end + dt.timedelta(days=1)).day == 1:
        return read.start.year, period, None
    return None, None, (f"uppföljningar görs per tertial, T1 (jan–apr) och T2 (maj–aug), och för helåret "
                        f"i verksamhetsberättelsen (VB); \"{text}\" är perioden {read.start:%Y-%m-%d}–"
                        f"{read.end:%Y-%m-%d}. {FOLLOWUP_FORMS[0].upper()}{FOLLOWUP_FORMS[1:]}")


def parse_followups(value: Mapping, bad: list[_Bad]) -> list[dict]:
    """Return follow-up rows from ``{year: {T1: {mål uppfyllt: .., genomförda aktiviteter: ..}}}`` or
    ``{"T1 2023": {mål uppfyllt: ..}}`` (:func:`followup_key`)."""
    rows, seen = [], set()
    for year_key, periods in value.items():
        year, flat, reason = followup_key(year_key)
        if reason is not None:  # its value is not read: a year's T1, T2, VB or one entry?
            bad.append(_Bad(reason, year_key, year_key, value))
            continue
        if flat is not None:  # "T1 2023": the entry itself
            entries, periods = [(year_key, flat, periods)], value
        elif not isinstance(periods, Mapping):
            bad.append(_Bad("uppföljningen för ett år ska ha T1, T2 och VB med sina fält",
                            year_key, periods, value))
            continue
        else:
            entries = [(k, PERIODS.get(normalize_key(k)) if k is not None else None, e)
                       for k, e in periods.items()]
        for period_key, period, entry in entries:
            if period is None:
                bad.append(_Bad("okänd tertial; använd T1, T2 eller VB", period_key, entry, periods))
            fields = followup_fields(entry, period_key, periods, bad)
            if year is None or period is None or not any(fields.values()):
                continue
            if (year, period) in seen:
                bad.append(_Bad(f"uppföljningen för {period} {year} finns två gånger",
                                period_key, entry, periods))
            seen.add((year, period))
            line = getattr(periods, "key_lines", {}).get(period_key) or getattr(periods, "line", None)
            rows.append({"year": year, "period": period, **fields, "line": line})
    return rows


def followup_fields(entry, period_key, periods: Mapping, bad: list[_Bad]) -> dict:
    """Return goal_met and carried_out of one entry (a mapping, or plain text: a goal status as
    :func:`goal_status` reads it = goal_met, other text = carried_out)."""
    fields = {"goal_met": None, "carried_out": None}
    plain = "mål uppfyllt" if goal_status(entry) else "genomfört"
    pairs = entry.items() if isinstance(entry, Mapping) else [(plain, entry)]
    for key, value in pairs:
        canon = FOLLOWUP_LOOKUP.get(normalize_key(key))
        where = (key, value, entry) if isinstance(entry, Mapping) else (period_key, value, periods)
        if canon is None:
            bad.append(_Bad("okänt fält i uppföljningen; använd \"mål uppfyllt\" och "
                            "\"genomförda aktiviteter\"", *where))
            continue
        try:
            text = _as_text(value)
        except _Bad as exc:
            bad.append(_Bad(exc.reason, *where))
            continue
        fields[canon] = (goal_status(text) or text) if canon == "goal_met" and text else text
    return fields


def followup_column_reason(period: str | None, field: str | None) -> str:
    """Why a follow-up column name of a sheet is not understood."""
    if period is None:
        return "okänd tertial i kolumnnamnet; använd T1, T2 eller VB, t.ex. \"T1 2021 mål uppfyllt\""
    return "okänt fält i kolumnnamnet; använd \"mål uppfyllt\" eller \"genomfört\""


LOOSE_REFUSED = ("fältet har bara tertial och år i namnet; det läses som \"mål uppfyllt\" bara när värdet "
                 "är ja, nej eller delvis (t.ex. \"delvis uppfyllt\"); skriv uppföljningen under "
                 "uppföljning: med fälten \"mål uppfyllt\" och \"genomförda aktiviteter\"")


def loose_followups(item: Mapping, extra: dict, bad: list[_Bad]) -> list[dict]:
    """Follow-ups written in an activity beside its fields (``T1 2026: ja``, ``VB 2026: {mål uppfyllt:
    ja}``, ``2026: {T1: …}``), taken out of ``extra``: an entry with its fields, a year with its
    periods, or a goal status (:func:`goal_status`), is read as under ``uppföljning``; other values of a
    period's key are refused (what they hold is not known)."""
    from lagesbild.sources.yamllines import LineDict

    loose = LineDict(line=getattr(item, "line", None))
    loose.key_lines, own = {}, {str(k): k for k in item}
    for key in list(extra):
        value, line = item.get(own.get(key), extra[key]), getattr(item, "key_lines", {}).get(own.get(key))
        if (found := bare_followup(key)) is None:
            year, period, reason = followup_key(own.get(key, key))
            if reason is None and period is None and isinstance(value, Mapping):  # "2026: {T1: …}"
                del extra[key]
                _put(loose, year, key, value, line, item, bad)
            continue
        del extra[key]
        if not isinstance(value, Mapping) and goal_status(value) is None:
            bad.append(_Bad(LOOSE_REFUSED, key, value, item))
            continue
        _put(loose, f"{found[1]} {found[0]}", key, value, line, item, bad)
    return parse_followups(loose, bad) if loose else []


def _put(loose, name, key, value, line, item, bad: list[_Bad]) -> None:
    """Set one loose follow-up under its canonical name; the same period (or year) twice is refused."""
    if name in loose:
        bad.append(_Bad(f"uppföljningen för {name} finns två gånger (även som \"{loose.written[name]}\")",
                        key, value, item))
        return
    loose[name], loose.key_lines[name] = value, line
    loose.written = {**getattr(loose, "written", {}), name: key}
