"""zipguard.extract: a copy the operating system refuses to write is not reported as a damaged archive.

The write error is real: a child process lowers its file-size limit (``RLIMIT_FSIZE``) below the
member's size, so the kernel refuses the write with EFBIG, as a full disk refuses with ENOSPC.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

CHILD = r"""
import json, resource, signal, sys, zipfile
from pathlib import Path
from lagesbild.errors import InputError
from lagesbild.sources.zipguard import checked_members, extract

path, target = sys.argv[1], Path(sys.argv[2])
member = checked_members(path, "platser.zip", not_zip="-")[0]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG instead of a signal
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
try:
    extract(path, "platser.zip", member, target)
    print(json.dumps({"error": None}))
except InputError as exc:
    print(json.dumps({"error": str(exc), "left": target.exists()}))
"""


def _archive(tmp_path):
    path = tmp_path / "platser.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("platser.geojson", '{"type": "FeatureCollection", "features": []}' + " " * 50_000)
    return path


def test_a_copy_the_system_refuses_to_write_names_the_reason_not_damage(tmp_path):
    path = _archive(tmp_path)
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(tmp_path / "copy.geojson")],
                         capture_output=True, text=True, timeout=60, check=True)
    result = json.loads(out.stdout)
    assert result["error"].startswith("platser.zip: \"platser.geojson\" kunde inte packas upp")
    assert "filen blir större än vad som får skrivas" in result["error"]
    assert "skadat" not in result["error"]
    assert result["left"] is False  # the partial copy is removed


def test_the_same_member_unpacks_without_the_limit(tmp_path):
    from lagesbild.sources.zipguard import checked_members, extract

    path = _archive(tmp_path)
    member = checked_members(path, "platser.zip", not_zip="-")[0]
    copy = extract(path, "platser.zip", member, tmp_path / "copy.geojson")
    assert copy.stat().st_size == member.file_size
