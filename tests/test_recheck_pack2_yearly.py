"""A place whose crime data are Brå's calendar years only has no before/after for its activities (the
windows are cut from months): the pack says why, instead of a row of dashes whose only reason was
"platsen har inga brottsdata per månad före eller efter start"."""

from __future__ import annotations

from lagesbild.export.content import Paragraph, Table
from lagesbild.export.data import ExportData
from lagesbild.export.sections import effects_table
from lagesbild.ingest import ingest_file
from tests.test_recheck_export_dataend import mixed_store  # noqa: F401 (a fixture)

PLAN = """- id: gbg-trygg
  aktivitet: Trygghetsvandringar i Göteborg
  prioriterat område: Riktat arbete mot avgränsade platser och utsatta områden
  plats: [goteborg]
  löptid: Tillsvidare
  start: 2022-03-01
- id: vb-samverkan
  aktivitet: Platssamverkan Vårberg
  prioriterat område: Riktat arbete mot avgränsade platser och utsatta områden
  plats: [varberg]
  löptid: Tillsvidare
  start: 2022-03-01
"""


def test_a_place_with_yearly_counts_only_says_why_it_has_no_before_after(mixed_store, settings,  # noqa: F811
                                                                        tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    assert ingest_file(mixed_store, "activities", plan).status == "ok"
    data = ExportData(mixed_store, settings)
    blocks = effects_table(data, data.place("goteborg"))
    assert blocks == [Paragraph(
        "Före/efter kräver anmälda brott per månad: Göteborg har bara siffror för hela år (kalenderåren "
        "2019–2025), så före och efter aktiviteternas start kan inte jämföras här. Jämförelsen mellan "
        "åren står ovan.", "note")]
    # a place with months keeps its table, whatever yearly tables the store holds for others
    varberg = effects_table(data, data.place("varberg"))
    assert isinstance(varberg[0], Table) and varberg[0].rows[0][1] == "Narkotikabrott"
    # month i from Sep 2020 counts 3 + i % 7; Mar 2021–Feb 2022 are months 6 to 17
    assert varberg[0].rows[0][2] == f"{sum(3 + i % 7 for i in range(6, 18))} (mar 2021–feb 2022)"
