"""Data: what the store holds, the ingest history, and upload with validation before commit.

An uploaded file is written to a fresh folder under ``<data_dir>/uppladdningar`` (folders older than
:data:`UPLOAD_MAX_AGE_S` are removed at each upload, and a refused file nothing can retry at once) and
checked with
:func:`lagesbild.ingest.validate_file` (nothing is written to the store); the report (accepted rows,
rejected rows with reasons) is shown, and only the "Läs in" button calls
:func:`lagesbild.ingest.ingest_file`. A file with rejected rows is read in only when the user asks to
keep the valid rows; otherwise nothing changes.

The browser never sees where the file lies: it is given the upload's folder name, a random token
(:func:`upload_token`), and the server finds the file again from it (:func:`upload_path`) for the
user who uploaded it only (the folder's ``_uppladdning.json`` names the file and its owner).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import shutil
import time
from pathlib import Path
from string import ascii_letters

import pandas as pd
from dash import html

from lagesbild.analysis import base, status
from lagesbild.errors import InputError, distinct_errors
from lagesbild.figures.format import fmt_date, fmt_int, slug
from lagesbild.web import common
from lagesbild.web import components as ui
from lagesbild.web.numbers import Numbers

UPLOAD_DIR = "uppladdningar"
UPLOAD_MAX_AGE_S = 24 * 3600  # a validated file waits this long for "Läs in"
UPLOADS_PER_OWNER = 3  # pending uploads one user keeps on the disk; an older one is removed at the next
UPLOAD_TOKEN = re.compile(r"[0-9a-f]{32}")  # whole tokens only (fullmatch: "$" let a newline through)
#: the end of an upload's folder on the server ("/uppladdningar/<token>/"), as an ingest's message
#: names its report of rejected rows; the path before it is found by walking back (a pattern reaching
#: back over "[^\s:]*" took time growing with the square of a long name without spaces: 20 000
#: characters 2 s, 600 000 never ended — sec7)
UPLOAD_FOLDER_TAIL = re.compile(r"(?=([/\\]" + UPLOAD_DIR + r"[/\\][^/\\\s]+[/\\]))")  # overlapping too
UPLOAD_META = "_uppladdning.json"  # beside the file: its name and owner (no slug has '_' or '.json' alone)
MAX_ERRORS_SHOWN = 200
KIND_LABELS = {"crimes": "Anmälda brott, aggregerade (plats × kategori × månad)",
               "incidents": "Anmälda brott, händelser med koordinater",
               "places": "Platser (GeoJSON, GeoPackage, Shapefile)",
               "survey": "Trygghetsmätning", "activities": "Åtgärdsplan (YAML, XLSX)",
               "events": "Polisens händelser (JSON)"}
EXTENSION_KINDS = {".geojson": "places", ".gpkg": "places", ".shp": "places", ".zip": "places",
                   ".yaml": "activities", ".yml": "activities", ".json": "events"}
COUNT_LABELS = status.COUNT_NAMES
KIND_NAMES = base.SOURCE_KIND_NAMES
STATUS_LABELS = {"ok": "inläst", "noop": "redan inläst", "valid": "kan läsas in", "invalid": "fel hittade",
                 "failed": "misslyckades", "running": "pågår",
                 "removed": "borttagen (demo --remove)"}
DEMO_FACT = ("databasen innehåller fiktiva demodata: ta bort dem med python -m lagesbild demo --remove "
             "(platserna och allt annat som lästs in finns kvar)")


def without_upload_folders(text):
    """An ingest's message without the server's folders of uploads (it names the report of rejected
    rows by its path: the page says the file's name; its rows are in the report's table).

    Examples
    --------
    >>> without_upload_folders("b.csv: 1 rad inläst. Avvisade rader med orsak: /srv/d/uppladdningar/"
    ...                        "tmpab12/b.avvisade.csv")
    'b.csv: 1 rad inläst. Avvisade rader med orsak: b.avvisade.csv'
    """
    if not isinstance(text, str):
        return text
    # every tail, overlapping ones too; a match is the run of path characters (no space, no colon)
    # before the first tail not yet cut, up to the last tail that run reaches (as the old pattern's
    # greedy "[^\s:]*" took it), with a Windows drive ("C:") in front
    tails = [(m.start(), m.start() + len(m.group(1))) for m in UPLOAD_FOLDER_TAIL.finditer(text)]
    out, done, i = [], 0, 0
    while i < len(tails):
        if tails[i][0] < done:
            i += 1
            continue
        start = tails[i][0]
        while start > done and not text[start - 1].isspace() and text[start - 1] != ":":
            start -= 1
        if start - 2 >= done and text[start - 1] == ":" and text[start - 2] in ascii_letters:
            start -= 2
        # the run ends at the first space or colon after its first tail (the text before is all path)
        stop = next((k for k in range(tails[i][0], len(text)) if text[k].isspace() or text[k] == ":"),
                    len(text))
        while i + 1 < len(tails) and tails[i + 1][0] <= stop:
            i += 1
        out.append(text[done:start])
        done = tails[i][1]
        i += 1
    return "".join(out) + text[done:]


def guess_kind(filename: str | None) -> str | None:
    """The file kind its extension suggests (CSV and XLSX can be several kinds: None).

    Examples
    --------
    >>> guess_kind("platser.GeoJSON"), guess_kind("brott.csv")
    ('places', None)
    """
    return EXTENSION_KINDS.get(Path(filename or "").suffix.lower())


def upload_root(settings) -> Path:
    """The folder uploads are written to."""
    return Path(settings.data_dir) / UPLOAD_DIR


def save_upload(contents: str, filename: str, root: Path, owner: str = "") -> Path:
    """Decode a ``dcc.Upload`` data URL and write it to a new folder under ``root``; return the path.

    The name is made safe (no folders, only letters, digits and hyphens in the stem); the folder's
    name is a random token (:func:`upload_token`), and ``owner`` is kept beside the file.

    Raises
    ------
    InputError
        When the contents are not a base64 data URL.
    """
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, ValueError, binascii.Error, AttributeError):
        raise InputError(filename or "-", "filen kunde inte tas emot (felaktig kodning)") from None
    root.mkdir(parents=True, exist_ok=True)
    clean_old_uploads(root)
    keep_newest_uploads(root, owner, UPLOADS_PER_OWNER - 1)
    folder = root / secrets.token_hex(16)
    folder.mkdir()
    # a real extension is short (.geojson); a name "x." + 300 letters made the saved name too long (500)
    suffix = "".join(s for s in Path(filename or "").suffixes[-2:] if len(s) <= 10).lower()
    suffix = "".join(ch for ch in suffix if ch.isalnum() or ch == ".")
    path = folder / (slug(Path(filename or "fil").stem, max_len=60) + suffix)
    (folder / UPLOAD_META).write_text(json.dumps({"file": path.name, "owner": owner}), encoding="utf-8")
    path.write_bytes(data)
    return path


def upload_token(path: str | Path) -> str:
    """What the browser is given for an upload: its folder's random name, no server path.

    Examples
    --------
    >>> upload_token("/srv/data/uppladdningar/" + "ab" * 16 + "/brott.csv") == "ab" * 16
    True
    """
    return Path(path).parent.name


def upload_path(token, root: Path, owner: str = "", *, read_in_too: bool = False) -> Path | None:
    """The file of the upload ``token`` under ``root``, or None: not a token, no such upload (removed,
    or read in: with ``read_in_too`` a file read in and so removed still names its upload), or
    uploaded by someone other than ``owner``.

    Examples
    --------
    >>> upload_path("../../etc", Path("/tmp")), upload_path("/etc/passwd", Path("/tmp"))
    (None, None)
    """
    if not isinstance(token, str) or not UPLOAD_TOKEN.fullmatch(token):
        return None
    folder = root / token
    try:
        meta = json.loads((folder / UPLOAD_META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("owner") != owner or not isinstance(meta.get("file"), str):
        return None
    path = folder / Path(meta["file"]).name
    there = path.is_file() or (read_in_too and not path.exists())
    return path if path.name != UPLOAD_META and there and inside(path, root) else None


def clean_old_uploads(root: Path, max_age_s: float = UPLOAD_MAX_AGE_S) -> None:
    """Remove upload folders older than ``max_age_s`` (files never read in, or refused)."""
    now = time.time()
    for child in root.iterdir() if root.is_dir() else ():
        try:
            old = child.is_dir() and not child.is_symlink() and now - child.stat().st_mtime > max_age_s
        except OSError:
            continue
        if old:
            shutil.rmtree(child, ignore_errors=True)


def keep_newest_uploads(root: Path, owner: str, keep: int) -> None:
    """Remove ``owner``'s upload folders but the ``keep`` newest: nothing else bounded how many
    validated files of up to 50 MB one user left on the disk for a day (the page holds one pending
    upload; a second tab may hold another)."""
    mine = []
    for child in root.iterdir() if root.is_dir() else ():
        try:
            meta = json.loads((child / UPLOAD_META).read_text(encoding="utf-8"))
            if not child.is_symlink() and isinstance(meta, dict) and meta.get("owner") == owner:
                mine.append((child.stat().st_mtime, child))
        except (OSError, ValueError):
            continue
    for _when, child in sorted(mine, reverse=True)[max(keep, 0):]:
        shutil.rmtree(child, ignore_errors=True)


def discard_upload(path: str | Path, root: Path) -> None:
    """Remove the folder of an upload under ``root`` that nothing will read again."""
    folder = Path(path).parent
    if inside(folder, root) and folder.resolve() != root.resolve():
        shutil.rmtree(folder, ignore_errors=True)


def inside(path: str | Path, root: Path) -> bool:
    """Whether ``path`` lies under ``root`` (guards the pending upload the browser sends back)."""
    try:
        return Path(path).resolve().is_relative_to(root.resolve())
    except (OSError, ValueError):
        return False


def error_table(errors) -> pd.DataFrame:
    """Rejected rows as a table (at most :data:`MAX_ERRORS_SHOWN` distinct errors; the same error of
    several cells of a row once, with ``Gånger`` when any was found more than once)."""
    found = distinct_errors(errors)[:MAX_ERRORS_SHOWN]
    rows = [{"Rad": "" if e.line is None else str(e.line), "Kolumn": e.column or "",
             "Värde": "" if e.value is None else str(e.value)[:80], "Orsak": e.reason, "Gånger": str(n)}
            for e, n in found]
    columns = ["Rad", "Kolumn", "Värde", "Orsak"] + (["Gånger"] if any(n > 1 for _, n in found) else [])
    return pd.DataFrame(rows, columns=["Rad", "Kolumn", "Värde", "Orsak", "Gånger"])[columns]


def _shown_message(report) -> str:
    """The report's message with the report file of rejected rows named by its name, not its path."""
    message = report.message or ""
    if getattr(report, "report_path", None):
        message = message.replace(str(report.report_path), Path(report.report_path).name)
    return without_upload_folders(message)


