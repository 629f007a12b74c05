"""Read an action plan (åtgärdsplan) from YAML or XLSX, in the newer template or the 2017 one.

YAML: a list of activities, or a mapping with ``aktiviteter: [...]`` (optionally ``mall: 2017`` for the
whole file), or ``prioriterade områden: [{namn: ..., aktiviteter: [...]}]`` whose activities inherit the
area's name as ``prioriterat område``. An activity in the newer template::

    - aktivitet: Fortsätta platssamverkan kring Hässelby torg
      plats: Hässelby torg            # one or more names or ids; a list or "a, b; c"
      arbetsgrupp: Befintlig arbetsgrupp
      löptid: Start februari 2019, tillsvidare   # or "2020-09-01 – 2021-12-31"; or start: / slut:
      mötesfrekvens: 1 gång per månad
      sammankallande: Förvaltningen
      uppföljning:
        2021:
          T1: {mål uppfyllt: delvis, genomförda aktiviteter: Två trygghetsvandringar}
          VB: {mål uppfyllt: ja, genomförda aktiviteter: ...}

The 2017 template (``åtgärd``, ``ansvarig``, ``samverkansforum`` ...) is recognised by its ``åtgärd`` field
or ``mall: 2017``; see :data:`TEMPLATE_2017_FIELDS`. Fields of neither table (prioriterade aktiviteter,
polisens/SDF:s åtagande, finansiering, kommunikation, free-text uppföljning ...) are kept in ``extra``
under their names as written; a löptid written as text is kept there too, as written.

XLSX: the first sheet (or the named one) with a header row holding ``Aktivitet`` or ``Åtgärd``; one row per
activity, the same field names as column headers, and follow-ups in columns named
``<period> <year> <field>``, e.g. ``T1 2021 mål uppfyllt``, ``T1 2021 genomfört``, ``VB 2021 genomförda
aktiviteter`` (period T1, T2 or VB; field from
:data:`lagesbild.sources.followups.FOLLOWUP_FIELDS`; the sheet is read by
:mod:`lagesbild.sources.activity_sheet`). A column named by period and year alone (``T1 2026``,
``T1 -26``, ``Uppföljning T1 2026``) is read as "mål uppfyllt" when all its values are a goal status
(ja, nej, delvis …), else each of its values is an error; in YAML ``T1 2026: ja`` beside the fields
likewise. Any other field or column with values that neither template knows is kept in ``extra`` and
named in ``meta['remarks']`` (said in the ingest report).

Output: ``ReadResult.table`` is the activities table (:data:`COLUMNS`, ``line`` = line of the YAML item or
sheet row), ``meta['followups']`` the follow-ups (:data:`FOLLOWUP_COLUMNS`). An activity with any bad
value is rejected as a whole with one RowError per problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild.errors import InputError, RowError
from lagesbild.sources import ReadResult
from lagesbild.sources.activity_sheet import xlsx_items
from lagesbild.sources.activity_values import (
    activity_id,
    places,
    plain,
    unique_id,
    unknown_fields,
    unknown_remark,
)
from lagesbild.sources.followups import lookup, loose_followups, parse_followups
from lagesbild.sources.loptid import (
    _OPEN_ENDED,
    lone_end,
    parse_loptid,
)
from lagesbild.sources.loptid import (
    BadValue as _Bad,
)
from lagesbild.sources.loptid import (
    as_text as _as_text,
)
from lagesbild.sources.loptid import (
    shown as _shown,
)
from lagesbild.sources.loptid import (
    single_date as _single_date,
)
from lagesbild.sources.textfile import read_text
from lagesbild.sources.textkeys import normalize_key
from lagesbild.sources.yamllines import LineDict, load_yaml
from lagesbild.sources.yamllines import LineLoader as _LineLoader

_COMMON = {
    "activity_id": ("id", "aktivitets-id", "activity_id"),
    "priority_area": ("prioriterat område", "prioriterat samverkansområde", "priority_area"),
    "places": ("plats", "platser", "places"),
    "mal": ("mål", "övergripande mål"),
    "syfte": ("syfte", "beskrivning och syfte"),
    "malgrupp": ("målgrupp",),
    "matbara_mal": ("mätbara mål",),
    "loptid": ("löptid",),
    "start": ("start", "startdatum", "start_date"),
    "slut": ("slut", "slutdatum", "end_date"),
    "motesfrekvens": ("mötesfrekvens",),
    "sdf_kontakt": ("stadsdelsförvaltningens kontakt", "SDF:s kontakt", "SDF kontakt"),
    "polis_kontakt": ("polisens kontakt", "polisen kontakt"),
    "uppfoljning": ("uppföljning",),
    "template": ("mall", "template"),
}
#: newer template (2019–): canonical column -> field names as written in the sources
NEW_TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = _COMMON | {
    "aktivitet": ("aktivitet", "activity"),
    "arbetsgrupp": ("arbetsgrupp",),
    "sammankallande": ("sammankallande",),
    "ovriga": ("övriga deltagare",),
}
#: 2017 template: åtgärd -> aktivitet, samverkansforum -> arbetsgrupp, ansvarig -> sammankallande;
#: its other fields (prioriterade aktiviteter, polisens åtagande, SDF:s åtagande, finansiering,
#: kommunikation) go to ``extra``
TEMPLATE_2017_FIELDS: dict[str, tuple[str, ...]] = _COMMON | {
    "aktivitet": ("åtgärd",),
    "arbetsgrupp": ("samverkansforum",),
    "sammankallande": ("ansvarig",),
    "ovriga": ("övriga deltagare", "tänkbara övriga aktörer", "övriga aktörer"),
}
TEMPLATES = {"ny": "ny", "new": "ny", "2019": "ny", "2017": "2017"}
LIST_KEYS = ("aktiviteter", "activities", "åtgärder")
GROUP_KEYS = ("prioriterade områden", "prioriterade samverkansområden", "områden")
GROUP_NAME_KEYS = ("namn", "prioriterat område", "område", "name")

COLUMNS = ["activity_id", "aktivitet", "priority_area", "arbetsgrupp", "syfte", "mal", "malgrupp",
           "matbara_mal", "start_date", "end_date", "open_ended", "motesfrekvens", "sammankallande",
           "sdf_kontakt", "polis_kontakt", "ovriga", "template", "extra", "places", "line"]
FOLLOWUP_COLUMNS = ["activity_id", "year", "period", "goal_met", "carried_out", "line"]
TEXT_COLUMNS = ["aktivitet", "priority_area", "arbetsgrupp", "syfte", "mal", "malgrupp", "matbara_mal",
                "motesfrekvens", "sammankallande", "sdf_kontakt", "polis_kontakt", "ovriga"]


_FIELDS = {"ny": lookup(NEW_TEMPLATE_FIELDS), "2017": lookup(TEMPLATE_2017_FIELDS)}
def read_activities(path: str | Path, *, sheet: str | None = None,
                    file_name: str | None = None) -> ReadResult:
    """Read an action plan from a ``.yaml``/``.yml`` or ``.xlsx`` file.

    Parameters
    ----------
    path : str or Path
        The file.
    sheet : str, optional
        XLSX sheet to read; default the first with a recognised header row.
    file_name : str, optional
        Name used in messages; default the file's name.

    Raises
    ------
    InputError
        When the file cannot be read or has no activities in a recognised shape.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "plan.yaml")
    >>> _ = open(path, "w").write("- aktivitet: Platssamverkan Vårberg\\n  löptid: Tillsvidare\\n")
    >>> read_activities(path).table[["activity_id", "open_ended", "line"]].values.tolist()
    [['platssamverkan-varberg', True, 1]]
    """
    path = Path(path)
    name = file_name or path.name
    if not path.exists():
        raise InputError(name, "filen finns inte")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        items, template = _yaml_items(path, name)
        return parse_activities(items, file_name=name, template=template)
    if suffix in (".xlsx", ".xlsm"):
        items, sheet_name, errors, hidden, notes = xlsx_items(path, name, sheet)
        result = parse_activities(items, file_name=name, sheet=sheet_name)
        result.errors[:0] = errors
        result.meta["remarks"][:0] = notes
        result.meta["hidden_sheet"] = hidden  # said in the ingest report (ingest.report.hidden_sheet_remark)
        return result
    raise InputError(name, "åtgärdsplanen ska vara en YAML-fil (.yaml, .yml) eller Excel-fil (.xlsx)")


def _found(data: object) -> str:
    """What a YAML file holds instead of activities, for the message: a lone value quoted (shortened)."""
    if data is None:
        return "; den innehåller inga värden"
    text = " ".join(str(data).split())
    return f'; den innehåller bara värdet "{text if len(text) <= 40 else text[:40] + "…"}"'


def _yaml_items(path: Path, name: str) -> tuple[list, str | None]:
    data = load_yaml(read_text(path, name), name, loader=_LineLoader)
    if isinstance(data, list):
        return data, None
    if not isinstance(data, Mapping):
        raise InputError(name, "filen ska innehålla en lista med aktiviteter eller nyckeln 'aktiviteter'"
                         + _found(data))
    keys = {normalize_key(k): k for k in data}
    template = _template(data[keys["mall"]]) if "mall" in keys else None
    if "mall" in keys and template is None:
        raise InputError(name, f"okänd mall \"{data[keys['mall']]}\"; använd ny eller 2017")
    for alias in LIST_KEYS:
        if isinstance(data.get(keys.get(normalize_key(alias))), list):
            return data[keys[normalize_key(alias)]], template
    for alias in GROUP_KEYS:
        if isinstance(data.get(keys.get(normalize_key(alias))), list):
            return _grouped(data[keys[normalize_key(alias)]]), template
    raise InputError(name, "hittade inga aktiviteter; skriv dem som en lista under 'aktiviteter:'")


def _grouped(groups: list) -> list:
    """Flatten priority-area groups; each activity inherits the group's name as prioriterat område."""
    items = []
    for group in groups:
        if not isinstance(group, Mapping):
            items.append(group)
            continue
        keys = {normalize_key(k): k for k in group}
        area = next((group[keys[normalize_key(a)]] for a in GROUP_NAME_KEYS if normalize_key(a) in keys),
                    None)
        activities = group.get(keys.get("aktiviteter"))
        for item in activities if isinstance(activities, list) else [activities]:
            if isinstance(item, Mapping) and "prioriteratomrade" not in map(normalize_key, item):
                item = _copy_with(item, "prioriterat område", area, getattr(group, "line", None))
            items.append(item)
    return items


