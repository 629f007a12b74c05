"""Safety-survey results (trygghetsmätning): area × year × indicator → share of respondents.

Output (``ReadResult.table``): ``area`` (as written), ``level`` (``plats``, ``stadsdelsomrade``,
``stad``, or None when the file has no level column: ingest then takes it from the place's kind),
``year`` (int), ``indicator`` (as written), ``share`` (float in [0, 1]), ``respondents`` (Int64,
``<NA>`` when not given), ``design_effect`` (float, NaN when not given: a weighted survey's design
effect, from a ``Designeffekt`` column or ``Effektivt antal svarande`` as respondents ÷ effective
number; the tests then count respondents ÷ design effect), ``fictitious`` (bool), ``line``.

Columns are matched against :data:`COLUMNS`; levels against :data:`LEVELS`. A column of answer options
(``Svarsalternativ``: a share per option, as survey tools export) becomes part of the indicator
(``Hur trygg …? – Mycket otrygg``), never read as the question's own result. The published wide
layouts (the police's trygghetsmätning tables, Stockholm stad's trygghetsmätning) are read too
(:mod:`lagesbild.sources.surveylayouts`; ``meta["layout"]``).

Share scale, decided once per file (``meta["share_scale"]``):

1. ``options: {share: percent}`` or ``fraction`` in the mapping file wins;
2. else percent when the share header says so (``Andel (%)``, ``Procent``) or any value has a ``%``;
3. else fraction when every value is at most 1, percent otherwise.

So a percent column whose values are all at most 1 (``0,5 %`` written without the sign, under a plain
``Andel`` header) is read as fractions: give ``share: percent`` in a mapping file for such files. When
only the values decide, a value under 1 beside values of 10 or more (``0,41`` and ``38``) is refused:
it may be 41 % written as a fraction or 0,41 %.
Percents are divided by 100. Without a ``Fiktiv`` column, rows are fictitious when a leading ``#`` note
of the file or a title line above the header (``FIKTIVA SIFFROR``, ``Fiktiva uppgifter``, any case; in an
XLSX file also the sheet's name) says ``fiktiv``.

Not published (``NOT_PUBLISHED``: ``..``, ``.``, ``*``, ``x``, ``×``, the marks Swedish survey tables print
where a share is withheld, usually for too few respondents) is no result: the row is left out and counted
(``meta["not_published"]``), not an error. A footnote mark after a share (``23*``, ``24¹``, ``25 1)``,
as the crime tables' names carry) is no part of the number: the share is read and the marked values
counted (``meta["marked_shares"]``).

Rejected: empty area or indicator, unknown level, unreadable year, missing or unreadable share, shares
outside 0–100 % (or 0–1), unreadable or negative respondent counts, unreadable ``Fiktiv`` values, and a
repeated area × level × year × indicator (the later rows).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild import clock
from lagesbild.errors import InputError
from lagesbild.sources import ReadResult
from lagesbild.sources.crimetext import GROUPED_WHY, cut_marks, grouped
from lagesbild.sources.mapping import load_mapping, match_columns, normalise
from lagesbild.sources.numbers import integers, parse_numbers
from lagesbild.sources.surveylayouts import (
    area_lines,
    is_note,
    is_wide,
    refuse_unnamed_tables,
    title_area,
    to_long,
)
from lagesbild.sources.tabular import Rejects, header_accepter, open_table, refuse_repeated_columns

COLUMNS = {
    "area": ["Område", "Plats", "Area", "Place", "Geografi", "Stadsdelsområde", "Stadsdel",
             "Lokalpolisområde", "Kommun"],
    "level": ["Nivå", "Level", "Områdesnivå", "Områdestyp", "Typ av område"],
    "year": ["År", "Year", "Mätår", "Undersökningsår"],
    "indicator": ["Indikator", "Fråga", "Påstående", "Indicator", "Question", "Frågeområde"],
    # a weighted survey's result is its weighted share: first, so an unweighted share beside it is not read
    "share": ["Viktad andel", "Viktad andel (%)", "Andel, viktad", "Andel viktad", "Viktad andel i procent",
              "Andel", "Andel (%)", "Andel procent", "Andel i procent", "Procent", "Share",
              "Percent", "Andel som instämmer"],
    "respondents": ["Antal svarande", "Svarande", "n", "Respondents", "Antal svar", "Antal personer"],
    "fictitious": ["Fiktiv", "Fiktiva", "Fiktiva data", "Fictitious"],
    # a weighted survey's design effect, or its effective number of respondents (n ÷ design effect)
    "design_effect": ["Designeffekt", "Design effect", "Deff", "Designfaktor"],
    "effective_n": ["Effektivt antal svarande", "Effektivt antal", "Effektiv urvalsstorlek",
                    "Effective sample size", "Effective n"],
    # a share per answer option (as survey tools export): the option is part of the indicator
    "option": ["Svarsalternativ", "Svar", "Svarskategori", "Svarsalternativ/kategori", "Answer", "Response"],
}
#: joins an indicator and its answer option: "Hur trygg …? – Mycket otrygg"
OPTION_JOIN = " – "
REQUIRED = ("area", "year", "indicator", "share")
#: an indicator holding U+FFFD (the CSV reader's stand-in for a NUL byte, or a wrongly decoded character)
DAMAGED_INDICATOR = ("indikatorn har ett skadat tecken (\ufffd: en NUL-byte eller ett tecken i fel "
                     "teckenkodning); rätta texten i filen")
LEVELS = {
    "plats": ["plats", "place", "torg", "centrum", "omrade", "område", "utsatt område"],
    "stadsdelsomrade": ["stadsdelsområde", "stadsdelsomrade", "stadsdel", "stadsdelsnämndsområde",
                        "sdo", "district"],
    "stad": ["stad", "staden", "hela staden", "city", "kommun", "hela kommunen", "stockholms stad",
             "hela stockholm"],
}
PERCENT_WORDS = ("procent", "percent", "pct")
TRUE_WORDS = {"ja", "j", "x", "1", "true", "sant", "yes", "fiktiv"}
FALSE_WORDS = {"", "nej", "n", "0", "false", "falskt", "no"}
YEARS = (1900, 2100)
# marks a survey table prints instead of a withheld share (SCB's ".." and "x", the city's "*")
NOT_PUBLISHED = ("..", ".", "*", "**", "***", "x", "X", "×")
OUTPUT = ["area", "level", "year", "indicator", "share", "respondents", "design_effect", "fictitious", "line"]
_LEVEL_LOOKUP = {normalise(alias): level for level, names in LEVELS.items() for alias in names}


def read_survey(path: str | Path, *, mapping=None, sheet: str | None = None,
                file_name: str | None = None) -> ReadResult:
    """Read survey results (CSV or XLSX) into the canonical table.

    Parameters
    ----------
    path : str or Path
    mapping : str, Path, dict or ColumnMapping, optional
        Mapping file (see :mod:`lagesbild.sources.mapping`); ``options: {share: percent}`` sets the
        scale, ``constants: {level: stad}`` the level of every row.
    sheet, file_name : str, optional
        XLSX sheet; name shown in messages.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "trygghet.csv")
    >>> _ = open(p, "w").write("Område;Nivå;År;Påstående;Andel (%);Svarande\\n"
    ...                        "Hässelby torg;plats;2019;Berusade personer stör;23;112\\n")
    >>> read_survey(p).table[["level", "share", "respondents"]].values.tolist()
    [['plats', 0.23, 112]]
    """
    spec = load_mapping(mapping)
    long_header = header_accepter(COLUMNS, REQUIRED, spec)
    opened = open_table(path, accept=lambda cells: long_header(cells) or is_wide(cells),
                        expected="Område, År, Indikator (eller Fråga) och Andel, eller Fråga och en "
                                 "kolumn per år", sheet=sheet or spec.sheet, file_name=file_name)
    raw = opened.read()
    layout, dash_shares = "lång", 0
    if long_header(opened.headers):
        cols = match_columns(opened.headers, COLUMNS, spec.columns)
        refuse_repeated_columns(opened, cols)
        df = raw.table
    else:
        blocks, block_errors = area_lines(raw.table, opened.headers, raw.errors)  # one table per area
        raw.errors[:] = [e for e in raw.errors if e not in block_errors]
        refuse_unnamed_tables(opened.headers, blocks, raw.meta, opened.file)
        df, layout = to_long(raw.table, opened.headers,
                             title_area(opened.meta.get("title_lines", [])), spec.constants, blocks)
        dash_shares = int(df.attrs.get("dash_shares", 0))
        cols = match_columns(list(df.columns), COLUMNS)
    # lines under the table that the reader refused are notes ("Källa: …"), in either layout; a refused
    # line that is not a note stays an error (all rows refused under a two-row header must not read as 0)
    last = int(df["line"].max()) if len(df) else 0
    below = [e for e in raw.errors if e.line and e.line > last and is_note(e.value)]
    raw.errors[:] = [e for e in raw.errors if e not in below]
    raw.notes.extend(str(e.value) for e in below)
    df, not_published = _published(df, cols["share"])
    rejects = Rejects(opened.file, opened.meta.get("sheet"), df["line"].to_numpy())
    area = _text(df, cols, "area", spec)
    indicator = _text(df, cols, "indicator", spec)
    if "option" in cols:  # the share of one answer option, never the question's own result
        option = _text(df, cols, "option", spec)
        indicator = indicator.where((option == "") | (indicator == ""), indicator + OPTION_JOIN + option)
    rejects.add(area == "", cols["area"], area, "området saknas")
    rejects.add(indicator == "", cols["indicator"], indicator, "indikatorn saknas")
    rejects.add(indicator.str.contains("\ufffd", regex=False).to_numpy(dtype=bool), cols["indicator"], indicator,
                DAMAGED_INDICATOR)
    level = _levels(df, cols, spec, rejects)
    year = _years(df[cols["year"]], cols["year"], rejects)
    written = df[cols["share"]].astype("string").fillna("").str.strip()
    marked = cut_marks(written)
    values = marked.where(marked != "", written)  # a lone mark stays itself, for the message
    numbers = parse_numbers(values)  # once, for the scale, the shares and the mixed-scale check
    scale = _scale(numbers, cols["share"], spec, opened.file)
    at = df["_share_from"] if "_share_from" in df else cols["share"]  # a wide table's own year column
    share = _shares(numbers, values, at, scale, rejects)
    _mixed_scales(numbers, values, cols["share"], spec, rejects, at)
    respondents = _respondents(df, cols, rejects)
    design_effect = _design_effects(df, cols, respondents, rejects)
    fictitious = _fictitious(df, cols, [*raw.notes, *opened.meta.get("title_lines", [])], rejects)
    table = pd.DataFrame({"area": area.astype(object), "level": level, "year": year,
                          "indicator": indicator.astype(object), "share": share,
                          "respondents": respondents.to_numpy(), "design_effect": design_effect,
                          "fictitious": fictitious,
                          "line": df["line"].astype("int64")})[~rejects.bad]
    key = pd.DataFrame({"a": table["area"].map(normalise), "l": table["level"].fillna(""),
                        "y": table["year"], "i": table["indicator"].map(normalise)})
    later = key.duplicated(keep="first").to_numpy()
    first = table["line"].groupby([key[c] for c in key]).transform("min")
    dups = Rejects(opened.file, opened.meta.get("sheet"), table["line"].to_numpy())
    dups.add(later, cols["indicator"], table["indicator"],
             [f"samma område, nivå, år och indikator som rad {n}" for n in first])
    table = table[~later].reset_index(drop=True)
    table["year"] = table["year"].astype("int64")
    table["respondents"] = table["respondents"].astype("Int64")
    errors = sorted(raw.errors + rejects.errors + dups.errors, key=lambda e: e.line or 0)
    changed = (values != written).to_numpy()
    meta = {**raw.meta, "columns": cols, "share_scale": scale, "layout": layout,
            "not_published": not_published, "marked_shares": int(changed[~rejects.bad].sum()),
            "dash_shares": dash_shares}
    return ReadResult(table[OUTPUT], errors, raw.notes, meta)


def _published(df: pd.DataFrame, column: str) -> tuple[pd.DataFrame, int]:
    """The rows whose share is published, and how many were not (:data:`NOT_PUBLISHED`)."""
    withheld = df[column].astype("string").fillna("").str.strip().isin(NOT_PUBLISHED).to_numpy()
    return (df[~withheld].reset_index(drop=True) if withheld.any() else df), int(withheld.sum())


def _text(df: pd.DataFrame, cols: dict, name: str, spec) -> pd.Series:
    if name in cols:  # a footnote mark ("Skärholmen¹") is no part of a name; a line break in a cell
        # (Excel's Alt+Enter, a quoted newline in a CSV) or doubled spaces are one space, as in the next year
        text = df[cols[name]].astype("string").fillna("").str.replace(r"\s+", " ", regex=True)
        return cut_marks(text.str.strip())
    return pd.Series(str(spec.constants.get(name, "")), index=df.index, dtype="string")


def _levels(df, cols, spec, rejects: Rejects) -> pd.Series:
    if "level" not in cols and "level" not in spec.constants:
        return pd.Series([None] * len(df), index=df.index, dtype=object)
    text = _text(df, cols, "level", spec)
    level = text.map(lambda t: _LEVEL_LOOKUP.get(normalise(t))).astype(object)
    rejects.add(level.isna().to_numpy(), cols.get("level"), text,
                "okänd nivå; skriv plats, stadsdelsområde eller stad")
    return level


def _years(values: pd.Series, column: str, rejects: Rejects) -> np.ndarray:
    numbers = parse_numbers(values)
    years, fractional = integers(numbers)
    ok = years.notna().to_numpy()
    y = years.fillna(0).to_numpy(dtype="int64")
    wrong = ~ok | (y < YEARS[0]) | (y > YEARS[1])
    rejects.add(wrong, column, values, "året ska vara ett årtal, t.ex. 2019")
    rejects.add(~wrong & (y > clock.today().year), column, values, "året ligger i framtiden")
    return y


def _scale(numbers, column: str, spec, file: str) -> str:
    option = spec.options.get("share")
    if option is not None:
        if str(option) not in ("percent", "fraction"):
            raise InputError(spec.source, "options: share ska vara percent eller fraction")
        return str(option)
    if _says_percent(column) or numbers.percent.any():
        return "percent"
    finite = numbers.value[np.isfinite(numbers.value)]
    return "fraction" if finite.size and (finite <= 1).all() else "percent"


def _says_percent(column: str) -> bool:
    """Whether the share column's header says percent (``Andel (%)``, ``Procent``)."""
    return "%" in column or any(w in normalise(column) for w in PERCENT_WORDS)


