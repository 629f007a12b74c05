"""Sedan förra mötet when the overview has moved on a year since the meeting (probe of issue #15).

At the meeting the data ran to August 2022, so Översikt compared 2020–2021 with 2021–2022; the months
read in since start 2022–2023, so Översikt now compares 2021–2022 with 2022–2023. What the chair heard
at the meeting is the first pair's verdicts: the reference is the overview of an independent store
holding only the first delivery, with its own default years.
"""

from __future__ import annotations

import datetime as dt

from lagesbild.analysis.overview import overview_table
from lagesbild.analysis.since_meeting import since_last_meeting
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from lagesbild.web.views.since import since_view
from tests.test_since_meeting import PLACES, _backdate, _counts_file, _months

MEETING = dt.date(2022, 9, 20)


def _first(tmp_path):
    return _counts_file(tmp_path / "a.csv", _months("2020-09-01", "2022-08-01"), [
        ("Hässelby torg", "Personrån", lambda m: 20 if m < dt.date(2021, 9, 1) else 40),
        ("Vällingby centrum", "Skadegörelse", lambda m: 30)])


def _second(tmp_path):
    return _counts_file(tmp_path / "b.csv", _months("2022-09-01", "2022-12-01"), [
        ("Hässelby torg", "Personrån", lambda m: 40),
        ("Vällingby centrum", "Skadegörelse", lambda m: 80)])


def _stores(tmp_path):
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", PLACES)
    first = ingest_file(store, "crimes", _first(tmp_path), source="polisen-brott")
    _backdate(store, first.ingest_id, dt.datetime(2022, 9, 20, 23, 59))  # on the meeting day
    ingest_file(store, "crimes", _second(tmp_path), source="polisen-brott")
    ref_settings = load_settings({}, data_dir=str(tmp_path / "ref"), db=str(tmp_path / "ref.sqlite"))
    ref = open_store(ref_settings)
    ingest_file(ref, "places", PLACES)
    ingest_file(ref, "crimes", _first(tmp_path), source="polisen-brott")
    return store, settings, ref


def _sig(table):
    c = table["comparison"]
    return {(r["place_id"], r["category"]): (bool(r["significant"]), r["verdict"]) for r in c.to_dict("records")}


def test_a_change_significant_at_the_meeting_is_said_ended_when_the_overview_moved_on_a_year(tmp_path):
    store, settings, ref = _stores(tmp_path)
    then_ref, now_ref = overview_table(ref, settings), overview_table(store, settings)
    assert [p.label for p in then_ref["pair"]] == ["2020–2021", "2021–2022"]
    assert [p.label for p in now_ref["pair"]] == ["2021–2022", "2022–2023"]
    then, now = _sig(then_ref), _sig(now_ref)
    # by hand: 240 against 480 personrån is an increase at the meeting; 160 against 160 now is none
    assert then[("hasselby-torg", "personran")] == (True, "ökning, statistiskt säkerställd")
    assert now[("hasselby-torg", "personran")][0] is False
    out = since_last_meeting(store, settings, meeting_date=MEETING, today=dt.date(2023, 1, 15))
    expected = {k: (then.get(k, (False, "inga data vid mötet"))[1], v[1]) for k, v in now.items()
                if then.get(k, (False, ""))[0] != v[0]}
    found = {(c["place_id"], c["category"]): (c["then"], c["now"]) for c in out["changes"]}
    assert found == expected  # the verdicts then are exactly what Översikt showed on the meeting day
    assert out["pair"] == ["2021–2022", "2022–2023"] and out["pair_then"] == ["2020–2021", "2021–2022"]
    kinds = {(c["place_id"], c["category"]): c["change"] for c in out["changes"]}
    assert kinds[("hasselby-torg", "personran")] == "upphörd ökning"
    assert kinds[("vallingby-centrum", "skadegorelse")] == "ny ökning"
    text = next(c["text"] for c in out["changes"] if c["category"] == "personran")
    assert text == ("Hässelby torg, Personrån: upphörd ökning – vid mötet (2020–2021 och 2021–2022) ökning, "
                    "statistiskt säkerställd, nu (2021–2022 och 2022–2023) ingen säkerställd förändring.")
    # the page says which years each side is
    head = since_view(store, settings, meeting_date=MEETING)[0].children
    assert "Bedömningarna gäller 2022–2023 mot 2021–2022, som på Översikt; vid mötet visade Översikt " \
           "2021–2022 mot 2020–2021." in head


