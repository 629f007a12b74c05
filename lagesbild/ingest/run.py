"""The ingest driver: checksum, no-op detection, one transaction, all-or-nothing or keep-valid."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from lagesbild.errors import InputError, RowError, library_reason
from lagesbild.ingest import handlers, incidents
from lagesbild.ingest.common import remove_source
from lagesbild.ingest.guard import refused_as_input_error
from lagesbild.ingest.limits import check_source_name, clean_text
from lagesbild.ingest.report import (
    NOTHING_OF_KIND,
    NOTHING_TO_READ,
    IngestReport,
    nothing_to_read,
    write_rejections,
)
from lagesbild.ingest.rereads import (
    already_read,
    ingest_checksum,
    other_mapping_remark,
    read_again_remark,
    replace_earlier_reads,
    same_file_reads,
)
from lagesbild.ingest.summary import count_words as _count  # noqa: F401  (tests import run._count)
from lagesbild.ingest.summary import outside_message as outside_message  # the name tests and callers know
from lagesbild.ingest.summary import refusal_count
from lagesbild.ingest.summary import summary_text as _summary
from lagesbild.sources.mapping import load_mapping
from lagesbild.sources.textfile import check_readable, refuse_web_page
from lagesbild.store import Store

# kind -> a reader to start before the checksum is computed (streamed kinds)
START_READING = {"incidents": incidents.start_reading}
# kind -> (handler, default source name)
KINDS = {
    "places": (handlers.ingest_places, "platser"),
    "crimes": (handlers.ingest_crimes, handlers.DEFAULT_CRIME_SOURCE),
    "incidents": (handlers.ingest_incidents, "polisen-incidenter"),
    "events": (handlers.ingest_events, "polisen-handelser"),
    "survey": (handlers.ingest_survey, "trygghetsmatning"),
    "activities": (handlers.ingest_activities, "atgardsplan"),
}


log = logging.getLogger(__name__)


class _Rollback(Exception):
    """Raised inside a transaction to undo it (validation runs)."""


def open_store(settings) -> Store:
    """Open the store named by the settings, create its tables, and sync the category vocabulary."""
    store = Store.from_settings(settings)
    sync_categories(store)
    return store


def sync_categories(store: Store) -> None:
    """Write the shipped category vocabulary into the store (idempotent)."""
    from lagesbild.sources.categories import load_vocabulary

    vocab = load_vocabulary()
    rows = [(c.category_id, c.name, c.sensitive) for c in vocab.categories.values()]
    have = store.categories()
    if sorted(map(tuple, have[["category_id", "name", "sensitive"]].values.tolist())) == sorted(
            [tuple(r) for r in rows]):
        return
    with store.transaction() as w:
        w.ensure_categories(rows)


#: the no-op's word on a mapping given with a file read in before with that same mapping
MAPPING_NOT_USED = ("Mappningen är densamma som vid den inläsningen, så raderna står kvar som de lästes in "
                    "då.")


def sha256_of(path: Path) -> str:
    """Checksum of a file, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InputError("-", f"okänd typ {kind!r}; välj en av: {', '.join(KINDS)}")


def _check_file(path: Path) -> None:
    check_readable(path, str(path))


def ingest_file(store: Store, kind: str, path, *, crs=None, keep_valid=False, source=None,
                report_path=None, mapping=None, progress=False, fictitious=False,
                display_name=None, extracted_at=None, date_format=None,
                replace_source=False) -> IngestReport:
    """Read, validate and store one file. See the module docstring for the rules.

    ``extracted_at`` is the date the data was taken out of the source system (uttagsdatum), shown in
    every source line; without it the source's extraction date is unknown (None, also when an earlier
    file of the source had one): the day of the ingest says nothing about where the data end, so the
    last complete month is then judged from the last incident
    (:func:`lagesbild.core.coverage.complete_until`). ``date_format`` says how an
    incident file writes its dates (``MM/DD/YYYY hh:mm AM/PM``; see
    :mod:`lagesbild.sources.dateformats`).

    A file is read in once per mapping: the ingest's checksum is the file's and the mapping's
    (:func:`ingest_checksum`), so the same file with a corrected mapping is read in again (its rows
    replace those of the same place, category and period). ``replace_source`` first removes every
    row the source holds (:meth:`~lagesbild.store.writer.Writer.delete_source`; for a Brå table,
    the source it is stored under), in the same transaction: rows an earlier mapping put under
    another category or place go too.

    Raises
    ------
    InputError
        When the file cannot be read, or (without ``keep_valid``) any row is rejected. The store is
        then exactly as it was.
    """
    _check_kind(kind)
    path = Path(path)
    _check_file(path)
    name = clean_text(display_name or path.name)
    refuse_web_page(path, name)
    if keep_valid:
        _check_report_path(Path(report_path or _default_report_path(store, path)), path)
    handler, default_source = KINDS[kind]
    source = check_source_name(default_source if source is None else source)
    extracted = _as_day(extracted_at)
    opts = dict(crs=crs, mapping=mapping, progress=progress, fictitious=fictitious, display_name=name,
                date_format=date_format, extracted=extracted)
    started = START_READING[kind](path, **opts) if kind in START_READING else None
    try:
        file_digest = sha256_of(path)  # meanwhile a streaming reader has started
        digest = ingest_checksum(file_digest, mapping)
        earlier, replaced_since = (None, None) if replace_source else already_read(store, digest, kind)
        if earlier:
            return _noop(kind, name, source, earlier, mapping)
        if started is not None:
            opts["started"] = started
        if replace_source:
            opts["replace_source"] = True
        log.info("ingest %s %s (source %s) started", kind, name, source)
        try:
            with refused_as_input_error(name):
                report = _ingest(store, kind, path, handler, source, name, (file_digest, digest), opts,
                                 keep_valid=keep_valid, report_path=report_path,
                                 extracted_at=extracted)
        except _AlreadyRead as done:  # another ingest of the same file finished while this one waited
            return _noop(kind, name, source, done.earlier, mapping)
        except InputError as err:
            log.warning("ingest %s %s refused, nothing written: %s", kind, name,
                        err.message().splitlines()[0] if hasattr(err, "message") else err)
            raise
        log.info("ingest %s %s done: %s rows accepted, %s rejected, %s replaced (ingest %s)", kind, name,
                 report.accepted, report.rejected, report.replaced, report.ingest_id)
        return report
    finally:
        if started is not None:
            started.close()


