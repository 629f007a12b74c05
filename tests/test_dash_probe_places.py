"""The dashboard on a store unlike the demo (tests/dash_probe_store.py): place ids with spaces and
å, ä, ö, places nested three deep, a place with a survey and no crime data, an open-ended activity
six months before the data end, an activity without a place."""

from __future__ import annotations

import json
import sys

import pandas as pd
import pytest
from dash import no_update

from tests import dash_probe_store as probe
from tests.test_web_callbacks import by_id, in_callback, text_of


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dash-probe")
    cfg, store = probe.build(folder)
    from lagesbild.web import create_app

    create_app(cfg, store)
    return cfg, store, probe.incidents()


def test_a_place_id_with_spaces_and_swedish_letters_opens_from_its_quoted_link(env):
    """The browser's path is quoted (/plats/torg%20%C3%A5%C3%A4%C3%B6%201): the page's URL callback
    read the quoted id, found no such place and set the dropdown to nothing ("ingen plats är vald")."""
    pages = sys.modules["lagesbild.web.pages.place"]
    quoted = "/plats/torg%20%C3%A5%C3%A4%C3%B6%201"
    layout = pages.layout(place_id="torg%20%C3%A5%C3%A4%C3%B6%201", per=["2020-2021", "2021-2022"])
    assert by_id(layout, "pl-place").value == probe.TORG
    cats = by_id(layout, "pl-cats").value
    periods = by_id(layout, "pl-periods").value
    # the Location reads the address on mount: the controls already agree, nothing is changed
    out = in_callback("pl-url.pathname", pages.sync_url, quoted, "?per=2020-2021&per=2021-2022",
                      probe.TORG, cats, periods, False)
    assert all(o is no_update for o in out[2:]), out
    # choosing the place writes its quoted path, which the browser keeps as it is
    out = in_callback("pl-place.value", pages.sync_url, "/plats/teststad", "", probe.TORG, cats, periods,
                      False)
    assert out[0] == quoted
    # and the view's numbers are the torg's, counted by hand from the file
    inc = env[2]
    when = pd.to_datetime(inc["Brottsdatum"])
    later = probe.inside(inc, probe.TORG) & when.between("2021-09-01", "2022-08-31")
    view = pages.update(probe.TORG, ["skadegorelse"], ["2020–2021", "2021–2022"], False)
    hand = int((later & (inc["Brottskategori"] == "Skadegörelse")).sum())
    row = next(r for r in by_id(view, "place-comparison").data if r["Kategori"] == "Skadegörelse")
    assert row["2021–2022"].lstrip("▲▼ ") == str(hand)
    assert "ingen plats är vald" not in text_of(view)


