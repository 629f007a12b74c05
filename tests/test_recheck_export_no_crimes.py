"""A packed place without any crime data (a survey's area) says so, as ``compare`` and Plats do, and
shows its survey: its section was a comparison table of "saknas" with the note "antalet avser
månaderna med data" (there are none) and four charts saying there was nothing to show."""

from __future__ import annotations

from lagesbild.export.content import Chart, Heading, Paragraph, Table
from lagesbild.export.data import ExportData, parse_periods
from lagesbild.export.sections import place_section
from lagesbild.ingest import ingest_file
from tests.test_recheck_export_dataend import vaarberg_months


def test_a_place_with_only_survey_data_says_it_has_no_crimes_and_shows_its_survey(places_store, settings,
                                                                                  tmp_path):
    crimes = vaarberg_months(tmp_path)
    survey = tmp_path / "trygghet.csv"
    survey.write_text("Område;Nivå;År;Indikator;Andel (%);Antal svarande\n"
                      "Hässelby torg;plats;2021;Otrygg utomhus sent en kväll i området;38;210\n"
                      "Hässelby torg;plats;2023;Otrygg utomhus sent en kväll i området;31;190\n", encoding="utf-8")
    assert ingest_file(places_store, "crimes", crimes).status == "ok"
    assert ingest_file(places_store, "survey", survey).status == "ok"
    data = ExportData(places_store, settings)
    steps = []
    blocks = place_section(data, data.place("hasselby-torg"), parse_periods(["2021–2022", "2022–2023"]),
                           step=lambda text, n=1: steps.append(n))
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert "Det finns inga anmälda brott för Hässelby torg i databasen: jämförelse, trender, andel och " \
           "karta saknas." in texts
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    assert "Jämförelse mellan perioderna" not in headings and "Trygghetsmätning" in headings
    assert not [b for b in blocks if isinstance(b, Table) and b.name.startswith("Jämförelse")]
    charts = [b for b in blocks if isinstance(b, Chart)]
    assert [c.name for c in charts] == ["Trygghet Hässelby torg 2023"]
    assert sum(steps) == 4  # the progress bar moves as for a place with crimes
    # a place with crime data keeps its comparison and charts
    varberg = place_section(data, data.place("varberg"), parse_periods(["2021–2022", "2022–2023"]))
    assert "Jämförelse mellan perioderna" in [b.text for b in varberg if isinstance(b, Heading)]
    # four charts; Vårberg has no survey rows here: a sentence, not a chart of nothing (same3)
    assert len([b for b in varberg if isinstance(b, Chart)]) == 4
    assert "Det finns ingen trygghetsmätning för Vårberg i databasen." in [
        b.text for b in varberg if isinstance(b, Paragraph)]
