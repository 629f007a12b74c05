"""Meeting notes pasted from Word or Excel (probe of issue #15): a tab or a Windows line end is not a
forbidden character; other control characters still are."""

from __future__ import annotations

import pytest

from lagesbild.store.notes import NoteError, add_note, list_notes


def test_a_pasted_note_with_tabs_and_windows_line_ends_is_kept_as_plain_text(places_store):
    add_note(places_store, "hasselby-torg", "2026-11-20", "Anna", "Åtgärd\tAnsvarig\r\nBelysning\tSDF\r\n")
    assert list_notes(places_store)["text"].tolist() == ["Åtgärd Ansvarig\nBelysning SDF"]
    for bad in ("a\x00b", "a\x1bb", "a\rb", "a\u202eb"):
        with pytest.raises(NoteError, match="otillåtna tecken"):
            add_note(places_store, "hasselby-torg", "2026-11-20", "Anna", bad)
    with pytest.raises(NoteError, match="otillåtna tecken"):
        add_note(places_store, "hasselby-torg", "2026-11-20", "An\tna", "text")  # the author is one line
