"""Ingestion: a file -> a validated tidy table -> one store transaction.

``ingest_file`` is all-or-nothing by default: if any row is rejected, nothing is written and an
:class:`~lagesbild.errors.InputError` lists every problem. With ``keep_valid=True`` the valid rows are
written and the rejected ones go, with their reasons, to a report file. ``validate_file`` runs the
same checks and rolls everything back, for the dashboard's "check before you commit" upload.
Re-ingesting a file already ingested (same checksum and kind) is a no-op that says so.
"""

from __future__ import annotations

from lagesbild.ingest.report import IngestReport
from lagesbild.ingest.run import KINDS, ingest_file, open_store, sync_categories, validate_file

__all__ = ["IngestReport", "KINDS", "ingest_file", "open_store", "sync_categories", "validate_file"]
