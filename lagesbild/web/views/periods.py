"""The Plats page's period choice: Sep–Aug years, tertials, calendar years or custom date ranges.

The periods live in the URL (``per=``) as their labels, which the analysis layer's period parser
reads back (``2021-2022``, ``T1 2021``, ``2021``, ``2018-01-01-2018-11-30``); the kind shown in the
selector is the kind of the periods, so a link reproduces both. Plain functions of the store; the page
module wires them to the controls.

Examples
--------
>>> kind_of(["T1 2021", "T1 2022"]), kind_of(["2018-01-01–2018-11-30"]), kind_of([])
('tertial', 'range', 'sep_aug')
>>> range_label("2018-01-01", "2018-11-30")
('2018-01-01–2018-11-30', None)
>>> range_label("2018-12-01", "2018-11-30")[1]
'Startdatumet ligger efter slutdatumet.'
"""

from __future__ import annotations

from datetime import date

from lagesbild.analysis import base
from lagesbild.figures.format import fmt_period
from lagesbild.web import common

# ----- declarative table -----------------------------------------------------------------------
#: (kind, label in the selector); the kinds of lagesbild.core.periods.KINDS offered on the page
KINDS = (("sep_aug", "Sep–aug-år"), ("tertial", "Tertial"), ("calendar_year", "Kalenderår"),
         ("range", "Eget datumintervall"))
DEFAULT_KIND = "sep_aug"
DEFAULT_N = common.DEFAULT_YEARS  # periods chosen by default for a kind
TEXT = dict(order="Startdatumet ligger efter slutdatumet.", missing="Välj både start- och slutdatum.",
            bad="Datumet kunde inte läsas: {e}", added="Perioden {label} är tillagd.",
            already="Perioden {label} är redan vald.")


def kind_options() -> list[dict]:
    """Options of the period-kind selector."""
    return [{"label": label, "value": kind} for kind, label in KINDS]


def kind_of(labels) -> str:
    """The kind of the first readable period label (default: Sep–Aug years)."""
    for label in labels or []:
        kind = base.period_kind(label)
        if kind is None:
            continue
        return kind if kind in dict(KINDS) else "range"
    return DEFAULT_KIND


def periods_of_kind(store, kind: str) -> list:
    """Every period of ``kind`` that overlaps the data, oldest first (none for custom ranges)."""
    if kind == "range":
        return []
    if kind == "sep_aug":
        return base.sep_aug_years(store)
    if kind == "calendar_year":
        return base.calendar_years(store)
    if kind == "tertial":
        return base.tertials(store)
    raise base.NotFound(f"Okänd periodtyp: {kind!r}.")


def default_periods(store, kind: str, n: int = DEFAULT_N, *, place_id=None) -> list:
    """The periods a kind starts with: the latest ``n`` years; the latest tertial and the same
    tertial of the years before; for a custom range, the year so far against the same dates of
    the year before (``2022-01-01–2022-03-31`` and ``2021-01-01–2021-03-31``). With ``place_id``,
    the latest of the place's own data (its Sep–Aug years as its first view takes them:
    :func:`lagesbild.analysis.base.default_comparison`), not of another kommun's Brå years."""
    span = base.data_span(store)
    if span is None:  # no monthly data: the calendar years with yearly counts (Brå), if any
        return base.calendar_years(store)[-n:] if kind == "calendar_year" else []
    if kind == "sep_aug" and place_id:
        own = base.default_comparison(store, place_id, n)
        if own and all(p.kind == "sep_aug" for p in own):
            return own
    last = (common.place_data_until(store, place_id) if place_id else None) or span[1]
    if kind == "range":
        start = date(last.year, 1, 1)
        return [base.date_range(base.years_before(start), base.years_before(last)),
                base.date_range(start, last)]
    options = periods_of_kind(store, kind)
    if kind != "tertial":
        return options[-n:]
    latest = [p for p in options if p.start <= last][-1:]
    if not latest:
        return []
    which = latest[0].label.split()[0]
    same = [p for p in options if p.label.startswith(which + " ") and p.start <= last]
    return same[-n:]


def options(store, kind: str, selected=(), data_until=None) -> list[dict]:
    """Dropdown options: the periods of ``kind`` and every selected period (custom ranges too)."""
    opts = common.period_label_options(periods_of_kind(store, kind), data_until)
    known = {o["value"] for o in opts}
    for label in selected or []:
        if label not in known:
            # a custom range's chip as the table heads show it ("jan–mar 2021"), narrower than ISO dates
            opts.append({"label": fmt_period(label), "value": label})
            known.add(label)
    return opts


def range_label(start, end) -> tuple[str | None, str | None]:
    """The label of the range ``start``–``end`` (ISO dates from the date pickers), or a message."""
    if not start or not end:
        return None, TEXT["missing"]
    try:
        a, b = base.as_date(str(start)[:10]), base.as_date(str(end)[:10])
    except (ValueError, TypeError) as err:
        return None, TEXT["bad"].format(e=err)
    if b < a:
        return None, TEXT["order"]
    return base.date_range(a, b).label, None


def add_range(selected, start, end) -> tuple[list[str], str]:
    """The selected periods with the range ``start``–``end`` added (kept in time order), and a message."""
    label, problem = range_label(start, end)
    current = list(selected or [])
    if problem:
        return current, problem
    if label in current:
        return current, TEXT["already"].format(label=label)
    return sorted(current + [label], key=_start_end), TEXT["added"].format(label=label)


def _start_end(label: str) -> tuple:
    found, _ = base.read_periods([label])
    return (found[0].start, found[0].end) if found else (date.max, date.max)


def next_periods(store, trigger: str | None, periods, kind: str, *, start=None,
                 end=None, place_id=None) -> tuple[list[str], str, str | None]:
    """The chosen periods after a change, their kind, and a message (or None).

    ``trigger`` is ``kind`` (another kind brings its defaults unless the periods are of that kind
    already) or ``add`` (the range ``start``–``end`` is added).
    """
    current = list(periods or [])
    if trigger == "add":
        # the first range of one's own replaces the periods shown before (another kind's, or the
        # custom kind's two defaults), so the page never compares mixed periods
        defaults = [p.label for p in default_periods(store, "range", place_id=place_id)]
        base = [] if kind_of(current) != "range" or current == defaults else current
        new, message = add_range(base, start, end)
        if new == base and base != current:  # nothing added (a bad range): keep what was shown
            return current, kind, message
        return new, kind_of(new) if new else kind, message
    if current and kind_of(current) == kind:
        return current, kind, None
    return [p.label for p in default_periods(store, kind, place_id=place_id)], kind, None
