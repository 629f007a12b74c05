"""What the text around an aggregated crime table says, for every crime reader (generic and Brå's).

- The measure. Brå and the police name it in the title lines above the header ("Anmälda brott, antal"
  or "Anmälda brott per 100 000 invånare"). A table whose title lines say rates (:data:`TITLE_RATE`)
  while its count columns do not say ``Antal`` (:data:`EXPLICIT_COUNT`) is refused by
  :func:`refuse_rates`: a rate is never stored as a count, whole (``825``) or not (``825,0``).
- The period a wide column's header names (:func:`header_period`): a plain period, one of Brå's labels
  (``2026 prel., Aug``, PX-Web's ``2023M01``), maybe with a footnote mark (:data:`FOOTNOTE_MARK`:
  ``2024¹``, ``2024*``, ``2024 1)``), which Brå puts on preliminary figures: the period is read
  without the mark and marked preliminary.
- The notes under the table (:func:`is_note_text`): ``Källa: …``, ``Förklaring: …``,
  ``¹ Preliminära uppgifter …``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lagesbild.errors import InputError
from lagesbild.sources import dates
from lagesbild.sources.mapping import normalise

# A title line or header that says the table holds rates: "per 100 000 invånare", "per 1 000 inv.",
# "per invånare", "Per100000", "per capita".
TITLE_RATE = re.compile(r"(?i)per\s*\d{1,3}(?:[\s\u00a0.]?000)+|per\s*capita|per\s+inv(?:ånare|anare)?\b")
# A header of a wide column that holds rates (also a bare "invånare" or "inv." there).
RATE_WORDS = re.compile(r"(?i)per\s*\d{1,3}(?:[\s\u00a0.]?000)+|per\s*capita|invånare|\binv\b")
# The measure words of a wide header "<period> <measure>" (taken off to read the period).
COUNT_WORDS = re.compile(r"(?i)\b(antal( anmälda)?( brott)?|anmälda brott|count)\b")
# A count column whose header says so in words (wins over a title that names rates too).
EXPLICIT_COUNT = re.compile(r"(?i)\b(antal|count|number)\b")
# A footnote mark after a period header: superscript digits, asterisks, " 1)".
FOOTNOTE_MARK = re.compile(r"(?:\s*[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\s*\*+|\s+\d{1,2}\))$")
# Notes under Brå's and the police's tables (first cell, normalised), and a footnote line "¹ …".
NOTE_STARTS = ("kalla", "anm", "forklaring", "not", "fotnot", "uppgifter", "statistiken",
               "teckenforklaring", "uttag", "tabellen", "brottsforebyggande")
# Brå's legend under a table: "- = inget finns att redovisa" (a dash is zero, not missing).
DASH_IS_ZERO = re.compile(r"(?i)(?:^|[\s;:])[-–—]\s*=\s*inget")
# A table's own source line naming Brå ("Källa: Brottsförebyggande rådet (Brå), …").
BRA_SOURCE_NOTE = re.compile(r"^\s*källa\s*:\s*(brottsförebyggande\s+rådet|brå\b)", re.IGNORECASE)
#: the cells Brå writes for "inget finns att redovisa" (zero)
DASH_CELLS = ("-", "–", "—")
#: a footnote ("¹ …", "* …", "1) …") or a line of the legend of symbols (".. Uppgift saknas", ".. = …",
#: "– = inget finns att redovisa"); a dash needs its "=" (a first cell "- varav grov" is a category)
FOOTNOTE_LINE = re.compile(r"^\s*(?:(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*+|\d{1,2}\))\s*\D|\.\.\s*(?:=|[^\W\d_])|[-–—]\s*=\s*\S)")
_LABEL = re.compile(r"^\s*(\d{4})\s*(prel\.?)?\s*,?\s*(.*)$", re.I)
#: no period of reported crime starts before this (Brå's series begin in 1950): an earlier one is a
#: broken date (Excel's day 1 is 1900-01-01), not a count to compare with
EARLIEST_PERIOD = pd.Timestamp("1950-01-01")
EARLIEST_WHY = ("perioden ligger före 1950 – orimligt tidigt för anmälda brott; är datumet fel? (Ett årtal "
                "som skrivs i en Excel-cell formaterad som datum blir ett datum 1905: formatera kolumnen som "
                "tal och skriv årtalet igen.)")


def label_period(label: object) -> str:
    """Brå's period label as a period text :func:`~lagesbild.sources.dates.parse_period` reads.

    Examples
    --------
    >>> label_period("2026 prel., Aug"), label_period("2025"), label_period("2025 prel.")
    ('aug 2026 prel.', '2025', '2025 prel.')
    >>> label_period("2025, Kv 3"), label_period("2024 Kvartal 2"), label_period("2026M08")
    ('Q3 2025', 'Q2 2024', '2026-08')
    """
    text = "" if label is None else str(label).strip()
    m = _LABEL.match(text)
    if not m:
        return text
    year, prel, rest = m.group(1), bool(m.group(2)), normalise(m.group(3))
    q = re.match(r"^(?:kv|kvartal|q|k)\s*(\d)$", rest)
    month = re.match(r"^m\s*(\d{1,2})$", rest)  # PX-Web style 2026M08
    if month:
        out = f"{year}-{int(month.group(1)):02d}"
    elif q:
        out = f"Q{q.group(1)} {year}"
    elif rest:
        out = f"{rest} {year}"
    else:
        out = year
    return out + (" prel." if prel else "")


def header_period(header: object) -> str | None:
    """The period text a wide column's header names, or None (``Totalt``, ``Förändring``).

    Examples
    --------
    >>> [header_period(h) for h in ["2024", "2024¹", "2024*", "2024 1)", "2023M01", "jan 2020"]]
    ['2024', '2024 prel.', '2024 prel.', '2024 prel.', '2023-01', 'jan 2020']
    >>> header_period("2020-01"), header_period("Totalt"), header_period("2020 (2)")
    ('2020-01', None, None)
    """
    from lagesbild.sources.dates import is_period

    text = " ".join(str(header or "").split())
    marked = FOOTNOTE_MARK.search(text)
    if marked:
        text = text[:marked.start()].strip()
    if not text:
        return None
    if not is_period(text):
        text = label_period(" ".join(text.replace(".", " . ").split()).strip(" .,"))
        if not text or not is_period(text):
            return None
    if marked and "prel" not in text.lower():
        text += " prel."
    return text


#: why a count is refused: a footnote mark after a number ("1 234*": preliminary? uncertain?), or no number
MARKED_COUNT_WHY = ("antalet har ett fotnotstecken efter talet; ta bort tecknet (en fotnot om perioden skrivs "
                    "vid periodens rubrik, 2024*, och gör perioden preliminär)")
UNREADABLE_COUNT_WHY = "antalet kunde inte tolkas som ett tal"


def count_reasons(values: pd.Series) -> pd.Series:
    """Why each count would be refused as unreadable: :data:`MARKED_COUNT_WHY` for a number with a
    footnote mark (:data:`FOOTNOTE_MARK`), else :data:`UNREADABLE_COUNT_WHY`.

    Examples
    --------
    >>> [r[:30] for r in count_reasons(pd.Series(["1 234*", "12¹", "abc", "*"]))]
    ['antalet har ett fotnotstecken ', 'antalet har ett fotnotstecken ', 'antalet kunde inte tolkas som ', 'antalet kunde inte tolkas som ']
    """
    from lagesbild.sources.numbers import parse_numbers

    text = values.astype("string").fillna("").str.strip()
    cut = cut_marks(text)
    marked = (cut != text) & (cut != "") & ~parse_numbers(cut).invalid
    return pd.Series(np.where(marked, MARKED_COUNT_WHY, UNREADABLE_COUNT_WHY), index=values.index)


def cut_marks(texts: pd.Series) -> pd.Series:
    """Place or category texts without a trailing footnote mark (``Misshandel¹``, ``Boden 2)``).

    Examples
    --------
    >>> cut_marks(pd.Series(["Misshandel¹", "Boden 2)", "Luleå *", "Vapenlagen (9 kap. 1-2 §)"])).tolist()
    ['Misshandel', 'Boden', 'Luleå', 'Vapenlagen (9 kap. 1-2 §)']
    """
    return texts.str.replace(FOOTNOTE_MARK, "", regex=True).str.strip()


def is_note_text(text: object) -> bool:
    """Whether a line under a table is a note (its first cell, or the whole line).

    Examples
    --------
    >>> [is_note_text(t) for t in ["Källa: Brå", "¹ Preliminära uppgifter för 2024.", "Förklaring: ..",
    ...                            "Stockholms kommun", "1 000", ""]]
    [True, True, True, False, False, False]
    >>> [is_note_text(t) for t in [".. Uppgift saknas.", ".. = uppgift saknas", "– = inget finns att redovisa",
    ...                            "- varav grov", "..", "–"]]
    [True, True, True, False, False, False]
    """
    if not isinstance(text, str) or not text.strip():
        return False
    return bool(FOOTNOTE_LINE.match(text)) or normalise(text).startswith(NOTE_STARTS)


def dash_is_zero(notes: list[str]) -> bool:
    """Whether the notes under a table give Brå's legend that ``-`` means nothing to report (zero).

    Examples
    --------
    >>> dash_is_zero(["Förklaring: .. = uppgift saknas; - = inget finns att redovisa"]), dash_is_zero([])
    (True, False)
    """
    return any(DASH_IS_ZERO.search(str(n)) for n in notes)


def says_bra_source(lines: list[str]) -> bool:
    """Whether a table's title lines or notes name Brå as its source.

    Examples
    --------
    >>> says_bra_source(["Källa: Brottsförebyggande rådet (Brå), statistikdatabasen."])
    True
    >>> says_bra_source(["Källa: Polisen; brotten indelade som hos Brå", "Brott"])
    False
    """
    return any(BRA_SOURCE_NOTE.search(str(line)) for line in lines)


def dash_lines(counts: pd.Series, lines: pd.Series) -> list[int]:
    """The lines (as many times as they have one) of the count cells written ``-`` (or an en or em
    dash), before they are read as numbers.

    Examples
    --------
    >>> dash_lines(pd.Series(["3", "-", " – ", "..", None]), pd.Series([4, 5, 6, 7, 8]))
    [5, 6]
    """
    text = counts.astype("string").fillna("").str.strip()
    return [int(n) for n in lines[text.isin(DASH_CELLS).to_numpy()]]


def raw_dash_lines(table: pd.DataFrame, long: pd.DataFrame) -> list[int]:
    """The lines of a Brå table's count cells written ``-`` as in the file (the long frame has them
    as 0 already)."""
    by_line = table.set_index("line")
    out = []
    for col, part in long.groupby("count_col", sort=False):
        if col in by_line.columns:
            cells = by_line[col].reindex(part["line"].to_numpy())
            out += dash_lines(pd.Series(cells.to_numpy(), dtype=object), pd.Series(part["line"].to_numpy()))
    return sorted(out)


def dash_remark(lines: list[int], zero: bool) -> str | None:
    """The ingest report's sentence on the count cells written ``-``: quoted as written, and what the
    reader took them for (Brå's "inget finns att redovisa", zero, when the file is Brå's or its legend
    says so; else missing, as ``..``).

    Examples
    --------
    >>> dash_remark([6, 9], zero=True)
    '2 antal var skrivna "-" (rad 6, 9) och lästes som 0: i Brås tabeller betyder "-" inget finns att redovisa.'
    >>> dash_remark([4], zero=False)[:60]
    '1 antal var skrivet "-" (rad 4) och lästes som uppgift sakna'
    >>> dash_remark([], zero=True) is None
    True
    """
    if not lines:
        return None
    shown = ", ".join(str(n) for n in sorted(set(lines))[:10]) + (" …" if len(set(lines)) > 10 else "")
    head = f'{len(lines)} antal var {"skrivet" if len(lines) == 1 else "skrivna"} "-" (rad {shown})'
    if zero:
        return head + ' och lästes som 0: i Brås tabeller betyder "-" inget finns att redovisa.'
    return (head + ' och lästes som uppgift saknas (som ".."), inte som 0: filen säger inte vad "-" '
            'betyder (varken Brå som källa eller en förklaring "- = inget finns att redovisa"); skriv 0 '
            "i filen om det betyder inga brott.")


#: what SCB and Brå print for a count that is not published (secrecy, too few cases): the count is unknown
SUPPRESSED_CELLS = ("x", "X", "×")


def take_suppressed(long: pd.DataFrame) -> dict:
    """Read the count cells written ``x`` or ``×`` (not published) as missing, as ``..`` is read (never as
    0); return their lines (as many times as they have one) and the marks as written, for the report.

    Examples
    --------
    >>> long = pd.DataFrame({"count": ["3", "x", " × ", "X", "..", None], "line": [4, 5, 6, 7, 8, 9]})
    >>> take_suppressed(long), long["count"].tolist()
    ({'lines': [5, 6, 7], 'marks': ['x', '×', 'X']}, ['3', '..', '..', '..', '..', None])
    """
    text = long["count"].astype("string").fillna("").str.strip()
    hit = text.isin(SUPPRESSED_CELLS).to_numpy()
    if not hit.any():
        return {"lines": [], "marks": []}
    long["count"] = long["count"].astype(object).where(~hit, "..")
    return {"lines": [int(n) for n in long["line"][hit]], "marks": list(dict.fromkeys(text[hit]))}


def suppressed_remark(lines: list[int], marks: list[str]) -> str | None:
    """The ingest report's sentence on the count cells written ``x`` or ``×`` (not published).

    Examples
    --------
    >>> suppressed_remark([7, 3], ["x", "×"])
    '2 antal var skrivna "x" eller "×" (rad 3, 7) och lästes som uppgift saknas (som ".."), inte som 0: så skriver SCB och Brå ett antal som inte publiceras (sekretess eller för få fall); antalet är okänt, så perioden räknas inte som 0 brott utan som en period utan uppgift.'
    >>> suppressed_remark([], []) is None
    True
    """
    if not lines:
        return None
    shown = ", ".join(str(n) for n in sorted(set(lines))[:10]) + (" …" if len(set(lines)) > 10 else "")
    written = " eller ".join(f'"{m}"' for m in marks or ["x"])
    return (f'{len(lines)} antal var {"skrivet" if len(lines) == 1 else "skrivna"} {written} (rad {shown}) och '
            'lästes som uppgift saknas (som ".."), inte som 0: så skriver SCB och Brå ett antal som inte '
            "publiceras (sekretess eller för få fall); antalet är okänt, så perioden räknas inte som 0 brott "
            "utan som en period utan uppgift.")


def says_rates(titles: list[str]) -> str | None:
    """The first title line that says the table holds rates, or None.

    Examples
    --------
    >>> says_rates(["Anmälda brott per 100 000 invånare", "Stockholms kommun"])
    'Anmälda brott per 100 000 invånare'
    >>> says_rates(["Anmälda brott, antal"]) is None
    True
    """
    return next((t for t in titles if TITLE_RATE.search(str(t))), None)


def refuse_rates(file: str, titles: list[str], count_headers: list[str], headers=()) -> None:
    """Refuse a table whose title lines say rates unless every count column says ``Antal``, or the title
    names both measures ("antal och per 100 000 invånare") and the rates have columns of their own
    (``2024 Per 100 000 inv.`` among `headers`): then the columns that do not say rates are the counts.

    Raises
    ------
    InputError
        Naming the title line, and saying lagesbild needs counts (antal).

    Examples
    --------
    >>> refuse_rates("b.csv", ["Anmälda brott, antal och per 100 000 invånare"], ["2024"],
    ...              ["Område", "2024", "2024 Per 100 000 inv."])
    >>> refuse_rates("b.csv", ["Anmälda brott, antal och per 100 000 invånare"], ["2024"], ["Område", "2024"])
    Traceback (most recent call last):
    lagesbild.errors.InputError: b.csv: filens rubrik nämner både antal och brott per invånare ("Anmälda brott, antal och per 100 000 invånare") och kolumnen "2024" säger inte vilket; ladda ner tabellen med måttet Antal eller skriv "Antal" i kolumnens rubrik (2024 Antal)
    """
    title = says_rates(titles)
    if title is None or (count_headers and all(EXPLICIT_COUNT.search(str(h)) for h in count_headers)):
        return
    shown = " ".join(title.split())[:120]
    if any(EXPLICIT_COUNT.search(str(t)) for t in titles):  # "antal och per 100 000 invånare"
        counted = {str(h) for h in count_headers}
        if any(RATE_WORDS.search(str(h)) for h in headers if str(h) not in counted):
            return
        bare = next((str(h) for h in count_headers if not EXPLICIT_COUNT.search(str(h))), "")
        raise InputError(file, f"filens rubrik nämner både antal och brott per invånare (\"{shown}\") och "
                               f"kolumnen \"{bare}\" säger inte vilket; ladda ner tabellen med måttet Antal "
                               f"eller skriv \"Antal\" i kolumnens rubrik ({bare} Antal)")
    raise InputError(file, f"filens rubrik säger att tabellen har brott per invånare (\"{shown}\"), inte "
                           "antal; lagesbild räknar med antal anmälda brott: ladda ner tabellen med "
                           "måttet Antal (en tabell per 100 000 invånare läses aldrig som antal)")


def cut_notes(table, errors: list, data_columns: list[str]):
    """Cut the notes under a table off its rows, when every line after the last data row is a note.

    A data row has a value in one of `data_columns` and is not itself a note; the lines after the last
    one (rows, and lines the table reader refused, such as a one-field "Källa: …" line under a
    six-column header) are cut only when each is a note (:func:`is_note_text`); otherwise nothing is
    cut and they stay rows or errors as before. Returns (rows, errors, note texts).
    """
    import pandas as pd

    if table.empty or not data_columns:
        return table, errors, []
    first = table.columns[0]
    filled = pd.Series(False, index=table.index)
    for col in data_columns:
        filled |= table[col].astype("string").fillna("").str.strip() != ""
    notes_mask = table[first].map(is_note_text).astype(bool)
    data = filled & ~notes_mask
    last = int(table.loc[data, "line"].max()) if data.any() else 0
    after = table[table["line"] > last]
    late = [e for e in errors if e.line and e.line > last]
    if after.empty and not late:
        return table, errors, []
    if not all(notes_mask[after.index]) or not all(is_note_text(e.value) for e in late):
        return table, errors, []
    lines = [(int(r[-1]), " ".join(str(v).strip() for v in r[:-1] if isinstance(v, str) and v.strip()))
             for r in after.drop(columns="line").assign(line=after["line"]).itertuples(index=False)]
    notes = [text for _, text in sorted(lines + [(e.line, str(e.value)) for e in late])]
    return table[table["line"] <= last], [e for e in errors if e not in late], notes


def read_periods(values: pd.Series):
    """Parse each distinct period text once: (starts, ends, preliminary, reasons), a reason where unreadable."""
    parsed = {}
    texts = values.astype(str).to_numpy(dtype=object)
    for text in pd.unique(texts):
        try:
            parsed[text] = dates.parse_period(text) + (None,)
        except ValueError as exc:
            # a footnote mark ("2024*", "2024¹") says preliminary, as on a wide table's header; a
            # label of Brå or PX-Web ("2023M03", "2025, Kv 3") is read as there too
            marked = header_period(text)
            parsed[text] = dates.parse_period(marked) + (None,) if marked else (None, None, False, str(exc))
    cols = list(zip(*[parsed[t] for t in texts], strict=False)) or [(), (), (), ()]
    starts = pd.Series(pd.to_datetime(list(cols[0])), index=values.index, dtype="datetime64[ns]")
    ends = pd.Series(pd.to_datetime(list(cols[1])), index=values.index, dtype="datetime64[ns]")
    prel = np.array(cols[2], dtype=bool)
    reasons = pd.Series(list(cols[3]), index=values.index, dtype=object)
    return starts, ends, prel, reasons


# "8,000" or "8.000": a count with one separator and three digits after it, read by nobody the same way
GROUPED_COUNT = r"\s*\d{1,3}(?:[,.]\d{3})+\s*"
GROUPED_WHY = ("antalet kan läsas både med decimaltecken och med tusentalsavgränsare (8,000 = 8 eller 8 000?); "
               "skriv antalet utan komma och punkt, t.ex. 8000 eller 8 000")


def grouped(values: pd.Series) -> np.ndarray:
    """Which count texts are grouped by thousands with a comma or a point (``8,000``, ``12.500``).

    Examples
    --------
    >>> grouped(pd.Series(["8,000", "1.234.567", "8,0", "8 000", "8000", "12,50", None])).tolist()
    [True, True, False, False, False, False, False]
    """
    return values.astype("string").str.fullmatch(GROUPED_COUNT).fillna(False).to_numpy(dtype=bool)
