"""The exported map's list of activities: a map without hot spot classes (a place counted by month,
with no crime that has coordinates) does not say of each activity that it lies in no hot spot ("nej"),
and activities are numbered with the numbers in their names in order ("Aktivitet 2" before
"Aktivitet 10"; it was number 12 of 23)."""

from __future__ import annotations

import yaml

from lagesbild.export.charts import map_chart
from lagesbild.export.data import ExportData, parse_periods
from lagesbild.ingest import ingest_file
from tests.test_recheck_export_dataend import vaarberg_months


def test_a_map_without_hot_spot_classes_lists_its_activities_without_a_verdict(places_store, settings,
                                                                              tmp_path):
    crimes = vaarberg_months(tmp_path)
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump([
        {"id": f"akt-{i}", "aktivitet": f"Aktivitet {i}: trygghetsvandring vid Vårbergs centrum",
         "plats": ["varberg"], "start": "2021-03-01"} for i in (1, 2, 10, 11)], allow_unicode=True),
        encoding="utf-8")
    assert ingest_file(places_store, "crimes", crimes).status == "ok"
    assert ingest_file(places_store, "activities", plan).status == "ok"
    data = ExportData(places_store, settings)
    chart = map_chart(data, data.place("varberg"), parse_periods(["2021–2022", "2022–2023"]))
    note = next(n for n in chart.notes if n.startswith("Åtgärdsplanens aktiviteter"))
    assert "– nej" not in note
    assert note.count("– inga brott med koordinater att pröva") == 4  # one dash (test_recheck_pack2_yearly)
    listed = [part.split(":")[0] for part in note.split(": ", 1)[1].split("; ")]
    assert listed == ["1 Aktivitet 1", "2 Aktivitet 2", "3 Aktivitet 10", "4 Aktivitet 11"]
