"""The same file read in twice at the same moment, on PostgreSQL (the advisory write lock): written once
(see ``tests/test_recheck_ingest2_rereads.py``)."""

from __future__ import annotations

import pytest

from tests.test_recheck_ingest2_rereads import two_ingests_at_once


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def test_two_ingests_of_one_file_at_the_same_moment_write_it_once_on_postgresql(pg_url, tmp_path, monkeypatch):
    two_ingests_at_once(pg_url, tmp_path, monkeypatch)
