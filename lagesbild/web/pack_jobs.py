"""Meeting packs built in the background of the serving process: their folders, status and limits.

A job lives in ``<data_dir>/exports/<job id>/``: ``status.json`` (state, progress, message, files),
``owner.txt`` (the account that started it, by name and creation time, and whether the pack holds the
hot spot map: :func:`job_owned`, :func:`job_has_map`) and the pack's files. An account removed and made
again under the same name is another owner, and a pack with the map is refused to a caller whose role
may no longer see the map. Any worker of a multi-worker server can therefore answer the polls and the downloads. Jobs older
than a day are removed when the next one starts, and so are an account's finished packs beyond its
:data:`PACKS_KEPT` newest.

A pack takes a browser and several seconds of a core, so a process builds at most
:data:`PACKS_AT_ONCE` at a time and a user one: a further request is refused with a Swedish message
(:class:`PackBusy`) instead of starting yet another thread.

Examples
--------
>>> job_dir("/tmp/x", "../etc") is None
True
>>> str(job_dir("/tmp/x", "0" * 32)).endswith("exports/" + "0" * 32)
True
>>> job_dir("/tmp/x", "0" * 32 + "\\n") is None
True
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
from pathlib import Path

JOB_MAX_AGE_S = 24 * 3600
#: used with ``fullmatch`` only: ``match`` with "^…$" took "<32 hex>\n" ("$" matches before a final newline)
JOB_ID = re.compile(r"[0-9a-f]{32}")
OWNER_FILE = "owner.txt"
#: packs one serving process builds at a time (each a thread with a browser); one per user
PACKS_AT_ONCE = 2
#: the finished packs an account keeps (the page offers one, a second tab another): a pack takes some
#: 6 s, so one user starting pack after pack left 600 packs (1.8 GB) an hour on the disk for a day
PACKS_KEPT = 3
#: the longest meeting name (it is on the cover, in the document's title and in the file names: a name
#: of 250 characters failed the pack with python-docx's English "exceeded 255 char limit for property")
MEETING_MAX = 100
MAX_PLACES, MAX_PERIODS = 12, 12  # a pack of more is no meeting document (the CLI takes any number)
JOB_TEXT = dict(running="Skapar mötespaketet …", done="Mötespaketet är klart.",
                failed="Mötespaketet kunde inte skapas: {e}",
                unexpected="Mötespaketet kunde inte skapas på grund av ett oväntat fel. Felet är loggat; "
                           "försök igen, och kontakta den som driver Lägesbild om det händer igen.",
                long_name=f"Mötets namn är för långt: högst {MEETING_MAX} tecken.",
                too_many="Ett mötespaket tar högst {n} {what}; välj färre.",
                busy_user="Ditt förra mötespaket skapas fortfarande. Vänta tills det är klart.",
                busy=f"Servern skapar redan {PACKS_AT_ONCE} mötespaket. Försök igen om en stund.")

_RUNNING: dict[str, str] = {}  # job id -> owner, of the packs this process is building
_LOCK = threading.Lock()


class PackBusy(RuntimeError):
    """A pack cannot start now: the user's previous one or :data:`PACKS_AT_ONCE` are being built (or,
    as :class:`PackRefused`, it cannot be built as asked)."""


class PackRefused(PackBusy):
    """A pack request that cannot be built as asked (a meeting name over :data:`MEETING_MAX`)."""


log = logging.getLogger(__name__)


def job_dir(data_dir, job_id) -> Path | None:
    """The folder of a pack job, or None for an id that is not a job id."""
    if not isinstance(job_id, str) or not JOB_ID.fullmatch(job_id):
        return None
    return Path(data_dir) / "exports" / job_id


def write_status(folder: Path, **status) -> None:
    """Replace a job's ``status.json`` (written aside and moved: a poll never reads half a file)."""
    tmp = folder / "status.json.tmp"
    tmp.write_text(json.dumps(status, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, folder / "status.json")


def read_status(folder: Path | None) -> dict | None:
    """A job's status (``state``: running, done or failed; ``done``, ``total``, ``message``, files)."""
    if folder is None:
        return None
    try:
        return json.loads((folder / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def account_owner(store, user: str) -> dict:
    """The owner a pack of ``user`` records: the stored name and the account's creation time ("" when
    there is no such account: open mode, code). A name removed and created again is another owner."""
    from lagesbild.analysis.admin import list_users

    created = next((a["created_at"] for a in list_users(store) if a["username"] == user), None)
    return {"name": user, "created": created.isoformat() if created is not None else ""}


def write_owner(folder: Path, store, user: str, *, with_map: bool) -> None:
    """Write the owner file of the job in ``folder``: ``user``'s account and whether it has the map."""
    owner = dict(account_owner(store, user), with_map=bool(with_map), started=time.time())
    (folder / OWNER_FILE).write_text(json.dumps(owner, ensure_ascii=False), encoding="utf-8")


def _owner(folder: Path | None) -> dict | None:
    if folder is None:
        return None
    try:
        owner = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return owner if isinstance(owner, dict) and isinstance(owner.get("name"), str) else None


def job_owned(folder: Path | None, store, user: str) -> bool:
    """True when the job in ``folder`` was started by the account ``user`` is now (the same name and
    creation time); a job without an owner file, or with one in an older form, is nobody's."""
    owner = _owner(folder)
    return owner is not None and {k: owner.get(k) for k in ("name", "created")} == account_owner(store, user)


def job_has_map(folder: Path | None) -> bool:
    """True when the pack in ``folder`` holds the hot spot map (a job of unknown content: True)."""
    owner = _owner(folder)
    return owner is None or owner.get("with_map") is not False


def _clean_old_jobs(root: Path) -> None:
    if not root.is_dir():
        return
    now = time.time()
    for child in root.iterdir():
        try:  # another worker may remove the same old job meanwhile: gone is as good as removed
            old = JOB_ID.fullmatch(child.name) and now - child.stat().st_mtime > JOB_MAX_AGE_S
        except OSError:
            continue
        if old:
            shutil.rmtree(child, ignore_errors=True)


def _keep_newest_jobs(root: Path, store, user: str, keep: int) -> None:
    """Remove the finished jobs of ``user``'s account (:func:`job_owned`) but the ``keep`` newest; a job
    still running (here or in another worker) is left alone."""
    who = account_owner(store, user)
    mine = []
    for child in root.iterdir():
        try:
            if not JOB_ID.fullmatch(child.name) or child.is_symlink():
                continue
            owner = _owner(child)
            state = (read_status(child) or {}).get("state")
            if owner is not None and {k: owner.get(k) for k in ("name", "created")} == who \
                    and state in ("done", "failed"):
                started = owner.get("started")  # the clock, not the folder's coarser mtime
                mine.append((started if isinstance(started, (int, float)) else child.stat().st_mtime,
                             child.name, child))
        except OSError:  # removed meanwhile by another worker
            continue
    for *_when, child in sorted(mine, reverse=True)[max(keep, 0):]:
        shutil.rmtree(child, ignore_errors=True)


def run_pack_job(folder: Path, store, settings, **request) -> None:
    """Build a pack into ``folder``, keeping ``status.json`` current (run in a thread).

    Whatever goes wrong (also an import or the renderer failing before the pack is begun) ends the
    job as failed and frees its place: a job left "running" kept its user from any other pack (and
    two such jobs the whole process) until the server was restarted.
    """
    def progress(done, total, message):
        write_status(folder, state="running", done=done, total=total, message=message)

    try:
        from lagesbild.analysis.base import Refused
        from lagesbild.analysis.notfound import NotFound
        from lagesbild.errors import InputError, SettingsError
        from lagesbild.export.data import ExportError
        from lagesbild.export.render import RenderError

        known = (ExportError, NotFound, Refused, InputError, SettingsError)  # the package's: Swedish
        internal = (RenderError,)  # Swedish too, but it names the server's browser and paths
    except Exception:  # a broken install: every failure is then an unexpected one
        log.exception("meeting pack %s: the error types could not be imported", folder.name)
        known = internal = ()
    try:
        from lagesbild.export.pack import build_pack
        from lagesbild.export.render import shared_renderer

        result = build_pack(store, settings, out_dir=folder, progress=progress,
                            renderer=shared_renderer(settings.chromium), **request)
        write_status(folder, state="done", done=1, total=1, message=JOB_TEXT["done"],
                     docx=result.docx.name, pdf=result.pdf.name, zip=result.zip.name)
    except internal as exc:
        log.error("meeting pack %s could not be rendered: %s", folder.name, exc)
        write_status(folder, state="failed", done=0, total=1, message=JOB_TEXT["unexpected"])
    except known as exc:
        write_status(folder, state="failed", done=0, total=1, message=JOB_TEXT["failed"].format(e=exc))
    except Exception:  # a library's (English) text or a server path is for the log, not the user
        log.exception("meeting pack %s failed", folder.name)
        write_status(folder, state="failed", done=0, total=1, message=JOB_TEXT["unexpected"])
    finally:
        with _LOCK:
            _RUNNING.pop(folder.name, None)


def start_pack_job(store, settings, *, owner: str | None = None, **request) -> str:
    """Start building a pack in a background thread; return the job id.

    ``owner`` (default the caller, :func:`lagesbild.web.auth.current_name`) is written beside the job
    with the account's creation time and ``with_map`` (:func:`write_owner`): only that account is shown
    its progress and offered its files (:func:`job_owned`).

    Raises
    ------
    PackBusy
        When the owner's previous pack or :data:`PACKS_AT_ONCE` packs are still being built here;
        :class:`PackRefused` when the meeting's name is longer than :data:`MEETING_MAX`.
    """
    from lagesbild.web.auth import current_name

    meeting = request.get("meeting")
    if isinstance(meeting, str) and len(meeting) > MEETING_MAX:
        raise PackRefused(JOB_TEXT["long_name"])
    # a request no control sends (a thousand periods) would hold one of the PACKS_AT_ONCE for long
    for key, limit, what in (("places", MAX_PLACES, "platser"), ("periods", MAX_PERIODS, "perioder")):
        if len(request.get(key) or ()) > limit:
            raise PackRefused(JOB_TEXT["too_many"].format(n=limit, what=what))

    owner = current_name() if owner is None else owner
    job_id = uuid.uuid4().hex
    with _LOCK:
        if owner in _RUNNING.values():
            raise PackBusy(JOB_TEXT["busy_user"])
        if len(_RUNNING) >= PACKS_AT_ONCE:
            raise PackBusy(JOB_TEXT["busy"])
        _RUNNING[job_id] = owner
    try:
        root = Path(settings.data_dir) / "exports"
        root.mkdir(parents=True, exist_ok=True)
        _clean_old_jobs(root)
        _keep_newest_jobs(root, store, owner, PACKS_KEPT - 1)
        folder = root / job_id
        folder.mkdir()
        write_owner(folder, store, owner, with_map=request.get("with_map", True))
        write_status(folder, state="running", done=0, total=1, message=JOB_TEXT["running"])
        threading.Thread(target=run_pack_job, args=(folder, store, settings), kwargs=request,
                         daemon=True, name=f"pack-{job_id[:8]}").start()
    except BaseException:
        with _LOCK:
            _RUNNING.pop(job_id, None)
        raise
    return job_id
