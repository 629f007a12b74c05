"""Reading a file again with another mapping: the checksum an ingest is logged by, and what the report
says when the same file was read in before with another mapping (or none).

A file is read in once per mapping. Without a mapping an ingest is logged by the file's SHA-256, as
always; with one, by the file's first 32 hex digits followed by 32 of a checksum of the file and what
the mapping says (:func:`ingest_checksum`). So the same file and mapping is a no-op, a corrected
mapping reads the file in again, and the first half still finds every read of the file
(:func:`same_file_reads`).

The ``sha256`` column of the ingest log therefore holds the file's SHA-256 only for an ingest without a
mapping; with one it holds that composite checksum (see :mod:`lagesbild.store.schema`).

A file read in again with a corrected mapping replaces what its earlier reads wrote
(:func:`replace_earlier_reads`): the aggregated counts and survey rows that carry their ingest ids,
and the coverage of those counts, are removed in the same transaction before the file's rows are
written; other files' rows, of the same source too, stay. Both the "already read" check and this are
asked again after the ingest has taken the store's write lock (:func:`already_read` with ``conn``), so
two processes reading the same file at the same moment write it once.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from lagesbild.sources.mapping import load_mapping
from lagesbild.store import Store
from lagesbild.store.current import find_ingest, rows_intact
from lagesbild.store.ingest_rows import (  # noqa: F401 (same_file_reads: the ingest's API)
    crime_rows_of,
    drop_ingest_rows,
    forget_coverage_cells,
    same_file_reads,
)

#: the kinds whose rows a re-read with another mapping replaces by the earlier read's ingest id
REPLACED_BY_INGEST = ("crimes", "survey")


def mapping_fingerprint(mapping) -> str | None:
    """A checksum of what a mapping says (columns, sheet, categories, constants, options), not of how
    its file is written or named; None for no mapping or an empty one. A mapping that cannot be read
    is refused (:class:`InputError`).

    Examples
    --------
    >>> a = mapping_fingerprint({"categories": {"Eget bruk": "narkotikabrott"}})
    >>> a == mapping_fingerprint({"categories": {"Eget bruk": "narkotikabrott"}}), len(a)
    (True, 64)
    >>> a == mapping_fingerprint({"categories": {"Eget bruk": "skadegorelse"}})
    False
    >>> mapping_fingerprint(None), mapping_fingerprint({})
    (None, None)
    """
    import json

    if mapping is None:
        return None
    spec = load_mapping(mapping)
    said = {"columns": spec.columns, "sheet": spec.sheet, "categories": spec.categories,
            "constants": spec.constants, "options": spec.options}
    if not any(said.values()):
        return None
    text = json.dumps(said, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ingest_checksum(file_digest: str, mapping) -> str:
    """The checksum an ingest is logged (and found again) by: the file's own without a mapping; with
    one, the file's first half and a checksum of the file and the mapping together, so that the same
    file read with another mapping (a corrected one) is read in again, and the same file with the
    same mapping is not. The first half names the file whatever its mapping
    (:func:`same_file_reads`).

    Examples
    --------
    >>> f = "ab" * 32
    >>> ingest_checksum(f, None) == f
    True
    >>> c = ingest_checksum(f, {"categories": {"Rån": "ran"}})
    >>> len(c), c[:32] == f[:32], c == f
    (64, True, False)
    """
    said = mapping_fingerprint(mapping)
    if said is None:
        return file_digest
    both = hashlib.sha256(f"{file_digest}:{said}".encode("ascii")).hexdigest()
    return file_digest[:32] + both[:32]


def already_read(store: Store, digest: str, kind: str, conn=None) -> tuple[dict | None, dict | None]:
    """``(earlier, None)`` when a file of this checksum and kind was read in and its rows are still
    the store's (nothing replaced them since: :func:`lagesbild.store.current.rows_intact`), so that
    reading it again would change nothing; ``(None, earlier)`` when it was read in but a later file
    replaced its rows (it is read in again and puts its numbers back); ``(None, None)`` when it was
    never read in. ``conn``: asked on the ingest's own connection, after it took the write lock."""
    earlier = store.find_ingest(digest, kind) if conn is None else find_ingest(conn, digest, kind)
    if earlier is None:
        return None, None
    return (earlier, None) if rows_intact(store, earlier, conn) else (None, earlier)


def read_again_remark(earlier: dict) -> str:
    """The report's sentence when a file read in before is read in again, since a later file replaced
    its rows.

    Examples
    --------
    >>> read_again_remark({"ingest_id": 3})
    'Filen lästes in förut (inläsning nr 3), men en senare fil har ersatt dess rader; den lästes in igen.'
    """
    return (f"Filen lästes in förut (inläsning nr {earlier['ingest_id']}), men en senare fil har ersatt "
            "dess rader; den lästes in igen.")


def replace_earlier_reads(w, earlier: pd.DataFrame, kind: str) -> int:
    """Remove what the earlier reads ``earlier`` (:func:`same_file_reads`) of the same file wrote and
    the store still holds: their aggregated counts with the coverage of those counts, or their survey
    rows (:data:`REPLACED_BY_INGEST`). Other files' rows stay. Returns the rows removed."""
    if kind not in REPLACED_BY_INGEST or earlier.empty:
        return 0
    ids = [int(i) for i in earlier["ingest_id"]]
    if kind == "crimes":
        from lagesbild.ingest.handlers import coverage_cells

        rows = crime_rows_of(w.conn, ids)
        cells = [coverage_cells(grp).assign(source=source) for source, grp in rows.groupby("source")]
        if cells:
            forget_coverage_cells(w.conn, pd.concat(cells, ignore_index=True))
    return drop_ingest_rows(w.conn, ids)


def other_mapping_remark(earlier: pd.DataFrame, kind: str, replace_source: bool, removed: int = 0) -> str:
    """The report's sentence when the same file was read in before with another mapping (or none);
    ``removed``: the rows of those reads taken out first (:func:`replace_earlier_reads`).

    Examples
    --------
    >>> import pandas as pd
    >>> other_mapping_remark(pd.DataFrame({"ingest_id": [4]}), "crimes", False, 1200)[:70]
    'Filen lästes in förut med en annan mappning (inläsning nr 4); nu läste'
    >>> other_mapping_remark(pd.DataFrame({"ingest_id": [4]}), "crimes", False, 1200)[103:]
    'De 1\\xa0200 rader som den förra inläsningen av filen skrev togs bort först; andra filers rader står kvar.'
    """
    ids = ", ".join(str(int(i)) for i in earlier["ingest_id"].head(5))
    text = (f"Filen lästes in förut med en annan mappning (inläsning nr {ids}); nu lästes den in med "
            "den här mappningen.")
    if replace_source or kind not in REPLACED_BY_INGEST:
        return text
    if removed:
        n = f"{removed:,}".replace(",", "\u00a0")
        which = "Den rad" if removed == 1 else f"De {n} rader"
        text += (f" {which} som den förra inläsningen av filen skrev togs bort först; andra filers "
                 "rader står kvar.")
    return text
