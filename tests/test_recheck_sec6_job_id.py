"""Recheck (sec6): a pack job id with a trailing newline was taken as a job id.

``pack_jobs.JOB_ID`` was ``^[0-9a-f]{32}$`` used with ``match``; ``$`` also matches before a final
"\\n", so ``job_dir(d, "<32 hex>\\n")`` returned ``<d>/exports/<32 hex>\\n`` instead of None (the
callbacks take the id from the browser, a forged callback can send any string), and
``_clean_old_jobs`` removed a folder of that name as if it were an old job. The id must be exactly
32 lower-case hex digits (``fullmatch``).
"""

from __future__ import annotations

import os
import time
from urllib.parse import unquote

import pytest

from lagesbild.web import pack_jobs

HEX = "abcdef0123456789" * 2  # 32 hex digits


def test_a_plain_job_id_is_still_a_job_id(tmp_path):
    assert pack_jobs.job_dir(tmp_path, HEX) == tmp_path / "exports" / HEX


@pytest.mark.parametrize("job", [
    HEX + "\n",                # "$" matched before it
    unquote(HEX + "%0A"),      # the same newline as it arrives URL-encoded
    HEX + "%0A",               # and left encoded
    HEX + "\r\n",
    "\n" + HEX,
    HEX.upper(),
    HEX[:-1],
    HEX + "0",
])
def test_a_job_id_with_anything_around_it_is_refused(tmp_path, job):
    assert pack_jobs.job_dir(tmp_path, job) is None


def test_cleaning_old_jobs_removes_only_folders_named_exactly_as_a_job(tmp_path):
    root = tmp_path / "exports"
    old = time.time() - pack_jobs.JOB_MAX_AGE_S - 3600
    for name in (HEX, HEX + "\n"):
        (root / name).mkdir(parents=True)
        os.utime(root / name, (old, old))
    pack_jobs._clean_old_jobs(root)
    assert sorted(p.name for p in root.iterdir()) == [HEX + "\n"]  # the old job went, the stranger stayed