def _copy_with(item: Mapping, key: str, value: object, line: int | None) -> LineDict:
    new = LineDict(item, line=getattr(item, "line", None))
    new.key_lines = dict(getattr(item, "key_lines", {}), **{key: line})
    new[key] = value
    return new


def parse_activities(items: list, *, file_name: str = "åtgärdsplan", template: str | None = None,
                     sheet: str | None = None) -> ReadResult:
    """Turn a list of activity mappings into the activities and follow-ups tables.

    Parameters
    ----------
    items : list
        Mappings with the template's field names; a :class:`LineDict` carries its line numbers,
        otherwise the 1-based position is used as the line.
    file_name, sheet : str
        Used in messages.
    template : {'ny', '2017'}, optional
        Force a template; default: per item, ``2017`` when it has ``åtgärd`` and no ``aktivitet``.

    Examples
    --------
    >>> items = [{"åtgärd": "Trygga uppväxten", "ansvarig": "Polis", "finansiering": "Egen"},
    ...          {"aktivitet": "X", "uppföljning": {2021: {"T3": "klart"}}}]
    >>> result = parse_activities(items)
    >>> result.table[["aktivitet", "sammankallande", "template", "extra"]].values.tolist()
    [['Trygga uppväxten', 'Polis', '2017', {'finansiering': 'Egen'}]]
    >>> result.errors[0].message()
    'åtgärdsplan, rad 2, kolumn "T3", värde "klart": okänd tertial; använd T1, T2 eller VB'
    """
    rows, followups, errors, notes, seen, unknown = [], [], [], [], set(), {}
    for index, item in enumerate(items, start=1):
        line = getattr(item, "line", None) or index
        row, item_followups, bad = _activity(item, template, from_sheet=sheet is not None)
        if row.get("activity_id") or row.get("aktivitet"):  # rejected items reserve their ids too
            row["activity_id"] = unique_id(row, seen, line, file_name, notes, bad)
        for key, key_line in row.get("unknown", {}).items():
            unknown.setdefault(key, []).append(key_line or line)
        if bad:
            errors.extend(_row_error(b, file_name, line, sheet) for b in bad)
            continue
        row["line"] = line
        rows.append(row)
        followups.extend(dict(f, activity_id=row["activity_id"], line=f["line"] or line)
                         for f in item_followups)
    table = _frame(rows, COLUMNS, {"open_ended": bool, "line": "int64"})
    follow = _frame(followups, FOLLOWUP_COLUMNS, {"year": "int64", "line": "int64"})
    remark = unknown_remark(unknown, sheet)  # said in the ingest report (ingest.handlers.ingest_activities)
    return ReadResult(table, errors, notes, {"followups": follow, "remarks": [remark] if remark else []})


