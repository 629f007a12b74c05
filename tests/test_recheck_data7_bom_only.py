"""A CSV file holding only a byte-order mark (Excel's "CSV UTF-8" of an empty sheet), perhaps with blank
lines, is an empty file and is called that — it was "hittade ingen rubrikrad med kolumnerna …", which
sends the user looking for a wrong header in a file that has none."""

from __future__ import annotations

import pytest

from tests.test_cli import run


@pytest.mark.parametrize("kind", ["crimes", "incidents", "survey"])
@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n\r\n", b"\xef\xbb\xbf;;;\r\n"])
def test_a_file_of_only_a_bom_is_empty(tmp_path, kind, content):
    path = tmp_path / "tom.csv"
    path.write_bytes(content)
    db = tmp_path / "x.sqlite"
    res = run("ingest", kind, path, "--no-progress", db=db)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "tom.csv: filen är tom" in res.stderr
