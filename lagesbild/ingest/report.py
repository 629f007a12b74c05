"""The outcome of an ingest, and the rejected-rows report file."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild.errors import RowError
from lagesbild.sources.trailing_notes import is_sum_line


@dataclass
class IngestReport:
    """What an ingest did (or, for a validation, would do).

    ``status`` is ``ok`` (written), ``noop`` (file already ingested), ``valid`` (validation only, no
    errors), ``invalid`` (validation only, errors found) or ``failed`` (nothing written).
    """

    kind: str
    file: str
    source: str
    status: str = "ok"
    accepted: int = 0
    rejected: int = 0
    replaced: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ingest_id: int | None = None
    report_path: str | None = None
    message: str = ""
    builtin_places: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    generated_ids: int = 0
    shapeless_places: list[str] = field(default_factory=list)
    shapeless_parent: str | None = None
    ignored_columns: list[str] = field(default_factory=list)
    #: incidents (of the file, or after a places file all stored ones) in no place; None: not counted
    outside_places: int | None = None
    #: further sentences for the summary (Swedish), e.g. what a places file kept of the stored places
    remarks: list[str] = field(default_factory=list)
    #: the file's lines the accepted values came from, where that differs from the values (a wide
    #: table: one column per period, so one line gives a value per period); None: one value a line
    lines_read: int | None = None
    #: the keys of `skipped` that count values, not lines (a wide table's period columns)
    skipped_values: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The report as plain data (for ``--format json`` and the web layer)."""
        return {
            "typ": self.kind, "fil": self.file, "källa": self.source, "status": self.status,
            "godkända_rader": self.accepted, "avvisade_rader": self.rejected,
            "ersatta_rader": self.replaced, "inläsning": self.ingest_id,
            "rapport": self.report_path, "meddelande": self.message,
            "inbyggda_platser": list(self.builtin_places), "överhoppade": dict(self.skipped),
            "skapade_id": self.generated_ids, "områden_utan_karta": list(self.shapeless_places),
            "ej_lästa_kolumner": list(self.ignored_columns),
            "utanför_alla_platser": self.outside_places, "anmärkningar": list(self.remarks),
            # a wide table: "godkända_rader" are its values, "lästa_rader" the file's lines they came from
            "lästa_rader": self.accepted if self.lines_read is None else self.lines_read,
            "fel": [e.as_dict() for e in self.errors],
        }


def write_rejections(path: Path, errors: list[RowError]) -> Path:
    """Write rejected rows with their reasons as a `;`-separated UTF-8 CSV (opens in Excel)."""
    from lagesbild.formulas import neutralise  # the one formula neutraliser of every CSV/XLSX output

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["fil", "blad", "rad", "kolumn", "värde", "orsak"])
        for e in errors:
            w.writerow([neutralise(e.file), neutralise(e.sheet or ""), e.line or "",
                        neutralise(e.column or ""), neutralise(e.value or ""), neutralise(e.reason)])
    return path


def untimed_remark(untimed: int, accepted: int) -> str:
    """The report's sentence on rows with a date but no time of day.

    Examples
    --------
    >>> untimed_remark(40, 40)[:75]
    'Filen har inget klockslag för 40 händelser (alla): de räknas per dag, vecko'
    >>> untimed_remark(1, 30)[:52]
    'Filen har inget klockslag för 1 händelse: den räknas'
    """
    n = f"{untimed:,}".replace(",", "\u00a0")
    what = "händelse" if untimed == 1 else "händelser"
    every = " (alla)" if untimed == accepted and untimed > 1 else ""
    they = "den" if untimed == 1 else "de"
    return (f"Filen har inget klockslag för {n} {what}{every}: {they} räknas per dag, veckodag och månad, "
            "men tiden på dygnet är okänd (sparas som 00:00 med tiden markerad som okänd, så "
            "mönstret över dygnets timmar kan lämna dem utanför).")


def repeated_headers_remark(meta: dict, counted: bool = False) -> str | None:
    """The report's sentence on rows that repeat the header row (files pasted one after the other),
    skipped by the reader (:meth:`lagesbild.sources.tabular.OpenTable.chunks`): how many and on which
    lines (the first few); ``counted``: the count is said elsewhere (among the skipped rows).

    Examples
    --------
    >>> repeated_headers_remark({"repeated_headers": 2, "repeated_header_lines": [3, 5]})
    '2 rader upprepade rubrikraden (rad 3 och 5) och hoppades över: filen ser ut att vara flera exporter efter varandra.'
    >>> repeated_headers_remark({"repeated_headers": 1200, "repeated_header_lines": [3, 5, 7, 9, 11]})[:45]
    '1\xa0200 rader upprepade rubrikraden (rad 3, 5, '
    >>> repeated_headers_remark({"repeated_headers": 1, "repeated_header_lines": [40]}, counted=True)
    'Den upprepade rubrikraden stod på rad 40.'
    >>> repeated_headers_remark({}) is None
    True
    """
    n = int(meta.get("repeated_headers") or 0)
    if not n:
        return None
    lines = [str(x) for x in meta.get("repeated_header_lines") or []]
    shown = (", ".join(lines[:-1]) + " och " + lines[-1]) if 1 < len(lines) == n else ", ".join(lines)
    shown += " …" if len(lines) < n else ""
    if counted:
        return (f"Den upprepade rubrikraden stod på rad {shown}." if n == 1
                else f"De upprepade rubrikraderna stod på rad {shown}.")
    count = f"{n:,}".replace(",", "\u00a0")
    what = "rad upprepade" if n == 1 else "rader upprepade"
    return (f"{count} {what} rubrikraden (rad {shown}) och hoppades över: filen ser ut att vara flera "
            "exporter efter varandra.")


