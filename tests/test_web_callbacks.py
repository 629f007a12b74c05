"""The dashboard's views and callbacks as plain functions, on a small store built by code.

Numbers shown are checked against counts made here from the generated incidents (not by the core), and
significance against scipy's binomial test.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from dash import no_update
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pyproj import Transformer
from scipy.stats import binomtest
from shapely.geometry import box

from lagesbild.settings import ROOT, load_settings
from lagesbild.store import Store

# ----- the store ---------------------------------------------------------------------------------
BOXES = {  # place_id -> (name, kind, district, population, bounds in EPSG:3006)
    "staden": ("Staden", "stad", None, 900000, (660000, 6570000, 680000, 6590000)),
    "sdo": ("Distriktet", "stadsdelsomrade", None, 50000, (662000, 6572000, 668000, 6578000)),
    "torg": ("Torget", "torg", "sdo", 1000, (664000, 6574000, 664400, 6574400)),
    "centrum": ("Centrum", "centrum", "sdo", 2000, (666000, 6576000, 666600, 6576600)),
}
MONTHS = pd.date_range("2019-09-01", "2022-03-01", freq="MS")  # data until 31 March 2022
# (category, box drawn from, incidents per month before Sep 2020, from Sep 2020, from Sep 2021)
COMPONENTS = [("narkotikabrott", "torg", 3, 4, 9), ("skadegorelse", "torg", 10, 9, 10),
              ("narkotikabrott", "centrum", 2, 2, 2), ("skadegorelse", "sdo", 20, 20, 20),
              ("vald_nara_relation", "sdo", 2, 2, 2), ("narkotikabrott", "staden", 30, 30, 30)]


def _incidents() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = []
    for cat, where, n0, n1, n2 in COMPONENTS:
        minx, miny, maxx, maxy = BOXES[where][4]
        for month in MONTHS:
            n = n0 if month < pd.Timestamp("2020-09-01") else (n1 if month < pd.Timestamp("2021-09-01")
                                                                 else n2)
            for _ in range(n):
                rows.append((cat, month + pd.Timedelta(days=int(rng.integers(0, month.days_in_month)), hours=12),
                             rng.uniform(minx + 1, maxx - 1), rng.uniform(miny + 1, maxy - 1)))
    df = pd.DataFrame(rows, columns=["category", "occurred_at", "x", "y"])
    df["incident_id"] = [f"i{i}" for i in range(len(df))]
    return df


def inside(df: pd.DataFrame, place_id: str) -> pd.Series:
    minx, miny, maxx, maxy = BOXES[place_id][4]
    return df["x"].between(minx, maxx) & df["y"].between(miny, maxy)


def hand_count(df, place_id, category, start, end) -> int:
    """Incidents of a category inside a place between two dates (inclusive), counted here."""
    when = df["occurred_at"].between(pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1))
    return int((inside(df, place_id) & (df["category"] == category) & when).sum())


def _places() -> pd.DataFrame:
    tr = Transformer.from_crs(3006, 4326, always_xy=True)
    rows = []
    for pid, (name, kind, district, pop, b) in BOXES.items():
        g = box(*b)
        lon0, lat0 = tr.transform(b[0], b[1])
        lon1, lat1 = tr.transform(b[2], b[3])
        rows.append({"place_id": pid, "name": name, "kind": kind, "district_id": district,
                     "population": pop, "approximate": False, "source": "test", "wkt_3006": g.wkt,
                     "wkt_4326": box(lon0, lat0, lon1, lat1).wkt, "minx": b[0], "miny": b[1],
                     "maxx": b[2], "maxy": b[3]})
    return pd.DataFrame(rows)


def _write(store: Store, inc: pd.DataFrame) -> None:
    with store.transaction() as w:
        w.ensure_categories([("narkotikabrott", "Narkotikabrott", False),
                             ("skadegorelse", "Skadegörelse", False),
                             ("vald_nara_relation", "Våld i nära relation", True)])
        iid = w.start_ingest("places", "platser.geojson", "a", "test-platser")
        w.upsert_places(_places(), iid)
        w.upsert_source("test-platser", kind="places", ingest_id=iid)
        w.finish_ingest(iid, accepted=len(BOXES), rejected=0)
        iid = w.start_ingest("incidents", "brott.csv", "b", "test-brott")
        w.insert_incidents(inc, "test-brott", iid)
        counts = []
        for pid in BOXES:
            sub = inc[inside(inc, pid)]
            g = sub.groupby([sub["category"], sub["occurred_at"].dt.to_period("M").dt.to_timestamp()])
            counts += [{"source": "test-brott", "place_id": pid, "category": c, "month": m, "count": n}
                       for (c, m), n in g.size().items()]
        w.add_incident_counts(pd.DataFrame(counts))
        w.set_coverage("test-brott", MONTHS, None)
        w.upsert_source("test-brott", kind="incidents", ingest_id=iid, fictitious=True)
        w.finish_ingest(iid, accepted=len(inc), rejected=0)
        iid = w.start_ingest("survey", "trygghet.csv", "c", "test-trygghet")
        w.replace_survey(pd.DataFrame({
            "place_id": ["torg", "torg", "sdo", "staden", "torg"],
            "level": ["plats", "plats", "stadsdelsomrade", "stad", "plats"],
            "year": [2019, 2021, 2021, 2021, 2021],
            "indicator": ["Berusade personer stör ordningen"] * 4 + ["Otrygg kvällstid"],
            "share": [0.30, 0.23, 0.09, 0.08, 0.4],
            "respondents": pd.array([250, 300, 2000, 9000, None], dtype="Int64"),
            "fictitious": [True] * 5}), "test-trygghet", iid)
        w.finish_ingest(iid, accepted=5, rejected=0)
        iid = w.start_ingest("activities", "plan.yaml", "d", "test-plan")
        text = dict.fromkeys(("syfte", "mal", "malgrupp", "matbara_mal", "sdf_kontakt", "polis_kontakt", "ovriga"), "")
        acts = pd.DataFrame([{"activity_id": "a1", "aktivitet": "Platssamverkan Torget",
                              "priority_area": "Riktat arbete mot platser", "arbetsgrupp": "Torggruppen",
                              "start_date": pd.Timestamp("2020-09-01"), "end_date": None, "open_ended": True,
                              "motesfrekvens": "1 gång per månad", "sammankallande": "SDF",
                              "template": "ny", "extra": {}, **text}])
        w.upsert_activities(acts, pd.DataFrame({"activity_id": ["a1"], "place_id": ["torg"]}),
                            pd.DataFrame({"activity_id": ["a1", "a1"], "year": [2021, 2021],
                                          "period": ["T1", "VB"], "goal_met": ["ja", "delvis"],
                                          "carried_out": ["Vandringar", "Möten"]}), "test-plan", iid)
        w.finish_ingest(iid, accepted=1, rejected=0)
        w.set_meta("demo", True)
        w.bump_version()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """(settings, store, incidents) with the web app created once (pages imported)."""
    folder = tmp_path_factory.mktemp("web")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"),
                        organisation="SDF Testdistriktet")
    store = Store(cfg.db_url)
    inc = _incidents()
    _write(store, inc)
    from lagesbild.web import create_app

    app = create_app(cfg, store)
    return cfg, store, inc, app


def walk(component):
    """Every component in a Dash tree (lists and children included)."""
    if isinstance(component, (list, tuple)):
        for c in component:
            yield from walk(c)
        return
    if component is None or isinstance(component, (str, int, float)):
        return
    yield component
    yield from walk(getattr(component, "children", None))


def by_id(tree, cid):
    return next(c for c in walk(tree) if getattr(c, "id", None) == cid)


def text_of(tree) -> str:
    parts = []
    for c in walk(tree):
        kids = getattr(c, "children", None)
        for k in kids if isinstance(kids, list) else [kids]:
            if isinstance(k, (str, int, float)):
                parts.append(str(k))
    return " ".join(parts)


def in_callback(prop_id: str, fn, *args):
    """Call a Dash callback as a plain function, as if ``prop_id`` had triggered it."""
    from contextvars import copy_context

    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    def run():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": None}]))
        return fn(*args)

    return copy_context().run(run)


# ----- overview ----------------------------------------------------------------------------------
def test_overview_shows_hand_counted_numbers_and_significance(env):
    cfg, store, inc, _ = env
    from lagesbild.web.views.overview import overview_view

    tree = overview_view(store, cfg, period="2021-2022", categories=["narkotikabrott", "skadegorelse"])
    table = by_id(tree, "ov-matrix")
    cols = {c["name"].replace("\u00ad", ""): c["id"] for c in table.columns}  # without soft hyphens
    row = next(r for r in table.data if r["plats"].startswith("[Torget](/plats/torg?"))
    # like for like: data end 31 March 2022, so both years are cut to Sep–Mar
    a = hand_count(inc, "torg", "narkotikabrott", "2020-09-01", "2021-03-31")
    b = hand_count(inc, "torg", "narkotikabrott", "2021-09-01", "2022-03-31")
    cell, klass = row[cols["Narkotikabrott"]], row.get("_k" + cols["Narkotikabrott"][1:])
    assert binomtest(b, a + b, 0.5).pvalue < 0.05 and b > a
    assert cell.startswith(f"▲ {b} *(+{b - a},") and klass == "okning"
    sa = hand_count(inc, "torg", "skadegorelse", "2020-09-01", "2021-03-31")
    sb = hand_count(inc, "torg", "skadegorelse", "2021-09-01", "2022-03-31")
    plain = row[cols["Skadegörelse"]]
    assert binomtest(sb, sa + sb, 0.5).pvalue >= 0.05 and plain.startswith(f"{sb} *(")
    assert "_k" + cols["Skadegörelse"][1:] not in row  # no colour without a säkerställd change
    rules = [r for r in table.style_data_conditional if r["if"].get("column_id") == cols["Narkotikabrott"]]
    assert any('"okning"' in r["if"]["filter_query"] and r["backgroundColor"] for r in rules)
    assert "Jämförelsen avser sep–mar" in text_of(tree)
    # the tiles count the table's marked cells (districts' rows included)
    marks = [v for r in table.data for k, v in r.items() if k.startswith("_k")]
    tiles = {t.children[0].children: t.children[1].children for t in walk(tree)
             if str(getattr(t, "className", "")).startswith("tile ")}
    for key, label in (("okning", "Säkerställda ökningar"), ("minskning", "Säkerställda minskningar")):
        assert tiles[label] == str(sum(v == key for v in marks))
    assert int(tiles["Säkerställda ökningar"]) >= 1
    # links to a place keep the pair of periods and the categories
    assert row["plats"].startswith("[Torget](/plats/torg?kat=narkotikabrott&kat=skadegorelse"
                                   "&per=2020-2021&per=2021-2022)")


def test_overview_url_state(env):
    pages = sys.modules["lagesbild.web.pages.overview"]
    out = in_callback("ov-sdo.value", pages.sync_url, "", "2021–2022", ["personran"], "sdo", False)
    assert out[0] == "?sdo=sdo&kat=personran&per=2021-2022"
    out = in_callback("ov-url.search", pages.sync_url, "", "2020–2021", ["personran"], "sdo", False)
    assert out[1:4] == ["2021–2022", [], None]  # back to the clean URL: the defaults
    assert out[4] is None  # and no link notice: the clean URL names nothing that is not here


def test_overview_filters_and_empty_store(env, tmp_path):
    cfg, store, _, _ = env
    from lagesbild.web.views.overview import overview_view

    tree = overview_view(store, cfg, district="sdo")
    names = {r["plats"].split("]")[0][1:] for r in by_id(tree, "ov-matrix").data}
    assert names == {"Distriktet", "Torget", "Centrum"}
    empty = overview_view(Store(f"sqlite:///{tmp_path / 'tom.sqlite'}"), cfg)
    assert "Inget att visa:" in text_of(empty) and "ingen brottsdata" in text_of(empty)
    assert "september–augusti" in text_of(overview_view(store, cfg, period="2021"))


# ----- place -------------------------------------------------------------------------------------
def test_place_view_numbers_charts_and_partial_year(env):
    cfg, store, inc, _ = env
    from lagesbild.web.views.place import place_view

    tree = place_view(store, cfg, "torg", categories=["narkotikabrott"],
                      periods=["2019-2020", "2020-2021", "2021-2022"])
    table = by_id(tree, "place-comparison")
    row = next(r for r in table.data if r["Kategori"] == "Narkotikabrott")
    for start in ("2019", "2020", "2021"):
        n = hand_count(inc, "torg", "narkotikabrott", f"{start}-09-01", f"{int(start) + 1}-03-31")
        label = f"{start}–{int(start) + 1}*"
        assert row[label].lstrip("▲▼ ") == str(n)
    years = go.Figure(by_id(tree, "place-trend_years").figure)  # Plats sends figure dicts
    full = hand_count(inc, "torg", "narkotikabrott", "2019-09-01", "2020-08-31")
    assert years.data[0].y[0] == full
    assert years.data[0].x[-1] == "2021–2022 (t.o.m. 31\u00a0mars)"
    months = go.Figure(by_id(tree, "place-trend_months").figure)
    assert any(s.name == "activity_start" for s in months.layout.shapes)  # Sep 2020 start
    survey = go.Figure(by_id(tree, "place-survey").figure)
    assert survey.layout.title.subtitle.text.startswith("Torget")
    src = next(a.text for a in years.layout.annotations if a.name == "source_line")
    src = src.replace("<br>", " ").replace("\u00a0", " ")  # wrapped to the width, dates kept together
    assert "bearbetning SDF Testdistriktet, data t.o.m. 31 mars 2022 – FIKTIVA DEMODATA" in src
    assert by_id(tree, "place-effects").data  # before/after of the activity


def test_place_view_meeting_grid_and_unknown_place(env):
    cfg, store, _, _ = env
    from lagesbild.web.views.place import place_view

    tree = place_view(store, cfg, "torg", meeting=True)
    grid = next(c for c in walk(tree) if getattr(c, "className", "") == "meeting-grid")
    assert len(grid.children) == 4
    assert by_id(tree, "place-trend_years").style == {"height": "100%"}
    assert "p-värde" not in [c["name"] for c in by_id(tree, "place-comparison").columns]
    missing = place_view(store, cfg, "finns-inte")
    assert "platsen 'finns-inte' finns inte" in text_of(missing)


def test_place_page_callbacks(env):
    pages = sys.modules["lagesbild.web.pages.place"]
    assert "ingen kategori är vald" in text_of(pages.update("torg", [], ["2020–2021"], False))
    assert "ingen plats är vald" in text_of(pages.update(None, ["x"], ["2020–2021"], False))
    out = in_callback("pl-cats.value", pages.sync_url, "/plats/torg", "", "torg", ["narkotikabrott"],
                      ["2020–2021", "2021–2022"], True)
    assert out[:2] == ["/plats/torg", "?mote=1&kat=narkotikabrott&per=2020-2021&per=2021-2022"]
    assert all(o is no_update for o in out[2:4])
    assert out[4] is None  # a control changed: a link notice no longer describes the address
    # back button: the URL changed, so the controls follow it (the path's place, the query's categories)
    out = in_callback("pl-url.search", pages.sync_url, "/plats/centrum", "?kat=skadegorelse&per=2019-2020",
                      "torg", ["narkotikabrott"], ["2020–2021"], False)
    assert out[0] is no_update and out[1] is no_update
    assert out[2:4] == ["centrum", ["skadegorelse"]]  # the periods: the page is re-rendered from the URL
    assert out[4] is no_update
    same = in_callback("pl-url.pathname", pages.sync_url, "/plats/torg", "?kat=skadegorelse&per=2019-2020",
                       "torg", ["skadegorelse"], ["2019–2020"], False)
    assert all(o is no_update for o in same)  # nothing recomputed when the URL agrees
    layout = pages.layout(place_id="torg", kat="skadegorelse", per=["2019-2020", "2020-2021"])
    assert by_id(layout, "pl-cats").value == ["skadegorelse"]
    assert by_id(layout, "pl-periods").value == ["2019–2020", "2020–2021"]


# ----- map ---------------------------------------------------------------------------------------
def test_map_view_hotspots_counts_and_sensitive(env):
    cfg, store, inc, _ = env
    from lagesbild.web.views.map import map_view

    tree = map_view(store, cfg, area="sdo", category="skadegorelse", period="2020-2021", mode="gi")
    fig = go.Figure(by_id(tree, "map-graph").figure)  # the offline map is a figure dict
    assert fig.layout.yaxis.scaleanchor == "x"  # the offline plan map (no MapLibre, no glyphs)
    assert any(t.fill == "toself" and str(t.name).startswith(("Het", "Kall", "Ej")) for t in fig.data)
    n = hand_count(inc, "sdo", "skadegorelse", "2020-09-01", "2021-08-31")
    assert f"{n:,}".replace(",", "\u00a0") in text_of(tree)
    marker = next(t for t in fig.data if t.name == "Aktiviteter i åtgärdsplanen")
    assert "Platssamverkan Torget" in marker.text[0] and "Senaste uppföljning: VB 2021" in marker.text[0]
    listed = by_id(tree, "map-activities").data
    assert {r["Aktivitet"] for r in listed} >= {"Platssamverkan Torget"}
    assert all(r["Ligger i het punkt"] in ("nej", "gäller hela området")
               or r["Ligger i het punkt"].startswith("ja – het punkt, ")
               for r in listed)
    # every activity of the area's places is listed, numbered as its ring on the map is labelled
    links = store.activity_places()
    inside = set(links.loc[links["place_id"].isin(["sdo", "torg"]), "activity_id"])
    assert len(listed) == len(links[links["place_id"].isin(["sdo", "torg"])]) and inside
    assert [r["Nr"] for r in listed] == list(range(1, len(listed) + 1))
    labels = {a.text for a in fig.layout.annotations if a.name == "map_label"}
    torget = [str(r["Nr"]) for r in listed if r["Plats"] == "Torget"]
    assert ", ".join(torget) in labels or f"{torget[0]}–{torget[-1]}" in labels
    assert {"Torget"} <= labels  # the places are named on the map itself
    sensitive = map_view(store, cfg, area="sdo", category="vald_nara_relation", period="2020-2021")
    assert "visas inte på karta" in text_of(sensitive)
    mixed = map_view(store, cfg, area="sdo", category=["skadegorelse", "vald_nara_relation"],
                     period="2020-2021")
    assert "visas inte på karta" in text_of(mixed)  # one sensitive category among several: refused
    assert not [c for c in walk(mixed) if getattr(c, "id", None) == "map-graph"]
    assert "jämförelseperiod" in text_of(map_view(store, cfg, area="sdo", category="skadegorelse",
                                                  period="2021-2022", mode="forandring"))
    itself = map_view(store, cfg, area="sdo", category="narkotikabrott", period="2021-2022",
                      period2="2021–2022", mode="forandring")
    assert "samma som perioden" in text_of(itself)
    assert not [c for c in walk(itself) if getattr(c, "id", None) == "map-graph"]
    change = map_view(store, cfg, area="sdo", category="narkotikabrott", period="2021-2022",
                      period2="2019-2020", mode="forandring")
    assert go.Figure(by_id(change, "map-graph").figure).layout.title.text.startswith("<b>Förändring")
    density = map_view(store, cfg, area="sdo", category="narkotikabrott", period="2021-2022",
                       mode="tathet")
    assert go.Figure(by_id(density, "map-graph").figure).layout.images[-1].source.startswith("data:image/png")
    assert all(r["Ligger i het punkt"].startswith("– (") for r in by_id(density, "map-activities").data)


def test_map_view_sums_several_categories(env):
    cfg, store, inc, _ = env
    from lagesbild.web.views.map import map_view

    both = ["skadegorelse", "narkotikabrott"]
    tree = map_view(store, cfg, area="sdo", category=both, period="2020-2021", mode="gi")
    n = sum(hand_count(inc, "sdo", c, "2020-09-01", "2021-08-31") for c in both)
    assert f"{n:,}".replace(",", "\u00a0") in text_of(tree)
    assert "räknas samman per ruta" in text_of(tree)
    fig = go.Figure(by_id(tree, "map-graph").figure)  # the offline map is a figure dict
    assert fig.layout.meta["title"].endswith("Skadegörelse + Narkotikabrott")
    assert "summan av kategorierna" in fig.layout.title.subtitle.text  # the figure says so itself



def test_map_counts_follow_new_incidents_after_a_category_change(tmp_path):
    from lagesbild.analysis import map_layers

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store, inc = Store(cfg.db_url), _incidents()
    _write(store, inc)
    args = dict(area="sdo", period="2020-2021")
    for cat in ("skadegorelse", "narkotikabrott", "skadegorelse"):  # read once, then filtered
        got = map_layers(store, cfg, category=cat, **args)["incidents"]
        assert got == hand_count(inc, "sdo", cat, "2020-09-01", "2021-08-31")
    year = inc["occurred_at"].between("2020-09-01", "2021-08-31") & inside(inc, "sdo")
    more = inc[year & (inc["category"] == "narkotikabrott")].head(7).assign(
        incident_id=lambda d: d["incident_id"] + "-ny")
    with store.transaction() as w:  # another ingest: the kept rows belong to the old version
        w.insert_incidents(more, "test-brott", w.start_ingest("incidents", "mer.csv", "e", "test-brott"))
        w.bump_version()
    both = pd.concat([inc, more])
    assert hand_count(both, "sdo", "narkotikabrott", "2020-09-01", "2021-08-31") > \
        hand_count(inc, "sdo", "narkotikabrott", "2020-09-01", "2021-08-31")  # the new rows count
    for cat in ("skadegorelse", "narkotikabrott"):
        got = map_layers(store, cfg, category=cat, **args)["incidents"]
        assert got == hand_count(both, "sdo", cat, "2020-09-01", "2021-08-31")


# ----- survey and plan ---------------------------------------------------------------------------
def test_survey_view_wilson_intervals(env):
    cfg, store, _, _ = env
    from statsmodels.stats.proportion import proportion_confint

    from lagesbild.web.views.survey import survey_view

    tree = survey_view(store, cfg, place_id="torg")
    bar = go.Figure(by_id(tree, "survey-latest").figure).data[0]
    i = next(k for k, y in enumerate(bar.y) if y.startswith("Berusade"))
    lo, hi = proportion_confint(round(0.23 * 300), 300, alpha=0.05, method="wilson")
    assert bar.x[i] - bar.error_x.arrayminus[i] == pytest.approx(lo * 100, abs=0.2)
    assert bar.x[i] + bar.error_x.array[i] == pytest.approx(hi * 100, abs=0.2)
    j = next(k for k, y in enumerate(bar.y) if y.startswith("Otrygg"))
    assert bar.error_x.array[j] is None
    rows = by_id(tree, "survey-table").data
    assert any(r["Indikator"].endswith("(fiktiv)") for r in rows)
    assert "ingen trygghetsmätning" in text_of(survey_view(Store("sqlite://"), cfg, place_id="torg"))


def test_plan_view_links_and_filter(env):
    cfg, store, _, _ = env
    from lagesbild.web.views.plan import plan_view

    data = by_id(plan_view(store, cfg), "plan-table").data
    assert data[0]["Plats"] == "[Torget](/plats/torg)" and data[0]["T1 2021"] == "● ja"
    assert "inga aktiviteter matchar" in text_of(plan_view(store, cfg, place_id="centrum"))
    # a district's filter includes the activities of its places
    from lagesbild.web.views.plan import filter_options

    assert "sdo" in {o["value"] for o in filter_options(store)[1]}
    district = by_id(plan_view(store, cfg, place_id="sdo"), "plan-table").data
    assert "[Torget](/plats/torg)" in {r["Plats"] for r in district}


# ----- data page: upload, validate, commit ------------------------------------------------------
SURVEY_HEADER = "Område;Nivå;År;Indikator;Andel (%);Antal svarande;Fiktiv\n"


def _upload(text: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(text.encode("utf-8")).decode()


def test_bad_upload_is_reported_and_changes_nothing(env):
    cfg, store, _, _ = env
    from lagesbild.web.views import data as view

    before = store.dump()
    bad = SURVEY_HEADER + "Torget;plats;2022;Oro;abc;300;ja\nTorget;plats;2022;Nedskräpning;140;300;ja\n"
    path = view.save_upload(_upload(bad), "../../trygghet.csv", view.upload_root(cfg))
    assert view.inside(path, view.upload_root(cfg)) and path.name == "trygghet.csv"
    report, ok = view.validate_upload(store, "survey", path, name="trygghet.csv")
    assert not ok
    errors = by_id(report, "upload-errors").data
    assert [(e["Rad"], e["Kolumn"], e["Värde"]) for e in errors] == [("2", "Andel (%)", "abc"),
                                                                      ("3", "Andel (%)", "140")]
    assert "2 avvisade" in text_of(report)
    result, changed = view.commit_upload(store, {"path": str(path), "kind": "survey",
                                                 "name": "trygghet.csv"})
    assert not changed and "inget lästes in" in text_of(result)
    assert store.dump() == before


def test_good_upload_commits(env):
    cfg, store, _, _ = env
    from lagesbild.web.views import data as view

    pages = sys.modules["lagesbild.web.pages.data"]
    good = SURVEY_HEADER + "Torget;plats;2023;Oro för brott;21,5;280;ja\n"
    report, pending, disabled, kind, *_mapping = pages.validate(_upload(good), "survey", "ny.csv", None, None)
    assert not disabled and pending["kind"] == "survey" and kind == "survey"
    n = len(store.survey())
    result, summary, disabled, *_form = pages.commit(1, pending, [])
    assert len(store.survey()) == n + 1 and disabled
    assert "inläst" in text_of(result)
    outside = pages.commit(1, {**pending, "upload": "/etc/passwd"}, [])
    assert "ingen kontrollerad fil" in text_of(outside[0])
    assert view.guess_kind("platser.geojson") == "places" and view.guess_kind("x.csv") is None


# ----- app, state, entry points -------------------------------------------------------------------
def test_app_serves_pages_with_demo_banner(env):
    cfg, store, _, app = env
    import dash

    client = app.server.test_client()
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Fiktiva demodata" in layout and "data t.o.m. 31 mars 2022" in layout
    paths = {p["path"] for p in dash.page_registry.values()}
    assert {"/", "/karta", "/trygghet", "/atgardsplan", "/data"} <= paths
    deps = client.get("/_dash-dependencies").get_json()
    outputs = [d["output"] for d in deps]
    assert len(outputs) == len(set(outputs))
    assert any("ov-content" in o for o in outputs) and any("pl-content" in o for o in outputs)


@hsettings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["narkotikabrott", "personran", "a-b", "x y"]), max_size=3),
       st.sampled_from(["2019–2020", "2021-2022", None]), st.booleans())
def test_url_state_round_trips(cats, period, meeting):
    from lagesbild.web.state import build_search, is_meeting, parse_search, values

    parsed = parse_search(build_search({"mote": meeting, "kat": cats, "per": period}))
    assert is_meeting(parsed.get("mote")) == meeting
    assert values(parsed, "kat") == [c for part in cats for c in part.split(",")]
    assert values(parsed, "per") == ([period.replace("–", "-")] if period else [])


def test_wsgi_builds_server_from_environment(env, monkeypatch):
    cfg, *_ = env
    monkeypatch.setenv("LAGESBILD_DB", cfg.db)
    monkeypatch.setenv("LAGESBILD_DATA_DIR", cfg.data_dir)
    sys.modules.pop("lagesbild.web.wsgi", None)
    import gc

    gc.unfreeze()
    try:
        wsgi = importlib.import_module("lagesbild.web.wsgi")
        # the served process keeps its start-up heap out of the collector's full passes (web/heap.py)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()  # the test process goes on: its objects go back to the collector
    assert wsgi.server.name == "lagesbild.web" and wsgi.store.url == cfg.db_url
    assert wsgi.server.test_client().get("/").status_code == 200


def test_app_py_loads_demo_only_into_an_empty_store(env, monkeypatch, tmp_path):
    cfg, *_ = env
    spec = importlib.util.spec_from_file_location("app_main", Path(ROOT) / "app.py")
    app_main = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(app_main)
    calls = []
    import lagesbild.demo.load as demo_load

    monkeypatch.setattr(demo_load, "load_demo", lambda store, s: calls.append(store) or [])
    app_main.prepare_store(cfg)
    assert calls == []
    empty = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "tom.sqlite"))
    app_main.prepare_store(empty)
    assert len(calls) == 1
    assert "gunicorn -w 4 -b 127.0.0.1:8050 lagesbild.web.wsgi:server" in app_main.__doc__


def test_results_are_reused_until_the_data_change(env):
    cfg, store, _, _ = env
    from lagesbild.web.views.place import place_results

    args = dict(categories=["narkotikabrott"], periods=["2020-2021", "2021-2022"])
    first = place_results(store, cfg, "torg", **args)
    assert place_results(store, cfg, "torg", **args) is first
    with store.transaction() as w:
        w.bump_version()
    again = place_results(store, cfg, "torg", **args)
    assert again is not first and again["comparison"].equals(first["comparison"])


# ----- exports wired into the pages ----------------------------------------------------------------
def _pattern_ids(tree, kind: str) -> set:
    return {tuple(sorted(c.id.items())) for c in walk(tree) if isinstance(getattr(c, "id", None), dict)
            and c.id.get("type") == kind}


def test_every_chart_has_the_server_export_menu_and_the_quick_buttons(env):
    cfg, store, _, _ = env
    from lagesbild.web.export_controls import CHART_FORMATS
    from lagesbild.web.views.map import map_view
    from lagesbild.web.views.place import place_view

    trees = [place_view(store, cfg, "torg", categories=["narkotikabrott"]),
             map_view(store, cfg, area="sdo", category="skadegorelse", period="2020-2021")]
    for tree in trees:
        graphs = {c.id for c in walk(tree) if type(c).__name__ == "Graph"}
        assert graphs
        server = _pattern_ids(tree, "lb-chart-export")
        quick = _pattern_ids(tree, "chart-dl")
        for g in graphs:
            for fmt, _ in CHART_FORMATS:  # PNG for Word, SVG, PDF from the server
                assert (("fmt", fmt), ("graph", g), ("type", "lb-chart-export")) in server
            for fmt in ("png", "svg"):  # the browser's own quick download stays
                assert (("fmt", fmt), ("graph", g), ("type", "chart-dl")) in quick
            assert (("graph", g), ("type", "lb-chart-download")) in _pattern_ids(tree, "lb-chart-download")


def test_app_registers_the_export_callbacks(env):
    *_, app = env
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    outputs = " ".join(d["output"] for d in deps)
    for part in ("lb-chart-download", "lb-chart-fig", "lb-pack-job", "lb-pack-download", "lb-pack-poll"):
        assert part in outputs


def test_pack_button_on_place_and_overview_pages(env):
    from lagesbild.web.export_controls import IDS

    place = sys.modules["lagesbild.web.pages.place"]
    overview = sys.modules["lagesbild.web.pages.overview"]
    tree = place.layout(place_id="torg", per=["2020-2021", "2021-2022"])
    assert by_id(tree, IDS["places"]).value == ["torg"]
    assert by_id(tree, IDS["periods"]).value == ["2020–2021", "2021–2022"]
    for key in ("start", "progress", "status", "files"):
        assert by_id(tree, IDS[key]) is not None
    tree = overview.layout()
    assert by_id(tree, IDS["start"]).children == "Skapa mötespaket"
    assert by_id(tree, IDS["progress"]) is not None
    # the pack follows the place and periods on screen, also periods it does not list
    out = place.pack_follows("centrum", ["T1 2021", "T1 2022"], [{"label": "2020–2021", "value": "2020–2021"}])
    assert out[0] == ["centrum"] and out[2] == ["T1 2021", "T1 2022"]
    assert [o["value"] for o in out[1]] == ["2020–2021", "T1 2021", "T1 2022"]


def test_a_chart_export_click_sends_a_word_sized_png(env):
    """The server side of the export button with a real render: the browser names the page and the
    chart; the server builds the figure again and sends a 16 cm, 300 dpi PNG named after the chart."""
    import io

    from PIL import Image

    from lagesbild.web.export_controls import chart_download

    request = {"fmt": "png", "graph": "place-trend_years", "path": "/plats/torg",
               "search": "?kat=narkotikabrott&per=2020-2021&per=2021-2022"}
    assert chart_download(None) == (no_update, no_update)
    sent, message = chart_download(request)
    assert message == ""
    assert sent["filename"] == "Anmälda brott per september–augusti-år Torget · 2020–2021 och 2021–2022.png"
    img = Image.open(io.BytesIO(base64.b64decode(sent["content"])))
    assert img.width == round(16 / 2.54 * 300) and round(img.info["dpi"][0]) == 300


@pytest.mark.parametrize("request_, reason", [
    ({"fmt": "png"}, "inget giltigt diagram"),
    ({"fmt": "exe", "graph": "place-trend_years", "path": "/plats/torg", "search": ""}, "exportformat"),
    ({"fmt": "png", "graph": "place-trend_years", "path": "/plats/torg", "search": "",
      "figure": {"layout": {"images": [{"source": "http://127.0.0.1:1/x.png"}]}}}, None),
    ({"fmt": "png", "graph": "x", "path": "/metod", "search": ""}, "inga diagram"),
    ({"fmt": "png", "graph": "nope", "path": "/plats/torg", "search": ""}, "finns inte på sidan"),
    ({"fmt": "svg", "graph": "place-trend_years", "path": "http://evil/", "search": ""}, "giltig sida"),
    (["not", "a", "dict"], "fel form"),
])
def test_a_malformed_chart_export_request_gets_a_swedish_reason(env, monkeypatch, request_, reason):
    """No traceback, no render of anything from the request: a reason in Swedish, or (for a request
    that carries a figure) the page's own figure, the request's figure ignored."""
    from lagesbild.web import export_controls as xc

    rendered = []
    monkeypatch.setattr(xc, "export_chart_bytes",
                        lambda fig, fmt, settings: rendered.append(fig) or (b"x", f"d.{fmt}"))
    sent, message = xc.chart_download(request_)
    if reason is None:
        assert message == "" and len(rendered) == 1
        assert not rendered[0].layout.images  # built on the server, not taken from the request
    else:
        assert sent is no_update and reason in message and message.startswith("Exporten misslyckades")
        assert rendered == []


# ----- periods on the place page ---------------------------------------------------------------------
def test_period_kinds_and_their_defaults(env):
    _, store, _, _ = env
    from lagesbild.web.views import periods as pv

    # data from Sep 2019 to 31 March 2022
    labels = lambda kind: [p.label for p in pv.default_periods(store, kind)]  # noqa: E731
    assert labels("sep_aug") == ["2019–2020", "2020–2021", "2021–2022"]
    assert labels("calendar_year") == ["2019", "2020", "2021", "2022"]
    assert labels("tertial") == ["T1 2020", "T1 2021", "T1 2022"]  # the latest tertial, year over year
    assert labels("range") == ["2021-01-01–2021-03-31", "2022-01-01–2022-03-31"]  # the year so far
    assert [p.label for p in pv.periods_of_kind(store, "tertial")][:2] == ["T3 2019", "T1 2020"]
    opts = pv.options(store, "tertial", ["2018-01-01–2018-11-30"], store.data_until())
    assert opts[-1]["value"] == "2018-01-01–2018-11-30"
    assert opts[-2]["label"] == "T1 2022 (t.o.m. 31 mars 2022)"


def test_place_periods_control_kind_range_and_url(env):
    cfg, store, inc, _ = env
    pages = sys.modules["lagesbild.web.pages.place"]
    from lagesbild.web.views.place import place_view

    out = in_callback("pl-kind.value", pages.periods_control, "tertial", 0, ["2020–2021", "2021–2022"],
                      None, None)
    assert out[0] == ["T1 2020", "T1 2021", "T1 2022"] and out[2] is no_update and out[3] is True
    same = in_callback("pl-kind.value", pages.periods_control, "tertial", 0, ["T2 2020"], None, None)
    assert same[0] is no_update  # already tertials: kept
    added = in_callback("pl-add.n_clicks", pages.periods_control, "range", 1, ["2021-01-01–2021-03-31"],
                        "2020-01-01", "2020-03-31")
    assert added[0] == ["2020-01-01–2020-03-31", "2021-01-01–2021-03-31"] and "tillagd" in added[4]
    # a range of one's own replaces other kinds' periods and the custom kind's two defaults
    defaults = in_callback("pl-kind.value", pages.periods_control, "range", 0, ["2020–2021", "2021–2022"],
                           None, None)[0]
    assert len(defaults) == 2
    for before in (defaults, ["2020–2021", "2021–2022"]):
        replaced = in_callback("pl-add.n_clicks", pages.periods_control, "range", 1, before,
                               "2020-01-01", "2020-03-31")
        assert replaced[0] == ["2020-01-01–2020-03-31"] and "tillagd" in replaced[4]
    kept = in_callback("pl-add.n_clicks", pages.periods_control, "range", 1, ["2020–2021", "2021–2022"],
                       "2020-04-01", "2020-03-31")
    assert kept[0] is no_update  # a bad range changes nothing
    bad = in_callback("pl-add.n_clicks", pages.periods_control, "range", 2, ["2021-01-01–2021-03-31"],
                      "2020-04-01", "2020-03-31")
    assert bad[0] is no_update and bad[4] == "Startdatumet ligger efter slutdatumet."
    # "Alla kategorier" selects every category with data (in the dropdown, the URL and the view)
    every = [o["value"] for o in pages.category_choices(store)[1:]]
    assert pages.category_choices(store)[0] == {"label": "Alla kategorier", "value": "alla"}
    chose = in_callback("pl-cats.value", pages.sync_url, "/plats/torg", "", "torg", ["alla"],
                        ["2020–2021", "2021–2022"], False)
    assert chose[3] == every and "alla" not in chose[1] and chose[1].count("kat=") == len(every)
    assert len(every) > 1
    # the URL carries the periods; the kind follows them
    url = in_callback("pl-periods.value", pages.sync_url, "/plats/torg", "", "torg", ["narkotikabrott"],
                      ["T1 2021", "T1 2022"], False)
    assert url[1] == "?kat=narkotikabrott&per=T1%202021&per=T1%202022"
    layout = pages.layout(place_id="torg", per=["T1 2021", "T1 2022"], kat="narkotikabrott")
    assert by_id(layout, "pl-kind").value == "tertial" and by_id(layout, "pl-range").hidden is True
    assert by_id(layout, "pl-periods").value == ["T1 2021", "T1 2022"]
    layout = pages.layout(place_id="torg", per=["2020-01-01-2020-03-31", "2021-01-01-2021-03-31"])
    assert by_id(layout, "pl-kind").value == "range" and by_id(layout, "pl-range").hidden is False
    assert by_id(layout, "pl-from").date.isoformat() == "2021-01-01"
    # the numbers shown for tertials are the counts of those months
    tree = place_view(store, cfg, "torg", categories=["narkotikabrott"], periods=["T1 2021", "T1 2022"])
    row = next(r for r in by_id(tree, "place-comparison").data if r["Kategori"] == "Narkotikabrott")
    assert row["T1 2021*"].split(" ")[0] == str(hand_count(inc, "torg", "narkotikabrott", "2021-01-01",
                                                           "2021-03-31"))
    assert go.Figure(by_id(tree, "place-trend_years").figure).layout.title.text == "<b>Anmälda brott per tertial</b>"


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(
    st.builds(lambda y, t: f"T{t} {y}", st.integers(2000, 2030), st.integers(1, 3)),
    st.builds(str, st.integers(2000, 2030)),
    st.builds(lambda y, a, b: f"{y}-{a:02d}-01–{y}-{max(a, b):02d}-28", st.integers(2000, 2030),
              st.integers(1, 12), st.integers(1, 12))), min_size=1, max_size=4))
def test_any_period_label_survives_the_url(labels):
    from lagesbild.core.periods import parse_period
    from lagesbild.web.state import build_search, parse_search, values

    back = values(parse_search(build_search({"per": labels})), "per")
    assert [parse_period(v).label for v in back] == [parse_period(v).label for v in labels]


def test_map_layers_of_several_categories_are_gi_star_on_the_summed_counts(env):
    """Several categories: each cell counts the crimes of all of them (counted here, point in cell),
    and Gi* equals esda's G_Local on those summed counts with the same weights."""
    import esda
    import shapely
    from libpysal.weights import W
    from scipy import sparse

    from lagesbild.analysis.maps import map_layers
    from lagesbild.core.hotspots import neighbourhood_weights
    from lagesbild.core.land import land_only

    cfg, store, inc, _ = env
    both = ["skadegorelse", "narkotikabrott"]
    cells = map_layers(store, cfg, area="sdo", category=both, period="2020-2021", mode="gi")["cells"]
    when = inc["occurred_at"].between(pd.Timestamp("2020-09-01"), pd.Timestamp("2021-09-01"))
    places = store.places_gdf()
    area = land_only(places.loc[places["place_id"] == "sdo"].geometry.iloc[0])  # water counts nothing
    chosen = inc[inc["category"].isin(both) & when & shapely.intersects_xy(area, inc["x"], inc["y"])]
    by_hand = [int(shapely.contains_xy(g, chosen["x"], chosen["y"]).sum()) for g in cells.geometry]
    assert cells["count"].tolist() == by_hand and sum(by_hand) > 0
    singles = [map_layers(store, cfg, area="sdo", category=c, period="2020-2021")["cells"] for c in both]
    assert (cells["count"].to_numpy() == singles[0]["count"].to_numpy() + singles[1]["count"].to_numpy()).all()
    w, _ = neighbourhood_weights(cells)
    csr = sparse.csr_matrix(w)
    weights = W({i: csr[i].indices.tolist() for i in range(csr.shape[0])}, silence_warnings=True)
    ref = esda.G_Local(np.asarray(by_hand, float), weights, star=True, transform="B", permutations=0)
    finite = np.isfinite(ref.Zs)
    assert finite.sum() > 0
    assert np.allclose(cells["z"].to_numpy()[finite], ref.Zs[finite], atol=1e-9)


