"""Meeting notes in the store: what is kept, what is refused, and that a refusal writes nothing."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.store.notes import MAX_TEXT, NoteError, add_note, list_notes, remove_note


def test_notes_are_kept_per_place_and_listed_newest_meeting_first(places_store):
    pid = places_store.places()["place_id"].iloc[0]
    other = places_store.places()["place_id"].iloc[1]
    a = add_note(places_store, pid, "2026-10-01", "Anna", "Första mötet.\nTvå rader.")
    b = add_note(places_store, pid, dt.date(2026, 11, 12), "Polisen", "Andra mötet.")
    add_note(places_store, other, "2026-11-12", "Anna", "Annan plats.")
    notes = list_notes(places_store, [pid])
    assert notes["note_id"].tolist() == [b, a]
    assert notes["text"].tolist() == ["Andra mötet.", "Första mötet.\nTvå rader."]
    assert list_notes(places_store, since="2026-11-01")["meeting_date"].tolist() == [dt.date(2026, 11, 12)] * 2
    remove_note(places_store, a)
    assert a not in list_notes(places_store)["note_id"].tolist()
    with pytest.raises(NoteError, match="ingen anteckning nr"):
        remove_note(places_store, a)


@pytest.mark.parametrize(("text", "author", "day", "message"), [
    ("", "Anna", "2026-11-12", "Anteckningen saknas"),
    ("x" * (MAX_TEXT + 1), "Anna", "2026-11-12", "för lång"),
    ("ok", "", "2026-11-12", "Författaren saknas"),
    ("ok", "A" * 121, "2026-11-12", "Författaren är för lång"),
    ("ok", "Anna\nB", "2026-11-12", "otillåtna tecken"),
    ("null\x00byte", "Anna", "2026-11-12", "otillåtna tecken"),
    ("ok", "Anna", "12/11/2026", "inte ett datum"),
    ("ok", "Anna", "1899-01-01", "utanför"),
])
def test_bad_notes_are_refused_in_swedish_and_write_nothing(places_store, text, author, day, message):
    pid = places_store.places()["place_id"].iloc[0]
    with pytest.raises(NoteError, match=message):
        add_note(places_store, pid, day, author, text)
    assert list_notes(places_store).empty


@given(text=st.text(max_size=300), author=st.text(max_size=30))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_is_kept_exactly_or_refused(places_store, text, author):
    pid = places_store.places()["place_id"].iloc[0]
    before = len(list_notes(places_store))
    try:
        note_id = add_note(places_store, pid, "2026-11-12", author, text)
    except NoteError:
        assert len(list_notes(places_store)) == before
        return
    kept = list_notes(places_store).set_index("note_id").loc[note_id]
    assert kept["text"] == unicodedata.normalize("NFC", text).strip()
    assert kept["author"] == unicodedata.normalize("NFC", author).strip()
