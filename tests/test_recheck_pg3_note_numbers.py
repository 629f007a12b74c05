"""`notes remove N` with a number no note can have is the same Swedish "no such note" on every store.

The note number is an INTEGER column. On PostgreSQL (32 bits) `notes remove 3000000000` made the server
refuse the comparison ("integer out of range") and the command said only "databasen … gav ett fel";
on SQLite `notes remove 99999999999999999999` (beyond 64 bits) ended in a traceback (OverflowError from
the sqlite3 module). No note has such a number, so the answer is the one for any unknown number.
"""

from __future__ import annotations

import pytest

from lagesbild.cli import main
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings

pytestmark = pytest.mark.postgres

NUMBERS = ["2147483648", "3000000000", "9223372036854775808", "99999999999999999999"]


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _remove(db, folder, number, capsys):
    open_store(load_settings({}, db=db, data_dir=str(folder))).engine.dispose()
    capsys.readouterr()
    code = main(["--db", db, "notes", "remove", number])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("number", NUMBERS)
def test_a_number_beyond_the_column_is_no_such_note_on_both(pg_url, tmp_path, capsys, number):
    expected = (2, f"Fel: Det finns ingen anteckning nr {number}.\n")
    assert _remove(str(tmp_path / "s.sqlite"), tmp_path, number, capsys) == expected
    assert _remove(pg_url, tmp_path, number, capsys) == expected
