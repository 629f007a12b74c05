"""A place whose crime data are whole years only (Brå's calendar years, a file of whole Sep–Aug years)
has no month to cut before/after windows from. `lagesbild effect`, Plats and Åtgärdsplan said only
"kan inte bedömas: platsen har inga brottsdata per månad före eller efter start", as if it had no crime
data; they now say which whole years it has, one text from the analysis layer (as the pack does)."""

from __future__ import annotations

import json

import pandas as pd
import plotly
import pytest

from lagesbild.ingest import ingest_file

GBG = ("kan inte bedömas: före/efter kräver anmälda brott per månad, och Göteborg har bara siffror för "
       "hela år (kalenderåren 2019–2025)")
BREDANG = ("kan inte bedömas: före/efter kräver anmälda brott per månad, och Bredäng har bara siffror för "
           "hela år (september–augusti-åren 2018–2019 till 2023–2024)")
OLD = "kan inte bedömas: platsen har inga brottsdata per månad före eller efter start"
PLAN = """- id: b1
  aktivitet: Trygghetsvandringar
  prioriterat område: Ordningsvakter
  plats: [bredang, goteborg, varberg]
  löptid: Tillsvidare
  start: 2021-03-01
"""


@pytest.fixture
def yearly_store(places_store, tmp_path):
    """Bredäng: a file of whole Sep–Aug years 2018–2024; Göteborg: Brå's calendar years 2019–2025;
    Vårberg: monthly counts 2019–2023 (10 + the month's number a month)."""
    sep_aug = tmp_path / "ar.csv"
    sep_aug.write_text("Plats;Brottskategori;Period;Antal\n" + "".join(
        f"Bredäng;Skadegörelse;{y}–{y + 1};{300 + y % 7}\nBredäng;Narkotikabrott;{y}–{y + 1};{100 + y % 5}\n"
        for y in range(2018, 2024)), encoding="utf-8")
    bra = tmp_path / "bra_ar.csv"
    bra.write_text("year,area,crime_type,count\n" + "".join(
        f"{y},Göteborg,Skadegörelsebrott,{700 + y % 9}\n" for y in range(2019, 2026)), encoding="utf-8")
    months = tmp_path / "manad.csv"
    months.write_text("Plats;Brottskategori;Månad;Antal\n" + "".join(
        f"Vårberg;Skadegörelse;{y}-{m:02d};{10 + m}\n" for y in range(2019, 2024) for m in range(1, 13)),
        encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    for kind, path, source in (("crimes", sep_aug, None), ("crimes", bra, "bra-brott"), ("crimes", months, None),
                               ("activities", plan, None)):
        assert ingest_file(places_store, kind, path, source=source).status == "ok"
    return places_store


def _verdicts(table) -> dict:
    return dict(zip(table["place_id"], table["verdict"], strict=True))


def test_the_effect_question_says_which_whole_years_a_place_has(yearly_store, settings):
    from lagesbild.analysis.plan import activity_effect

    table = activity_effect(yearly_store, "b1")
    got = _verdicts(table)
    assert got["goteborg"] == GBG and got["bredang"] == BREDANG
    # a place with months is judged as ever: 12 months of 10 + month before and after
    varberg = table[table["place_id"] == "varberg"].iloc[0]
    assert (varberg["count_before"], varberg["count_after"]) == (198, 198)
    assert varberg["verdict"] == "ingen säkerställd förändring"


def test_the_command_line_says_it(yearly_store, settings, capsys):
    from lagesbild.cli import main

    assert main(["--db", settings.db_url, "effect", "--activity", "b1"]) == 0
    text = capsys.readouterr().out
    assert GBG in text and BREDANG in text and OLD not in text
    assert main(["--db", settings.db_url, "effect", "--activity", "b1", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["place_id"]: r["verdict"] for r in rows}["goteborg"] == GBG


def test_plats_and_atgardsplan_say_it(yearly_store, settings):
    from lagesbild.analysis.place import place_effects, place_view
    from lagesbild.analysis.plan import plan_effects
    from lagesbild.web.views import place as place_page
    from lagesbild.web.views import plan as plan_page

    assert set(place_view(yearly_store, settings, "goteborg")["effects"]["verdict"]) == {GBG}
    assert set(place_effects(yearly_store, settings, "bredang")["verdict"]) == {BREDANG}
    got = _verdicts(plan_effects(yearly_store, settings))
    assert got["goteborg"] == GBG and got["bredang"] == BREDANG
    # and the pages show it
    for page in (place_page.place_view(yearly_store, settings, "goteborg"), plan_page.plan_view(yearly_store, settings)):
        shown = json.dumps(page, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
        assert "Göteborg har bara siffror för hela år (kalenderåren 2019–2025)" in shown and OLD not in shown


def test_a_place_without_any_crime_data_keeps_the_old_reason():
    """No whole periods either (a survey's area, say): nothing to name but the missing months."""
    from lagesbild.core.effects import activity_effects

    months = pd.date_range("2019-01-01", periods=36, freq="MS")
    monthly = pd.DataFrame({"place_id": "a", "category": "ran", "month": months, "count": 3})
    coverage = pd.DataFrame({"source": "s", "place_id": "a", "month": months})
    acts = pd.DataFrame({"activity_id": ["x"], "aktivitet": ["X"], "start_date": [pd.Timestamp("2020-06-01")]})
    links = pd.DataFrame({"activity_id": ["x"], "place_id": ["b"]})
    places = pd.DataFrame({"place_id": ["a", "b"], "name": ["A", "B"], "district_id": [None, None]})
    whole = pd.DataFrame({"place_id": ["a"], "period_start": [pd.Timestamp("2019-01-01")],
                          "period_end": [pd.Timestamp("2019-12-31")]})
    out = activity_effects(monthly, acts, links, places, coverage=coverage, whole_counts=whole)
    assert set(out["verdict"]) == {OLD}
