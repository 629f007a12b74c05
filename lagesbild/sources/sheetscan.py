"""One fast pass over a worksheet's XML before openpyxl reads its cells.

Excel keeps a sheet's "used range" after its contents are deleted or whole columns are formatted: a
sheet of ten rows of data can hold a million empty ``<row>`` elements with styled cells and no value
(a 10 MB file). openpyxl turns every one into a row of cells, which took ~25 s for rows nobody reads.
The pass here (decompressing and searching the bytes, ~1 s for 170 MB of XML) finds

- whether the sheet has a formula (``<f>``; the formulas without a computed value are looked for
  only then), and
- the last row holding a value (a ``<v>`` or an inline string ``<is>``), so the rows after it are
  never parsed: reading stops there, whatever the sheet's dimension or empty rows say;
- the highest row number written: openpyxl fills the gap up to a row with empty rows, so a row
  numbered beyond Excel's last row (a ten-byte ``r="99999999999"``) would be a read without end;
- the rows the sheet hides (``<row r="7" hidden="1">``: a user who hid rows in Excel still has them
  read, and the ingest report says how many), and
- the cells merged down one column (``<mergeCell ref="A2:A4"/>``, a place or category written once
  beside the rows it labels), which read-only openpyxl does not give.

Rows are known by their ``r`` attribute; a sheet with a row element without one (rare writers) gets
no limit and is read as before. A damaged part gives no limit either: the read itself says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: a formula element (``<f>``, ``<f t="shared" .../>``, maybe with a namespace prefix)
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
#: a row element (group 1; group 2 its number when written) or a value/inline-string element
ROW_OR_VALUE = re.compile(rb'<(?:\w+:)?(?:(row)\b(?:[^>]*?\sr="([^"]*)")?|(?:v|is)[\s>/])')
#: a row element's attributes (group 1), looked at only in a block that hides a row
ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
HIDDEN = re.compile(rb'\shidden="(?:1|true)"')
ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
#: at most this many hidden rows are kept (a sheet that hides more is reported with these)
MAX_HIDDEN = 100_000
#: a merged range (the letters and row numbers of its corners)
MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
#: at most this many merged ranges are kept (Excel's own limit is far higher; a table has a few)
MAX_MERGES = 100_000
BLOCK = 1 << 20


@dataclass(frozen=True)
class SheetScan:
    """What one pass over a sheet's XML found."""

    has_formula: bool
    #: the last row with a value (0: none); None when rows are not numbered or the part is damaged
    last_value_row: int | None
    #: the number of the last row element (the used range's end as the file writes it)
    last_row: int = 0
    #: ranges merged down one column: (first row, column number) -> last row
    merged_down: dict = field(default_factory=dict)
    #: the highest row number of any row element (rows may come out of order)
    highest_row: int = 0
    #: a row number that is no row (``r="0"``, ``r="-3"``): openpyxl skipped that row without a word
    bad_row_number: str | None = None
    #: the numbers of the rows the sheet hides (at most :data:`MAX_HIDDEN`)
    hidden_rows: frozenset = frozenset()


UNKNOWN = SheetScan(has_formula=True, last_value_row=None)


def scan_sheet(ws) -> SheetScan:
    """The :class:`SheetScan` of a read-only openpyxl worksheet, computed once per worksheet."""
    found = getattr(ws, "_lagesbild_scan", None)
    if found is None:
        archive, member = getattr(ws.parent, "_archive", None), getattr(ws, "_worksheet_path", None)
        found = UNKNOWN if archive is None or member is None else scan_member(archive, member)
        ws._lagesbild_scan = found
    return found


