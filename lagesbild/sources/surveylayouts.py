"""Safety surveys in their published (wide) layouts, turned into the long layout of
:mod:`lagesbild.sources.survey`.

Layouts read (sample files in ``data/examples/``, numbers fictitious):

- ``polisen``: the police's trygghetsmätning tables per lokalpolisområde or area: one row per question,
  one column per year with the share (percent) answering "ganska/mycket stort problem", and a row
  ``Antal svarande`` (or ``Antal svar``) with the respondents of each year. The area is a column
  (``Område``) or a title line ``Område: Skärholmen`` / ``Lokalpolisområde Skärholmen`` above the
  header; notes below the table (``Källa: …``) are ignored.
- ``stockholms-stad``: Stockholm stad's trygghetsmätning: one row per indicator × area, and per year a
  share column and a respondents column (``2021 Andel (%)``, ``2021 Antal svar``, or ``Andel 2021``).

Values follow the same rules as the long layout (decimal comma, ``%``, ``..`` missing).
"""

from __future__ import annotations

import re

import pandas as pd

from lagesbild.errors import InputError, RowError
from lagesbild.sources.crimetext import FOOTNOTE_MARK, cut_marks
from lagesbild.sources.mapping import match_columns, normalise

AREA = ["Område", "Plats", "Stadsdelsområde", "Lokalpolisområde", "Geografi", "Area"]
INDICATOR = ["Indikator", "Fråga", "Påstående", "Problem", "Frågeområde", "Indicator", "Question"]
LEVEL = ["Nivå", "Områdesnivå", "Level"]
RESPONDENT_ROWS = ("antal svarande", "antal svar", "svarande", "antal personer", "n")
TITLE_AREA = re.compile(r"(?i)^\s*(?:område|lokalpolisområde|stadsdelsområde|plats)\s*[:\-–]?\s*(.+?)\s*$")
#: a line inside a police table naming the area of the rows below it, when a file holds one table per
#: area ("Område: Vårberg", "Lokalpolisområde Vårberg" over the second table); after "Område" and
#: "Plats" the colon is required, so an indicator such as "Platsen är nedskräpad" is never read as one
BLOCK_AREA = re.compile(r"(?i)^\s*(?:(?:område|plats)\s*:|(?:lokalpolisområde|stadsdelsområde)\b\s*:?)"
                        r"\s*(\S.*?)\s*$")
YEAR_HEADER = re.compile(r"(?i)^\s*(?:(andel|antal svar(?:ande)?|svarande|n)\s*(?:\(%\))?\s*)?"
                         r"((?:19|20)\d{2})\s*(?:(andel|antal svar(?:ande)?|svarande|n)\s*(?:\(%\))?)?\s*$")
# a footnote mark right after a year ("2023¹ Andel (%)"), kept out of the year
YEAR_MARK = re.compile(r"((?:19|20)\d{2})(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*+)")
MISSING = ("", "-", "–")  # ".." and "*": not published, counted by the survey reader
DASHES = ("-", "–")  # Swedish tables' "inget att redovisa": no share given, counted for the report
NOTE_STARTS = ("kalla", "anm", "not", "fotnot", "uppgift", "fiktiva")


def year_columns(cells: list[str]) -> dict[str, tuple[int, str]]:
    """Header -> (year, ``share`` or ``respondents``) for the year columns of a wide layout.

    Examples
    --------
    >>> year_columns(["Fråga", "2019", "2021 Andel (%)", "2021 Antal svar", "Andel 2023"])
    {'2019': (2019, 'share'), '2021 Andel (%)': (2021, 'share'), '2021 Antal svar': (2021, \
'respondents'), 'Andel 2023': (2023, 'share')}
    >>> year_columns(["2022¹", "2023² Andel (%)", "2023 Antal svar 1)"])
    {'2022¹': (2022, 'share'), '2023² Andel (%)': (2023, 'share'), '2023 Antal svar 1)': (2023, \
'respondents')}
    """
    out = {}
    for c in cells:  # a footnote mark ("2023¹", "2023 Andel (%)¹") is no part of the year
        m = YEAR_HEADER.match(FOOTNOTE_MARK.sub("", YEAR_MARK.sub(r"\1", str(c))))
        if not m:
            continue
        word = normalise(m.group(1) or m.group(3) or "andel")
        out[c] = (int(m.group(2)), "share" if word == "andel" else "respondents")
    return out