def _frame(rows: list[dict], columns: list[str], types: dict[str, object]) -> pd.DataFrame:
    """Build a DataFrame column by column (much faster than DataFrame(rows).astype(...))."""
    data = {}
    for col in columns:
        values = np.empty(len(rows), dtype=types.get(col, object))
        for i, row in enumerate(rows):
            values[i] = row.get(col)
        data[col] = values
    return pd.DataFrame(data, columns=columns)


def _row_error(bad: _Bad, file: str, line: int, sheet: str | None) -> RowError:
    lines = getattr(bad.mapping, "key_lines", {})
    key_line = lines.get(bad.key) if bad.key is not None else None
    value = None if bad.value is None else _short(_shown(bad.value))
    column = None if bad.key is None else str(getattr(bad.key, "header", bad.key))  # a sheet's own header
    return RowError(file, key_line or getattr(bad.mapping, "line", None) or line, column, value,
                    bad.reason, sheet=sheet)


def _short(text: str | None, limit: int = 80) -> str | None:
    return text if text is None or len(text) <= limit else text[: limit - 1] + "…"


def _activity(item: object, template: str | None, *,
              from_sheet: bool = False) -> tuple[dict, list[dict], list[_Bad]]:
    if not isinstance(item, Mapping):
        return {}, [], [_Bad("en aktivitet ska vara en uppsättning fält (namn: värde)", value=item)]
    keys = {normalize_key(k): v for k, v in item.items()}
    own = _template(keys.get("mall", keys.get("template")))
    template = own or template or ("2017" if "atgard" in keys and "aktivitet" not in keys else "ny")
    fields, extra, bad = _fields(item, template)
    row = {"template": template, "extra": extra}
    for col in TEXT_COLUMNS:
        row[col] = _field(fields, col, _as_text, item, bad)
    if row["aktivitet"] is None:
        name = "åtgärd" if template == "2017" else "aktivitet"
        bad.append(_Bad(f"fältet {name} saknas eller är tomt", mapping=item))
    row["places"] = _field(fields, "places", places, item, bad) or []
    row["activity_id"] = _field(fields, "activity_id", lambda v: activity_id(v, from_sheet=from_sheet), item,
                                bad)
    dates = _dates(fields, extra, item, bad)
    row["start_date"], row["end_date"], row["open_ended"] = dates
    followups = []
    key, value = fields.get("uppfoljning", (None, None))
    if isinstance(value, Mapping):
        followups = parse_followups(value, bad)
    elif value is not None:
        try:
            extra[str(key)] = plain(value)
        except _Bad as exc:
            bad.append(_Bad(exc.reason, key, exc.value, item))
    seen = {(f["year"], f["period"]) for f in followups}
    for loose in loose_followups(item, extra, bad):  # "T1 2026: ja" beside the fields
        if (loose["year"], loose["period"]) in seen:
            bad.append(_Bad(f"uppföljningen för {loose['period']} {loose['year']} finns två gånger", value=None,
                            mapping=item))
        followups.append(loose)
    row["unknown"] = unknown_fields(extra, item, from_sheet=from_sheet)
    return row, followups, bad