def scan_member(archive, member: str) -> SheetScan:
    """Scan the sheet part ``member`` of the open zip ``archive`` (see the module docstring).

    Examples
    --------
    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("s.xml", '<sheetData><row r="1"><c r="A1"><v>3</v></c></row>'
    ...                         '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>'
    ...                         + "".join(f'<row r="{i}"><c r="A{i}" s="1"/></row>' for i in range(3, 999))
    ...                         + "</sheetData>")
    >>> scan_member(zipfile.ZipFile(buf), "s.xml")
    SheetScan(has_formula=False, last_value_row=2, last_row=998, merged_down={}, highest_row=998,
              bad_row_number=None, hidden_rows=frozenset())
    """
    has_formula, numbered, current, last_value, tail, merged = False, True, 0, 0, b"", {}
    highest, bad, hidden = 0, None, set()
    try:
        with archive.open(member) as fh:
            while True:
                block = fh.read(BLOCK)
                buf = tail + block
                cut = buf.rfind(b"<") if block else -1  # a tag cut by the block goes to the next
                cut = len(buf) if cut < 0 else cut
                part, tail = buf[:cut], buf[cut:]
                has_formula = has_formula or FORMULA_TAG.search(part) is not None
                for is_row, number in ROW_OR_VALUE.findall(part):
                    if not is_row:
                        last_value = current
                    elif number.isdigit() and int(number) > 0:
                        current = int(number)
                        highest = max(highest, current)
                    elif number:  # r="0", r="-3": no row of a sheet
                        bad = bad or number.decode("utf-8", "replace")[:20]
                    else:
                        numbered = False
                if b"hidden=" in part and len(hidden) < MAX_HIDDEN:  # Excel's hidden rows
                    for attrs in ROW_TAG.findall(part):
                        if HIDDEN.search(attrs) and (number := ROW_NUMBER.search(attrs)):
                            hidden.add(int(number.group(1)))
                for left, top, right, bottom in MERGE.findall(part):
                    if left == right and int(bottom) > int(top) and len(merged) < MAX_MERGES:
                        merged[(int(top), _column_number(left.decode()))] = int(bottom)
                if not block:
                    break
    except Exception:  # zlib.error, BadZipFile, EOFError, OSError ...: reported when the rows are read
        return UNKNOWN
    return SheetScan(has_formula, last_value if numbered else None, current, merged, highest, bad,
                     frozenset(hidden))


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


#: a cell text that is a number (a merged number, e.g. a count, is not repeated down its rows)
NUMBER_TEXT = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def filled_rows(rows, scan: SheetScan, header_row: int):
    """The data rows ``(sheet row, cells)`` under the header at `header_row` (cells as texts, or as
    openpyxl's values), with a text merged down a column (a place, category or priority area written
    once beside the rows it labels) standing in each row of the merge that has other values, as Excel
    shows it. Merges that begin in or above the header
    are the header's own. A merged number (a count) is not repeated: the rows below its first get
    ``(sammanslagen med D2: 5)``, which no reader takes for a value, so they are refused naming it.

    Examples
    --------
    >>> scan = SheetScan(False, 4, 4, {(2, 1): 4, (2, 3): 3})
    >>> list(filled_rows(iter([(2, ["Vårberg", "Rån", "5"]), (3, ["", "Rån", ""]), (4, ["", "", "7"])]),
    ...                  scan, 1))
    [(2, ['Vårberg', 'Rån', '5']), (3, ['Vårberg', 'Rån', '(sammanslagen med C2: 5)']), (4, ['Vårberg', '', '7'])]
    """
    starts: dict[int, list[tuple[int, int]]] = {}
    for (first, column), last in scan.merged_down.items():
        if first > header_row:
            starts.setdefault(first, []).append((column - 1, last))
    if not starts:
        yield from rows
        return
    carry: dict[int, tuple[int, str]] = {}  # column index -> (last row, text)
    for number, cells in rows:
        if not all(map(_empty, cells)):
            for index, (last, text) in list(carry.items()):
                if number > last:
                    del carry[index]
                elif index >= len(cells) or _empty(cells[index]):
                    cells.extend([""] * (index + 1 - len(cells)))
                    cells[index] = text
        for index, last in starts.get(number, ()):
            value = cells[index] if index < len(cells) else None
            if _empty(value):
                continue
            if isinstance(value, str) and not NUMBER_TEXT.fullmatch(value.strip()):
                carry[index] = (last, value)
            else:  # a number is not repeated: the rows it covers are refused, naming it
                carry[index] = (last, f"(sammanslagen med {column_letter(index + 1)}{number}: {value})")
        yield number, cells