def report_view(report, *, committed: bool = False) -> html.Div:
    """A validation or ingest report: counts, message and the rejected rows with reasons."""
    bad = bool(report.errors) or report.status in ("invalid", "failed")
    facts = [f"Godkända rader: {fmt_int(report.accepted)}", f"Avvisade rader: {fmt_int(report.rejected)}"]
    if committed and report.replaced:
        facts.append(f"Ersatta rader: {fmt_int(report.replaced)}")
    children = [html.H3(f"{report.file}: {STATUS_LABELS.get(report.status, report.status)}"),
                html.P(_shown_message(report)), html.P(" · ".join(facts), className="facts")]
    if report.errors:
        more = sum(n for _, n in distinct_errors(report.errors)[MAX_ERRORS_SHOWN:])
        table_id = "commit-errors" if committed else "upload-errors"
        children += [ui.table(error_table(report.errors), table_id, page_size=15),
                     html.P(f"… och {fmt_int(more)} fel till." if more > 0 else "", className="muted")]
    return html.Div(children, className=f"card report {'bad' if bad else 'ok'}", role="status")


def refused_view(name: str | None, reason: str) -> html.Div:
    """A file refused before it was read (too large): a report card like :func:`error_view`'s."""
    return html.Div(className="card report bad", role="alert", id="upload-refused", children=[
        html.H3(f"{name or 'Filen'}: inget lästes in"), html.P(reason)])


