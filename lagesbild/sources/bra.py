"""Brå's statistics database (statistikdatabasen över anmälda brott), read in its own layouts.

Brå's downloads (CSV or XLSX) come in two shapes, both with title lines above the header and notes
("Källa: Brå", ".. = uppgift saknas", …) below the table:

- ``brå-lång``: one row per area × crime × period, as in Brå's table downloads and their tidy
  re-exports: ``År, Månad, Kvartal, Periodtyp, Periodetikett, Preliminär, Kommun, Region_ID, Brott,
  Brott_ID, Brottsnivå, Förälder_ID, Nivå1–5, Antal, Per100000`` (any subset that names the crime, the
  count and the period);
- ``brå-bred``: one row per area × crime, a column per period and measure:
  ``Område;Brott;2024 Antal;2024 Per 100 000 inv.;2025 Antal;…`` or plain ``2024;2025`` columns.

Brå's conventions (the tables below): ``..`` = uppgift saknas (missing, never zero); ``-`` = inget att
redovisa (zero); decimal comma; ``prel.`` in a period label (``2026 prel., Aug``) or a true
``Preliminär`` cell marks preliminary figures; ``Periodtyp`` is ``Månad``, ``Kvartal`` or ``Helår``.
Rates per 100 000 inhabitants are recognised (:data:`RATE_HEADERS`) and never read as counts; a file
that has rates only is refused. The crime names are resolved with the vocabulary and Brå's hierarchy
(:mod:`lagesbild.sources.brahierarchy`): a total is never added to its parts; the file's own
``Brott_ID``/``Förälder_ID`` links are used for that when present.

The result is the canonical aggregated-crime table of :mod:`lagesbild.sources.crimes`.
"""

from __future__ import annotations

import re

import pandas as pd

from lagesbild.errors import InputError
from lagesbild.sources import ReadResult
from lagesbild.sources.crimetext import COUNT_WORDS, RATE_WORDS, header_period, is_note_text, label_period
from lagesbild.sources.mapping import match_columns, normalise

# canonical column -> Brå's headers (matched like every reader's, case and accents forgiven)
COLUMNS = {
    "place": ["Område", "Kommun", "Region", "Stadsdel", "Stadsområde", "Stadsdelsområde", "Län",
              "Lokalpolisområde", "Polisområde", "Plats", "Area", "Geografiskt område"],
    "category": ["Brott", "Brottstyp", "Brottskategori", "Crime type", "Crime"],
    "count": ["Antal", "Antal anmälda brott", "Anmälda brott", "Antal brott", "Count"],
    "rate": ["Per100000", "Per 100 000", "Per 100 000 invånare", "Per 100 000 inv",
             "Antal per 100 000 invånare", "Anmälda brott per 100 000 invånare", "Per capita"],
    "period_type": ["Periodtyp", "Periodicitet", "Periodicity"],
    "period_label": ["Periodetikett", "Periodnamn"],
    "year": ["År", "Year"],
    "month": ["Månad", "Month"],
    "quarter": ["Kvartal", "Quarter"],
    "preliminary": ["Preliminär", "Prel", "Preliminary"],
    "start": ["Period_start", "Periodstart", "Från"],
    "end": ["Period_slut", "Periodslut", "Till"],
    "crime_id": ["Brott_ID", "BrottID"],
    # Brå's brottskoder (Klassificering av brott, e.g. 0301) are another numbering than Brott_ID:
    # recognised as a Brå column, never looked up as a Brott_ID
    "crime_code": ["Brottskod", "Brottskoder"],
    "parent_id": ["Förälder_ID", "ForalderID", "Parent_ID"],
    "region_id": ["Region_ID", "Kommunkod", "Regionkod"],
}
#: Brå's rate: per 100 000 inhabitants. A table's own rate (a municipality's "Per 1 000 inv.") does not
#: make it Brå's: such a table was stored as source "bra-brott" and every chart said "Källa: Brå"
BRA_RATE = re.compile(r"(?i)per\s*100[\s\u00a0\u202f.]?000(?!\d)")
# Headers only Brå's layouts have: one of them makes a file a Brå file.
MARKERS = ("crime_id", "crime_code", "parent_id", "period_type", "period_label", "rate", "region_id")
PERIOD_TYPES = {"manad": "month", "monthly": "month", "kvartal": "quarter", "quarterly": "quarter",
                "helar": "year", "ar": "year", "yearly": "year", "arsvis": "year"}
