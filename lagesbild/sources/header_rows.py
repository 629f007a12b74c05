"""A header written over two rows: a group (a period) over the measures under it, as one row.

Brå's and the police's Excel tables put the year in a merged cell over its measures::

    ;;2022;;2023;
    Område;Brott;Antal;Per 100 000 inv.;Antal;Per 100 000 inv.

or the measures in a row under the year's header::

    Område;Brott;2022;;2023;
    ;;Antal;Per 100 000 inv.;Antal;Per 100 000 inv.

Read row by row, the first says "the period is missing" on every line and the second "a column has
values but no header". :func:`combine_above` and :func:`combine_below` join the two rows into one
header (``2022 Antal``, ``2022 Per 100 000 inv.``), which the readers know (Brå's wide layout). A
group cell stands for the empty cells to its right (the merged cell), up to the next group cell.

Only a pair of rows that is plainly such a header is joined: at least two group cells, every cell
of the measure row under a group a measure, and nothing but groups in the group row from the first
group on; the caller says what a group and a measure are (the crimes reader: a period and
``Antal``/``Per 100 000 invånare``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

Test = Callable[[str], object]


@dataclass(frozen=True)
class TwoRows:
    """What a reader calls a group cell and a measure cell, for :func:`joined_header`."""

    group: Test
    measure: Test


def joined_header(above: Sequence[str] | None, cells: Sequence[str], below: Sequence[str] | None,
                  two_rows: TwoRows | None, accept: Callable[[list[str]], bool]):
    """The header as one row: ``(cells, "above" | "below" | None)``; the row above (or else the row
    below) is joined when the joined header is one ``accept`` takes.

    Examples
    --------
    >>> rows = TwoRows(group=str.isdigit, measure=lambda c: c == "Antal")
    >>> joined_header(["", "2022", "2023"], ["Område", "Antal", "Antal"], None, rows, lambda c: True)
    (['Område', '2022 Antal', '2023 Antal'], 'above')
    """
    if two_rows is None:
        return list(cells), None
    if above is not None:
        joined = combine_above(above, cells, group=two_rows.group, measure=two_rows.measure)
        if joined is not None and accept(joined):
            return joined, "above"
    if below is not None:
        joined = combine_below(cells, below, group=two_rows.group, measure=two_rows.measure)
        if joined is not None and accept(joined):
            return joined, "below"
    return list(cells), None


def combine_above(above: Sequence[str], cells: Sequence[str], *, group: Test,
                  measure: Test) -> list[str] | None:
    """The header joined with the row above it when that row holds the groups, else None.

    Examples
    --------
    >>> period, measure = str.isdigit, lambda c: c in ("Antal", "Per 100 000")
    >>> combine_above(["", "", "2022", "", "2023", ""],
    ...               ["Område", "Brott", "Antal", "Per 100 000", "Antal", "Per 100 000"],
    ...               group=period, measure=measure)
    ['Område', 'Brott', '2022 Antal', '2022 Per 100 000', '2023 Antal', '2023 Per 100 000']
    >>> combine_above(["Anmälda brott 2022"], ["Område", "Antal"], group=period, measure=measure) is None
    True
    """
    return _joined(list(above), list(cells), group, measure, labels_above=False)


def combine_below(cells: Sequence[str], below: Sequence[str], *, group: Test,
                  measure: Test) -> list[str] | None:
    """The header joined with the row under it when that row holds the measures, else None.

    Examples
    --------
    >>> period, measure = str.isdigit, lambda c: c in ("Antal", "Per 100 000")
    >>> combine_below(["Område", "Brott", "2022", "", "2023", ""],
    ...               ["", "", "Antal", "Per 100 000", "Antal", "Per 100 000"],
    ...               group=period, measure=measure)
    ['Område', 'Brott', '2022 Antal', '2022 Per 100 000', '2023 Antal', '2023 Per 100 000']
    >>> combine_below(["Område", "2022", "2023"], ["Hässelby", "12", "14"], group=period,
    ...               measure=measure) is None
    True
    """
    return _joined(list(cells), list(below), group, measure, labels_above=True)


def _joined(groups: list[str], measures: list[str], group: Test, measure: Test, *,
            labels_above: bool) -> list[str] | None:
    """Groups over measures as one row; the columns before the first group are labelled by the group
    row (``labels_above``) or by the measure row, and the other row must leave them empty."""
    width = max(len(groups), len(measures))
    groups = [c.strip() for c in groups] + [""] * (width - len(groups))
    measures = [c.strip() for c in measures] + [""] * (width - len(measures))
    first = next((i for i, c in enumerate(groups) if c and group(c)), None)
    if first is None:
        return None
    labels, blank = (groups, measures) if labels_above else (measures, groups)
    if any(blank[:first]) or not any(measures[first:]):
        return None
    if sum(bool(c) for c in groups[first:]) < 2 or not all(group(c) for c in groups[first:] if c):
        return None
    out, current = labels[:first], ""
    for g, m in zip(groups[first:], measures[first:], strict=True):
        current = g or current
        if m and not measure(m):
            return None
        out.append(f"{current} {m}" if m else g)
    return out
