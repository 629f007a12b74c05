"""Incidents with a date but no time of day: the reader, the ingest and the store keep "time unknown"
apart from a real 00:00 (``time_known``), so the weekday × hour pattern can leave them out and say
how many. They were stored as 00:00 with nothing to tell them from a crime at midnight, and the
pattern said "Flest brott kl. 00" of a file that has no times at all."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
from hypothesis import example, given
from hypothesis import strategies as st

from lagesbild.cli import main
from lagesbild.settings import ROOT
from lagesbild.sources.incidents import read_incidents
from lagesbild.store import Store, blocks
from lagesbild.store import schema as t
from tests.test_fuzz_inputs import FUZZ

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"
# (id, date, time) in Vårberg (SWEREF 99 TM)
ROWS = [("K1-24", "2024-03-04", ""), ("K2-24", "2024-03-05", "00:00"), ("K3-24", "2024-03-06", "9"),
        ("K4-24", "2024-03-07", "2130"), ("K5-24", "2024-03-08 14:10", ""), ("K6-24", "2024-03-09", " ")]
UNTIMED = {"K1-24", "K6-24"}


def _stored(store: Store) -> pd.DataFrame:
    """Every stored incident with its ``time_known`` flag, read from the blocks as written."""
    with store.engine.connect() as conn:
        rows = conn.execute(t.incident_blocks.select().order_by(t.incident_blocks.c.block_id)).fetchall()
    return blocks.to_frame([blocks.decode(r.data) for r in rows], [r.source for r in rows],
                           time_known=True)


def _store(tmp_path, capsys, path, *extra):
    db = tmp_path / "store.sqlite"
    assert main(["--db", str(db), "ingest", "--no-progress", "places", str(PLACES)]) == 0
    capsys.readouterr()
    rc = main(["--db", str(db), "ingest", "--no-progress", "--format", "json", "incidents", str(path),
               "--crs", "3006", *extra])
    out = capsys.readouterr()
    assert rc == 0, out
    return Store(f"sqlite:///{db}"), json.loads(out.out)[0]["meddelande"]


def test_a_csv_with_some_empty_times_keeps_them_unknown(tmp_path, capsys):
    path = tmp_path / "incidenter.csv"
    path.write_text("Ärendenummer;Brottsdatum;Klockslag;Brottsrubrik;E;N\n" + "".join(
        f"{i};{d};{t};Skadegörelse;664677;6574245\n" for i, d, t in ROWS), encoding="utf-8")
    store, said = _store(tmp_path, capsys, path)
    assert "Filen har inget klockslag för 2 händelser: de räknas per dag, veckodag och månad" in said
    got = _stored(store).set_index("incident_id")
    assert dict(got["time_known"]) == {i: i not in UNTIMED for i, _, _ in ROWS}
    # the store's frame of incidents keeps its columns; the flag is there when asked for
    assert "time_known" not in store.incidents().columns
    # a written 00:00 is a time of day; a missing one is the same instant, told apart only by the flag
    assert got.loc["K1-24", "occurred_at"] == pd.Timestamp("2024-03-04 00:00")
    assert got.loc["K2-24", "occurred_at"] == pd.Timestamp("2024-03-05 00:00")
    assert got.loc["K3-24", "occurred_at"] == pd.Timestamp("2024-03-06 09:00")
    assert got.loc["K5-24", "occurred_at"] == pd.Timestamp("2024-03-08 14:10")


def test_a_file_without_a_time_column_has_every_time_unknown(tmp_path, capsys):
    path = tmp_path / "incidenter.csv"
    path.write_text("Ärendenummer;Brottsdatum;Brottsrubrik;E;N\n" + "".join(
        f"K{n};2024-0{1 + n % 9}-1{n % 10};Skadegörelse;664677;6574245\n" for n in range(30)),
        encoding="utf-8")
    store, said = _store(tmp_path, capsys, path)
    assert "inget klockslag för 30 händelser (alla)" in said
    assert not _stored(store)["time_known"].any()


def test_an_xlsx_of_date_cells_and_a_date_format_without_hours(tmp_path, capsys):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Id", "Datum", "Brottskategori", "E", "N"])
    ws.append(["A", dt.date(2024, 5, 2), "Rån", 664677, 6574245])
    ws.append(["B", dt.datetime(2024, 5, 3, 22, 15), "Rån", 664677, 6574245])
    path = tmp_path / "incidenter.xlsx"
    book.save(path)
    store, said = _store(tmp_path, capsys, path)
    assert "inget klockslag för 1 händelse:" in said
    assert dict(_stored(store).set_index("incident_id")["time_known"]) == {"A": False, "B": True}

    other = tmp_path / "other"
    other.mkdir()
    text = other / "dmy.csv"
    text.write_text("Id;Datum;Tid;Brottskategori;E;N\nC;15/03/2024;;Rån;664677;6574245\n"
                    "D;16/03/2024;23.05;Rån;664677;6574245\n", encoding="utf-8")
    store, _ = _store(other, capsys, text, "--date-format", "DD/MM/YYYY")
    got = _stored(store).set_index("incident_id")
    assert dict(got["time_known"]) == {"C": False, "D": True}
    assert got.loc["D", "occurred_at"] == pd.Timestamp("2024-03-16 23:05")


DAYS = st.dates(dt.date(2015, 1, 1), dt.date(2025, 12, 31))
CLOCK = st.tuples(st.integers(0, 23), st.integers(0, 59))
# how a row writes its time: none, in the date cell (space or T), or in the time column (several forms)
TIME_FORMS = st.sampled_from(["none", "blank", "space", "T", "hh:mm", "h", "hhmm", "hh.mm"])


def _cells(day: dt.date, clock: tuple[int, int], form: str) -> tuple[str, str]:
    h, m = clock
    if form in ("none", "blank"):
        return day.isoformat(), "" if form == "none" else "  "
    if form in ("space", "T"):
        return f"{day.isoformat()}{' ' if form == 'space' else 'T'}{h:02d}:{m:02d}", ""
    if form == "h":
        return day.isoformat(), str(h)
    return day.isoformat(), {"hh:mm": f"{h:02d}:{m:02d}", "hhmm": f"{h:02d}{m:02d}",
                             "hh.mm": f"{h:02d}.{m:02d}"}[form]


@FUZZ
@given(rows=st.lists(st.tuples(DAYS, CLOCK, TIME_FORMS), min_size=1, max_size=25),
       time_column=st.booleans(), chunk=st.integers(1, 7))
@example(rows=[(dt.date(2024, 3, 4), (0, 0), "hh:mm"), (dt.date(2024, 3, 4), (0, 0), "none")],
         time_column=True, chunk=1)
def test_time_known_is_exactly_whether_the_row_gave_a_time(tmp_path_factory, rows, time_column, chunk):
    if not time_column:  # without a time column a time can only be in the date cell
        rows = [(d, c, f if f in ("none", "space", "T") else "none") for d, c, f in rows]
    head = "Id;Datum;Tid;Kategori;E;N\n" if time_column else "Id;Datum;Kategori;E;N\n"
    lines = []
    for n, (day, clock, form) in enumerate(rows):
        date, time = _cells(day, clock, form)
        lines.append(";".join([f"R{n}", date, *([time] if time_column else []), "Rån", "664677",
                               "6574245"]))
    path = tmp_path_factory.mktemp("untimed") / "incidenter.csv"
    path.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    res = read_incidents(path, crs=3006, chunk_rows=chunk)
    assert not res.errors
    got = res.table.set_index(res.table["incident_id"].astype(str))
    for n, (day, (h, m), form) in enumerate(rows):
        known = form not in ("none", "blank")
        when = got.loc[f"R{n}", "occurred_at"]
        assert bool(got.loc[f"R{n}", "time_known"]) is known
        want_h, want_m = ((h, 0) if form == "h" else (h, m)) if known else (0, 0)
        assert when == pd.Timestamp(day.year, day.month, day.day, want_h, want_m)
    assert res.meta["untimed"] == sum(f in ("none", "blank") for _, _, f in rows)


def test_a_date_without_its_time_under_a_date_format_with_hours_is_read_with_the_time_unknown(
        tmp_path, capsys):
    path = tmp_path / "us.csv"
    path.write_text("Id;Datum;Brottskategori;E;N\nA;03/15/2024 09:30 PM;Rån;664677;6574245\n"
                    "B;03/16/2024;Rån;664677;6574245\n", encoding="utf-8")
    store, said = _store(tmp_path, capsys, path, "--date-format", "MM/DD/YYYY hh:mm AM/PM")
    assert "inget klockslag för 1 händelse:" in said
    got = _stored(store).set_index("incident_id")
    assert dict(got["time_known"]) == {"A": True, "B": False}
    assert got.loc["A", "occurred_at"] == pd.Timestamp("2024-03-15 21:30")
    assert got.loc["B", "occurred_at"] == pd.Timestamp("2024-03-16 00:00")


def test_a_date_that_does_not_follow_the_date_format_names_the_format(tmp_path, capsys):
    path = tmp_path / "us.csv"
    path.write_text("Id;Datum;Brottskategori;E;N\nA;13/16/2024 09:30 PM;Rån;664677;6574245\n",
                    encoding="utf-8")
    db = tmp_path / "s.sqlite"
    rc = main(["--db", str(db), "ingest", "--no-progress", "incidents", str(path), "--crs", "3006",
               "--date-format", "MM/DD/YYYY hh:mm AM/PM"])
    err = capsys.readouterr().err
    assert rc == 2
    assert ('us.csv, rad 2, kolumn "Datum", värde "13/16/2024 09:30 PM": datumet finns inte eller kunde '
            'inte tolkas (väntat skrivet som --date-format "MM/DD/YYYY hh:mm AM/PM"') in err, err


def test_the_incidents_outside_every_place_are_counted_with_swedish_thousands():
    from lagesbild.ingest.run import outside_message

    assert outside_message(125007).startswith("125\u00a0007 händelser ligger utanför alla platser")
