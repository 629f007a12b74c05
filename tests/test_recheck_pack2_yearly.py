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


def test_a_place_with_sep_aug_years_only_says_so_too(places_store, settings, tmp_path):
    """A coordinator's file of whole Sep–Aug years (no months) for Bredäng."""
    years = tmp_path / "ar.csv"
    years.write_text("Plats;Brottskategori;Period;Antal\n" + "".join(
        f"Bredäng;Skadegörelse;{y}–{y + 1};{300 + y % 7}\nBredäng;Narkotikabrott;{y}–{y + 1};{100 + y % 5}\n"
        for y in range(2018, 2024)), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text("- id: b1\n  aktivitet: Platssamverkan Bredäng\n  prioriterat område: Ordningsvakter\n"
                    "  plats: [bredang]\n  löptid: Tillsvidare\n  start: 2021-03-01\n", encoding="utf-8")
    assert ingest_file(places_store, "crimes", years).status == "ok"
    assert ingest_file(places_store, "activities", plan).status == "ok"
    data = ExportData(places_store, settings)
    assert effects_table(data, data.place("bredang")) == [Paragraph(
        "Före/efter kräver anmälda brott per månad: Bredäng har bara siffror för hela år "
        "(september–augusti-åren 2018–2019 till 2023–2024), så före och efter aktiviteternas start kan "
        "inte jämföras här. Jämförelsen mellan åren står ovan.", "note")]


def test_the_map_note_says_why_an_activity_has_no_hot_spot_answer_without_a_double_dash(mixed_store,  # noqa: F811
                                                                                      settings, tmp_path):
    """Göteborg has no incident: the note listed "1 Trygghetsvandringar i Göteborg – – (inga brott med
    koordinater att pröva)"."""
    from lagesbild.export.charts import map_chart
    from lagesbild.export.data import parse_periods

    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    assert ingest_file(mixed_store, "activities", plan).status == "ok"
    data = ExportData(mixed_store, settings)
    chart = map_chart(data, data.place("goteborg"), parse_periods(["2024", "2025"]))
    note = next(n for n in chart.notes if n.startswith("Åtgärdsplanens aktiviteter på platsen"))
    assert note.endswith(": 1 Trygghetsvandringar i Göteborg – inga brott med koordinater att pröva.")