# ----- the map's minimum for a hot spot analysis --------------------------------------------------
def test_map_says_when_there_are_too_few_crimes_for_gi(env):
    cfg, store, inc, _ = env
    from lagesbild.figures.maplayers import MIN_INCIDENTS
    from lagesbild.web.views.map import map_view

    n = hand_count(inc, "torg", "narkotikabrott", "2019-09-01", "2019-12-31")
    assert 0 < n < MIN_INCIDENTS
    tree = map_view(store, cfg, area="torg", category="narkotikabrott", period="2019-09-01–2019-12-31")
    fig = go.Figure(by_id(tree, "map-graph").figure)  # the offline map is a figure dict
    message = f"För få brott ({n}) för en meningsfull hot spot-analys"
    assert any(a.text == f"<b>{message}</b>" for a in fig.layout.annotations)
    assert message in text_of(tree) and "Heta rutor" not in text_of(tree)
    names = {t.name for t in fig.data}
    assert not any(str(nm).startswith(("Het punkt", "Kall punkt", "Ej signifikant")) for nm in names)
    counted = sum(int(c.split()[0]) for t in fig.data if t.mode == "markers" and t.customdata is not None
                  for c in t.customdata)
    assert counted == n  # the counts are still shown, cell by cell
    # enough crimes; the 400 m torg is 4 cells of 200 m, too few for Gi* (core.hotspots.MIN_CELLS), so
    # the map lays 60 m cells over it (sqrt(400² / 40) = 63 → 60 m) and says so
    enough = map_view(store, cfg, area="torg", category="narkotikabrott", period="2021-2022")
    assert "För få" not in text_of(enough) and "Heta rutor" in text_of(enough)
    assert "Rutorna är 60 m i stället för 200 m" in text_of(enough)


