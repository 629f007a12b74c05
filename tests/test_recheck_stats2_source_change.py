"""A comparison across a change of source is not tested (stats2).

Vårberg's months come from the police's file of monthly counts until August 2022 and from incident
data (only crimes with coordinates, about 70 % of them) from September 2022. 2021–2022 against
2022–2023 was "minskning, statistiskt säkerställd" on Plats, on the command line and in Översikt,
with no word of the change of source; a change of source is not a change in crime (nor a trend,
which is not tested across one). The pair is now "kan inte bedömas: perioderna kommer från olika
källor", the pairs within one source are tested as before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from lagesbild.analysis import overview, place
from lagesbild.analysis.source_change import VERDICT_SOURCES
from lagesbild.ingest import ingest_file

SWITCH = pd.Timestamp("2022-09-01")


def _build(store, tmp_path, extracted=None):
    rng = np.random.default_rng(7)
    months = pd.date_range("2018-09-01", "2022-08-01", freq="MS")
    lines = ["Plats;Brottskategori;Månad;Antal"]
    lines += [f"Vårberg;Skadegörelse;{m:%Y-%m};{rng.poisson(30)}" for m in months]
    (tmp_path / "brott.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    geom = store.places_gdf().set_index("place_id").loc["varberg", "geometry"]
    minx, miny, maxx, maxy = geom.bounds
    rows = []
    for m in pd.date_range(SWITCH, "2023-08-01", freq="MS"):
        n = rng.poisson(21)
        xy = np.c_[rng.uniform(minx, maxx, 10 * n + 10), rng.uniform(miny, maxy, 10 * n + 10)]
        xy = xy[shapely.contains_xy(geom, xy[:, 0], xy[:, 1])][:n]
        rows += [(f"H-{m:%Y%m}-{i}", f"{m:%Y-%m}-{1 + i % 28:02d}", "12:00", "Skadegörelse", round(x, 1), round(y, 1))
                 for i, (x, y) in enumerate(xy)]
    pd.DataFrame(rows, columns=["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"]) \
        .to_csv(tmp_path / "inc.csv", index=False)
    for kind, name, opts in (("crimes", "brott.csv", {}),
                             ("incidents", "inc.csv", {"crs": 3006, "extracted_at": extracted})):
        report = ingest_file(store, kind, tmp_path / name, **opts)
        assert report.status == "ok", report.message


def test_a_pair_across_a_change_of_source_is_not_tested(places_store, settings, tmp_path):
    _build(places_store, tmp_path)
    table = place.place_comparison(places_store, "varberg", ["2020–2021", "2021–2022", "2022–2023"],
                                   categories=["skadegorelse"])
    rows = table[table["category"] == "skadegorelse"].set_index("period_b")
    across = rows.loc["2022–2023"]
    assert across["count_a"] > across["count_b"]  # the counts fell with the source
    assert across["verdict"] == VERDICT_SOURCES.format(a="polisen-brott", b="polisen-incidenter")
    assert not across["significant"] and np.isnan(across["p_value"])
    # within one source the pair is tested as before
    within = rows.loc["2021–2022"]
    assert np.isfinite(within["p_value"]) and "olika källor" not in within["verdict"]

    # Översikt says the same for the place
    ov = overview.overview_table(places_store, settings, period="2022–2023")["comparison"]
    cell = ov[(ov["place_id"] == "varberg") & (ov["category"] == "skadegorelse")].iloc[0]
    assert cell["verdict"] == across["verdict"] and not cell["significant"]


def test_a_total_crosses_a_change_only_through_a_category_it_sums():
    from lagesbild.analysis.source_change import mark_source_changes

    months = pd.date_range("2021-09-01", periods=24, freq="MS")
    file_rows = pd.DataFrame({"place_id": "torg", "category": "narkotikabrott", "count": 5, "month": months,
                              "source": "polisen-brott"})
    # one incident of another category in the second year only: not summed by the total
    one = pd.DataFrame({"place_id": ["torg"], "category": ["vald_nara_relation"], "count": [1],
                        "month": [pd.Timestamp("2023-03-01")], "source": ["polisen-incidenter"]})
    table = pd.DataFrame({"place_id": "torg", "category": ["narkotikabrott", "alla"], "p_value": [0.2, 0.2],
                          "significant": False, "verdict": "ingen säkerställd förändring", "note": "",
                          "start_a": pd.Timestamp("2021-09-01"), "end_a": pd.Timestamp("2022-08-31"),
                          "start_b": pd.Timestamp("2022-09-01"), "end_b": pd.Timestamp("2023-08-31")})
    same = mark_source_changes(table, pd.concat([file_rows, one], ignore_index=True))
    assert same["verdict"].tolist() == ["ingen säkerställd förändring"] * 2
    # the summed category itself switches in September 2022: its row and the total are not tested
    switched = file_rows.assign(source=np.where(months >= SWITCH, "polisen-incidenter", "polisen-brott"))
    marked = mark_source_changes(table, pd.concat([switched, one], ignore_index=True))
    assert marked["p_value"].isna().all() and (marked["verdict"].str.contains("olika källor")).all()


def test_a_trend_across_a_change_of_source_is_not_tested(places_store, settings, tmp_path):
    # extracted on 5 September 2023: every Sep–Aug year is whole, the last one from incidents
    _build(places_store, tmp_path, extracted="2023-09-05")
    years = ["2018–2019", "2019–2020", "2020–2021", "2021–2022", "2022–2023"]
    view = place.place_view(places_store, settings, "varberg", periods=years)
    assert (view["counts"]["months_missing"] == 0).all()
    trend = view["trends"].set_index("category").loc["skadegorelse"]
    assert trend["verdict"] == "kan inte bedömas: perioderna kommer från olika källor"
    assert np.isnan(trend["p_value"])
    # the four years of the file alone are a trend of one source, tested
    within = place.place_view(places_store, settings, "varberg", periods=years[:4])["trends"]
    assert np.isfinite(within.set_index("category").loc["skadegorelse", "p_value"])