def _mixed_scales(numbers, values: pd.Series, column: str, spec, rejects: Rejects, at) -> None:
    """Refuse a share under 1 in a column with percents of 10 or more, when nothing but the values
    decides the scale (no ``%``, no percent header, no mapping option): "0,41" beside "38" may be 41 %
    written as a fraction or 0,41 %, and reading either silently may be wrong by a factor of 100. So is
    a share under 1 without the ``%`` its column's other cells carry ("0,33" beside "28 %"), whatever
    the header says; only the mapping option decides such a column."""
    v = numbers.value
    finite = np.isfinite(v)
    if spec.options.get("share") is not None or not (finite & (v >= 10)).any():
        return  # "1,5" beside "0,2" are both small percents, as documented
    signed = np.asarray(numbers.percent, dtype=bool)
    if signed.any():  # "0,33" beside "28 %" (even under "Andel (%)"): 33 % as a fraction, or 0,33 %?
        rejects.add(finite & ~signed & (v > 0) & (v < 1), at, values,
                    "andra andelar i kolumnen har %-tecken men inte denna; är den en andel (0,33 = 33 %) "
                    "eller procent (0,33 %)? Skriv den med %-tecken, t.ex. 33 % eller 0,33 %, eller ange "
                    "share: percent i en mappningsfil")
        return
    if _says_percent(column):
        return
    rejects.add(finite & (v > 0) & (v < 1), at, values,
                "kolumnen blandar andelar (under 1) och procent; skriv alla som procent (t.ex. 41) "
                "eller ange share: fraction eller percent i en mappningsfil")


