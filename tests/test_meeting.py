"""The meeting questions (analysis.meeting) against independent computations, and their CLI."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.stats import binomtest
from statsmodels.stats.multitest import multipletests

from lagesbild.analysis import base, meeting
from lagesbild.analysis.cubeviews import store_cube
from tests.stat_reference import history_fit, quasi_two_period_p


def _inside(store, place_id):
    places = store.places_gdf()
    geom = places.set_index("place_id").loc[place_id, "geometry"]
    inc = store.incidents()
    return inc[shapely.contains_xy(geom, inc["x"].to_numpy(), inc["y"].to_numpy())]


def _history(store, place_id, category):
    """The place × category's monthly counts over its covered months up to the last complete month."""
    cube = store_cube(store)
    pos = cube.place_index([place_id])[0]
    months = cube.months[cube.covered[pos] & cube.until_mask(base.data_end(store))]
    rows = store.monthly_counts().query("place_id == @place_id and category == @category")
    counts = rows.assign(month=pd.to_datetime(rows["month"])).set_index("month")["count"]
    return counts.reindex(months, fill_value=0).to_numpy(), months


def test_quick_spans_count_by_day_and_test_like_statsmodels_with_bh_like_statsmodels(demo_store, demo_settings):
    """Counts by day inside the place; each pair's quasi-Poisson test with the category's dispersion
    from its monthly history (statsmodels' fit), or the exact test (scipy) with too short a history."""
    got = meeting.quick_comparison(demo_store, demo_settings, place="Vårberg")
    inc = _inside(demo_store, "varberg")
    day = pd.to_datetime(inc["occurred_at"]).dt.normalize()
    methods = set()
    for r in got.sample(12, random_state=1).itertuples():
        of = inc["category"] == r.category
        a = int((of & (day >= pd.Timestamp(r.start_a)) & (day <= pd.Timestamp(r.end_a))).sum())
        b = int((of & (day >= pd.Timestamp(r.start_b)) & (day <= pd.Timestamp(r.end_b))).sum())
        assert (r.count_a, r.count_b) == (a, b)
        counts, months = _history(demo_store, "varberg", r.category)
        methods.add(r.method)
        if len(months) < 24:
            ref = binomtest(b, a + b, r.days_b / (r.days_a + r.days_b)).pvalue if a + b else 1.0
            assert r.method == "exakt Poisson"
        else:
            phi, nu = history_fit(counts, months) if counts.any() else (1.0, len(months) - 1)
            ref = quasi_two_period_p(a, b, r.days_a, r.days_b, phi, nu) if a + b else 1.0
            assert r.method == "kvasi-Poisson"
        assert r.p_value == pytest.approx(ref, rel=1e-7)
    assert methods == {"kvasi-Poisson"}
    q = multipletests(got["p_value"], alpha=demo_settings.alpha, method="fdr_bh")[1]
    assert np.allclose(got["q_value"], q)
    assert (got["significant"] == (got["q_value"] < demo_settings.alpha)).all()
    assert set(got["span"]) == {"28d", "ytd", "12m"}


def test_quick_spans_are_one_family_whichever_categories_are_asked(demo_store, demo_settings):
    # the q-value of a category was that of the categories asked (the command line's --category or
    # the page's choice): BH over the place's every category, as the comparisons' family
    every = meeting.quick_comparison(demo_store, demo_settings, place="Vårberg")
    asked = sorted(set(every["category"]))[:2]
    some = meeting.quick_comparison(demo_store, demo_settings, place="Vårberg", categories=asked)
    assert sorted(set(some["category"])) == asked
    key = ["span", "category"]
    merged = some.merge(every, on=key, suffixes=("", "_every"))
    assert len(merged) == len(some)
    assert np.allclose(merged["p_value"], merged["p_value_every"])
    assert np.allclose(merged["q_value"], merged["q_value_every"])
    assert (merged["verdict"] == merged["verdict_every"]).all()


def test_patterns_hold_every_incident_inside_the_place_and_refuse_sensitive(demo_store, demo_settings):
    res = meeting.incident_patterns(demo_store, demo_settings, place="varberg", period="2022–2023")
    inc = _inside(demo_store, "varberg")
    t = pd.to_datetime(inc["occurred_at"])
    sensitive = set(demo_store.categories().query("sensitive")["category_id"])
    want = inc[(t >= "2022-09-01") & (t < "2023-09-01") & ~inc["category"].isin(sensitive)]
    assert res["n"] == len(want) == int(res["weekday_hour"]["count"].sum())
    assert 0 < res["concentration"][0.05] <= res["concentration"][0.1] <= 1
    with pytest.raises(meeting.Refused):
        meeting.incident_patterns(demo_store, demo_settings, place="varberg", period="2022–2023",
                                  category=sorted(sensitive)[0])