def _fields(item: Mapping, template: str) -> tuple[dict, dict, list[_Bad]]:
    fields, extra, bad = {}, {}, []
    for key, value in item.items():
        canon = _FIELDS[template].get(normalize_key(key))
        if canon is None:
            try:
                extra[str(key)] = plain(value)
            except _Bad as exc:
                bad.append(_Bad(exc.reason, key, exc.value, item))
        elif canon in fields:
            bad.append(_Bad(f"fältet finns två gånger (även som \"{fields[canon][0]}\")", key, value, item))
        else:
            fields[canon] = (key, value)
    if "template" in fields and _template(fields["template"][1]) is None:
        bad.append(_Bad("okänd mall; använd ny eller 2017", *fields["template"], item))
    return fields, extra, bad


def _field(fields: dict, canon: str, convert, item: Mapping, bad: list[_Bad]):
    if canon not in fields:
        return None
    key, value = fields[canon]
    try:
        return convert(value)
    except _Bad as exc:
        bad.append(_Bad(exc.reason, key, value, item))
        return None


def _template(value: object) -> str | None:
    return TEMPLATES.get(normalize_key(value)) if value is not None else None


def _dates(fields: dict, extra: dict, item: Mapping, bad: list[_Bad]):
    """Return (start_date, end_date, open_ended) from löptid and/or start and slut."""
    start = end = None
    open_ended = False
    epoch = getattr(item, "epoch", None)  # a sheet's date system (a YAML file has none)
    if "loptid" in fields:
        key, value = fields["loptid"]
        if isinstance(value, str):
            extra[str(key)] = value
        start, end, open_ended = _field(fields, "loptid", lambda v: parse_loptid(v, epoch), item, bad) or (None, None, False)
    if "start" in fields:
        own = _field(fields, "start", lambda v: _single_date(v, last=False, epoch=epoch), item, bad)
        if own is not None and "loptid" in fields and end is None and not open_ended:
            try:  # "löptid: 2021-12-31" beside a start is its end
                end = lone_end(fields["loptid"][1])
            except _Bad:  # a löptid that is no text ("löptid: {}") is reported above; it was a crash
                end = None
        start = own or start
    if "slut" in fields:
        text = _as_text(fields["slut"][1], strict=False) or ""
        if _OPEN_ENDED.search(text.lower()):
            open_ended, end = True, None
        else:
            end = _field(fields, "slut", lambda v: _single_date(v, last=True, epoch=epoch), item, bad) or end
            open_ended = open_ended and end is None
    if start is not None and end is not None and end < start:
        key, value = fields.get("slut", fields.get("loptid"))
        bad.append(_Bad(f"slutdatumet {end} ligger före startdatumet {start}", key, value, item))
    return start, end, open_ended