def _shares(numbers, values: pd.Series, column, scale: str, rejects: Rejects) -> np.ndarray:
    rejects.add(numbers.missing, column, values, "andelen saknas")
    rejects.add(numbers.invalid, column, values, "andelen kunde inte tolkas som ett tal")
    share = numbers.value / (100.0 if scale == "percent" else 1.0)
    limit = "0 och 100 %" if scale == "percent" else "0 och 1 (kolumnen läses som andelar, inte procent)"
    rejects.add(share < 0, column, values, "andelen kan inte vara negativ")
    rejects.add(share > 1, column, values, f"andelen ska ligga mellan {limit}")
    return share


def _respondents(df, cols, rejects: Rejects) -> pd.Series:
    if "respondents" not in cols:
        return pd.Series(pd.NA, index=df.index, dtype="Int64")
    values = df[cols["respondents"]]
    at = df["_n_from"] if "_n_from" in df else cols["respondents"]  # a wide table's own column
    numbers = parse_numbers(values)
    counts, fractional = integers(numbers)
    rejects.add(grouped(values), at, values, GROUPED_WHY)  # "1,000": 1 or 1 000?
    bad = numbers.invalid | fractional | (np.nan_to_num(numbers.value) < 0)
    rejects.add(bad, at, values, "antalet svarande ska vara ett heltal ≥ 0")
    rejects.add(~bad & (np.nan_to_num(numbers.value) == 0) & ~np.asarray(numbers.missing, bool),
                at, values, "0 svarande kan inte ge en andel; lämna cellen tom om antalet "
                "svarande inte är känt")
    return counts


