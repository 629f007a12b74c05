"""Follow-ups of action-plan activities (uppföljning T1, T2, VB per year): field names and parsing.

Shared by the YAML and XLSX readers of :mod:`lagesbild.sources.activities`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lagesbild.sources.loptid import YEARS
from lagesbild.sources.loptid import BadValue as _Bad
from lagesbild.sources.loptid import as_text as _as_text
from lagesbild.sources.textkeys import normalize_key

#: fields of one follow-up entry
FOLLOWUP_FIELDS: dict[str, tuple[str, ...]] = {
    "goal_met": ("mål uppfyllt", "målet uppfyllt", "är målet nått", "målet nått", "mål nått", "goal_met"),
    "carried_out": ("genomförda aktiviteter", "genomfört", "vilka aktiviteter har genomförts",
                    "aktiviteter", "carried_out"),
}
PERIODS = {"t1": "T1", "tertial1": "T1", "t2": "T2", "tertial2": "T2", "vb": "VB",
           "verksamhetsberattelse": "VB"}
GOAL_WORDS = {"ja": "ja", "delvis": "delvis", "nej": "nej"}


def lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Aliases (normalised) -> canonical names."""
    return {normalize_key(alias): canon for canon, aliases in table.items() for alias in aliases}


FOLLOWUP_LOOKUP = lookup(FOLLOWUP_FIELDS)
PERIOD_TOKEN = r"t\s*\d|tertial\s*\d|vb|verksamhetsberattelse"
FOLLOWUP_COLUMN = re.compile(rf"^\s*(?:(?P<p1>{PERIOD_TOKEN})\s+(?P<y1>\d{{4}})|(?P<y2>\d{{4}})\s+"
                              rf"(?P<p2>{PERIOD_TOKEN}))\s+(?P<field>\S.*)$")


def parse_followups(value: Mapping, bad: list[_Bad]) -> list[dict]:
    """Return follow-up rows from ``{year: {T1: {mål uppfyllt: .., genomförda aktiviteter: ..}}}``."""
    rows, seen = [], set()
    for year_key, periods in value.items():
        text = _as_text(year_key, strict=False) or ""
        year = int(text) if re.fullmatch(r"\d{4}", text) else None
        if year is None or not YEARS[0] <= year <= YEARS[1]:
            bad.append(_Bad("okänt år i uppföljningen; skriv t.ex. 2021", year_key, year_key, value))
        if not isinstance(periods, Mapping):
            bad.append(_Bad("uppföljningen för ett år ska ha T1, T2 och VB med sina fält",
                            year_key, periods, value))
            continue
        for period_key, entry in periods.items():
            period = PERIODS.get(normalize_key(period_key)) if period_key is not None else None
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
    """Return goal_met and carried_out of one entry (a mapping, or plain text = carried_out)."""
    fields = {"goal_met": None, "carried_out": None}
    pairs = entry.items() if isinstance(entry, Mapping) else [("genomfört", entry)]
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
        fields[canon] = GOAL_WORDS.get(text.lower(), text) if canon == "goal_met" and text else text
    return fields


def followup_column_reason(period: str | None, field: str | None) -> str:
    """Why a follow-up column name of a sheet is not understood."""
    if period is None:
        return "okänd tertial i kolumnnamnet; använd T1, T2 eller VB, t.ex. \"T1 2021 mål uppfyllt\""
    return "okänt fält i kolumnnamnet; använd \"mål uppfyllt\" eller \"genomfört\""