class _AlreadyRead(Exception):
    """Raised inside the ingest's transaction when, once it holds the write lock, the file turns out
    to be read in already (by another process at the same moment): nothing is written."""

    def __init__(self, earlier: dict):
        super().__init__(earlier["ingest_id"])
        self.earlier = earlier


def _noop(kind, name, source, earlier: dict, mapping) -> IngestReport:
    """The report of a file read in before, whose rows are still the store's: nothing changed."""
    log.info("ingest %s %s: already read (ingest %s), nothing changed", kind, name, earlier["ingest_id"])
    when = earlier["finished_at"].strftime("%Y-%m-%d %H:%M")
    if mapping is not None:  # a mapping that cannot be read is refused, not passed over
        load_mapping(mapping)
    return IngestReport(kind, name, source, status="noop", ingest_id=earlier["ingest_id"],
                        message=f"{name} är redan inläst ({when}, inläsning nr {earlier['ingest_id']}); "
                                "inget ändrades." + (f" {MAPPING_NOT_USED}" if mapping is not None else ""))


def _ingest(store, kind, path, handler, source, name, digests, opts, *, keep_valid, report_path,
            extracted_at) -> IngestReport:
    """The ingest proper, in one transaction (see :func:`ingest_file`). ``digests``: the file's own
    checksum and the ingest's (:func:`ingest_checksum`).

    Whether the file was read in already, and by which earlier reads with another mapping, is asked
    again once the transaction holds the store's write lock (its first write, the ingest log's row;
    on PostgreSQL the advisory lock): a second process that passed the first check while the first
    was still writing then finds that one's rows and writes nothing (:class:`_AlreadyRead`)."""
    file_digest, digest = digests
    report = IngestReport(kind, name, source)
    opts = dict(opts)
    replace_source = opts.pop("replace_source", False)
    pending: list[tuple[Path, Path]] = []  # the rejections report, written aside until the commit
    try:
        _ingest_in_one_transaction(store, kind, path, handler, source, name, file_digest, digest, opts,
                                   report, replace_source, keep_valid=keep_valid,
                                   report_path=report_path, extracted_at=extracted_at, pending=pending)
        for aside, target in pending:  # committed: the report takes its name
            os.replace(aside, target)
    finally:  # rolled back (an error, Ctrl-C, SIGTERM): no report of rows that were not read in
        for aside, _target in pending:
            aside.unlink(missing_ok=True)
    return report


def _ingest_in_one_transaction(store, kind, path, handler, source, name, file_digest, digest, opts,
                               report, replace_source, *, keep_valid, report_path, extracted_at,
                               pending) -> None:
    with store.transaction() as w:
        report.ingest_id = w.start_ingest(kind, name, digest, source)
        if not replace_source:
            earlier, replaced_since = already_read(store, digest, kind, conn=w.conn)
            if earlier:
                raise _AlreadyRead(earlier)
            if replaced_since:
                report.remarks.append(read_again_remark(replaced_since))
        others = same_file_reads(w.conn, file_digest, kind, digest)
        if len(others):
            removed = 0 if replace_source else replace_earlier_reads(w, others, kind)
            report.replaced += removed
            report.remarks.append(other_mapping_remark(others, kind, replace_source, removed))
        if replace_source and kind == "crimes":  # a Brå table's source is known once it is read
            opts["replace_source"] = True
        elif replace_source:
            report.replaced += remove_source(w, source, report)
        handler(store, w, path, source, report, **opts)
        if nothing_to_read(report):
            raise InputError(name, NOTHING_OF_KIND.get(kind, NOTHING_TO_READ))
        if report.errors and not keep_valid:
            raise InputError(name, f"{refusal_count(report.errors)}; inget lästes in",
                             report.errors)
        if report.errors:
            target = Path(report_path or _default_report_path(store, path))
            aside = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            pending.append((aside, target))
            _write_rejections(aside, report.errors, shown=target)
            report.report_path = str(target)
        report.message = _summary(report)
        w.set_extracted(report.source, _as_day(extracted_at))  # a Brå table is renamed by its handler
        w.finish_ingest(report.ingest_id, accepted=report.accepted, rejected=report.rejected,
                        replaced=report.replaced, status="ok", message=report.message,
                        source=report.source)  # the Data page's "Källa": a Brå table's, not polisen-brott