def is_note(text: object) -> bool:
    """Whether a line under a table is a note (``Källa: …``, ``Fiktiva siffror``, a footnote ``¹ …``).

    Examples
    --------
    >>> is_note("Källa: Polisen"), is_note("¹ Preliminära siffror"), is_note("Skärholmen;34;1 066")
    (True, True, False)
    """
    from lagesbild.sources.crimetext import is_note_text

    text = "" if text is None else str(text)
    return normalise(text).startswith(NOTE_STARTS) or bool(is_note_text(text))


def is_wide(cells: list[str]) -> bool:
    """A header of one of the wide layouts: an indicator column and year columns.

    Examples
    --------
    >>> is_wide(["Fråga", "2019", "2021"]), is_wide(["Område", "År", "Indikator", "Andel"])
    (True, False)
    """
    found = match_columns(cells, {"indicator": INDICATOR})
    return "indicator" in found and any(k == "share" for _, k in year_columns(cells).values())


def title_area(titles: list[str]) -> str | None:
    """The area named in a title line above the header (the table reader's ``title_lines``, decoded as
    the table is: UTF-8 or Windows-1252, CSV or XLSX), if any.

    Examples
    --------
    >>> title_area(["Trygghetsmätning", "Lokalpolisområde Skärholmen"]), title_area(["Blad1"])
    ('Skärholmen', None)
    """
    for line in titles:
        cell = str(line).split(";")[0].split(",")[0].split("\t")[0].strip().strip('"')
        m = TITLE_AREA.match(cell)
        if m and m.group(1):
            return m.group(1)
    return None


def area_lines(df: pd.DataFrame, headers: list[str], errors: list) -> tuple[list[tuple[int, str]], list]:
    """The lines inside a table without an area column that name the area of the rows below them
    (:data:`BLOCK_AREA`, alone on their line): ``[(line, area), …]`` in line order, and the table
    reader's errors that were such lines (a CSV line of one field under a wider header).

    Examples
    --------
    >>> df = pd.DataFrame({"Fråga": ["Nedskräpning", "Område: Vårberg", "Platsen: x"], "2023": ["44", "", ""],
    ...                    "line": [5, 8, 9]})
    >>> area_lines(df, ["Fråga", "2023"], [])
    ([(8, 'Vårberg')], [])
    """
    cols = match_columns(headers, {"area": AREA, "indicator": INDICATOR})
    if "area" in cols or "indicator" not in cols:
        return [], []
    found, used = [], []
    for e in errors:
        m = BLOCK_AREA.match(str(e.value or "").strip(" ;,\t").strip('"')) if e.line else None
        if m:
            found.append((int(e.line), m.group(1)))
            used.append(e)
    first = df[cols["indicator"]].astype("string").fillna("").str.strip()
    alone = pd.Series(True, index=df.index)
    for c in headers:
        if c != cols["indicator"] and c in df.columns:
            alone &= df[c].astype("string").fillna("").str.strip() == ""
    for idx in df.index[alone & first.str.match(BLOCK_AREA.pattern)]:
        found.append((int(df.at[idx, "line"]), BLOCK_AREA.match(first[idx]).group(1)))
    return sorted(found), used


UNNAMED_TABLE = ("rubrikraden upprepas här: en ny tabell börjar, men ingen rad ovanför den säger vilket område "
                 "den gäller; skriv \"Område: <namn>\" ovanför varje tabell, eller lägg varje område i en egen fil")


