"""A kommun's survey rows given with ``Nivå: kommun`` are the survey's city level (core/survey.py reads
"kommun" as "stad"); when that kommun is also the place's district (Mölnbo in Södertälje, desk9's
fictitious store) the place is compared with it once, under the city's columns. Every view called it
"staden": Trygghet's table had an empty "Mot Södertälje" column beside "Mot staden" holding the
comparison with Södertälje, its note said "jämförs med resten av staden", the charts' legends
(Trygghet, Plats, the pack) said "Staden", and ``lagesbild survey`` printed "mot resten av staden".
Södertälje is a kommun, not a city; the comparison is with it, by its name.
"""

from __future__ import annotations

import json

from tests.test_cli import run

SQUARE = [[17.50, 59.10], [17.52, 59.10], [17.52, 59.11], [17.50, 59.11], [17.50, 59.10]]


def _store(tmp_path):
    places = tmp_path / "platser.geojson"
    places.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
        "properties": {"Kod": "molnbo", "Namn": "Mölnbo", "TYP": "Område",
                       "Stadsdelsområde": "Södertälje", "Befolkning": 1200}}]}), encoding="utf-8")
    survey = tmp_path / "trygghet.csv"  # FIKTIVA SIFFROR
    survey.write_text("Område;Nivå;År;Indikator;Andel (%);Antal svarande\n"
                      "Mölnbo;plats;2024;Otrygg utomhus sent en kväll;32;40\n"
                      "Mölnbo;plats;2026;Otrygg utomhus sent en kväll;30;40\n"
                      "Södertälje;kommun;2024;Otrygg utomhus sent en kväll;28;900\n"
                      "Södertälje;kommun;2026;Otrygg utomhus sent en kväll;27;900\n", encoding="utf-8")
    db = tmp_path / "x.sqlite"
    for kind, path in (("places", places), ("survey", survey)):
        res = run("ingest", kind, path, "--no-progress", db=db)
        assert res.returncode == 0, res.stderr
    return db


def _open(tmp_path, monkeypatch):
    db = _store(tmp_path)
    monkeypatch.setenv("LAGESBILD_DB", str(db))
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    settings = load_settings()
    return settings, open_store(settings)


def _text(obj) -> str:
    return json.dumps(obj, default=lambda o: o.to_plotly_json(), ensure_ascii=False)


def test_cli_survey_names_the_kommun_once(tmp_path):
    db = _store(tmp_path)
    res = run("survey", "--place", "molnbo", db=db)
    assert res.returncode == 0, res.stderr
    header = res.stdout.splitlines()[0]
    assert header.count("mot resten av Södertälje") == 1
    assert "staden" not in res.stdout
    # 2026: Mölnbo 30 % of 40 against the rest of Södertälje, (0,27·900 − 0,30·40)/860 = 26,86 %:
    # +3,14 p.e., printed "+3 p.e." under the one comparison column
    row = next(line for line in res.stdout.splitlines() if " 2026 " in line)
    assert "+3\u00a0p.e." in row


def test_survey_page_compares_with_the_kommun_by_name(tmp_path, monkeypatch):
    settings, store = _open(tmp_path, monkeypatch)
    from lagesbild.web.views.survey import survey_view

    text = _text(survey_view(store, settings, place_id="molnbo"))
    assert "Mot Södertälje" in text
    assert "Platsen jämförs med resten av Södertälje, eftersom" in text
    assert "staden" not in text.lower()


def test_survey_table_has_one_column_for_the_kommun(tmp_path, monkeypatch):
    settings, store = _open(tmp_path, monkeypatch)
    from lagesbild.analysis import base
    from lagesbild.analysis.survey import survey_view as numbers
    from lagesbild.figures.survey import city_name, make_survey_table

    res = numbers(store, settings, place_id="molnbo")
    rows = make_survey_table(res["table"], district_name=res["district_name"],
                             city=city_name(store.survey(), base.places(store)))
    against = [c for c in rows.columns if c.startswith("Mot ")]
    assert against == ["Mot Södertälje"]
    assert rows.loc[rows["År"] == "2026", "Mot Södertälje"].iloc[0].startswith("+3\u00a0p.e.")


def test_place_page_and_pack_legends_name_the_kommun(tmp_path, monkeypatch):
    settings, store = _open(tmp_path, monkeypatch)
    from lagesbild.analysis.place import place_view
    from lagesbild.export.charts import survey_chart
    from lagesbild.export.data import ExportData
    from lagesbild.web import common
    from lagesbild.web.views.place import plan_figures

    results = place_view(store, settings, "molnbo")
    fig = plan_figures(results, common.context_from(results["facts"], settings, False), store)["survey"]
    assert [t["name"] for t in fig["data"] if t.get("type") == "scatter" and t.get("mode") == "markers"] \
        == ["Södertälje"]
    data = ExportData(store, settings)
    chart = survey_chart(data, data.place("molnbo"))
    assert "Staden" not in [t.name for t in chart.fig.data]
    assert "Södertälje" in [t.name for t in chart.fig.data]