def _design_effects(df, cols, respondents, rejects: Rejects) -> np.ndarray:
    """Each row's design effect (NaN where the file gives none): the ``Designeffekt`` column, or the
    respondents divided by the ``Effektivt antal svarande`` column."""
    out = np.full(len(df), np.nan)
    for key in ("design_effect", "effective_n"):
        if key not in cols:
            continue
        values = df[cols[key]]
        numbers = parse_numbers(values)
        given = ~np.asarray(numbers.missing, bool)  # an empty cell (or "..") gives none
        value = np.asarray(numbers.value, float)
        bad = given & (np.asarray(numbers.invalid, bool) | ~(value > 0))
        what = "designeffekten" if key == "design_effect" else "det effektiva antalet svarande"
        rejects.add(bad, cols[key], values, f"{what} ska vara ett tal större än 0")
        if key == "design_effect":
            out = np.where(given & ~bad, value, np.nan)
            break
        n = respondents.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        missing = given & ~bad & np.isnan(n)
        rejects.add(missing, cols[key], values,
                    "det effektiva antalet svarande kräver antal svarande (designeffekten är antal svarande "
                    "delat med det effektiva antalet)")
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(given & ~bad & ~missing, n / value, np.nan)
    return out


def _fictitious(df, cols, notes, rejects: Rejects) -> np.ndarray:
    """Each row's flag: the ``Fiktiv`` column, else whether a note or title line above the header
    (``notes``) says ``fiktiv`` ("# FIKTIVA DATA", a title row "FIKTIVA SIFFROR – testdata")."""
    if "fictitious" not in cols:
        marked = any("fiktiv" in normalise(n) for n in notes)
        return np.full(len(df), marked, dtype=bool)
    values = df[cols["fictitious"]].astype("string").fillna("")
    key = values.map(normalise)
    rejects.add(~key.isin(TRUE_WORDS | FALSE_WORDS).to_numpy(), cols["fictitious"], values,
                "Fiktiv ska vara ja eller nej")
    return key.isin(TRUE_WORDS).to_numpy()
