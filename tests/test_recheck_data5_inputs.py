"""Real Swedish files as the authorities and analysts' tools write them (data5's recheck).

- Quarters written ``kv 3 2025`` (Swedish tables and Excel sheets; ``2025 K3`` was read, ``kv`` was
  "okänd period").
- Incident dates with a weekday or a month's name (``måndag 4 maj 2026``, ``mån 2026-05-04``,
  ``4 maj 2026``) were refused as unreadable; a weekday that is not the date's is refused saying so.
- An incident export whose last lines are Excel's sum row (``Summa;;;2;;``) was refused ("datum saknas",
  an unknown category "2"); it is left out and the report calls it a sum row.

Every expected number is counted by hand from the file in the test.
"""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main
from lagesbild.sources.dates import read_period

HEADER = "Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N\n"
POINT = "661016.3,6583721.2"


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(("text", "first", "last"), [
    ("kv 3 2025", "2025-07-01", "2025-09-30"),
    ("Kv. 1 2024", "2024-01-01", "2024-03-31"),
    ("2025 kv 4", "2025-10-01", "2025-12-31"),
    ("kv2 2025", "2025-04-01", "2025-06-30"),
])
def test_a_quarter_written_kv_is_that_quarter(text, first, last):
    period = read_period(text)
    assert (period.start.isoformat(), period.end.isoformat()) == (first, last)


def test_a_file_of_kv_quarters_compares_quarter_with_quarter_and_sums_a_whole_year(tmp_path, capsys):
    rows = "".join(f"Boden;Narkotikabrott;kv {q} {y};{n}\n"
                   for y, counts in ((2024, (50, 55, 60, 65)), (2025, (70, 75, 80, 85)))
                   for q, n in enumerate(counts, 1))
    path = tmp_path / "kvartal.csv"
    path.write_text("Område;Brott;Period;Antal\n" + rows, encoding="utf-8")
    db = tmp_path / "s.sqlite"
    code, out, err = _cli(capsys, "--db", db, "ingest", "crimes", path, "--no-progress")
    assert code == 0, err
    code, out, err = _cli(capsys, "--db", db, "compare", "--place", "Boden", "--periods", "kv 3 2024",
                          "kv 3 2025", "--format", "json")
    assert code == 0, err
    row, = json.loads(out)
    assert (row["count_a"], row["count_b"]) == (60, 80)
    code, out, err = _cli(capsys, "--db", db, "compare", "--place", "Boden", "--periods", "2024", "2025",
                          "--format", "json")
    row, = json.loads(out)
    assert (row["count_a"], row["count_b"]) == (50 + 55 + 60 + 65, 70 + 75 + 80 + 85)


def _ingest_incidents(tmp_path, capsys, body: str, *extra):
    path = tmp_path / "handelser.csv"
    path.write_text(body, encoding="utf-8")
    db = tmp_path / "s.sqlite"
    code, out, err = _cli(capsys, "--db", db, "ingest", "incidents", path, "--crs", "3006",
                          "--no-progress", *extra)
    return code, out, err, db


def _stored(db):
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    store = open_store(load_settings({}, data_dir=str(db.parent), db=str(db)))
    try:
        frame = store.incidents()
        return sorted(zip(frame["incident_id"], frame["occurred_at"].astype(str), strict=True))
    finally:
        store.engine.dispose()


def test_incident_dates_with_weekdays_and_month_names_are_read(tmp_path, capsys):
    body = HEADER + "".join(f"{i},{d},{t},Narkotika,{POINT}\n" for i, d, t in (
        ("A-1", '"måndag 4 maj 2026"', "10:00"),   # 4 May 2026 is a Monday (calendar)
        ("A-2", "tis 2026-05-05", "11:30"),
        ("A-3", "4 maj 2026", "12:00"),
        ("A-4", '"Lör. 28 mars 2026 23.10"', ""),  # its own time; 28 March 2026 is a Saturday
    ))
    code, out, err, db = _ingest_incidents(tmp_path, capsys, body)
    assert code == 0, err
    assert _stored(db) == [("A-1", "2026-05-04 10:00:00"), ("A-2", "2026-05-05 11:30:00"),
                           ("A-3", "2026-05-04 12:00:00"), ("A-4", "2026-03-28 23:10:00")]


