"""Each rate per 1 000 inhabitants is shown with its 95 % interval, the same on Plats, in the pack and
from the command line, and hidden with its count where a small sensitive count is suppressed.

The analysis layer gave the intervals (``place_view()["rate_intervals"]``) but no table showed them:
Plats, the pack and the CLI's JSON gave "46,7" for 8 crimes in a month at a place of 2 055 people as if
it were as certain as 3 000 crimes. The intervals' values are checked against scipy's chi-square by
``tests/test_recheck_stats4_rates.py``; here they must reach every output from the one function
(:func:`lagesbild.analysis.comparison.compare_place`) and leave with their count.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
from scipy import stats

from lagesbild.analysis.place import place_comparison, place_view
from lagesbild.cli import main
from lagesbild.export.data import ExportData
from lagesbild.export.safety import COMPARE_DEPENDENTS, suppress_counts
from lagesbild.export.sections import comparison_table
from lagesbild.figures import tables

PERIODS = ["2021-2022", "2022-2023"]
SHOWN = re.compile(r"^(\d+,\d) \((\d+,\d)–(\d+,\d)\)$")


def _num(text):
    return float(text.replace(",", "."))


def test_plats_table_shows_each_rate_with_the_interval_of_its_comparison(demo_store, demo_settings):
    view = place_view(demo_store, demo_settings, "varberg", periods=PERIODS)
    comp = view["comparison"].set_index("category")
    table = tables.make_comparison_wide(view["comparison"], category_names=view["category_names"])
    assert len(table) >= 5
    for row in table.itertuples(index=False):
        got = SHOWN.match(row[table.columns.get_loc(tables.RATE_COLUMN)])
        assert got, row
        rate, low, high = (_num(g) for g in got.groups())
        r = comp.loc[row[table.columns.get_loc("_category")]]
        assert (rate, low, high) == (round(r["rate_b"], 1), round(r["rate_b_low"], 1), round(r["rate_b_high"], 1))
        assert low <= rate <= high
    assert tables.RATE_NOTE in tables.comparison_notes(table)
    # meeting mode leaves the rate column out, and with it the note
    compact = tables.make_comparison_wide(view["comparison"], category_names=view["category_names"], compact=True)
    assert tables.RATE_COLUMN not in compact and tables.RATE_NOTE not in tables.comparison_notes(compact)


def test_the_interval_is_garwoods_for_a_poisson_row_by_hand(demo_store, demo_settings):
    comp = place_comparison(demo_store, "varberg", PERIODS)
    row = comp[comp["method"] != "kvasi-Poisson"].iloc[0] if (comp["method"] != "kvasi-Poisson").any() else None
    if row is None:  # every row quasi: phi times Garwood of count / phi
        row = comp.iloc[0]
    phi = row["dispersion"] if row["method"] == "kvasi-Poisson" and row["dispersion"] > 1 else 1.0
    k = row["count_b"] / phi
    per_crime = row["rate_b"] / row["count_b"]  # 1 000 / person-years
    low = stats.chi2.ppf(0.025, 2 * k) / 2 * phi * per_crime if k > 0 else 0.0
    high = stats.chi2.ppf(0.975, 2 * k + 2) / 2 * phi * per_crime
    assert np.isclose(row["rate_b_low"], low, rtol=1e-9) and np.isclose(row["rate_b_high"], high, rtol=1e-9)


def test_the_pack_and_the_cli_say_the_same_as_plats(demo_store, demo_settings, demo_store_path, capsys):
    view = place_view(demo_store, demo_settings, "varberg", periods=PERIODS)
    comp = view["comparison"].set_index("category")
    pack = comparison_table(ExportData(demo_store, demo_settings), {"place_id": "varberg", "name": "Vårberg"},
                            list(view["periods"]))
    col = pack.columns.index(tables.RATE_COLUMN)
    shown = {row[0]: row[col] for row in pack.rows}
    web = tables.make_comparison_table(view["comparison"], category_names=view["category_names"])
    on_screen = dict(zip(web["Kategori"], web[tables.RATE_COLUMN], strict=True))
    on_screen.pop("Alla valda kategorier")  # the pack's total is over every category, Plats' over the shown
    assert len(on_screen) >= 4 and on_screen == {k: shown[k] for k in on_screen}
    assert tables.RATE_NOTE in pack.notes
    assert pack.numeric()[col]  # right-aligned as a column of numbers (it was set flush left)
    assert main(["--db", str(demo_store_path), "compare", "--place", "varberg", "--periods", *PERIODS,
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    every = place_comparison(demo_store, "varberg", PERIODS).set_index("category")  # the CLI's categories
    assert len(rows) == len(every)
    for r in rows:
        for key in ("rate_b_low", "rate_b_high", "rate_a_low", "rate_a_high"):
            want = every.loc[r["category"], key]
            assert (r[key] is None and pd.isna(want)) or r[key] == want
        if r["category"] in comp.index and r["category"] != tables.ALL:  # the same row on Plats
            assert r["rate_b_low"] == comp.loc[r["category"], "rate_b_low"]


def test_a_suppressed_count_takes_its_interval_with_it():
    frame = pd.DataFrame({"category": ["vald-i-nara-relation", "inbrott"], "count_a": [9, 40], "count_b": [2, 30],
                          "rate_a": [4.0, 20.0], "rate_b": [1.0, 15.0], "rate_a_low": [1.8, 14.3],
                          "rate_a_high": [7.6, 27.2], "rate_b_low": [0.1, 10.1], "rate_b_high": [3.6, 21.4],
                          "change": [-7, -10], "pct_change": [-77.8, -25.0], "p_value": [0.06, 0.3],
                          "significant": [False, False], "verdict": ["ingen", "ingen"]})
    hidden, n = suppress_counts(frame, count_columns=["count_a", "count_b"], sensitive={"vald-i-nara-relation"},
                                threshold=5, dependents=COMPARE_DEPENDENTS)
    assert n == 1
    first = hidden.iloc[0]
    assert all(pd.isna(first[c]) or first[c] == "–" for c in ("count_b", "rate_b", "rate_b_low", "rate_b_high"))
    assert first["rate_a_low"] == 1.8  # the other period's count is shown, and its interval with it
    assert hidden.iloc[1]["rate_b_low"] == 10.1


def test_jamfor_draws_each_rate_with_its_interval_and_the_same_as_plats(demo_store, demo_settings):
    from lagesbild.analysis.side_by_side import side_by_side
    from lagesbild.figures.side_by_side import make_side_by_side, make_side_by_side_table
    from lagesbild.web.views.side_by_side import COUNT_DEPENDENTS, TABLE_DEPENDENTS

    res = side_by_side(demo_store, demo_settings, places=["bredang", "varberg"], periods=PERIODS)
    last = res["table"][(res["table"]["period"] == "2022–2023") & res["table"]["rate"].notna()]
    fig = make_side_by_side(res["table"], measure="rate", category_names=res["category_names"])
    bars = [t for t in fig.data if t.type == "bar"]
    assert bars and all(t.error_y.type == "data" for t in bars)
    for t in bars:
        for x, y, up, down, text in zip(t.x, t.y, t.error_y.array, t.error_y.arrayminus, t.text, strict=True):
            row = last[(last["name"] == x) & (last["rate"] == y)].iloc[0]
            assert np.isclose(y + up, row["rate_high"]) and np.isclose(y - down, row["rate_low"])
            assert "95 % KI" in text
    # Plats shows the same interval for the same rate (one computation: compare_place)
    plats = place_view(demo_store, demo_settings, "varberg", periods=PERIODS)["comparison"].set_index("category")
    mine = res["table"][(res["table"]["place_id"] == "varberg") & (res["table"]["period"] == "2022–2023")]
    for r in mine.dropna(subset=["rate"]).itertuples():
        if r.category in plats.index and r.category != tables.ALL:
            assert (r.rate_low, r.rate_high) == (plats.loc[r.category, "rate_b_low"], plats.loc[r.category, "rate_b_high"])
    wide = make_side_by_side_table(res)
    rates = wide[[c for c in wide if c.endswith("per 1 000 inv.")][-1]]
    assert rates.str.match(r"^\d+,\d \(\d+,\d–\d+,\d\)$").sum() >= 4
    # on the wall the table gives the rate alone (the chart beside it draws the interval)
    wall = make_side_by_side_table(res, meeting=True)
    assert not wall[[c for c in wall if c.endswith("per 1 000 inv.")][-1]].str.contains("(", regex=False).any()
    assert {"rate_low", "rate_high"} <= set(COUNT_DEPENDENTS["count"]) & set(TABLE_DEPENDENTS["count"])
    assert "konfidensintervall" in res["rate_interval_note"]
