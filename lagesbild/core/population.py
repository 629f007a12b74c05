"""Population by area and year, and crime rates per 1 000 inhabitants and year.

Population is an input of its own: one figure per area and year, as SCB publishes it (folkmängd
31 december, e.g. table BE0101A/BefolkningNy or BE0101Y/FolkmDesoAldKon). Years between two known years
are interpolated linearly; years before the first or after the last known year take the nearest known
figure. Either way the figure is flagged (``source`` ``"interpolerad"`` or ``"närmaste kända år"``) so
that a page can say so.

A rate is ``count / population × 1000``, annualised: a period of ``n`` whole months gives
``count × 12/n / population × 1000`` ("per 1 000 invånare och år"), so cut or short periods compare
with whole years. The population of a period is the mean over its months of the population of each
month's year. No rate is given for areas with fewer than ``min_population`` inhabitants (default
1 000): a few crimes there make a large, meaningless rate.

Examples
--------
>>> known = pd.DataFrame({"place_id": "a", "year": [2010, 2023], "population": [1300, 2600]})
>>> t = population_by_year(known, "a", [2009, 2010, 2016, 2024])
>>> t.values.tolist()
[[2009, 1300.0, 'närmaste kända år'], [2010, 1300.0, 'känd'], [2016, 1900.0, 'interpolerad'], \
[2024, 2600.0, 'närmaste kända år']]
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

MIN_POPULATION = 1000
SOURCE_KNOWN, SOURCE_INTERPOLATED, SOURCE_NEAREST = "känd", "interpolerad", "närmaste kända år"
NOTE_INTERPOLATED = "Befolkningen {years} är interpolerad mellan kända år."
NOTE_NEAREST = "Befolkningen {years} är hämtad från närmaste kända år."
NOTE_TOO_FEW = "Brott per 1 000 invånare visas inte för områden med färre än {n} invånare."


def population_by_year(table: pd.DataFrame, place_id, years) -> pd.DataFrame:
    """The population of one area in each of ``years``, interpolated where not known.

    Parameters
    ----------
    table : DataFrame
        ``place_id, year, population`` (known figures; other places are ignored).
    place_id : str
    years : sequence of int

    Returns
    -------
    DataFrame
        ``year, population, source``; population NaN for every year when nothing is known.

    Examples
    --------
    >>> empty = pd.DataFrame(columns=["place_id", "year", "population"])
    >>> population_by_year(empty, "a", [2020]).values.tolist()
    [[2020, nan, 'saknas']]
    """
    known = table[(table["place_id"] == place_id) & table["population"].notna()]
    known = known.groupby("year")["population"].last().sort_index()
    years = [int(y) for y in years]
    if known.empty:
        return pd.DataFrame({"year": years, "population": math.nan, "source": "saknas"})
    ky, kp = known.index.to_numpy(dtype=float), known.to_numpy(dtype=float)
    values = np.interp(years, ky, kp)
    source = [SOURCE_KNOWN if y in known.index else
              SOURCE_NEAREST if y < ky[0] or y > ky[-1] else SOURCE_INTERPOLATED for y in years]
    return pd.DataFrame({"year": years, "population": values, "source": source})


def years_text(years) -> str:
    """Years as runs, the way the notes name them; two years in a row are named each ("2024 och 2025"),
    since "2024–2025" is how a September–August year is written.

    Examples
    --------
    >>> years_text({2019, 2020, 2021, 2022}), years_text([2016, 2019, 2020, 2022]), years_text([2021])
    ('2019–2022', '2016, 2019, 2020 och 2022', '2021')
    >>> years_text([2024, 2025])
    '2024 och 2025'
    """
    runs: list[list[int]] = []
    for y in sorted({int(y) for y in years}):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    texts = [t for a, b in runs for t in ([str(a)] if a == b else [str(a), str(b)] if b == a + 1
                                          else [f"{a}\u2013{b}"])]
    return ", ".join(texts[:-1]) + " och " + texts[-1] if len(texts) > 1 else texts[0]


#: a note naming some years and no other number (this module's NOTE_INTERPOLATED and NOTE_NEAREST,
#: the whole-period comparisons' NOTE_WHOLE "… hela perioder (2015 och 2016)."): before, years, after
YEAR_NOTE = re.compile(r"^(\D*?)(\d{4}(?:(?:, | och |\u2013)\d{4})*)(\D*)$")


#: where one sentence of a note ends and the next begins: a full stop, space and a capital (or a quote,
#: a star or a ▲/▼ that starts a sentence); "t.o.m. 30 nov" and "inv. och år" are not sentence ends
SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-ZÅÄÖÉÜ\"”*▲▼])")


def merge_notes(notes) -> list[str]:
    """Distinct sentences of several notes, in order; the population notes that differ only by their
    years (two periods', or a table's rows') become one note of every year, at the first one's place.

    Examples
    --------
    >>> merge_notes(["Befolkningen 2021 och 2022 är interpolerad mellan kända år.",
    ...              "Befolkningen 2022 är interpolerad mellan kända år. Summerad över kön.",
    ...              "Befolkningen 2024 är interpolerad mellan kända år."])
    ['Befolkningen 2021, 2022 och 2024 är interpolerad mellan kända år.', 'Summerad över kön.']
    >>> merge_notes(["Jämförelsen bygger på källans siffror för hela perioder (2015 och 2016).",
    ...              "Jämförelsen bygger på källans siffror för hela perioder (2016 och 2017)."])
    ['Jämförelsen bygger på källans siffror för hela perioder (2015–2017).']

    A sentence ends at a full stop before a capital letter, so an abbreviation followed by a date or a
    word stays in its sentence:

    >>> for sentence in merge_notes(["Data finns bara t.o.m. 30 nov 2024. Per 1 000 inv. och år."]):
    ...     print(sentence)
    Data finns bara t.o.m. 30 nov 2024.
    Per 1 000 inv. och år.
    """
    out: dict = {}
    for note in notes:
        for part in (p.strip() for p in SENTENCE_END.split(str(note or ""))):
            if not part:
                continue
            part = part if part.endswith(".") else part + "."
            m = YEAR_NOTE.match(part)
            if not m:
                out.setdefault(part, None)
                continue
            out.setdefault((m.group(1), m.group(3)), set()).update(_note_years(m.group(2)))
    return [f"{k[0]}{years_text(v)}{k[1]}" if isinstance(k, tuple) else k for k, v in out.items()]


def _note_years(text: str) -> set[int]:
    """The years a note names, runs (``2019–2021``) spelled out."""
    years: set[int] = set()
    for a, b in re.findall(r"(\d{4})(?:\u2013(\d{4}))?", text):
        years.update(range(int(a), int(b or a) + 1))
    return years


def period_rate(count, months, table: pd.DataFrame | None, place_id, *,
                min_population: float = MIN_POPULATION, constant=None) -> tuple[float, str]:
    """Annualised crimes per 1 000 inhabitants in a period of whole months, and a note.

    Parameters
    ----------
    count : int
        Crimes in the period.
    months : DatetimeIndex
        The whole months counted (their years pick the population).
    table : DataFrame or None
        ``place_id, year, population`` and optionally ``note`` (how a figure was made, added to the
        note); None, or a table without ``place_id``, uses ``constant``.
    constant : number or None
        One population for every year (the place's stored figure) when the table has no figure for
        the place.

    Returns
    -------
    (float, str)
        NaN when there are no months, no population or fewer than ``min_population`` inhabitants.

    Examples
    --------
    >>> known = pd.DataFrame({"place_id": "a", "year": [2020, 2022], "population": [2000, 3000]})
    >>> months = pd.date_range("2021-01-01", periods=6, freq="MS")
    >>> period_rate(30, months, known, "a")
    (24.0, 'Befolkningen 2021 är interpolerad mellan kända år.')
    >>> period_rate(30, months, known, "b", constant=2500)  # not in the table: its stored figure
    (24.0, '')
    >>> period_rate(3, months, None, "a", constant=611)
    (nan, 'Brott per 1\\xa0000 invånare visas inte för områden med färre än 1\\xa0000 invånare.')
    """
    pop, note = period_population(months, table, place_id, min_population=min_population,
                                  constant=constant)
    if pop is None:
        return math.nan, note
    return 1000.0 * float(count) * 12.0 / len(months) / pop, note


def period_population(months, table: pd.DataFrame | None, place_id, *,
                      min_population: float = MIN_POPULATION, constant=None) -> tuple[float | None, str]:
    """The mean population over the months that :func:`period_rate` divides by, and its note; None
    when there is no rate (no months, no population, or fewer than ``min_population``).

    Examples
    --------
    >>> known = pd.DataFrame({"place_id": "a", "year": [2020, 2022], "population": [2000, 3000]})
    >>> period_population(pd.date_range("2021-01-01", periods=6, freq="MS"), known, "a")
    (2500.0, 'Befolkningen 2021 är interpolerad mellan kända år.')
    """
    return period_populations([months], table, place_id, min_population=min_population,
                              constant=constant)[0]


def period_populations(periods_months, table: pd.DataFrame | None, place_id, *,
                       min_population: float = MIN_POPULATION, constant=None) -> list[tuple[float | None, str]]:
    """:func:`period_population` of each period (a sequence of the periods' months), the place's
    known figures read once.

    Examples
    --------
    >>> known = pd.DataFrame({"place_id": "a", "year": [2020, 2022], "population": [2000, 3000]})
    >>> period_populations([pd.date_range("2021-01-01", periods=6, freq="MS"),
    ...                     pd.date_range("2022-01-01", periods=3, freq="MS")], known, "a")
    [(2500.0, 'Befolkningen 2021 är interpolerad mellan kända år.'), (3000.0, '')]
    """
    known, table_note = None, ""
    if table is not None and (table["place_id"] == place_id).any():
        rows = table[(table["place_id"] == place_id) & table["population"].notna()]
        known = rows.groupby("year")["population"].last().sort_index()
        if "note" in rows:  # how the file's figures were made (a sum over kön or ålder)
            table_note = " ".join(dict.fromkeys(n for n in rows["note"] if isinstance(n, str) and n))
    out = []
    for months in periods_months:
        months = pd.DatetimeIndex(months)
        if len(months) == 0:
            out.append((None, ""))
            continue
        if known is None:
            if constant is None or pd.isna(constant):
                out.append((None, ""))
                continue
            pops, note = np.full(len(months), float(constant)), ""
        elif known.empty:  # the place is in the table without a figure
            out.append((None, ""))
            continue
        else:
            pops, note = _known_populations(known, months)
            note = " ".join(n for n in (note, table_note) if n)
        out.append(_mean_population(pops, note, min_population))
    return out


def _known_populations(known: pd.Series, months: pd.DatetimeIndex) -> tuple[np.ndarray, str]:
    """Each month's population from the known figures by year (as :func:`population_by_year`), and
    the note on the years interpolated or taken from the nearest known year."""
    years = sorted({int(y) for y in months.year})
    ky, kp = known.index.to_numpy(dtype=float), known.to_numpy(dtype=float)
    values = np.interp(years, ky, kp)
    source = [SOURCE_KNOWN if y in known.index else
              SOURCE_NEAREST if y < ky[0] or y > ky[-1] else SOURCE_INTERPOLATED for y in years]
    at = {y: i for i, y in enumerate(years)}
    pops = values[np.array([at[int(y)] for y in months.year], dtype=np.int64)]
    notes = []
    for kind, text in ((SOURCE_INTERPOLATED, NOTE_INTERPOLATED), (SOURCE_NEAREST, NOTE_NEAREST)):
        hit = [y for y, s in zip(years, source, strict=True) if s == kind]
        if hit:
            notes.append(text.format(years=years_text(hit)))
    return pops, " ".join(notes)


def _mean_population(pops: np.ndarray, note: str, min_population: float) -> tuple[float | None, str]:
    if np.isnan(pops).any():
        return None, ""
    pop = float(pops.mean())
    if pop < min_population:
        n = f"{int(min_population):,}".replace(",", "\u00a0")
        return None, NOTE_TOO_FEW.format(n=n).replace("1 000", "1\u00a0000")
    return pop, note