def test_a_weekday_that_is_not_the_dates_is_refused_naming_both(tmp_path, capsys):
    body = HEADER + f'B-1,"fredag 4 maj 2026",10:00,Narkotika,{POINT}\nB-2,2026-05-05,11:00,Narkotika,{POINT}\n'
    code, out, err, db = _ingest_incidents(tmp_path, capsys, body)
    assert code == 2
    assert "rad 2" in err and "fredag 4 maj 2026" in err and "Brottsdatum" in err
    assert "veckodagen (fredag) stämmer inte med datumet 2026-05-04, som är en måndag" in err
    assert "Traceback" not in err


def test_excels_sum_rows_under_an_incident_table_are_left_out_and_named(tmp_path, capsys):
    body = (HEADER.replace(",", ";") + f"C-1;2026-05-04;10:00;Narkotika;{POINT.replace(',', ';')}\n"
            f"C-2;2026-05-05;11:00;Narkotika;{POINT.replace(',', ';')}\n" + ";;;;;\n" + "Summa;;;2;;\n")
    code, out, err, db = _ingest_incidents(tmp_path, capsys, body)
    assert code == 0, err
    assert [i for i, _ in _stored(db)] == ["C-1", "C-2"]
    assert 'Rad 5 under tabellen är en summarad, inte en händelse, och lästes inte in: "Summa 2".' in out


def test_a_sum_row_above_data_rows_is_still_refused(tmp_path, capsys):
    body = (HEADER + f"D-1,2026-05-04,10:00,Narkotika,{POINT}\nSumma,,,1,,\n"
            f"D-2,2026-05-05,11:00,Narkotika,{POINT}\n")
    code, out, err, db = _ingest_incidents(tmp_path, capsys, body)
    assert code == 2
    assert "rad 3" in err


def test_times_in_the_hours_clocks_skip_and_repeat_are_read_as_written_and_named(tmp_path, capsys):
    """29 March 2026 and 25 October 2026 are the last Sundays of March and October (the EU rule): 02:30
    is no Swedish time on the first and happens twice on the second. Both are read as written (the
    clock's hour) and the report names the lines; 28 March and 24 October 02:30 are ordinary times."""
    body = HEADER + "".join(f"{i},{d},02:30,Narkotika,{POINT}\n" for i, d in (
        ("E-1", "2026-03-29"), ("E-2", "2026-10-25"), ("E-3", "2026-10-25"), ("E-4", "2026-03-28"),
        ("E-5", "2026-10-24")))
    code, out, err, db = _ingest_incidents(tmp_path, capsys, body)
    assert code == 0, err
    assert _stored(db) == [(f"E-{n}", f"{d} 02:30:00") for n, d in (
        (1, "2026-03-29"), (2, "2026-10-25"), (3, "2026-10-25"), (4, "2026-03-28"), (5, "2026-10-24"))]
    assert ("1 händelse har en tid som inte finns i svensk tid (timmen mellan 02:00 och 03:00 när "
            "sommartiden börjar: rad 2); den lästes som den är skriven.") in out
    assert ("2 händelser har en tid som finns två gånger i svensk tid (timmen mellan 02:00 och 03:00 när "
            "sommartiden slutar: rad 3 och 4); de lästes som de är skrivna") in out


@pytest.mark.parametrize(("date", "time", "reason"), [
    ("2026-05-04", "24:00", "24:00 kan vara dygnets slut (00:00 dagen efter) eller dess början (00:00 "
                            "samma dag)"),
    ("2026-05-31 24:00", "", "24:00 kan vara dygnets slut (2026-06-01 00:00) eller dess början "
                             "(2026-05-31 00:00)"),
])
def test_a_time_of_24_00_is_refused_naming_both_readings(tmp_path, capsys, date, time, reason):
    body = HEADER + f"F-1,{date},{time},Narkotika,{POINT}\nF-2,2026-05-05,11:00,Narkotika,{POINT}\n"
    code, out, err, db = _ingest_incidents(tmp_path, capsys, body)
    assert code == 2
    assert "rad 2" in err and reason in err
    assert "datumet finns inte" not in err