def test_mapping_callbacks_refuse_a_state_outside_the_uploads_and_map_one_inside(env):
    """The mapping form's callbacks act only on an upload of ours; the form's choices re-validate."""
    from dash import no_update

    cfg, store, _, _ = env
    pages = sys.modules["lagesbild.web.pages.data"]
    text = "Ort;Nivå;År;Indikator;Andel (%);Antal svarande\nTorget;plats;2023;Oro för brott;21,5;280\n"
    report, pending, disabled, kind, form, state, note = pages.validate(
        _upload(text), "survey", "ort.csv", None, None)
    assert disabled and pending is None and state["columns"] == ["Ort"] and note is None
    assert "Mappa filens kolumner" in text_of(form)
    outside = {**state, "upload": "/etc/passwd"}
    assert all(v is no_update for v in pages.retry(1, ["area"], [], outside))
    assert pages.download_yaml(1, ["area"], [], outside) == (no_update, no_update)
    report, pending, disabled, form, state = pages.retry(1, ["area"], [], state)
    assert not disabled and pending["mapping"] == {"columns": {"area": "Ort"}}
    sent, error = pages.download_yaml(1, ["area"], [], state)
    assert sent["content"] == "columns:\n  area: Ort\n" and error == ""


# ----- areas without a shape ---------------------------------------------------------------------
def test_areas_without_a_shape_render_on_overview_place_map_patterns_and_pack(env, tmp_path):
    """Brå's Göteborg file in a fresh store makes Göteborg's stadsområden areas without a shape:
    Översikt and Plats show their counts (from the file), Karta and Mönster say "saknar karta", the
    dropdowns mark them, and the meeting pack says so in place of the map."""
    _, _, _, app = env  # the pages are registered
    from lagesbild.analysis.base import places_without_map
    from lagesbild.export.data import ExportData, parse_periods
    from lagesbild.export.pack import build_document
    from lagesbild.ingest import ingest_file, open_store
    from lagesbild.web import common
    from lagesbild.web.views.map import map_view
    from lagesbild.web.views.overview import overview_view
    from lagesbild.web.views.patterns import patterns_view
    from lagesbild.web.views.place import place_view

    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = open_store(cfg)
    bra = ROOT / "tests" / "data" / "bra" / "bra_goteborg_ar.csv"
    ingest_file(store, "crimes", bra)
    assert places_without_map(store) == {"centrum", "hisingen", "nordost", "sydvast"}
    lines = bra.read_text(encoding="utf-8").splitlines()

    def antal(year, area, brott_id):
        row = next(x.split(";") for x in lines if x.startswith(f"{year};") and f";{area};" in x
                   and x.split(";")[6] == brott_id)
        return int(row[8])

    a, b = antal(2024, "Centrum", "11650"), antal(2025, "Centrum", "11650")  # narkotikabrott
    tree = overview_view(store, cfg)
    table = by_id(tree, "ov-matrix")
    cols = {c["name"].replace("\u00ad", ""): c["id"] for c in table.columns}
    names = {r["plats"].split("]")[0][1:] for r in table.data}
    assert names == {"Göteborg", "Centrum", "Hisingen", "Nordost", "Sydväst"}
    row = next(r for r in table.data if r["plats"].startswith("[Centrum]"))
    assert row[cols["Narkotikabrott"]].startswith(f"{b} *({b - a:+d},")
    tree = place_view(store, cfg, "centrum", periods=["2024", "2025"])
    assert "saknar karta" in text_of(tree)
    cmp = next(r for r in by_id(tree, "place-comparison").data if r["Kategori"] == "Narkotikabrott")
    assert (cmp["2024"], cmp["2025"]) == (str(a), str(b))
    for view in (map_view(store, cfg, area="centrum", category="narkotikabrott", period="2025"),
                 patterns_view(store, cfg, place="centrum", period="2025")):
        assert "Centrum saknar karta" in text_of(view)
    pt = store.places_gdf().set_index("place_id").loc["goteborg", "geometry"].representative_point()
    inc = tmp_path / "inc.csv"
    inc.write_text("Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N\n" + "".join(
        f"G-{i},2025-0{1 + i % 9}-05,12:00,Narkotika,{pt.x + i:.1f},{pt.y:.1f}\n" for i in range(5)),
        encoding="utf-8")
    ingest_file(store, "incidents", inc)
    from sqlalchemy import text as sql

    with store.engine.connect() as con:  # an area without a shape contains no incident
        counted = dict(con.execute(sql("SELECT place_id, count(*) FROM incident_counts GROUP BY place_id")).all())
    assert set(counted) >= {"goteborg"} and not set(counted) & places_without_map(store)
    whole = text_of(map_view(store, cfg, area="goteborg", category="narkotikabrott", period="2025"))
    assert "Saknar karta och visas inte: Centrum, Hisingen, Nordost, Sydväst" in whole
    from lagesbild.analysis.since_meeting import hotspot_changes

    assert hotspot_changes(store, store, cfg) == []  # Sedan sist: the shapeless districts have no hot spots
    labels = {o["value"]: o["label"] for o in common.place_options(store, exclude_kinds=(), mark_no_map=True)}
    assert labels["centrum"] == "Centrum (stadsdelsområde, saknar karta)" and "saknar" not in labels["goteborg"]
    data = ExportData(store, cfg)
    doc = build_document(data, [data.place("centrum")], parse_periods(["2024", "2025"]),
                         meeting="Test", date=pd.Timestamp("2026-01-15").date())
    assert not any("map" in c.name for c in doc.charts())
    assert any("Centrum saknar karta" in getattr(blk, "text", "") for blk in doc.blocks)