def error_view(err: InputError, table_id: str = "upload-errors", name: str | None = None) -> html.Div:
    """An input error (the file could not be read, or rows were rejected) as a report card; an error of
    a command-line option (``--source``: the page's "Källans namn") is told under the file's ``name``."""
    rows = error_table(err.errors)
    heading = name if name and str(err.file).startswith("--") else err.file
    return html.Div(className="card report bad", role="alert", children=[
        html.H3(f"{heading}: inget lästes in"), html.P(err.reason),
        ui.table(rows, table_id, page_size=15) if len(rows) else None])


def validate_upload(store, kind, path: Path, *, name: str, crs=None, source=None, mapping=None):
    """Validate an uploaded file (with a mapping dict, if given); return (report component, whether it
    can be read in)."""
    from lagesbild.ingest import validate_file

    try:
        report = validate_file(store, kind, path, crs=crs or None, source=source or None,
                               display_name=name, mapping=mapping or None)
    except InputError as err:
        return error_view(err, name=name), False
    return report_view(report), report.accepted > 0


def commit_upload(store, pending: dict, *, keep_valid: bool = False):
    """Read a validated upload into the store; return (component, whether the store changed)."""
    from lagesbild.ingest import ingest_file

    path = Path(pending["path"])
    try:
        report = ingest_file(store, pending["kind"], path, crs=pending.get("crs") or None,
                             keep_valid=keep_valid, source=pending.get("source") or None,
                             mapping=pending.get("mapping") or None,
                             display_name=pending["name"],
                             report_path=path.with_name(path.stem + ".avvisade.csv"))
    except InputError as err:
        return error_view(err, "commit-errors", name=pending.get("name")), False
    if report.status == "ok" and not report.errors:
        path.unlink(missing_ok=True)
    return report_view(report, committed=True), report.status == "ok"