TRUE_CELLS = frozenset({"true", "ja", "j", "1", "x", "prel", "preliminar", "yes"})
ZERO_CELLS = ("-", "–", "—")  # Brå: inget finns att redovisa


def is_bra_header(cells: list[str]) -> bool:
    """Whether a header row is one of Brå's layouts.

    Examples
    --------
    >>> is_bra_header(["År", "Kommun", "Brott", "Brott_ID", "Antal", "Per100000"])
    True
    >>> is_bra_header(["Område", "Brott", "2024 Antal", "2024 Per 100 000 inv."])
    True
    >>> is_bra_header(["Plats", "Brottskategori", "Månad", "Antal"])
    False
    >>> is_bra_header(["Periodetikett", "Kommun", "Brott_ID", "Antal"])  # ids only, no names
    True
    >>> is_bra_header(["Område", "Brott", "2022 Antal", "2023 Antal"])  # Brå's measure in the header
    True
    >>> is_bra_header(["Plats", "Brottskategori", "Månad", "Antal", "Per 1 000 inv."])  # not Brå's rate
    False
    """
    found = match_columns(cells, COLUMNS)
    if "category" not in found and "crime_id" not in found:
        return False
    if any(m in found for m in MARKERS):
        return True
    return any(BRA_RATE.search(c) or (COUNT_WORDS.search(c) and header_period(COUNT_WORDS.sub(" ", c)))
               for c in cells)


def _period_texts(df: pd.DataFrame, cols: dict) -> pd.Series:
    """One period text per row from Periodtyp/År/Månad/Kvartal/Period_start/Periodetikett."""
    def col(name):
        return df[cols[name]].astype("string").fillna("").str.strip() if name in cols else None

    out = pd.Series("", index=df.index, dtype=object)
    if "start" in cols and "end" in cols:
        start, end = col("start"), col("end")
        has = (start != "") & (end != "")
        out[has] = start[has] + "–" + end[has]
    label = col("period_label")
    if label is not None:
        todo = out == ""
        out[todo] = label[todo].map(label_period)
    if "month" in cols and "year" not in cols:  # a tidy file's month as one text ("januari 2025",
        todo = out == ""                         # "2025-01") beside a rate column: its own period
        out[todo] = col("month")[todo]
    if "year" in cols:
        year, todo = col("year"), out == ""
        kind = col("period_type").map(lambda v: PERIOD_TYPES.get(normalise(v), "")) \
            if "period_type" in cols else pd.Series("", index=df.index)
        month = col("month") if "month" in cols else pd.Series("", index=df.index)
        quarter = col("quarter") if "quarter" in cols else pd.Series("", index=df.index)
        is_month = todo & ((kind == "month") | ((kind == "") & (month != "")))
        is_quarter = todo & ~is_month & ((kind == "quarter") | ((kind == "") & (quarter != "")))
        is_year = todo & ~is_month & ~is_quarter
        out[is_month] = year[is_month] + "-" + month[is_month].str.zfill(2)
        out[is_quarter] = "Q" + quarter[is_quarter] + " " + year[is_quarter]
        out[is_year] = year[is_year]
    if "preliminary" in cols:
        prel = col("preliminary").map(lambda v: normalise(v) in TRUE_CELLS).astype(bool)
        add = prel & ~out.str.contains("prel", case=False, regex=False)
        out[add] = out[add] + " prel."
    return out


def zero_dashes(values: pd.Series) -> pd.Series:
    """Brå's ``-`` (nothing to report) is zero; ``..`` stays missing for the number parser."""
    text = values.astype("string").fillna("").str.strip()
    return text.where(~text.isin(ZERO_CELLS), "0")


def _is_note(row: pd.Series, first: str) -> bool:
    return is_note_text(row.get(first, ""))