def hidden_rows_remark(meta: dict) -> str | None:
    """The report's sentence on rows an XLSX sheet hides (read as every other row: Excel hides a row
    from the eye, not from the file), naming the first lines.

    Examples
    --------
    >>> hidden_rows_remark({"hidden_rows": 3, "hidden_row_lines": [4, 5, 9]})
    '3 dolda rader i Excel-bladet (rad 4, 5 och 9) lästes in som alla andra: dolda rader är kvar i filen. Ta bort raderna i filen om de inte ska med.'
    >>> hidden_rows_remark({"hidden_rows": 1, "hidden_row_lines": [7]})[:40]
    '1 dold rad i Excel-bladet (rad 7) lästes'
    >>> hidden_rows_remark({}) is None
    True
    """
    n = int(meta.get("hidden_rows") or 0)
    if not n:
        return None
    lines = [str(x) for x in meta.get("hidden_row_lines") or []]
    shown = (", ".join(lines[:-1]) + " och " + lines[-1]) if 1 < len(lines) == n else ", ".join(lines)
    shown += " …" if len(lines) < n else ""
    count = f"{n:,}".replace(",", "\u00a0")
    what = "dold rad" if n == 1 else "dolda rader"
    return (f"{count} {what} i Excel-bladet (rad {shown}) lästes in som alla andra: dolda rader är kvar "
            "i filen. Ta bort raderna i filen om de inte ska med.")


def hidden_sheet_remark(meta: dict) -> str | None:
    """The report's sentence when the table was read from a sheet Excel hides (meta ``hidden_sheet``,
    :func:`lagesbild.sources.sheetscan.hidden_sheet`): no visible sheet had one, and what was read is
    not what the user who opens the workbook sees.

    >>> hidden_sheet_remark({"hidden_sheet": {"name": "Data", "state": "hidden"}})[:64]
    'Tabellen lästes från bladet "Data", som är dolt i Excel: inget s'
    >>> hidden_sheet_remark({"hidden_sheet": None}) is None
    True
    """
    sheet = meta.get("hidden_sheet")
    if not sheet:
        return None
    how = ("mycket dolt i Excel (det syns inte ens under Ta fram; bara ett makro eller VBA visar det)"
           if sheet.get("state") == "veryHidden" else "dolt i Excel")
    return (f"Tabellen lästes från bladet \"{sheet['name']}\", som är {how}: inget synligt blad har en "
            "tabell. Kontrollera att det är rätt tabell; högerklicka på en bladflik och välj Ta fram för "
            "att se bladet.")


def table_remarks(meta: dict) -> list[str]:
    """The report's sentences on what the incident reader read in a way the file did not say in so
    many words: repeated header rows skipped (:func:`repeated_headers_remark`), Excel day numbers read
    as dates (``excel_serial_dates``, with the first as ``(line, value, date)``) and the notes under the
    table left out (``trailing_notes``: ``(line, text)``).

    Examples
    --------
    >>> table_remarks({"excel_serial_dates": 2, "excel_serial_example": (2, "45901", "2025-09-01"),
    ...                "epoch": "1900"})[0]
    '2 datum var Excel-datumnummer (cellerna formaterade som tal, t.ex. 45901 på rad 2) och lästes enligt arbetsbokens datumsystem (1900-systemet): 45901 är 2025-09-01.'
    >>> table_remarks({"trailing_notes": [(5, "Källa: Polisen, uttag 2026-09-01")]})[0]
    'Rad 5 under tabellen är en anteckning, inte en händelse, och lästes inte in: "Källa: Polisen, uttag 2026-09-01".'
    """
    out = []
    if said := repeated_headers_remark(meta):
        out.append(said)
    if said := hidden_rows_remark(meta):
        out.append(said)
    if said := hidden_sheet_remark(meta):
        out.append(said)
    n = int(meta.get("excel_serial_dates") or 0)
    if n and meta.get("excel_serial_example"):
        line, value, day = meta["excel_serial_example"]
        count = f"{n:,}".replace(",", "\u00a0")
        out.append(f"{count} datum var Excel-datumnummer (cellerna formaterade som tal, t.ex. {value} på rad "
                   f"{line}) och lästes enligt arbetsbokens datumsystem ({meta.get('epoch', '1900')}-"
                   f"systemet): {value} är {day}.")
    notes = meta.get("trailing_notes") or []
    sums = [(line, text) for line, text in notes if is_sum_line(text)]
    for group, one, several in (([n for n in notes if n not in sums], "en anteckning, inte en händelse,",
                                 "anteckningar, inte händelser,"),
                                (sums, "en summarad, inte en händelse,", "summarader, inte händelser,")):
        if group:
            lines = [str(line) for line, _ in group]
            which = f"Rad {lines[0]}" if len(lines) == 1 else f"Raderna {', '.join(lines[:-1])} och {lines[-1]}"
            texts = "; ".join(f'"{text[:80]}"' for _, text in group[:5]) + (" …" if len(group) > 5 else "")
            out.append(f"{which} under tabellen är {one if len(lines) == 1 else several} och lästes inte "
                       f"in: {texts}.")
    return out


