"""The Swedish sentences that sum up an ingest: rows read, rejected and replaced, rows skipped, columns
not read, places added and incidents outside every place (moved out of :mod:`lagesbild.ingest.run`)."""

from __future__ import annotations

from lagesbild.ingest.report import IngestReport


def count_words(n: int, one: str, many: str) -> str:
    """A count in Swedish: thousands spaced (non-breaking), the word singular for one.

    Examples
    --------
    >>> count_words(68030, "rad", "rader"), count_words(1, "rad", "rader")
    ('68\xa0030 rader', '1 rad')
    """
    return f"{n:,}".replace(",", "\u00a0") + " " + (one if n == 1 else many)


def refusal_count(errors) -> str:
    """How many errors refused a file, and on how many lines where that is fewer (a wide table's line
    has a value per period, each with its own error).

    Examples
    --------
    >>> from lagesbild.errors import RowError
    >>> refusal_count([RowError("f", 3, "2024-01", "-1", "r"), RowError("f", 3, "2024-02", "-2", "r")])
    '2 fel på 1 rad'
    >>> refusal_count([RowError("f", 3, "a", "-1", "r")])
    '1 fel'
    """
    lines = {e.line for e in errors if e.line is not None}
    n = count_words(len(errors), "fel", "fel")
    return f"{n} på {count_words(len(lines), 'rad', 'rader')}" if lines and len(lines) < len(errors) else n


def summary_text(report: IngestReport, dry: bool = False) -> str:
    """The one-paragraph Swedish summary of an ingest (or, `dry`, of a check that wrote nothing)."""
    verb = ("kan läsas in", "kan läsas in") if dry else ("inläst", "inlästa")
    one, many = ("händelse ", "händelser ") if report.kind == "events" else ("rad ", "rader ")  # JSON: no lines
    parts = [f"{report.file}: {count_words(report.accepted, one + verb[0], many + verb[1])}"]
    wide = report.lines_read is not None and report.lines_read != report.accepted
    if wide:  # a wide table
        parts = [f"{report.file}: {count_words(report.accepted, 'värde ' + verb[0], 'värden ' + verb[1])} från "
                 f"{count_words(report.lines_read, 'rad', 'rader')} (en kolumn per period)"]
    if report.rejected:  # lines; beside a wide table's values they are said to be lines
        parts.append(count_words(report.rejected, "rad avvisad" if wide else "avvisad",
                                 "rader avvisade" if wide else "avvisade"))
    if report.replaced:
        parts.append(count_words(report.replaced, "tidigare rad ersatt", "tidigare rader ersatta"))
    text = ", ".join(parts) + "."
    for values in (False, True):  # lines skipped, then a wide table's values (a period's column)
        group = {k: v for k, v in report.skipped.items() if (k in report.skipped_values) == values}
        if group:
            n = sum(group.values())
            what = ", ".join(f"{k} ({v})" for k, v in group.items())
            said = count_words(n, "värde hoppades", "värden hoppades") if values else count_words(
                n, "rad hoppades", "rader hoppades")
            text += f" {said} över (inga fel, men räknas inte): {what}."
    if report.ignored_columns:
        shown = ", ".join(f"\"{c}\"" for c in report.ignored_columns[:12])
        more = " …" if len(report.ignored_columns) > 12 else ""
        text += (f" Kolumner som inte lästes in (inte antal för en period): {shown}{more}.")
    if report.generated_ids:
        text += (f" {count_words(report.generated_ids, 'rad', 'rader')} saknade id: id skapades från radens innehåll (datum, "
                 "tid, kategori och koordinater), så samma rad får samma id nästa gång.")
    if report.builtin_places:
        text += (" Platser ur den inbyggda geografin lades till: "
                 + ", ".join(report.builtin_places[:12])
                 + (" …" if len(report.builtin_places) > 12 else "") + ".")
    if report.shapeless_places:
        from lagesbild.ingest.shapeless import shapeless_message

        text += " " + shapeless_message(report.shapeless_parent, report.shapeless_places)
    if report.outside_places:
        text += " " + outside_message(report.outside_places)
    for remark in report.remarks:
        text += " " + remark
    if report.report_path:
        text += f" Avvisade rader med orsak: {report.report_path}"
    return text


def outside_message(n: int) -> str:
    """The summary's sentence about incidents in no place.

    Examples
    --------
    >>> outside_message(12)
    '12 händelser ligger utanför alla platser (t.ex. i vatten eller utanför kommunen); de sparas men räknas inte för någon plats.'
    >>> outside_message(125007).split(" händelser")[0] == "125" + chr(160) + "007"
    True
    >>> outside_message(1)[:44]
    '1 händelse ligger utanför alla platser (t.ex'
    """
    what = "händelse" if n == 1 else "händelser"
    shown = f"{n:,}".replace(",", "\u00a0")
    return (f"{shown} {what} ligger utanför alla platser (t.ex. i vatten eller utanför kommunen); de sparas "
            "men räknas inte för någon plats.")
