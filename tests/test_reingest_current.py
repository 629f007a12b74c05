"""A file is "already read" only while the store's rows for what it covers are still the ones it
wrote: after a corrected file replaced them, reading the first file again puts its numbers back."""

from __future__ import annotations

from lagesbild.ingest import ingest_file, validate_file
from tests.test_incident_store import rows, stored
from tests.test_ingest import HEADER, INCIDENT_HEADER, write


def vaarberg(store) -> dict:
    mc = store.monthly_counts(place_ids=["varberg"])
    return {m.strftime("%Y-%m"): int(c) for m, c in zip(mc["month"], mc["count"], strict=True)}


def test_the_first_file_read_again_after_a_correction_replaces_the_correction(places_store, tmp_path):
    a = write(tmp_path, "a.csv", HEADER + "Vårberg;Narkotika;2020-01;3\nVårberg;Narkotika;2020-02;4\n")
    b = write(tmp_path, "b.csv", HEADER + "Vårberg;Narkotika;2020-01;3\nVårberg;Narkotika;2020-02;100\n")
    assert ingest_file(places_store, "crimes", a).status == "ok"
    assert ingest_file(places_store, "crimes", b).status == "ok"
    assert vaarberg(places_store) == {"2020-01": 3, "2020-02": 100}
    check = validate_file(places_store, "crimes", a)
    assert "redan inläst" not in check.message and "läses in igen" in check.message
    again = ingest_file(places_store, "crimes", a)
    # what the file just read in says: February 4, not the correction's 100
    assert again.status == "ok" and again.replaced == 2
    assert "en senare fil har ersatt dess rader" in again.message
    assert vaarberg(places_store) == {"2020-01": 3, "2020-02": 4}
    # now A's rows are the store's again: a fourth read changes nothing
    before = places_store.dump()
    assert ingest_file(places_store, "crimes", a).status == "noop"
    assert "redan inläst" in validate_file(places_store, "crimes", a).message
    assert places_store.dump() == before


def test_a_file_whose_rows_nothing_replaced_is_still_already_read(places_store, tmp_path):
    a = write(tmp_path, "jan.csv", HEADER + "Vårberg;Narkotika;2020-01;3\n")
    feb = write(tmp_path, "feb.csv", HEADER + "Vårberg;Narkotika;2020-02;5\n")
    feb_fixed = write(tmp_path, "feb2.csv", HEADER + "Vårberg;Narkotika;2020-02;6\n")
    ingest_file(places_store, "crimes", a)
    ingest_file(places_store, "crimes", feb)
    assert ingest_file(places_store, "crimes", a).status == "noop"  # February added, January untouched
    assert ingest_file(places_store, "crimes", feb_fixed).replaced == 1  # replaces feb.csv's row, not jan's
    before = places_store.dump()
    rep = ingest_file(places_store, "crimes", a)
    assert rep.status == "noop" and "redan inläst" in rep.message
    assert places_store.dump() == before
    assert vaarberg(places_store) == {"2020-01": 3, "2020-02": 6}
    # the replaced file is read in again, the other months kept
    assert ingest_file(places_store, "crimes", feb).status == "ok"
    assert vaarberg(places_store) == {"2020-01": 3, "2020-02": 5}


def test_an_incident_file_read_again_after_a_correction_puts_its_incidents_back(places_store, tmp_path):
    a = write(tmp_path, "a.csv", INCIDENT_HEADER + rows(["A1", "A2"], ["2021-01-10", "2021-02-10"]))
    b = write(tmp_path, "b.csv", INCIDENT_HEADER + rows(["B1"], ["2021-02-03"]))
    ingest_file(places_store, "incidents", a)
    ingest_file(places_store, "incidents", b)  # replaces February
    assert stored(places_store) == {"A1": "2021-01-10", "B1": "2021-02-03"}
    again = ingest_file(places_store, "incidents", a)
    assert again.status == "ok" and again.replaced == 2  # A1 (its own earlier row) and B1
    assert stored(places_store) == {"A1": "2021-01-10", "A2": "2021-02-10"}
    assert ingest_file(places_store, "incidents", a).status == "noop"
