"""Property tests of the readers the byte and text fuzzing of tests/test_fuzz_inputs.py does not reach:
XLSX files whose cells have every type Excel writes (numbers, dates with their formats, times,
booleans, error values, text), Brå's own layout with random cells, and the population reader
(``population_file``; no ingest kind of its own). Each file is read or refused with a Swedish
:class:`~lagesbild.errors.InputError`; nothing else escapes."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lagesbild.errors import InputError
from lagesbild.sources.population import read_population
from tests.test_crafted_inputs import fuzz_target
from tests.test_fuzz_inputs import FUZZ, NASTY_TEXT

__all__ = ["fuzz_target"]  # a fixture, used by name: a store with the places

HEADERS = {
    "crimes": ["Område", "Brottstyp", "Månad", "Antal"],
    "survey": ["Område", "År", "Indikator", "Andel", "Svarande"],
    "incidents": ["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"],
    "activities": ["Aktivitet", "Plats", "Start", "Löptid", "T1 2021 mål uppfyllt"],
}
FORMATS = ["General", "0", "0.00", "0%", "mmm-yy", "yyyy", "yyyy-mm-dd", "[$-41D]mmmm yyyy", "hh:mm",
           "@", "# ##0", "yyyy-mm-dd hh:mm"]
ERRORS = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]
DAY = st.dates(dt.date(1900, 3, 1), dt.date(2099, 12, 31))
#: the texts a sheet can hold (no control characters but tab and line breaks, no lone surrogates)
SHEET_TEXT = [t for t in NASTY_TEXT if not ILLEGAL_CHARACTERS_RE.search(t) and "\ud800" not in t]
VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-10**16, 10**16), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(SHEET_TEXT),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).filter(lambda t: not t.startswith("=")),
    DAY, DAY.map(lambda d: dt.datetime(d.year, d.month, d.day, 14, 30)), st.times(),
    st.sampled_from(ERRORS).map(lambda e: ("error", e)))
CELL = st.tuples(VALUE, st.sampled_from(FORMATS))
PLAUSIBLE = {  # a typical value per column, so that examples get past the header
    "crimes": [st.just("Hässelby torg"), st.just("Rån"), st.just("2023-01"), st.integers(0, 50)],
    "survey": [st.just("Vårberg"), st.just(2021), st.just("Otrygg"), st.floats(0, 1), st.integers(1, 900)],
}


def _xlsx(header: list[str], rows: list[list[tuple]], hidden: bool) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(header)
    for r, row in enumerate(rows, start=2):
        for c, (value, number_format) in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, tuple):
                cell.value, cell.data_type = value[1], "e"
            else:
                cell.value = value
            cell.number_format = number_format
    if hidden:
        extra = book.create_sheet("Dold")
        extra.append(header)
        extra.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FUZZ
@given(kind=st.sampled_from(sorted(HEADERS)), rows=st.lists(st.lists(CELL, min_size=1, max_size=7),
                                                             min_size=1, max_size=6),
       hidden=st.booleans(), keep_valid=st.booleans())
def test_xlsx_cells_of_every_type_are_read_or_refused(fuzz_target, kind, rows, hidden, keep_valid):
    fuzz_target.check(kind, _xlsx(HEADERS[kind], rows, hidden), ".xlsx", keep_valid=keep_valid)


@FUZZ
@given(kind=st.sampled_from(sorted(PLAUSIBLE)), data=st.data())
def test_plausible_xlsx_rows_with_one_odd_cell_are_read_or_refused(fuzz_target, kind, data):
    row = [(data.draw(s), "General") for s in PLAUSIBLE[kind]]
    at = data.draw(st.integers(0, len(row) - 1))
    row[at] = data.draw(CELL)
    fuzz_target.check(kind, _xlsx(HEADERS[kind], [row], False), ".xlsx")


BRA_HEADER = "År;Periodtyp;Periodetikett;Preliminär;Område;Brott;Brott_ID;Förälder_ID;Antal;Per100000"
BRA_CELL = st.one_of(st.sampled_from(NASTY_TEXT + ["Helår", "Månad", "Kvartal", "2026 prel., Aug", "Ja", "Nej",
                                                   "5036", "11084", "Göteborg", "Totalt antal brott",
                                                   "Brott mot brottsbalken", "252,2", "1 513"]),
                     st.text(max_size=10), st.integers(-5, 3000).map(str))


@FUZZ
@given(rows=st.lists(st.lists(BRA_CELL, min_size=10, max_size=10), min_size=1, max_size=6),
       title=st.booleans(), keep_valid=st.booleans())
def test_bra_layout_with_random_cells_is_read_or_refused(fuzz_target, rows, title, keep_valid):
    lines = (["Anmälda brott efter område, brottstyp och år", ""] if title else []) + [BRA_HEADER]
    text = "\n".join(lines + [";".join(r) for r in rows]) + "\n"
    fuzz_target.check("crimes", text.encode("utf-8", "replace"), ".csv", keep_valid=keep_valid)


POP_HEADERS = ['"region","ålder","kön","2010","2023"', "deso,kommun,pop_2010,pop_2023", "Område;2022;2023",
               "område;år;folkmängd", "region;namn;år;befolkning", '"region","2021","2022","2023"', ""]
POP_CELL = st.one_of(st.sampled_from(NASTY_TEXT + ["0180C3420 Stockholm", "0180", "totalt ålder", "totalt",
                                                   "män", "Vårberg stadsdel", "2023", "1 357", "Källa: SCB"]),
                     st.text(max_size=10), st.integers(-10**12, 10**12).map(str))


@FUZZ
@given(header=st.sampled_from(POP_HEADERS), sep=st.sampled_from([",", ";", "\t"]),
       rows=st.lists(st.lists(POP_CELL, min_size=1, max_size=6), min_size=0, max_size=8),
       title=st.booleans(), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_population_tables_are_read_or_refused(tmp_path_factory, header, sep, rows, title, suffix):
    lines = (['"Folkmängden per region och år"', ""] if title else []) + [header]
    lines += [sep.join(r) for r in rows]
    path = tmp_path_factory.mktemp("pop") / ("befolkning" + suffix)
    if suffix == ".csv":
        path.write_bytes("\n".join(lines).encode("utf-8", "replace"))
    else:
        book = openpyxl.Workbook()
        for line in lines:
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c).encode("utf-8", "replace").decode()
                                for c in line.replace(";", ",").split(",")])
        book.save(path)
    try:
        frame = read_population(path)
    except InputError as exc:
        assert exc.message().startswith("befolkning")
        return
    assert list(frame.columns[:3]) == ["area", "year", "population"]
    assert (frame["population"] >= 0).all()
