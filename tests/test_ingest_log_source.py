"""A Brå table is stored under its own source (``bra-brott``), but the ingest log kept the source the
ingest started under (``polisen-brott``): the Data page's "Inläsningar → Källa" named the wrong source
(desk9's Södertälje XLSX), and removing ``bra-brott`` left its log rows "ok". The log names the source
the rows went to."""

from __future__ import annotations

from lagesbild.ingest import ingest_file
from lagesbild.settings import ROOT

BRA = ROOT / "tests" / "data" / "bra" / "bra_boden_manad.csv"


def test_the_log_names_the_source_a_bra_table_is_stored_under(store):
    report = ingest_file(store, "crimes", BRA)
    stored = set(store.sources()["source"])
    log = store.ingest_log()
    assert report.source in stored and report.source != "polisen-brott"
    assert log["source"].tolist() == [report.source], log[["file_name", "source"]]

