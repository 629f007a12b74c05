"""`chart --out` to a place the system refuses says why in Swedish, not in the C library's English.

`/proc` exists but takes no new files: the render failed with "[Errno 2] No such file or directory".
"""

from __future__ import annotations

from tests.test_cli import run


def test_a_refused_output_path_is_explained_in_swedish(demo_store_path):
    res = run("chart", "--place", "hasselby-torg", "--chart", "trend", "--out", "/proc/lagesbild-x.png",
              db=demo_store_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "kunde inte renderas: mappen eller filen finns inte (/proc/lagesbild-x.png)" in res.stderr
    assert "Errno" not in res.stderr and "No such file" not in res.stderr