def test_a_meeting_date_in_the_address_that_is_no_date_is_said():
    """/sedan?mote_datum=2025-13-40 (or a script) opens on another date: the page says so."""
    from lagesbild.web.views.since import url_date_notice

    for bad in ("2025-13-40", "<script>alert(1)</script>", "2024-02-30", "x" * 500):
        note = url_date_notice(bad, "2026-11-14")
        assert note is not None and note.children.startswith("Datumet i adressen (")
        assert note.children.endswith("är inget giltigt datum (ÅÅÅÅ-MM-DD). Sidan öppnades i stället på 14 nov 2026.")
        assert len(note.children) < 160  # a long value is cut
    assert url_date_notice("2023-03-10", "2023-03-10") is None
    assert url_date_notice(None, "2023-03-10") is None


def test_months_read_in_with_a_gap_are_not_said_as_one_span(tmp_path):
    """A delivery that corrects one old month and adds two new ones: 'januari 2022 och mars 2023–april
    2023 (3 månader)', not 'januari 2022–april 2023 (3 månader)' (16 months said, 3 read)."""
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", PLACES)
    first = ingest_file(store, "crimes", _counts_file(tmp_path / "a.csv", _months("2021-09-01", "2023-02-01"), [
        ("Hässelby torg", "Personrån", lambda m: 20)]), source="polisen-brott")
    _backdate(store, first.ingest_id, dt.datetime(2023, 3, 5, 12, 0))
    path = tmp_path / "b.csv"
    path.write_text("Område,Brottstyp,Period,Antal\n" + "".join(
        f"Hässelby torg,Personrån,{m},21\n" for m in ("2022-01", "2023-03", "2023-04")), encoding="utf-8")
    ingest_file(store, "crimes", path, source="polisen-brott")
    out = since_last_meeting(store, settings, meeting_date=dt.date(2023, 3, 10), today=dt.date(2023, 5, 20))
    assert [m["months"] for m in out["months"]] == [[dt.date(2022, 1, 1), dt.date(2023, 3, 1), dt.date(2023, 4, 1)]]
    assert out["months"][0]["text"].startswith(
        "polisen-brott: antal anmälda brott för januari 2022 och mars 2023–april 2023 (3 månader), Personrån")


def test_a_date_after_today_is_not_kept_as_the_users_meeting_date(tmp_path):
    """A date picked by mistake in the future is refused on the page and not remembered: the next visit
    would open on the refusal again."""
    import json

    from lagesbild import clock
    from lagesbild.analysis.since_meeting import DEFAULT_DAYS, default_meeting_date
    from lagesbild.store import Store, accounts
    from lagesbild.web import create_app
    from tests.test_since_web import _choose_date
    from tests.test_web_security import PASSWORDS, login

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = Store(cfg.db_url)
    accounts.add_user(store, "lasse", PASSWORDS["lasse"], "läsare")
    app = create_app(cfg, store)
    client = app.server.test_client()
    login(client, "lasse")
    future = clock.today() + dt.timedelta(days=400)
    answer = _choose_date(app, client, future.isoformat())
    assert "ligger efter i dag" in json.dumps(answer.get_json(), ensure_ascii=False)
    assert default_meeting_date(store, username="lasse") == clock.today() - dt.timedelta(days=DEFAULT_DAYS)
    _choose_date(app, client, "2023-05-01")  # a real date is kept
    assert default_meeting_date(store, username="lasse") == dt.date(2023, 5, 1)
