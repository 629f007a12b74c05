"""Meeting notes pasted from Word or Excel (probe of issue #15): a tab is not a forbidden character;
other control characters still are (a browser's text box sends line ends as a plain line break)."""

from __future__ import annotations

import pytest

from lagesbild.store.notes import NoteError, add_note, list_notes


def test_a_pasted_note_with_tabs_is_kept_exactly(places_store):
    add_note(places_store, "hasselby-torg", "2026-11-20", "Anna", "Åtgärd\tAnsvarig\nBelysning\tSDF\n")
    assert list_notes(places_store)["text"].tolist() == ["Åtgärd\tAnsvarig\nBelysning\tSDF"]  # kept exactly
    for bad in ("a\x00b", "a\x1bb", "a\rb", "a\u202eb"):
        with pytest.raises(NoteError, match="otillåtna tecken"):
            add_note(places_store, "hasselby-torg", "2026-11-20", "Anna", bad)
    with pytest.raises(NoteError, match="otillåtna tecken"):
        add_note(places_store, "hasselby-torg", "2026-11-20", "An\tna", "text")  # the author is one line