def column_letter(number: int) -> str:
    """Excel's letters of the 1-based column ``number``.

    Examples
    --------
    >>> column_letter(1), column_letter(27), column_letter(16384)
    ('A', 'AA', 'XFD')
    """
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


#: a shared-string entry
SHARED_ENTRY = re.compile(rb"<(?:\w+:)?si[\s>/]")
#: a part's declared content type (``[Content_Types].xml``'s ``Override`` elements)
OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b[^>]*>")
PART = re.compile(rb"""PartName=["']([^"']+)["']""")
TYPE = re.compile(rb"""ContentType=["']([^"']+)["']""")
#: the workbook part's content types (openpyxl's XLSX, XLSM, XLTX and XLTM)
WORKBOOK_TYPE = re.compile(rb"\.(?:sheet|template)(?:\.macroEnabled)?\.main\+xml$")
#: shared strings no cell uses that a workbook may carry before it counts as damaged
SPARE_STRINGS = 1000


def _count(archive, member: str, pattern: re.Pattern, stop: int | None = None) -> int:
    """Occurrences of ``pattern`` in the part ``member``, read in blocks (stops beyond ``stop``)."""
    found, tail = 0, b""
    with archive.open(member) as fh:
        while stop is None or found <= stop:
            block = fh.read(BLOCK)
            buf = tail + block
            cut = buf.rfind(b"<") if block else len(buf)
            cut = len(buf) if cut < 0 else cut
            found += sum(1 for _ in pattern.finditer(buf, 0, cut))  # no list of every match
            tail = buf[cut:]
            if not block:
                break
    return found


