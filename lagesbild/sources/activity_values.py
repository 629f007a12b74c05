"""Values of one action-plan activity that need more than text: its places, its own id or the one made
from its name, and the free fields kept in ``extra`` (:mod:`lagesbild.sources.activities`)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping

from lagesbild.sources.loptid import BadValue as _Bad
from lagesbild.sources.loptid import as_text as _as_text
from lagesbild.sources.loptid import not_finite
from lagesbild.sources.textkeys import normalize_key, slugify

ID_MAX_LENGTH = 60
#: fields kept in ``extra`` that the reader knows (the 2017 template's own, a löptid or uppföljning written
#: as free text); any other field with a value is named in a note (:func:`unknown_note`)
KNOWN_EXTRA = {normalize_key(k) for k in (
    "prioriterade aktiviteter", "polisens åtagande", "SDF:s åtagande", "stadsdelsförvaltningens åtagande",
    "finansiering", "kommunikation", "löptid", "uppföljning")}


def plain(value: object) -> object:
    """Return `value` with dates as ISO text and mappings as plain dicts (JSON-friendly)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):  # no empty field: refused (NOT_FINITE)
        raise _Bad(not_finite(value), value=value)
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def places(value: object) -> list[str]:
    """Return the places of an activity: a list, or text separated by commas or semicolons."""
    values = value if isinstance(value, (list, tuple)) else [value]
    places = []
    for v in values:
        if isinstance(v, bool):  # YAML's true/false; "no" (Norway) stays text (yamllines.CORE_SCHEMA)
            raise _Bad(f"en plats är ett namn eller id, inte {'sant' if v else 'falskt'}; "
                       "skriv platsens namn som text (i YAML inom citattecken)")
        text = _as_text(v)
        places.extend(p.strip() for p in re.split(r"[,;]", text or "") if p.strip())
    return places


def activity_id(value: object, *, from_sheet: bool = False) -> str | None:
    """An activity's own id as text. True/false is refused, and in YAML a number with decimals too
    (``id: 1.50`` is read as 1.5: not what was written; a sheet's cell 1.5 shows 1.5)."""
    decimals = isinstance(value, float) and math.isfinite(value) and not value.is_integer()
    if isinstance(value, bool) or (decimals and not from_sheet):
        raise _Bad("id:t ska vara en text eller ett heltal; skriv det som text (i YAML inom citattecken: "
                   "id: \"1.50\") så att det läses som det står")
    return _as_text(value)


def unique_id(row: dict, seen: set, line: int, file: str, notes: list[str], bad: list[_Bad]):
    given = row["activity_id"]
    if given is not None:
        if given in seen:
            bad.append(_Bad("id:t finns redan på en tidigare aktivitet", "id", given))
        seen.add(given)
        return given
    base = slugify(row["aktivitet"], max_length=ID_MAX_LENGTH) or "aktivitet"
    activity_id, n = base, 1
    while activity_id in seen:
        n += 1
        activity_id = f"{base}-{n}"
    if n > 1:
        notes.append(f"{file}, rad {line}: aktiviteten fick id \"{activity_id}\" eftersom \"{base}\" "
                     "redan fanns; ange ett eget id för att hålla det stabilt")
    seen.add(activity_id)
    return activity_id


def unknown_fields(extra: dict, item: Mapping, *, from_sheet: bool = False) -> dict[str, int | None]:
    """The fields of ``extra`` with a value that are no field the reader knows (:data:`KNOWN_EXTRA`):
    name -> the line of its key (YAML; None in a sheet, whose row is the item's line)."""
    lines = {} if from_sheet else {str(k): n for k, n in getattr(item, "key_lines", {}).items()}
    return {key: lines.get(key) for key, value in extra.items()
            if normalize_key(key) not in KNOWN_EXTRA and value not in (None, "", [], {})}


def unknown_remark(unknown: dict[str, list[int]], sheet: str | None) -> str | None:
    """The ingest report's sentence on the columns (sheet) or fields (YAML) with values that the reader
    does not know: name -> the rows or lines that have a value in it; None when there are none.

    Examples
    --------
    >>> unknown_remark({"Kommentar": [4, 6]}, "Blad1")
    'Kolumnen "Kommentar" (bladet "Blad1", rad 4 och 6) lästes inte in i lägesbilden: den är inget fält \
i åtgärdsplanens mall; värdena sparas bara som övriga fält.'
    >>> unknown_remark({"foo": [3], "bar": [5]}, None)[:71]
    'Fälten "foo" (rad 3) och "bar" (rad 5) lästes inte in i lägesbilden: de'
    """
    if not unknown:
        return None
    named = [f'"{key}" ({_rows(lines, sheet)})' for key, lines in list(unknown.items())[:12]]
    more = f" och {len(unknown) - 12} till" if len(unknown) > 12 else ""
    names = (", ".join(named[:-1]) + " och " + named[-1]) if len(named) > 1 and not more else ", ".join(named)
    one, values = len(unknown) == 1, sum(len(set(lines)) for lines in unknown.values())
    what = ("Kolumnen" if one else "Kolumnerna") if sheet is not None else ("Fältet" if one else "Fälten")
    pronoun = "de är inga fält" if not one else "den är inget fält" if sheet is not None else "det är inget fält"
    return (f"{what} {names}{more} lästes inte in i lägesbilden: {pronoun} i åtgärdsplanens mall; "
            f"{'värdet sparas' if values == 1 else 'värdena sparas'} bara som övriga fält.")


def _rows(lines: list[int], sheet: str | None) -> str:
    shown = [str(n) for n in sorted(set(lines))]
    rows = (", ".join(shown[:-1]) + " och " + shown[-1]) if len(shown) > 1 else shown[0]
    if len(shown) > 8:
        rows = ", ".join(shown[:6]) + f" … ({len(shown)} rader)"
    return (f'bladet "{sheet}", ' if sheet is not None else "") + f"rad {rows}"
