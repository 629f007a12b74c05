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
from lagesbild.sources.textkeys import slugify

ID_MAX_LENGTH = 60


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