def test_an_activity_on_a_place_without_crime_data_says_so_instead_of_zeros(env, capsys):
    """Tom plats has a survey and no crime data: its activity's before/after said 0 before, 0 after
    and "för kort tid efter start för att bedöma" (it started 23 months before the data end), and the
    command line printed "Före: None   Efter: None"."""
    cfg, store, _ = env
    from lagesbild.analysis import plan as plan_analysis
    from lagesbild.cli import main
    from lagesbild.web.views.plan import plan_view

    effects = plan_analysis.activity_effect(store, "tom-aktivitet")
    assert len(effects) and effects["count_before"].isna().all() and effects["count_after"].isna().all()
    assert (effects["verdict"] == "kan inte bedömas: platsen har inga brottsdata per månad före eller efter "
            "start").all()
    row = next(r for r in by_id(plan_view(store, cfg), "plan-effects").data
               if r["Aktivitet"] == "Trygghetsvandring Tom plats")
    assert row["Före"] == row["Efter"] == "–" and "inga brottsdata" in row["Bedömning"]
    assert main(["--db", cfg.db_url, "effect", "--activity", "tom-aktivitet"]) == 0
    text = capsys.readouterr().out
    assert "None" not in text and "Före: –   Efter: –" in text and "för kort tid" not in text
    assert main(["--db", cfg.db_url, "effect", "--activity", "tom-aktivitet", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["count_before"] for r in rows} == {None} and {r["count_after"] for r in rows} == {None}
    # the open-ended activity six months before the data end: windows shortened to six months and
    # counted as by hand (sep 2021–feb 2022 against mar–aug 2022)
    assert main(["--db", cfg.db_url, "effect", "--activity", "tillsvidare", "--format", "json"]) == 0
    rows = {r["category"]: r for r in json.loads(capsys.readouterr().out)}
    inc = env[2]
    when = pd.to_datetime(inc["Brottsdatum"])
    torg = probe.inside(inc, probe.TORG) & (inc["Brottskategori"] == "Skadegörelse")
    rest = probe.inside(inc, "norr ö") & ~probe.inside(inc, probe.TORG) & (inc["Brottskategori"] == "Skadegörelse")
    before, after = when.between("2021-09-01", "2022-02-28"), when.between("2022-03-01", "2022-08-31")
    r = rows["skadegorelse"]
    assert (r["months"], r["count_before"], r["count_after"]) == (6, int((torg & before).sum()),
                                                                  int((torg & after).sum()))
    assert (r["comparison_before"], r["comparison_after"]) == (int((rest & before).sum()),
                                                               int((rest & after).sum()))


def test_a_place_right_under_the_city_is_compared_with_the_city_once(env, capsys):
    """Tom plats lies in Teststad itself (its 'district' is the city): its survey row was tested
    against Teststad twice, as 'mot stadsdelsområdet' and 'mot staden', and both tests counted in
    the Benjamini–Hochberg family. Reference: statsmodels' pooled z test against the rest of the
    city (the city's figure includes the place's respondents) and scipy's BH over the two tests."""
    from scipy.stats import barnard_exact, false_discovery_control
    from statsmodels.stats.proportion import proportions_ztest

    cfg, store, _ = env
    from lagesbild.analysis.survey import survey_view

    table = survey_view(store, cfg, place_id=probe.EMPTY)["table"].set_index("year")
    assert table["diff_district"].isna().all() and table["p_district"].isna().all()
    row = table.loc[2022]
    own = 0.25 * 190
    rest = (0.17 * 5100 - own, 5100 - 190)
    p_city = proportions_ztest([own, rest[0]], [190, rest[1]])[1]
    p_change = proportions_ztest([own, 0.31 * 210], [190, 210])[1]
    # 190 and 210 respondents: never below Barnard's exact test of the answers (48 of 190, 65 of 210)
    p_change = max(p_change, barnard_exact([[48, 65], [190 - 48, 210 - 65]], pooled=True).pvalue)
    adjusted = false_discovery_control([p_city, p_change])
    assert abs(row["diff_city"] - (0.25 - rest[0] / rest[1]) * 100) < 1e-9
    assert abs(row["p_city"] - adjusted[0]) < 1e-9 and abs(row["p_value"] - adjusted[1]) < 1e-9
    from lagesbild.cli import main

    assert main(["--db", cfg.db_url, "survey", "--place", probe.EMPTY, "--format", "json"]) == 0
    cli = {r["year"]: r for r in json.loads(capsys.readouterr().out)}
    assert cli[2022]["diff_district"] is None and abs(cli[2022]["p_city"] - adjusted[0]) < 1e-9


def test_the_comparison_area_is_named_by_the_kind_of_the_larger_area(env):
    """The torg lies in Norr Ö (an utsatt område) and Tom plats right in Teststad (the city): both
    comparison areas were called 'resten av stadsdelsområdet (…)'."""
    from lagesbild.analysis import plan as plan_analysis

    cfg, store, _ = env
    torg = plan_analysis.activity_effect(store, "tillsvidare")
    assert set(torg["comparison"]) == {"resten av Norr Ö"}
    assert set(plan_analysis.activity_effect(store, "tom-aktivitet")["comparison"]) == {"resten av staden (Teststad)"}


def test_every_csv_column_of_the_command_line_has_a_swedish_header(env, capsys):
    """`effect --format csv` ('för Excel') ended on an English column, relative_ci_level."""
    import re

    from lagesbild.cli import main

    cfg, store, _ = env
    for args in (["effect", "--activity", "tillsvidare"], ["compare", "--place", probe.TORG],
                 ["survey", "--place", probe.EMPTY], ["quick", "--place", "norr ö"]):
        assert main(["--db", cfg.db_url, *args, "--format", "csv"]) == 0
        head = capsys.readouterr().out.lstrip("\ufeff").splitlines()[0].split(";")
        assert not [h for h in head if re.fullmatch(r"[a-z0-9_]+", h)], (args, head)


def test_a_district_s_filter_reaches_places_nested_three_deep(env):
    """Teststad > Söder Å > Norr Ö > Torg Åäö: Översikt filtered on Söder Å left the torg out, and
    Åtgärdsplan neither offered Söder Å nor showed the torg's activity under it."""
    from lagesbild.analysis.overview import overview_table
    from lagesbild.web.views.plan import filter_options, plan_view

    cfg, store, inc = env
    res = overview_table(store, cfg, district="söder å")
    cmp = res["comparison"]
    assert set(cmp["place_id"]) == {"söder å", "norr ö", probe.TORG}
    when = pd.to_datetime(inc["Brottsdatum"])
    torg = cmp[(cmp["place_id"] == probe.TORG)].set_index("category")
    for cat, text in (("skadegorelse", "Skadegörelse"), ("narkotikabrott", "Narkotika")):
        of = probe.inside(inc, probe.TORG) & (inc["Brottskategori"] == text)
        assert (torg.loc[cat, "count_a"], torg.loc[cat, "count_b"]) == (
            int((of & when.between("2020-09-01", "2021-08-31")).sum()),
            int((of & when.between("2021-09-01", "2022-08-31")).sum()))
    assert "söder å" in {o["value"] for o in filter_options(store)[1]}
    rows = by_id(plan_view(store, cfg, place_id="söder å"), "plan-table").data
    assert [r["Aktivitet"] for r in rows] == ["Platssamverkan Torg Åäö"]


def test_a_comparison_area_without_crimes_is_not_read_as_no_difference(env):
    """Narkotikabrott happen only on the torg: the rest of Norr Ö had 0 before and 0 after the start,
    and the row said 'ingen säkerställd skillnad mot jämförelseområdet' with p = 1 (in the family)."""
    from lagesbild.analysis import plan as plan_analysis

    cfg, store, inc = env
    rows = plan_analysis.activity_effect(store, "tillsvidare").set_index("category")
    drugs = rows.loc["narkotikabrott"]
    assert (drugs["comparison_before"], drugs["comparison_after"]) == (0, 0)
    assert not (probe.inside(inc, "norr ö") & ~probe.inside(inc, probe.TORG)
                & (inc["Brottskategori"] == "Narkotika")).any()  # by the file, none
    assert drugs["relative_verdict"].startswith("kan inte bedömas") and pd.isna(drugs["relative_p"])
    assert rows.loc["skadegorelse", "relative_verdict"] == "ingen säkerställd skillnad mot jämförelseområdet"


def test_the_survey_note_names_only_the_areas_compared_with(env):
    """A place right under the city is compared with the rest of the city only; the note said
    'resten av stadsdelsområdet och resten av staden'."""
    from lagesbild.web.views.survey import survey_view

    cfg, store, _ = env
    text = text_of(survey_view(store, cfg, place_id=probe.EMPTY))
    assert "Platsen jämförs med resten av staden, eftersom" in text and "stadsdelsområdet och" not in text


def test_compare_of_a_place_without_crime_data_says_so(env, capsys):
    """Tom plats has a survey and no crime data: `compare` printed a row 'Alla kategorier … data saknas
    för 24 månader' and 'antalet avser månaderna med data' (there are none), where Plats says there
    are no reported crimes for the place."""
    from lagesbild.cli import main

    cfg, store, _ = env
    assert main(["--db", cfg.db_url, "compare", "--place", "Tom plats"]) == 0
    assert capsys.readouterr().out.strip() == "Det finns inga anmälda brott för Tom plats i databasen."
    assert main(["--db", cfg.db_url, "compare", "--place", "Tom plats", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_the_place_s_before_after_names_its_comparison_area(env):
    """Plats's before/after section said 'jämförelse med resten av stadsdelsområdet' of a torg
    compared with the rest of Norr Ö (an utsatt område)."""
    from lagesbild.web.views.place import place_view

    cfg, store, _ = env
    text = text_of(place_view(store, cfg, probe.TORG))
    assert "jämförelse med resten av Norr Ö:" in text and "resten av stadsdelsområdet" not in text


def test_an_activity_that_started_before_the_data_lacks_months_before_not_after():
    """Data from Sep 2019, an activity started Mar 2019: 36 months after the start and none before,
    and the rows said 'för kort tid efter start för att bedöma'."""
    from lagesbild.core import effects as fx

    months = pd.date_range("2019-09-01", "2022-08-01", freq="MS")
    m = pd.DataFrame({"place_id": "torg", "category": "rån", "month": months, "count": 5})
    early = fx.before_after(m, place_id="torg", start="2019-03-01", category="rån").iloc[0]
    assert early["verdict"] == fx.TOO_SHORT_BEFORE
    late = fx.before_after(m, place_id="torg", start="2023-03-01", category="rån").iloc[0]
    assert late["verdict"] == "kan inte bedömas: brottsdata per månad finns bara t.o.m. aug 2022, före start"