def split_notes(raw: ReadResult, cols: dict, data_columns: list[str]) -> tuple[pd.DataFrame, list, list]:
    """Cut Brå's notes under the table off the rows: the lines after the last data row that read as
    notes (:func:`trailing_note`: a note's first words, or one text alone on its line).

    A line there that is neither (a row cut short, ``2024;Helår;2024;Skärh``, or a row with its count
    left empty) stays a row or an error of its own: a file that ends mid-row is not read as if it
    ended at the row before.

    Returns (rows, errors of data lines, note texts).
    """
    df = raw.table
    filled = pd.Series(False, index=df.index)
    for c in data_columns:
        filled |= df[c].astype("string").fillna("").str.strip() != ""
    cat = df[cols["category"]].astype("string").fillna("").str.strip() if "category" in cols else None
    data = filled & (cat != "") if cat is not None else filled
    first = df.columns[0]
    data &= ~df.apply(_is_note, axis=1, first=first) if len(df) else data
    last = int(df.loc[data, "line"].max()) if data.any() else 0
    after = df[df["line"] > last]
    cells = [[str(v).strip() for v in r if isinstance(v, str) and str(v).strip()]
             for r in after.drop(columns="line").itertuples(index=False)]
    is_note = pd.Series([trailing_note(c) for c in cells], index=after.index, dtype=bool)
    notes = [" ".join(c) for c, n in zip(cells, is_note, strict=True) if n and c]
    late = [e for e in raw.errors if e.line and e.line > last]
    cut_errors = [e for e in late if trailing_note(error_cells(e.value))]
    notes += [e.value or "" for e in cut_errors]
    errors = [e for e in raw.errors if e not in cut_errors]
    rows = df[(df["line"] <= last) | ((df["line"] > last) & ~is_note.reindex(df.index, fill_value=False))]
    return rows, errors, [n for n in notes if n]


def error_cells(value) -> list[str]:
    """The cells of a line the table reader refused (its value is the line as written)."""
    text = "" if value is None else str(value)
    return [c.strip() for c in re.split(r"[;,\t]", text) if c.strip()]


def trailing_note(cells: list[str]) -> bool:
    """Whether a line under a table is a note: empty, its first cell a note's first words ("Källa:",
    "Förklaring:", "¹ …"), or a phrase alone on its line ("Per 100 000 invånare avser …"); one word
    alone is a row cut inside its first cell ("Skärholm").

    Examples
    --------
    >>> [trailing_note(c) for c in (["Källa: Brå"], [], ["Statistik från Brå"], ["2024", "Helår", "Skärh"],
    ...                             ["2024"], ["Skärholmen", "Rån"], ["Skärholm"])]
    [True, True, True, False, False, False, False]
    """
    if not cells:
        return True
    if is_note_text(cells[0]):
        return True
    text = cells[0]
    return len(cells) == 1 and any(ch.isalpha() for ch in text) and (" " in text or text.endswith("."))


def bra_long(raw: ReadResult, headers: list[str], overrides: dict, constants: dict, file: str):
    """A Brå long or wide table as the crimes reader's long frame.

    Returns (long frame with ``place, category, period, count, line, period_col, count_col``, the
    matched columns, the file's parent links (normalised crime name -> parent name), notes, errors,
    ignored columns).
    """
    cols = match_columns(headers, COLUMNS, overrides)
    if "category" not in cols and "crime_id" in cols:
        cols["category"] = cols["crime_id"]  # a file that names its crimes by Brott_ID only
    wide = _wide_columns(headers, cols)
    if "count" not in cols and not wide["count"]:
        if "rate" in cols or wide["rate"]:
            raise InputError(file, "filen har bara brott per 100 000 invånare, inga antal; ladda ner "
                                   "tabellen med måttet Antal (per 100 000 invånare läses aldrig som "
                                   "antal)")
        raise InputError(file, "filen saknar en kolumn med antal (Antal)")
    data_columns = [cols["count"]] if "count" in cols else wide["count"]
    rows, errors, notes = split_notes(raw, cols, data_columns)
    place = rows[cols["place"]] if "place" in cols else pd.Series(
        str(constants.get("place", "")), index=rows.index)
    if "place" not in cols and "place" not in constants:
        raise InputError(file, "filen saknar en kolumn för område (Område, Kommun, Region eller "
                               "Stadsdel); skriv området för alla rader i formuläret på sidan Data eller ange "
                               "det i en mappningsfil (constants: {place: Boden})")
    category = crime_texts(rows, cols)
    if "count" in cols:
        long = pd.DataFrame({"place": place, "category": category,
                             "period": _period_texts(rows, cols), "count": zero_dashes(rows[cols["count"]]),
                             "line": rows["line"]})
        long["period_col"] = cols.get("period_label") or cols.get("year") or cols.get("start")
        long["count_col"] = cols["count"]
        if "period_label" in cols and not ("start" in cols and "end" in cols):
            # a message names the period as the file writes it ("2026 prel., Kv 4", not "Q4 2026 prel.")
            cell = rows[cols["period_label"]].astype("string").fillna("").str.strip()
            long["period_value"] = cell.where(cell != "", long["period"]).astype(object).to_numpy()
    else:
        frames = []
        for header, period in wide["count"].items():
            frames.append(pd.DataFrame({"place": place, "category": category, "period": period,
                                        "count": zero_dashes(rows[header]), "line": rows["line"],
                                        "period_col": header, "count_col": header}))
        long = pd.concat(frames).sort_values("line", kind="stable").reset_index(drop=True)
    parents = _parents(rows, cols, category)
    ignored = [c for c in headers if c == cols.get("rate")] + list(wide["rate"])
    return long.reset_index(drop=True), cols, parents, notes, errors, ignored


