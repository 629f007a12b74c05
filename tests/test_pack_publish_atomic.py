"""The pack's files appear under their names whole or not at all.

``_publish`` moved each finished file with ``shutil.move``, which copies when the temporary folder is on
another file system (a tmpfs /tmp, another disk); a copy cut short (Ctrl-C, a full disk) left a
half-written Word file under the pack's real name (ops4's finding). The move is simulated here as the
copy that fails half way, as shutil's copy across file systems would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagesbild.export import pack


def _half_copy_then(exc):
    def move(src, dst):
        data = Path(src).read_bytes()
        with open(dst, "wb") as fh:
            fh.write(data[: len(data) // 2])
        raise exc
    return move


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), OSError(28, "No space left on device")])
def test_a_copy_cut_short_leaves_no_file_under_the_pack_s_name(tmp_path, monkeypatch, exc):
    work, out = tmp_path / "work", tmp_path / "out"
    work.mkdir(), out.mkdir()
    src = work / "Mötespaket 2026-12-10.docx"
    src.write_bytes(b"PK" + b"x" * 10_000)
    monkeypatch.setattr(pack.shutil, "move", _half_copy_then(exc))
    with pytest.raises(type(exc)):
        pack._publish([src], out)
    assert list(out.iterdir()) == []  # neither the half file nor its part


def test_whole_files_are_published_under_their_names(tmp_path):
    work, out = tmp_path / "work", tmp_path / "out"
    work.mkdir(), out.mkdir()
    files = []
    for name, size in [("a.docx", 3000), ("a.pdf", 5000), ("a.zip", 7)]:
        (work / name).write_bytes(bytes(range(256)) * (size // 256) + b"!" * (size % 256))
        files.append(work / name)
    want = {f.name: f.read_bytes() for f in files}
    got = pack._publish(files, out)
    assert [p.name for p in got] == list(want) and {p.name: p.read_bytes() for p in out.iterdir()} == want
