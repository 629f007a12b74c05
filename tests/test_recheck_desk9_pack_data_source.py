"""The meeting pack's data files (ZIP ``data/``) each start with one source line, and every file got
the crime data's: desk9's fictitious pack for Mölnbo had ``# Källa: Polisen, anmälda brott; bearbetning
…`` above the survey's shares ("Trygghet Mölnbo 2026.csv"), whose chart says "Källa:
Trygghetsmätning". A data file now carries its chart's own source line."""

from __future__ import annotations

from lagesbild.export.content import Document
from lagesbild.export.pack import write_data_files
from tests.test_recheck_desk9_survey_kommun import _open

CRIME_LINE = "Källa: Polisen, anmälda brott; bearbetning Testförvaltningen"


def test_the_survey_data_file_names_the_survey_as_its_source(tmp_path, monkeypatch):
    settings, store = _open(tmp_path, monkeypatch)
    from lagesbild.export.charts import survey_chart
    from lagesbild.export.data import ExportData

    data = ExportData(store, settings)
    chart = survey_chart(data, data.place("molnbo"))
    files = write_data_files(Document(title="Test", blocks=[chart]), tmp_path, source=CRIME_LINE)
    csv = next(p for p, _ in files if p.suffix == ".csv")
    first = csv.read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.startswith("# Källa: Trygghetsmätning"), first
    assert "Polisen" not in first


def test_a_table_without_a_chart_keeps_the_packs_source(tmp_path):
    import pandas as pd

    from lagesbild.export.content import Table

    table = Table(name="Jämförelse", columns=["Antal"], rows=[["3"]], data=pd.DataFrame({"Antal": [3]}))
    files = write_data_files(Document(title="Test", blocks=[table]), tmp_path, source=CRIME_LINE)
    csv = next(p for p, _ in files if p.suffix == ".csv")
    assert csv.read_text(encoding="utf-8-sig").splitlines()[0] == "# " + CRIME_LINE
