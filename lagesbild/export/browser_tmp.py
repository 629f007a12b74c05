"""A short private temporary directory for the export's Chromium, whatever the user's TMPDIR.

Chromium puts its singleton socket at ``$TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket`` and
exits at once ("Socket path too long") when that path does not fit a unix socket address (108 bytes):
a TMPDIR of about 70 characters was enough to stop every chart image, so no pack, no ``chart``, no
export button. :class:`ShortTmpChromium` (choreographer's ``browser_cls``) gives each browser start a
directory of its own under a short temporary root, passes it to Chromium as ``TMPDIR``, as its
profile folder and as its XDG config and cache folders (Chromium wrote crash-report settings and a dconf
cache into the HOME of the user running the server), and removes it with everything Chromium left
there when the browser is cleaned up. A process ended by a signal cleans up nothing, so each browser
start first removes (:func:`sweep`) the folders whose owning process is gone.

Examples
--------
>>> len(short_tmp_root()) <= MAX_ROOT
True
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from choreographer.browsers.chromium import Chromium

#: longest temporary root used as is: root + "/lagesbild-chromium-XXXXXXXX" (29) +
#: "/org.chromium.Chromium.XXXXXX/SingletonSocket" (46) stays well under the 107 a socket path holds
MAX_ROOT = 24
#: short roots tried, in order, when the user's temporary folder is longer (or cannot be written)
SHORT_ROOTS = ("/tmp", "/var/tmp", "/dev/shm")
PREFIX = "lagesbild-chromium-"
OWNER = "owner"  # in each folder: the pid of the process that made it, and its PID namespace

log = logging.getLogger("lagesbild.export.browser_tmp")


def _writable(path: str) -> bool:
    return os.path.isdir(path) and os.access(path, os.W_OK | os.X_OK)


def short_tmp_root() -> str:
    """The user's temporary folder when it is short and writable, else the first of
    :data:`SHORT_ROOTS` that is; the user's folder when none is (Chromium then says why it failed)."""
    own = tempfile.gettempdir()
    if len(own) <= MAX_ROOT and _writable(own):
        return own
    for root in SHORT_ROOTS:
        if _writable(root):
            return root
    return own


def private_env(folder: str) -> dict:
    """The variables that keep a Chromium's temporary files, config and cache (crash reports, dconf) in
    ``folder``, not in a long TMPDIR or the user's HOME (also used by the tests' chromedriver)."""
    return {"TMPDIR": folder, "XDG_CONFIG_HOME": folder, "XDG_CACHE_HOME": folder}


def _owner(pid: int) -> str:
    """``pid`` and this process's PID namespace: a folder is only judged by processes that see its
    owner's PIDs (containers sharing /tmp see different ones)."""
    try:
        space = os.readlink("/proc/self/ns/pid")
    except OSError:
        space = ""
    return f"{pid} {space}"


def sweep(root: str) -> list[str]:
    """Remove this module's folders under ``root`` whose owning process is gone (a server or CLI ended
    by a signal or a crash, which left its browser's 6 MB profile behind); returns what it removed."""
    removed = []
    for folder in Path(root).glob(PREFIX + "*"):
        try:
            pid, space = folder.joinpath(OWNER).read_text(encoding="ascii").split(" ", 1)
            if space != _owner(0).split(" ", 1)[1]:
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
        except (OSError, ValueError):  # no owner file yet, another user's folder, a process alive
            continue
    return removed


class ShortTmpChromium(Chromium):
    """choreographer's Chromium with a private short ``TMPDIR`` and profile folder (see module doc).

    A snap-packaged Chromium (choreographer's "isolated" case, which cannot see /tmp) keeps
    choreographer's own handling.
    """

    _short_tmp: str | None = None

    def pre_open(self) -> None:
        if not self.is_isolated():
            root = short_tmp_root()
            sweep(root)
            self._short_tmp = tempfile.mkdtemp(prefix=PREFIX, dir=root)
            Path(self._short_tmp, OWNER).write_text(_owner(os.getpid()), encoding="ascii")
            self._tmp_dir_path = self._short_tmp  # choreographer makes the profile folder in it
            log.debug("Chromium's temporary folder: %s", self._short_tmp)
        super().pre_open()

    def get_env(self):
        env = super().get_env()
        if self._short_tmp:  # its config and cache (crash reports, dconf) there too, not in HOME
            env.update(private_env(self._short_tmp))
        return env

    def clean(self) -> None:
        super().clean()
        tmp, self._short_tmp = self._short_tmp, None
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