NOTHING_TO_READ = ("filen har inga rader att läsa in (bara rubriker); kontrollera att det är rätt fil "
                   "eller rätt flik")
#: kind -> the reason for a file that holds nothing, where "rader" and "flik" mean nothing (JSON, YAML)
NOTHING_OF_KIND = {
    "events": "filen har inga händelser att läsa in (en tom lista); kontrollera att det är rätt fil",
    "places": "filen har inga objekt (platser) att läsa in; kontrollera att det är rätt fil eller lager",
    "activities": "filen har inga aktiviteter att läsa in; kontrollera att det är rätt fil",
}


def nothing_to_read(report: IngestReport) -> bool:
    """Whether a file gave nothing at all: no row read, refused, replaced or skipped (a header alone)."""
    return not (report.accepted or report.errors or report.replaced or report.skipped
                or report.rejected)


#: the summary's sentence for local times in the hour summer time skips
NONEXISTENT = ("{n} {what} en tid som inte finns i svensk tid (timmen mellan 02:00 och 03:00 när "
               "sommartiden börjar: {lines}); {they} lästes som {they} är {written}. Kontrollera exportens "
               "tidszon.")
#: ... and in the hour it shows twice when summer time ends
AMBIGUOUS = ("{n} {what} en tid som finns två gånger i svensk tid (timmen mellan 02:00 och 03:00 när "
             "sommartiden slutar: {lines}); {they} lästes som {they} är {written}, klockslaget som det "
             "står, utan att veta vilken av de två timmarna som avses.")


def _clock_remark(text: str, n: int, lines: list[int]) -> str | None:
    """The summary's sentence for `n` times in an hour a clock change skips or repeats, naming the first
    lines (:data:`NONEXISTENT`, :data:`AMBIGUOUS`).

    >>> _clock_remark(AMBIGUOUS, 2, [3, 4])[:40], "rad 3 och 4" in _clock_remark(AMBIGUOUS, 2, [3, 4])
    ('2 händelser har en tid som finns två gån', True)
    """
    if not n:
        return None
    one = n == 1
    shown = [str(x) for x in lines]
    where = ("rad " + shown[0] if len(shown) == 1
             else "rad " + ", ".join(shown[:-1]) + " och " + shown[-1] + (" m.fl." if n > len(shown) else ""))
    return text.format(n=f"{n:,}".replace(",", "\u00a0"), what="händelse har" if one else "händelser har",
                       they="den" if one else "de", written="skriven" if one else "skrivna", lines=where)


def clock_remarks(meta: dict) -> list[str]:
    """The summary's sentences for incident times in the hour summer time skips or repeats, from the
    reader's running counts (:class:`lagesbild.sources.clockchange.ClockChanges`)."""
    out = []
    for text, key in ((NONEXISTENT, "nonexistent"), (AMBIGUOUS, "ambiguous")):
        if said := _clock_remark(text, int(meta.get(f"{key}_times") or 0), meta.get(f"{key}_lines") or []):
            out.append(said)
    return out


def detected_crs(meta: dict) -> str | None:
    """The summary's sentence when the values told a system other than SWEREF 99 TM (WGS 84 degrees
    in a file whose columns are E/N or X/Y): which one was read is said, as a places file's is.

    >>> detected_crs({"crs": 4326, "crs_detected": True})
    'Koordinaterna lästes som WGS 84 (EPSG:4326) efter värdena och räknades om till SWEREF 99 TM; ange --crs om det är fel.'
    >>> detected_crs({"crs": 3006, "crs_detected": True}), detected_crs({"crs": 4326, "crs_detected": False})
    (None, None)
    """
    from lagesbild.sources.incident_crs import CRS_NAMES, TARGET_EPSG  # pyproj: only when incidents are read

    epsg = meta.get("crs")
    if not meta.get("crs_detected") or epsg in (None, TARGET_EPSG):
        return None
    return (f"Koordinaterna lästes som {CRS_NAMES.get(epsg, 'EPSG')} (EPSG:{epsg}) efter värdena och räknades om "
            f"till {CRS_NAMES[TARGET_EPSG]}; ange --crs om det är fel.")
