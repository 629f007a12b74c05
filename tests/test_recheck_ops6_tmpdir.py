"""A user whose TMPDIR is a long path still gets chart images (ops6).

Chromium puts its singleton socket under ``$TMPDIR`` and exits at once when that socket's path is
longer than a unix socket address holds (108 bytes): with a TMPDIR of about 70 characters or more the
pack, ``chart`` and the browser tests all failed. Both starters now give Chromium a short TMPDIR of
its own (its XDG config and cache folders too, so nothing lands in HOME) and remove it afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from lagesbild.settings import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def long_tmpdir():
    """An empty folder whose path is 100 characters long."""
    base = Path(tempfile.mkdtemp(prefix="ops6-", dir="/tmp"))
    path = base / ("t" * (100 - len(str(base)) - 1))
    path.mkdir()
    assert len(str(path)) == 100
    yield path
    shutil.rmtree(base, ignore_errors=True)


def test_a_pack_under_a_long_tmpdir_renders_its_chart_images(demo_store_path, tmp_path, long_tmpdir):
    env = {k: v for k, v in os.environ.items() if k != "LAGESBILD_LOG_LEVEL"}
    home = tmp_path / "home"
    home.mkdir()
    env.update(PYTHONPATH=str(ROOT), TMPDIR=str(long_tmpdir), LAGESBILD_DATA_DIR=str(tmp_path / "data"),
               HOME=str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env.pop(name, None)
    out = tmp_path / "paket"
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(demo_store_path), "pack", "--places",
                          "hasselby-torg", "--out", str(out), "--no-progress"], capture_output=True,
                         text=True, cwd=ROOT, env=env, timeout=600)
    assert res.returncode == 0, res.stderr
    files = sorted(p.suffix for p in out.iterdir())
    assert files == [".docx", ".pdf", ".zip"]
    (zip_path,) = out.glob("*.zip")
    with zipfile.ZipFile(zip_path) as z:
        pngs = [z.read(n) for n in z.namelist() if n.endswith(".png")]
    assert len(pngs) >= 3  # the place's charts, each a real PNG of some size
    assert all(p.startswith(PNG) and len(p) > 10_000 for p in pngs)
    with zipfile.ZipFile(next(out.glob("*.docx"))) as z:
        assert [n for n in z.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    # Chromium's own temporary folders went with its private TMPDIR: nothing left in the user's
    assert list(long_tmpdir.iterdir()) == []
    # nor in the HOME of the user running it (Chromium wrote .config/chromium/Crash Reports and
    # .cache/dconf there: a service account's HOME is often not writable, or shared)
    assert [str(p.relative_to(home)) for p in home.rglob("*")] == []


def test_the_browser_tests_driver_starts_under_a_long_tmpdir(long_tmpdir, monkeypatch):
    from tests.e2e_support import make_driver

    monkeypatch.setenv("TMPDIR", str(long_tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", None)  # as a process started with that TMPDIR sees it
    driver = make_driver()
    try:
        driver.get("data:text/html;charset=utf-8,<p id=p>Hej på dig</p>")
        assert driver.find_element("id", "p").text == "Hej på dig"
    finally:
        driver.quit()
    assert list(long_tmpdir.iterdir()) == []


def test_the_private_folder_is_short_and_removed(long_tmpdir, monkeypatch):
    """Unit level: the environment choreographer starts Chromium with names a short folder of its own
    (not the user's TMPDIR), which :meth:`clean` removes."""
    from choreographer.channels import Pipe

    from lagesbild.export.browser_tmp import ShortTmpChromium

    monkeypatch.setenv("TMPDIR", str(long_tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", None)
    impl = ShortTmpChromium(Pipe(), "/usr/bin/chromium")
    impl.pre_open()
    env = impl.get_env()
    tmp = Path(env["TMPDIR"])
    assert env["XDG_CONFIG_HOME"] == env["XDG_CACHE_HOME"] == str(tmp)
    assert tmp.is_dir() and len(str(tmp)) <= 40 and not str(tmp).startswith(str(long_tmpdir))
    assert f"--user-data-dir={impl.tmp_dir.path}" in impl.get_cli()
    assert impl.tmp_dir.path.parent == tmp
    impl.clean()
    assert not tmp.exists()


def test_a_chromium_that_never_answers_is_given_up_with_a_swedish_message(tmp_path, monkeypatch):
    """A LAGESBILD_CHROMIUM that starts but is no browser (chromedriver, a wrapper that waits) kept
    the pack, chart or export waiting for ever, and its process ran on after the CLI was stopped."""
    import time

    import plotly.graph_objects as go

    from lagesbild.export import render

    fake = tmp_path / "chromium-som-tiger"
    fake.write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(render, "START_TIMEOUT", 5)
    start = time.monotonic()
    with pytest.raises(render.RenderError) as err, render.Renderer(str(fake)) as renderer:
        renderer.render([render.RenderJob(go.Figure(), tmp_path / "a.png", "png", 80, 60)])
    assert time.monotonic() - start < 60
    assert str(err.value) == (f"Chromium ({fake}) startade men svarade inte inom 5 sekunder, så diagram kan "
                              "inte sparas som bild. Kontrollera att LAGESBILD_CHROMIUM anger en fungerande "
                              "Chromium.")
    for _ in range(50):  # the waiting process is stopped, not left behind
        if subprocess.run(["pgrep", "-f", str(fake)], capture_output=True).returncode:
            break
        time.sleep(0.1)
    assert subprocess.run(["pgrep", "-f", str(fake)], capture_output=True).returncode == 1


def test_folders_of_ended_processes_are_swept_when_a_browser_starts(tmp_path, monkeypatch):
    """A server or CLI ended by a signal left its browser's folder (a 6 MB profile) behind; the next
    browser start removes those whose process is gone, and only those."""
    from choreographer.channels import Pipe

    from lagesbild.export import browser_tmp

    ended = subprocess.Popen(["true"])
    ended.wait()
    space = os.readlink("/proc/self/ns/pid")
    folders = {"ended": f"{ended.pid} {space}", "alive": f"{os.getpid()} {space}",
               "other-container": f"{ended.pid} pid:[1]", "starting": None}
    for name, owner in folders.items():
        folder = tmp_path / f"lagesbild-chromium-{name}"
        (folder / "profile").mkdir(parents=True)
        if owner is not None:
            (folder / "owner").write_text(owner, encoding="ascii")
    monkeypatch.setattr(browser_tmp, "short_tmp_root", lambda: str(tmp_path))
    impl = browser_tmp.ShortTmpChromium(Pipe(), "/usr/bin/chromium")
    impl.pre_open()
    left = sorted(p.name for p in tmp_path.iterdir())
    own = Path(impl.get_env()["TMPDIR"]).name
    impl.clean()
    assert left == sorted(["lagesbild-chromium-alive", "lagesbild-chromium-other-container",
                           "lagesbild-chromium-starting", own])