def test_patterns_say_the_sensitive_categories_are_left_out(demo_store_path):
    """Without a category the count leaves the sensitive ones out, and says so (the CLI's count was
    '628 brott' beside compare's 658 for all categories, with no word on why)."""
    text = _cli(demo_store_path, "patterns", "--place", "varberg", "--period", "2022-2023").stdout
    assert text.splitlines()[0].startswith("Vårberg, 2022–2023, alla kategorier utom känsliga: ")
    data = json.loads(_cli(demo_store_path, "patterns", "--place", "varberg", "--period", "2022-2023",
                           "--category", "inbrott", "--format", "json").stdout)
    assert data["category_name"] == "Inbrott"


def _cli(db, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), *args], input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_notes_through_the_cli_are_kept_listed_and_refused_in_swedish(demo_store_path, tmp_path):
    db = tmp_path / "copy.sqlite"
    with sqlite3.connect(demo_store_path) as src, sqlite3.connect(db) as dst:
        src.backup(dst)  # the demo store is in WAL mode: a file copy could miss pages
    ok = _cli(db, "notes", "add", "--place", "Vårberg", "--date", "2026-11-20", "--author", "Anna",
              stdin="Polisen ökar närvaron vid centrum.\n")
    assert ok.returncode == 0 and "sparad" in ok.stdout
    listed = json.loads(_cli(db, "notes", "list", "--format", "json").stdout)
    assert [(n["place"], n["meeting_date"], n["text"]) for n in listed] == [
        ("Vårberg", "2026-11-20", "Polisen ökar närvaron vid centrum.")]
    bad = _cli(db, "notes", "add", "--place", "Atlantis", "--date", "2026-11-20", "--author", "A",
               "--text", "x")
    assert bad.returncode == 2 and bad.stderr.startswith("Fel:") and "Traceback" not in bad.stderr
    csv = _cli(db, "notes", "add", "--place", "Vårberg", "--date", "2026-11-21", "--author", "B",
               "--text", "=cmd|' /C calc'!A0")
    assert csv.returncode == 0
    out = _cli(db, "notes", "list", "--format", "csv").stdout
    assert "'=cmd" in out and ";=cmd" not in out


def test_quick_spans_end_with_the_incident_data_and_never_test_uncovered_months(demo_store, demo_settings):
    """The default end is the last day incident-level data cover; spans reaching months no incident
    source covers are not tested (a missing month is not a month without crime)."""
    cov = demo_store.all_coverage()
    last_month = cov["month"].max()
    got = meeting.quick_comparison(demo_store, demo_settings, place="Vårberg")
    assert max(got["end_b"]) == (last_month + pd.offsets.MonthEnd(0)).date()
    assert got["p_value"].notna().all()
    later = (last_month + pd.offsets.MonthEnd(3)).date()
    beyond = meeting.quick_comparison(demo_store, demo_settings, place="Vårberg", last_day=later)
    assert len(beyond) and beyond["p_value"].isna().all() and not beyond["significant"].any()
    assert set(beyond["verdict"]) == {meeting.MISSING_VERDICT}


def test_the_quick_table_shows_now_against_then_with_arrows_only_for_significant_changes():
    from lagesbild.web.pages.place_quick import quick_table

    spans = [("28d", "Senaste 28 dagarna (1–28 nov)", 28, 28), ("ytd", "Hittills i år (1 jan–28 nov)", 332, 333)]
    rows = []
    for key, label, da, db in spans:  # span-major, as quick_comparison returns them
        for cat, ca, cb, sig, p in (("ran", 10, 30, True, 0.001), ("stold", 40, 12, True, 0.002),
                                    ("klotter", 1500, 1600, False, 0.4), ("inbrott", 3, 4, False, float("nan"))):
            rows.append({"span": key, "span_label": label, "category": cat, "count_a": ca, "count_b": cb,
                         "days_a": da, "days_b": db, "significant": sig, "p_value": p})
    table = quick_table(pd.DataFrame(rows), {"ran": "Rån", "stold": "Stöld"})
    assert table.columns.tolist() == ["Kategori", "Senaste 28 dagarna", "Hittills i år"]
    assert table["Kategori"].tolist() == ["Rån", "Stöld", "klotter", "inbrott"]
    assert table.iloc[0, 1] == "30 mot 10 ▲" and table.iloc[1, 2] == "12 mot 40 ▼"
    assert table.iloc[2, 1] == "1\u00a0600 mot 1\u00a0500"  # not significant: no arrow
    assert table.iloc[3, 2] == "4 mot 3 (data saknas)"


def test_the_quick_card_names_the_size_of_the_whole_family(demo_store, demo_settings):
    """The card said "korrigerat för 6 test" with two categories shown while the family held every
    category of the place: the count is the tests adjusted together (the rows that have a p-value,
    all categories, all spans)."""
    from plotly.utils import PlotlyJSONEncoder

    from lagesbild.web.pages.place_quick import quick_section

    every = meeting.quick_comparison(demo_store, demo_settings, place="Vårberg")
    tested = int(every["p_value"].notna().sum())
    asked = sorted(set(every["category"]))[:2]
    card = json.dumps(quick_section(demo_store, demo_settings, "varberg", asked).to_plotly_json(),
                      cls=PlotlyJSONEncoder, ensure_ascii=False)
    assert f"korrigerat för {tested} test med Benjamini–Hochberg" in card
    assert tested > 3 * len(asked)