def _parse(archive, member: str, start, end=None, done=lambda: False) -> None:
    """Stream the part ``member`` through expat in blocks, calling ``start(local name, attributes)``
    and ``end(local name)`` (names without their namespace); stops when ``done()`` says so, at a
    document type declaration (no entity is expanded) or at the first XML error."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse_doctype(*_):
        raise ValueError("DOCTYPE")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.StartElementHandler = lambda name, attrs: start(name.rpartition(" ")[2], attrs)
    if end is not None:
        parser.EndElementHandler = lambda name: end(name.rpartition(" ")[2])
    try:
        with archive.open(member) as fh:
            while not done():
                block = fh.read(BLOCK)
                parser.Parse(block, not block)
                if not block:
                    break
    except (expat.ExpatError, ValueError):
        pass  # the cells up to the damage count; openpyxl's read names the damage


def _workbook_sheets(archive, names: set, workbook: str) -> list[str]:
    """The parts of the sheets the workbook part lists (``<sheet r:id=…>`` in the workbook, its
    relationships' targets), in its order: the parts openpyxl reads, and no other."""
    import posixpath

    folder, base = posixpath.split(workbook)
    rels_part = posixpath.join(folder, "_rels", base + ".rels")
    if workbook not in names or rels_part not in names:
        return []
    ids: list[str] = []
    targets: dict[str, str] = {}

    def sheet(name, attrs):
        if name == "sheet":
            ids.extend(v for k, v in attrs.items() if k.rpartition(" ")[2] == "id" and " " in k)

    def relationship(name, attrs):
        if name == "Relationship" and attrs.get("TargetMode") != "External" and "Target" in attrs:
            target = attrs["Target"]
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            targets[attrs.get("Id", "")] = target

    _parse(archive, workbook, sheet)
    _parse(archive, rels_part, relationship)
    parts = [targets[i] for i in ids if i in targets]
    return [p for p in dict.fromkeys(parts) if p in names]


def _string_cells(archive, member: str, stop: int) -> int:
    """The cells of the sheet part ``member`` that use a shared string (``<c t="s">`` in a ``<row>``,
    with a ``<v>``), counted by a streaming parse that stops beyond ``stop``."""
    state = {"found": 0, "row": 0, "cell": False}

    def start(name, attrs):
        if name == "row":
            state["row"] += 1
        elif name == "c":
            state["cell"] = state["row"] > 0 and attrs.get("t") == "s"
        elif name == "v" and state["cell"]:
            state["found"] += 1
            state["cell"] = False

    def end(name):
        if name == "row":
            state["row"] -= 1
        elif name == "c":
            state["cell"] = False

    _parse(archive, member, start, end, done=lambda: state["found"] > stop)
    return state["found"]


def unused_shared_strings(archive) -> tuple[int, int] | None:
    """``(bound, string cells)`` when a workbook's shared-string table holds more entries than the bound
    (twice its sheets' cells that use one, plus :data:`SPARE_STRINGS`), else None.

    openpyxl reads the whole table when it opens a workbook, about 13 µs an entry: a 600 kB file with
    five million one-letter entries and four rows took 68 s and 700 MB. Excel writes only the strings
    its cells use, so entries beyond the sheets' string cells (and :data:`SPARE_STRINGS`) are no
    table's. Only the sheets the workbook lists count, and in them only ``<c t="s">`` cells of a row
    that hold a value: a part no sheet reads, full of ``t="s"``, once made a 170 kB file of three
    million entries pass (41 s and 558 MB to read). The entries are counted first; the cells only
    until they are enough, so a plain workbook's check stops early.

    Examples
    --------
    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("xl/workbook.xml", '<workbook xmlns:r="R"><sheets><sheet name="A" r:id="rId1"/>'
    ...                                   '</sheets></workbook>')
    ...     z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" '
    ...                                              'Target="worksheets/sheet1.xml"/></Relationships>')
    ...     z.writestr("xl/worksheets/sheet1.xml", '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    ...                                            '</sheetData>')
    ...     z.writestr("xl/worksheets/pad.xml", '<sheetData><row>' + '<c t="s"><v>0</v></c>' * 900 + '</row>'
    ...                                         '</sheetData>')
    ...     z.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>x</t></si>" * 5000 + "</sst>")
    >>> unused_shared_strings(zipfile.ZipFile(buf))
    (1002, 1)
    """
    names = set(archive.namelist())
    strings = {"xl/sharedStrings.xml"} & names
    workbook = "xl/workbook.xml"
    if "[Content_Types].xml" in names:
        with archive.open("[Content_Types].xml") as fh:
            for element in OVERRIDE.findall(fh.read(1 << 20)):
                part, kind = PART.search(element), TYPE.search(element)
                if part and kind:
                    name = part[1].decode("utf-8", "replace").lstrip("/")
                    if kind[1].endswith(b".sharedStrings+xml") and name in names:
                        strings.add(name)
                    elif WORKBOOK_TYPE.search(kind[1]) and name in names:
                        workbook = name
    if not strings:
        return None
    entries = sum(_count(archive, part, SHARED_ENTRY) for part in strings)
    if entries <= SPARE_STRINGS:
        return None
    enough = (entries - SPARE_STRINGS + 1) // 2  # cells with entries <= 2 * cells + SPARE_STRINGS
    cells = 0
    for sheet in _workbook_sheets(archive, names, workbook):
        if sheet not in strings:
            cells += _string_cells(archive, sheet, enough - cells - 1)
        if cells >= enough:
            return None
    bound = 2 * cells + SPARE_STRINGS
    return (bound, cells) if entries > bound else None


def refuse_unused_strings(path, name: str) -> None:
    """Refuse an XLSX whose shared-string table is far larger than the cells that use it
    (:func:`unused_shared_strings`); a damaged part is left to openpyxl's read, which names it."""
    import zipfile

    from lagesbild.errors import InputError
    from lagesbild.sources.numbers import format_number

    try:
        with zipfile.ZipFile(path) as archive:
            found = unused_shared_strings(archive)
    except Exception:  # zlib.error, BadZipFile, EOFError, KeyError ...
        return
    if found:
        raise InputError(name, f"Excel-filens texttabell har fler än {format_number(found[0])} texter, men "
                               f"bladen har bara {format_number(found[1])} celler som använder en; filen är skadad eller en zip-bomb")



def hidden_sheet(ws) -> dict | None:
    """``{"name": ..., "state": "hidden" | "veryHidden"}`` when Excel hides the sheet, else None: a
    table read from it is not what the user who opens the workbook sees (meta ``hidden_sheet``)."""
    return None if ws.sheet_state == "visible" else {"name": ws.title, "state": ws.sheet_state}