#: ingest-log column -> Swedish header of its Excel download
LOG_HEADERS = {"started_at": "Tid", "kind": "Typ", "file_name": "Fil", "source": "Källa",
               "rows_accepted": "Godkända rader", "rows_rejected": "Avvisade rader", "status": "Status",
               "message": "Meddelande"}


def _log_table(log: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        # one line: "2026-\n12-07\n05:11" broke at its hyphens in a column of 60 px (desk9, 1366 px);
        # non-breaking hyphens and space keep it whole and still sort as the ISO text
        "Tid": log["started_at"].dt.strftime("%Y-%m-%d %H:%M").str.replace("-", "\u2011")
        .str.replace(" ", "\u00a0"),
        "Typ": log["kind"].map(lambda k: KIND_NAMES.get(k, k)),
        "Fil": log["file_name"], "Källa": log["source"], "Godkända": log["rows_accepted"].map(fmt_int),
        "Avvisade": log["rows_rejected"].map(fmt_int),
        "Status": log["status"].map(lambda s: STATUS_LABELS.get(s, s)), "Meddelande": log["message"]})


def _ingest_label(ingest_id, log: pd.DataFrame) -> str:
    """An ingest as "nr 4, 10 sep 2023 14:05" (its number in the history below and when it ran)."""
    hit = log.loc[log["ingest_id"] == ingest_id, "started_at"] if "ingest_id" in log else pd.Series(dtype=object)
    when = f", {fmt_date(hit.iloc[0])} {pd.Timestamp(hit.iloc[0]):%H:%M}" if len(hit) and pd.notna(hit.iloc[0]) else ""
    return f"nr {ingest_id}{when}"


def summary_view(store) -> list:
    """What the store holds: row counts, sources and the ingest history."""
    tables = status.store_tables(store)
    counts, sources, log = tables["counts"], tables["sources"], tables["log"]
    if len(log):
        log = log.assign(message=log["message"].map(without_upload_folders))
    count_rows = pd.DataFrame({"Innehåll": [COUNT_LABELS.get(k, k) for k in counts],
                               "Antal": [fmt_int(v) for v in counts.values()]})
    src = pd.DataFrame({
        "Källa": sources["source"], "Typ": sources["kind"].map(lambda k: KIND_NAMES.get(k, k)),
        "Fiktiv": sources["fictitious"].map(lambda x: "ja" if x else "nej"),
        "Uttagsdatum": sources["extracted_at"].map(lambda d: "–" if d is None or pd.isna(d) else str(d)),
        "Senaste inläsning": sources["last_ingest_id"].map(lambda i: _ingest_label(i, log))}) \
        if len(sources) else None
    facts = [ui.freshness(common.data_until(store))] + ([DEMO_FACT]
                                                         if tables["demo"] else [])
    return [
        ui.section("Databasens innehåll", html.P(" · ".join(facts), className="facts"),
                   html.Div(className="grid", children=[
                       ui.table(count_rows, "data-counts", page_size=20, numbers=Numbers(
                           pd.DataFrame({"table": list(count_rows["Innehåll"]),
                                         "rows": list(counts.values())}),
                           "Databasens innehåll", source="lagesbild-databasen",
                           headers={"table": "Innehåll", "rows": "Antal"})),
                       ui.table(src, "data-sources", page_size=20) if src is not None
                       else ui.empty("inga källor är inlästa")])),
        ui.section("Inläsningar", ui.table(_log_table(log), "data-log", page_size=15, sort=True,
                                           numbers=Numbers(log, "Inläsningar", source="lagesbild-databasen",
                                                           headers=LOG_HEADERS))
                   if len(log) else ui.empty("inget är inläst ännu")),
    ]