def validate_file(store: Store, kind: str, path, *, crs=None, source=None, mapping=None,
                  display_name=None) -> IngestReport:
    """Run every check of :func:`ingest_file` and write nothing. Never raises for row errors."""
    _check_kind(kind)
    path = Path(path)
    _check_file(path)
    name = clean_text(display_name or path.name)
    refuse_web_page(path, name)
    handler, default_source = KINDS[kind]
    report = IngestReport(kind, name, check_source_name(default_source if source is None else source))
    earlier, replaced_since = already_read(store, ingest_checksum(sha256_of(path), mapping), kind)
    try:
        with refused_as_input_error(name), store.transaction() as w:
            report.ingest_id = w.start_ingest(kind, name, "-", report.source)
            handler(store, w, path, report.source, report, crs=crs, mapping=mapping, progress=False,
                    fictitious=False, display_name=name)
            raise _Rollback
    except _Rollback:
        pass
    report.ingest_id = None
    if nothing_to_read(report):
        report.errors.append(RowError(name, None, None, None, NOTHING_OF_KIND.get(kind, NOTHING_TO_READ)))
    report.status = "invalid" if report.errors else "valid"
    report.message = _summary(report, dry=True)
    if earlier:
        report.message += f" Obs: filen är redan inläst (inläsning nr {earlier['ingest_id']})."
    elif replaced_since:
        report.message += (f" Obs: filen lästes in förut (inläsning nr {replaced_since['ingest_id']}), "
                           "men en senare fil har ersatt dess rader; den läses in igen.")
    return report


def _as_day(value):
    """A date from a date, a datetime or an ISO string; None (not known) for None."""
    import datetime as dt

    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError("--extracted", f"uttagsdatum {value!r} är inte ett datum (ÅÅÅÅ-MM-DD)") from None


def _check_report_path(report: Path, path: Path) -> None:
    """Refuse, before anything is read, a report path that would overwrite the input or is a folder."""
    where = str(report)
    if report.is_dir():
        raise InputError(where, "rapportfilen för avvisade rader är en mapp; ange ett filnamn")
    if report.resolve() == path.resolve() or (report.exists() and report.samefile(path)):
        raise InputError(where, "rapportfilen för avvisade rader är samma fil som läses in; ange ett "
                                "annat filnamn (filen som läses in skrivs aldrig över)")
    if report.parent.exists() and not report.parent.is_dir():
        raise InputError(where, f"rapportfilen kan inte skrivas: {report.parent.name} är inte en mapp")


def _write_rejections(report: Path, errors, shown: Path | None = None) -> Path:
    """The rejected rows written to ``report``; a file that cannot be written rolls the ingest back
    (named ``shown``, the report's own name, when ``report`` is the file written aside)."""
    try:
        return write_rejections(report, errors)
    except OSError as exc:
        why = "behörighet saknas" if isinstance(exc, PermissionError) else library_reason(
            exc.strerror or "", default="okänt fel")
        raise InputError(str(shown or report), f"rapportfilen för avvisade rader kunde inte skrivas ({why}); "
                                      "inget lästes in") from None


def _default_report_path(store: Store, path: Path) -> Path:
    return path.with_name(path.stem + ".avvisade.csv")


#: how much of a file :func:`guess_crime_kind` looks at
SNIFF_BYTES = 65536
# Header words that mark an incident-level file (coordinates per row).
COORDINATE_HEADERS = {"x", "y", "e", "n", "easting", "northing", "lat", "lon", "latitud",
                      "longitud", "latitude", "longitude", "xkoordinat", "ykoordinat"}


def guess_crime_kind(path) -> str:
    """``incidents`` when the file's header has coordinate columns, else ``crimes``."""
    from lagesbild.sources.textkeys import normalize_key

    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return "crimes"
    try:
        check_readable(path, path.name)
        with open(path, "rb") as fh:
            raw = fh.read(SNIFF_BYTES)
    except (InputError, OSError):
        return "crimes"  # the ingest refuses the file with the reason
    text = raw.decode("utf-8", errors="replace") if raw[:3] != b"\xef\xbb\xbf" else raw[3:].decode(
        "utf-8", errors="replace")
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            cells = {normalize_key(c) for c in line.replace(";", ",").replace("\t", ",").split(",")}
            return "incidents" if len(cells & COORDINATE_HEADERS) >= 2 else "crimes"
    return "crimes"