def test_a_request_reads_the_data_version_once(env):
    from sqlalchemy import event

    cfg, store, _, app = env
    client = app.server.test_client()
    asked = []

    def count(conn, cursor, statement, parameters, *args):
        if "FROM meta WHERE meta" in " ".join(statement.split()) and "version" in str(parameters):
            asked.append(statement)

    client.get("/_dash-layout")  # Dash sets itself up on the first request, before any hook
    event.listen(store.engine, "before_cursor_execute", count)
    try:
        for _ in range(2):
            asked.clear()
            assert client.get("/_dash-layout").status_code == 200  # the shell reads many cached facts
            assert len(asked) <= 1  # once, or not at all while nothing was committed (perf15)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert store.version() == store.version()  # outside a request: read each time, unpinned


def test_what_every_request_reads_stays_kept_while_views_come_and_go(tmp_path):
    from lagesbild.analysis import base

    store = Store(f"sqlite:///{tmp_path / 'm.sqlite'}")
    builds = []
    shared = base.memo(store, ("shared",), lambda: builds.append("shared") or object())
    for i in range(3 * base.MEMO_SIZE):  # one view after another, each reading the shared part
        assert base.memo(store, ("shared",), lambda: builds.append("shared") or object()) is shared
        base.memo(store, ("view", i), lambda i=i: builds.append("view") or i)
    assert builds.count("shared") == 1 and builds.count("view") == 3 * base.MEMO_SIZE
    assert len(base._MEMO) <= base.MEMO_SIZE
    base.memo(store, ("view", 0), lambda: builds.append("view") or 0)  # the oldest view was dropped
    assert builds.count("view") == 3 * base.MEMO_SIZE + 1
