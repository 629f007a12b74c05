"""A removed note's number is never given to another note, on SQLite as on PostgreSQL.

SQLite gave a new row the largest id plus one: after the latest note (nr 2) was removed, the next note
was nr 2 again on SQLite and nr 3 on PostgreSQL, and `notes remove 2` from a list read before then
removed the new note.
"""

from __future__ import annotations

import pytest

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings
from lagesbild.store import notes

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _numbers(db, folder) -> list[int]:
    store = open_store(load_settings({}, db=db, data_dir=str(folder)))
    ingest_file(store, "places", ROOT / "geodata" / "places.geojson")
    given = [notes.add_note(store, "varberg", "2026-11-20", "Anna", f"Anteckning {i}") for i in (1, 2)]
    notes.remove_note(store, given[-1])
    given.append(notes.add_note(store, "varberg", "2026-11-21", "Bo", "Anteckning 3"))
    notes.remove_note(store, given[-1])
    given.append(notes.add_note(store, "varberg", "2026-11-22", "Bo", "Anteckning 4"))
    left = sorted(notes.list_notes(store)["note_id"].tolist())
    store.engine.dispose()
    return given + [left]


def test_a_removed_note_number_is_not_given_again(pg_url, tmp_path):
    # notes 1 and 2; 2 removed; the next is 3 (not 2); 3 removed; the next is 4; left: 1 and 4
    expected = [1, 2, 3, 4, [1, 4]]
    (tmp_path / "sq").mkdir()
    (tmp_path / "pg").mkdir()
    assert _numbers(str(tmp_path / "s.sqlite"), tmp_path / "sq") == expected
    assert _numbers(pg_url, tmp_path / "pg") == expected
