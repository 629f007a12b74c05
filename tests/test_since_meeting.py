"""Sedan förra mötet: every kind of change is found, against references, and nothing else is listed.

The store is built in two deliveries around a meeting: the first delivery's ingest is dated before the
meeting (as if read then), the second is read after it. The reference for "the data at the meeting" is
an independent store holding only the first delivery: the overview computed there must give exactly the
verdicts since_last_meeting reports for then.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import update

from lagesbild import clock
from lagesbild.analysis.meeting import add_meeting_note
from lagesbild.analysis.overview import overview_table
from lagesbild.analysis.since_meeting import (
    DEFAULT_DAYS,
    default_meeting_date,
    remember_meeting_date,
    since_last_meeting,
)
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.store import schema as t

PLACES = ROOT / "geodata" / "places.geojson"
ACTIVITIES = ROOT / "data" / "demo" / "atgardsplan.yaml"
MEETING = dt.date(2023, 3, 10)
BEFORE = dt.datetime(2023, 3, 5, 12, 0)


def _months(first, last):
    return [m.date() for m in pd.date_range(first, last, freq="MS")]


def _counts_file(path, months, rows):
    """rows: (place name, category, count for a month -> int)."""
    lines = ["Område,Brottstyp,Period,Antal"]
    for place, cat, count in rows:
        lines += [f"{place},{cat},{m:%Y-%m},{count(m)}" for m in months]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _backdate(store, ingest_id, when=BEFORE):
    with store.engine.begin() as conn:
        conn.execute(update(t.ingest_log).where(t.ingest_log.c.ingest_id == ingest_id)
                     .values(started_at=when, finished_at=when))


def _first_delivery(tmp_path):
    months = _months("2021-09-01", "2023-02-01")
    year_b = lambda m: m >= dt.date(2022, 9, 1)  # noqa: E731
    return _counts_file(tmp_path / "a.csv", months, [
        ("Hässelby torg", "Personrån", lambda m: 20),
        ("Hässelby torg", "Narkotikabrott", lambda m: 45 if year_b(m) else 20),
        ("Vällingby centrum", "Skadegörelse", lambda m: 30)])


def _second_delivery(tmp_path):
    return _counts_file(tmp_path / "b.csv", _months("2023-03-01", "2023-08-01"), [
        ("Hässelby torg", "Personrån", lambda m: 60),
        ("Hässelby torg", "Narkotikabrott", lambda m: 0),
        ("Vällingby centrum", "Skadegörelse", lambda m: 30)])


@pytest.fixture
def two_deliveries(tmp_path):
    return build_two_deliveries(tmp_path)


def build_two_deliveries(tmp_path):
    """(store with both deliveries, the first read before the meeting; its settings; a reference
    store holding only the first delivery)."""
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", PLACES)
    first = ingest_file(store, "crimes", _first_delivery(tmp_path), source="polisen-brott")
    _backdate(store, first.ingest_id)
    ingest_file(store, "crimes", _second_delivery(tmp_path), source="polisen-brott")
    ref_settings = load_settings({}, data_dir=str(tmp_path / "ref"), db=str(tmp_path / "ref.sqlite"))
    ref = open_store(ref_settings)
    ingest_file(ref, "places", PLACES)
    ingest_file(ref, "crimes", _first_delivery(tmp_path), source="polisen-brott")
    return store, settings, ref


def _verdicts(table, pid, cat):
    c = table["comparison"]
    row = c[(c["place_id"] == pid) & (c["category"] == cat)].iloc[0]
    return bool(row["significant"]), row["verdict"]


def test_new_months_and_changed_verdicts_match_the_store_as_it_was(two_deliveries):
    store, settings, ref = two_deliveries
    out = since_last_meeting(store, settings, meeting_date=MEETING, today=dt.date(2023, 9, 20))
    # the months: exactly the second delivery
    assert [m["months"] for m in out["months"]] == [_months("2023-03-01", "2023-08-01")]
    assert out["months"][0]["source"] == "polisen-brott"
    assert out["months"][0]["text"].startswith("polisen-brott: antal anmälda brott för mars 2023–augusti 2023 "
                                               "(6 månader)")
    assert out["until_then"] == dt.date(2023, 2, 28) and out["until_now"] == dt.date(2023, 8, 31)
    # the references: the overview on a store with only the first delivery, and on the store now
    label = out["pair"][-1]
    then_ref = overview_table(ref, settings, period=label)
    now_ref = overview_table(store, settings)
    assert [p.label for p in now_ref["pair"]] == out["pair"] == ["2021–2022", "2022–2023"]
    expected = {}
    for pid, cat in [("hasselby-torg", "personran"), ("hasselby-torg", "narkotikabrott"),
                     ("vallingby-centrum", "skadegorelse")]:
        (sig_then, v_then), (sig_now, v_now) = _verdicts(then_ref, pid, cat), _verdicts(now_ref, pid, cat)
        if sig_then != sig_now:
            expected[(pid, cat)] = (v_then, v_now)
    found = {(c["place_id"], c["category"]): (c["then"], c["now"]) for c in out["changes"]}
    assert found == expected
    # and by hand: personrån became an increase, narkotikabrott's increase ended, skadegörelse is steady
    kinds = {(c["place_id"], c["category"]): c["change"] for c in out["changes"]}
    assert kinds == {("hasselby-torg", "personran"): "ny ökning",
                     ("hasselby-torg", "narkotikabrott"): "upphörd ökning"}
    assert [c["change"] for c in out["changes"]] == ["ny ökning", "upphörd ökning"]  # reading order
    assert out["changes"][0]["text"].startswith("Hässelby torg, Personrån (2021–2022 och 2022–2023): "
                                                "ny ökning – vid mötet ingen säkerställd förändring")


def test_nothing_is_new_after_the_last_ingest(two_deliveries):
    store, settings, _ref = two_deliveries
    today = clock.today()
    out = since_last_meeting(store, settings, meeting_date=today, today=today)
    assert out["months"] == [] and out["changes"] == [] and out["hotspots"] == []
    assert out["until_then"] == out["until_now"]
    late = since_last_meeting(store, settings, meeting_date=today + dt.timedelta(days=1), today=today)
    assert "ligger efter i dag" in late["problem"]


def test_activities_follow_ups_and_notes_since_the_meeting(two_deliveries):
    store, settings, _ref = two_deliveries
    ingest_file(store, "activities", ACTIVITIES, source="demo-atgardsplan")
    acts = store.activities()
    # reference: the activities whose start or (closed) end lies after the meeting, up to today
    day, today = dt.date(2019, 1, 15), dt.date(2019, 12, 31)
    expected = sorted(
        [(r.start_date.date(), r.aktivitet, "startade") for r in acts.itertuples()
         if pd.notna(r.start_date) and day < r.start_date.date() <= today]
        + [(r.end_date.date(), r.aktivitet, "avslutades") for r in acts.itertuples()
           if pd.notna(r.end_date) and not r.open_ended and day < r.end_date.date() <= today])
    assert expected, "the demo plan has activities starting in 2019"
    out = since_last_meeting(store, settings, meeting_date=day, today=today)
    assert [(a["date"], a["name"], a["change"]) for a in out["activities"]] == expected
    assert any(a["name"].startswith("Fortsätta platssamverkan kring Hässelby torg") for a in out["activities"])
    # follow-ups: read in with the plan after the meeting; none once the meeting is after that
    fu = store.followups()
    filled = fu[(fu["goal_met"].str.strip() != "") | (fu["carried_out"].str.strip() != "")]
    assert len(out["followups"]) == len(filled) > 0
    assert since_last_meeting(store, settings, meeting_date=clock.today(),
                              today=clock.today())["followups"] == []
    # notes: the meeting's own and later ones, not earlier
    add_meeting_note(store, place="Hässelby torg", meeting_date="2019-01-10", author="Anna", text="Före.")
    add_meeting_note(store, place="Hässelby torg", meeting_date=day, author="Anna", text="På mötet.")
    add_meeting_note(store, place="Vällingby centrum", meeting_date="2019-02-05", author="Bo", text="Efter.")
    notes = since_last_meeting(store, settings, meeting_date=day, today=today)["notes"]
    assert [n["note"] for n in notes] == ["På mötet.", "Efter."]
    assert notes[0]["text"] == "Hässelby torg, möte 15 jan 2019 (Anna): På mötet."
    only = since_last_meeting(store, settings, meeting_date=day, today=today, places=["vallingby-centrum"])
    assert [n["note"] for n in only["notes"]] == ["Efter."]
    assert all("Vällingby centrum" in a["places"] for a in only["activities"])


def test_the_default_date_is_the_users_then_the_latest_notes_then_three_weeks_back(places_store):
    today = dt.date(2026, 12, 2)
    assert default_meeting_date(places_store, today=today) == today - dt.timedelta(days=DEFAULT_DAYS)
    add_meeting_note(places_store, place="hasselby-torg", meeting_date="2026-11-20", author="A", text="x")
    add_meeting_note(places_store, place="hasselby-torg", meeting_date="2026-12-20", author="A", text="y")
    assert default_meeting_date(places_store, today=today) == dt.date(2026, 11, 20)  # not a future one
    remember_meeting_date(places_store, "anna", "2026-10-01")
    assert default_meeting_date(places_store, today=today, username="anna") == dt.date(2026, 10, 1)
    assert default_meeting_date(places_store, today=today, username="bo") == dt.date(2026, 11, 20)
    with pytest.raises(ValueError):
        remember_meeting_date(places_store, "anna", "inte ett datum")


def _incidents_file(path, months, clusters):
    """A lattice of one incident per 400 m every month, plus clusters: (x, y, months) with 30 each."""
    lines, n = ["Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N"], 0
    for m in months:
        for x in range(656800, 664800, 400):
            for y in range(6581700, 6587900, 400):
                n += 1
                lines.append(f"H-{m:%Y%m}-{n},{m:%Y-%m}-10,12:00,Skadegörelse,{x},{y}")
        for cx, cy, active in clusters:
            if m in active:
                for i in range(30):
                    n += 1
                    lines.append(f"H-{m:%Y%m}-{n},{m:%Y-%m}-{1 + i % 28:02d},20:00,Skadegörelse,"
                                 f"{cx + (i % 5) * 10},{cy + (i // 5) * 10}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_hot_spots_that_appeared_and_ended_are_named_by_their_places(tmp_path):
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", PLACES)
    torg, centrum = (661560, 6584370), (663220, 6584010)
    old, new = _months("2022-03-01", "2022-08-01"), _months("2023-03-01", "2023-08-01")
    first = ingest_file(store, "incidents", _incidents_file(
        tmp_path / "a.csv", _months("2022-03-01", "2023-02-01"), [(*torg, old)]), source="inc")
    _backdate(store, first.ingest_id)
    ingest_file(store, "incidents", _incidents_file(tmp_path / "b.csv", new, [(*centrum, new)]),
                source="inc")
    out = since_last_meeting(store, settings, meeting_date=MEETING, today=dt.date(2023, 9, 1),
                             places=["hasselby-vallingby"])
    assert [m["months"] for m in out["months"]] == [new]
    spots = [(h["area_id"], h["change"], h["places"]) for h in out["hotspots"]]
    assert spots == [("hasselby-vallingby", "ny", ["Vällingby centrum"]),
                     ("hasselby-vallingby", "upphörd", ["Hässelby torg"])]
    assert out["hotspots"][0]["text"].startswith("Hässelby-Vällingby: ")
    assert "vid Vällingby centrum" in out["hotspots"][0]["text"]


@pytest.fixture
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _plain(out: dict) -> dict:
    keep = ("months", "changes", "activities", "followups", "notes", "until_then", "until_now", "pair")
    return {k: out[k] for k in keep}


def test_postgres_answers_like_sqlite(two_deliveries, pg_url, tmp_path):
    store, settings, _ref = two_deliveries
    pg_settings = load_settings({}, data_dir=str(tmp_path / "pg"), db=pg_url)
    pg = open_store(pg_settings)
    ingest_file(pg, "places", PLACES)
    first = ingest_file(pg, "crimes", _first_delivery(tmp_path), source="polisen-brott")
    _backdate(pg, first.ingest_id)
    ingest_file(pg, "crimes", _second_delivery(tmp_path), source="polisen-brott")
    for s in (store, pg):
        add_meeting_note(s, place="Hässelby torg", meeting_date=MEETING, author="Anna", text="På mötet.")
    remember_meeting_date(pg, "anna", MEETING)
    remember_meeting_date(pg, "anna", "2023-04-01")  # the later choice replaces the first
    assert default_meeting_date(pg, username="anna") == dt.date(2023, 4, 1)
    args = dict(meeting_date=MEETING, today=dt.date(2023, 9, 20))
    sqlite_out, pg_out = (since_last_meeting(s, settings, **args) for s in (store, pg))
    assert sqlite_out["changes"] and _plain(pg_out) == _plain(sqlite_out)