def _wide_columns(headers: list[str], cols: dict) -> dict:
    """Wide layout: header -> period text, for count columns and for rate columns."""
    out = {"count": {}, "rate": {}}
    used = set(cols.values())
    for h in headers:
        if h in used:
            continue
        measure = "rate" if RATE_WORDS.search(h) else "count"
        period = header_period(RATE_WORDS.sub(" ", COUNT_WORDS.sub(" ", h)))
        if period:
            out[measure][h] = period
    return out


def crime_texts(rows: pd.DataFrame, cols: dict) -> pd.Series:
    """The crime each row names, as a text the category resolution reads.

    A ``Brott_ID`` of Brå's database known to the shipped hierarchy gives that node's name when the
    ``Brott`` cell is empty or names no node of the hierarchy (a full path name the hierarchy lacks,
    a spelling of its own); a name that names another node than the id wins (the id is then not
    Brå's). An unknown id gives the ``Brott`` cell, or ``Brott_ID <id>`` when the file has no names.

    Examples
    --------
    >>> rows = pd.DataFrame({"Brott": ["x", "Inbrott i villa", "", "Narkotikabrott"],
    ...                      "Brott_ID": ["13258", "12", "99", "5036"]})
    >>> crime_texts(rows, {"category": "Brott", "crime_id": "Brott_ID"}).tolist()
    ['Biltillgrepp', 'Inbrott i villa', 'Brott_ID 99', 'Narkotikabrott']
    >>> crime_texts(rows[["Brott_ID"]], {"category": "Brott_ID", "crime_id": "Brott_ID"}).tolist()
    ['Biltillgrepp', 'Brott_ID 12', 'Brott_ID 99', 'Totalt antal anmälda brott']
    """
    from lagesbild.sources.brahierarchy import load_hierarchy

    id_only = cols.get("category") == cols.get("crime_id")
    names = pd.Series("", index=rows.index, dtype=object) if id_only else rows[cols["category"]]
    if "crime_id" not in cols:
        return names
    h = load_hierarchy()
    ids = rows[cols["crime_id"]].astype("string").fillna("").str.strip().str.removesuffix(".0")
    by_id = ids.map({i: h.node_of_id(i) for i in ids.unique()})  # each distinct value once
    text = names.astype("string").fillna("").str.strip()
    by_name = text.map({t: h.node_of(t) for t in text.unique()})
    use_id = by_id.notna() & (by_name.isna() | (by_name == by_id))
    known = by_id.map(lambda n: h.nodes[n].name if isinstance(n, str) else None)
    fallback = text.where((text != "") | (ids == ""), "Brott_ID " + ids)
    return known.where(use_id, fallback).astype(object)


def _parents(rows: pd.DataFrame, cols: dict, names: pd.Series) -> dict[str, str]:
    """Normalised crime name -> normalised parent name, from Brott_ID/Förälder_ID."""
    if "crime_id" not in cols or "parent_id" not in cols:
        return {}
    ids = rows[cols["crime_id"]].astype("string").fillna("").str.strip()
    names = names.astype("string").fillna("")
    by_id = {i.removesuffix(".0"): normalise(n) for i, n in zip(ids, names, strict=True) if i}
    parent = rows[cols["parent_id"]].astype("string").fillna("").str.strip()
    out = {}
    for n, p in zip(names, parent, strict=True):
        p = p.removesuffix(".0")
        if p and p in by_id:
            out[normalise(n)] = by_id[p]
    return out
