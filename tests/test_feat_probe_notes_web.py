"""Meeting notes on Plats written and removed by two people (probe of issue #15): a note another
analyst removed while this screen still lists it is said so and the list is drawn again; the note's
text is kept exactly as written (HTML or a formula is plain text) with the logged-in author."""

from __future__ import annotations

from flask_login import login_user

from lagesbild.store.notes import list_notes, remove_note
from lagesbild.web.auth import User
from lagesbild.web.views.place_notes import write_note
from tests.test_web_security import OUTSIDE

TEXT = '<img src=x onerror="alert(1)"> =HYPERLINK("http://x") 10 000 tecken är för långt'


def test_a_note_removed_by_someone_else_is_said_and_the_list_drawn_again(places_store, settings):
    from lagesbild.web import create_app

    app = create_app(settings, places_store)
    with app.server.test_request_context("/plats/hasselby-torg", environ_base=OUTSIDE):
        login_user(User("ann", "analytiker"))
        status, version, box = write_note("pn-add", "hasselby-torg", "2026-11-20", TEXT, 3)
        assert status == "Anteckningen sparades (20 nov 2026)." and version == 4 and box == ""
        notes = list_notes(places_store)
        assert notes[["author", "text"]].values.tolist() == [["ann", TEXT]]
        status, version, _ = write_note("pn-add", "hasselby-torg", "2026-11-20", "x" * 10_000, 4)
        assert status.startswith("Sparades inte: Anteckningen är för lång: 10000 tecken, högst 2000")
        note_id = int(notes["note_id"].iloc[0])
        remove_note(places_store, note_id)  # someone else, from another screen
        status, version, _ = write_note({"type": "note-remove", "note": note_id}, "hasselby-torg", None, "", 4)
        assert "finns inte längre" in status and version == 5  # the stale list is drawn again
        login_user(User("lasse", "läsare"))
        refused = write_note("pn-add", "hasselby-torg", "2026-11-20", "text", 5)
        assert "Ingen behörighet" in str(refused[0]) and list_notes(places_store).empty
