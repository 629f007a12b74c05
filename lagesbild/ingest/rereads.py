"""Reading a file again with another mapping: the checksum an ingest is logged by, and what the report
says when the same file was read in before with another mapping (or none).

A file is read in once per mapping. Without a mapping an ingest is logged by the file's SHA-256, as
always; with one, by the file's first 32 hex digits followed by 32 of a checksum of the file and what
the mapping says (:func:`ingest_checksum`). So the same file and mapping is a no-op, a corrected
mapping reads the file in again, and the first half still finds every read of the file
(:func:`same_file_reads`).
"""

from __future__ import annotations

import hashlib

import pandas as pd

from lagesbild.sources.mapping import load_mapping
from lagesbild.store import Store


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


def same_file_reads(store: Store, file_digest: str, kind: str, digest: str) -> pd.DataFrame:
    """The successful ingests of the same file and kind with another mapping (or none) than this
    one's checksum ``digest`` says, newest first."""
    log = store.ingest_log()
    if log.empty:
        return log
    same = (log["kind"] == kind) & (log["status"] == "ok") & (log["sha256"] != digest) & (
        log["sha256"].astype(str).str[:32] == file_digest[:32])
    return log[same]


def other_mapping_remark(earlier: pd.DataFrame, kind: str, replace_source: bool) -> str:
    """The report's sentence when the same file was read in before with another mapping (or none).

    Examples
    --------
    >>> import pandas as pd
    >>> other_mapping_remark(pd.DataFrame({"ingest_id": [4]}), "crimes", False)[:70]
    'Filen lästes in förut med en annan mappning (inläsning nr 4); nu läste'
    """
    ids = ", ".join(str(int(i)) for i in earlier["ingest_id"].head(5))
    text = (f"Filen lästes in förut med en annan mappning (inläsning nr {ids}); nu lästes den in med "
            "den här mappningen.")
    if replace_source:
        return text
    if kind in ("crimes", "survey"):
        text += (" Rader för samma plats, kategori och period ersattes. Rader som den förra mappningen "
                 "lade under en annan kategori eller plats står kvar: läs in filen med --replace-source "
                 "(och samma --source) för att ta bort allt källan läst in tidigare först.")
    return text