def refuse_unnamed_tables(headers: list[str], blocks: list[tuple[int, str]], meta: dict, file: str) -> None:
    """Refuse a file of several tables without an area column (the header repeated) where a table has no
    area line (:data:`BLOCK_AREA`) above it: its rows would be read as the first table's area."""
    repeated = meta.get("repeated_header_lines", [])
    if not repeated or "area" in match_columns(headers, {"area": AREA}):
        return
    bounds = [int(meta.get("header_line") or 0), *repeated]
    for before, line in zip(bounds, repeated, strict=False):
        if not any(before < n < line for n, _ in blocks):
            raise InputError(file, "filen har flera tabeller men inget område ovanför en av dem",
                             [RowError(file, line, None, None, UNNAMED_TABLE, meta.get("sheet"))])


def to_long(df: pd.DataFrame, headers: list[str], area_from_title: str | None,
            constants: dict, blocks: list[tuple[int, str]] = ()) -> tuple[pd.DataFrame, str]:
    """The wide table as the long layout's columns (``Område, Nivå, År, Indikator, Andel (%)``,
    ``Antal svarande``, ``line``) and the layout's name. ``blocks`` (:func:`area_lines`) name the area
    of the rows below each such line, instead of the title's."""
    cols = match_columns(headers, {"area": AREA, "indicator": INDICATOR, "level": LEVEL})
    years = year_columns(headers)
    indicator = cut_marks(df[cols["indicator"]].astype("string").fillna("").str.strip())
    first = indicator.map(normalise)
    notes = first.str.startswith(NOTE_STARTS)
    respondent_rows = first.isin(RESPONDENT_ROWS)
    if "area" in cols:
        area = cut_marks(df[cols["area"]].astype("string").fillna("").str.strip())
    else:
        area = pd.Series(area_from_title or str(constants.get("area", "")), index=df.index, dtype=object)
        for line, name in blocks:  # in line order: each table's area holds until the next one's
            area[df["line"] > line] = name
    has_respondent_columns = any(k == "respondents" for _, k in years.values())
    layout = "stockholms-stad" if has_respondent_columns else "polisen"
    per_area_n = {}
    if respondent_rows.any():
        for idx in df.index[respondent_rows]:
            for h, (y, kind) in years.items():
                if kind == "share":
                    per_area_n[(area[idx], y)] = df.at[idx, h]
    keep = ~(notes | respondent_rows) & (indicator != "") & ~df["line"].isin([n for n, _ in blocks])
    frames = []
    for h, (y, kind) in years.items():
        if kind != "share":
            continue
        n_col = next((c for c, (yy, k) in years.items() if yy == y and k == "respondents"), None)
        part = pd.DataFrame({"Område": area[keep], "År": str(y), "Indikator": indicator[keep],
                             "Andel (%)": df.loc[keep, h], "line": df.loc[keep, "line"]})
        if "level" in cols:
            part["Nivå"] = df.loc[keep, cols["level"]]
        part["_share_from"] = h  # the file's own column, for messages
        if n_col is not None:
            part["Antal svarande"], part["_n_from"] = df.loc[keep, n_col], n_col
        else:
            part["Antal svarande"] = [per_area_n.get((a, y), "") for a in area[keep]]
            part["_n_from"] = f"{h} (raden Antal svarande)"
        frames.append(part)
    out = pd.concat(frames, ignore_index=True).sort_values(["line", "År"], kind="stable")
    # a year without a result in a wide table (".." or empty) is no row, not an error
    written = out["Andel (%)"].astype("string").fillna("").str.strip()
    missing = written.isin(MISSING)
    kept = out[~missing].reset_index(drop=True)
    kept.attrs["dash_shares"] = int(written.isin(DASHES).sum())  # said in the report, not dropped unsaid
    return kept, layout
