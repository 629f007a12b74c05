"""The years chart when one category's data end early (coverage per category): one group of bars per
period, the early-ending category's bar alone hatched with its reason in the hover. It drew the period
twice ("2022–2023" and "2022–2023 (data saknas för 5 mån)"), and in meeting mode the long turned label
left the plot ~20 px with the legend scrolling (seen at 1920×1080)."""

from __future__ import annotations

import pandas as pd

from lagesbild.figures.style import FigureContext
from lagesbild.figures.trend import PARTIAL_NOTE, make_trend_years


def counts():
    return pd.DataFrame({
        "category": ["cykelstold", "cykelstold", "skadegorelse", "skadegorelse"],
        "period": ["2021–2022", "2022–2023", "2021–2022", "2022–2023"],
        "count": [279, 172, 226, 220], "months_missing": [0, 5, 0, 0], "n_months": [12, 12, 12, 12],
        "end": pd.to_datetime(["2022-08-31", "2023-08-31", "2022-08-31", "2023-08-31"])})


def bars(fig):
    return {t["name"]: t for t in fig["data"] if t.get("x") != [None]}


def test_a_category_ending_early_is_hatched_within_its_period_s_group():
    fig = make_trend_years(counts(), data_until="2023-08-31", category_names={
        "cykelstold": "Cykelstöld", "skadegorelse": "Skadegörelse"})
    b = bars(fig)
    assert b["Cykelstöld"]["x"] == b["Skadegörelse"]["x"] == ["2021–2022", "2022–2023"]
    assert b["Cykelstöld"]["marker"]["opacity"] == [1.0, 0.55]
    assert b["Skadegörelse"]["marker"]["opacity"] == [1.0, 1.0]
    assert b["Cykelstöld"]["customdata"][1][1] == "ofullständigt år (data saknas för 5 mån)"
    assert any(t["name"] == PARTIAL_NOTE for t in fig["data"])


def test_a_period_incomplete_for_every_category_still_says_so_in_its_label():
    df = counts()
    df.loc[df["period"] == "2022–2023", "months_missing"] = 5
    b = bars(make_trend_years(df, data_until="2023-08-31"))
    assert {tuple(t["x"]) for t in b.values()} == {("2021–2022", "2022–2023 (data saknas för 5 mån)")}


def test_the_meeting_legend_names_the_hatching_on_one_line():
    fig = make_trend_years(counts(), data_until="2023-08-31", context=FigureContext(meeting=True))
    notes = [t["name"] for t in fig["data"] if t.get("x") == [None]]
    assert notes and "<br>" not in notes[0]


def test_the_bars_keep_the_table_s_order_when_a_category_starts_late():
    df = counts()
    df = pd.concat([df.iloc[:2].assign(period="2020–2021", count=0, months_missing=12), df.iloc[2:3].assign(
        period="2020–2021"), df])  # period by period, as counts_by_period gives them: cykelstöld first
    df = df.sort_values("period", kind="stable")
    fig = make_trend_years(df, data_until="2023-08-31", category_names={
        "cykelstold": "Cykelstöld", "skadegorelse": "Skadegörelse"})
    assert list(bars(fig)) == ["Cykelstöld", "Skadegörelse"]


def test_the_month_chart_shades_only_months_no_category_shown_has():
    """Cykelstöld from Sep 2020 to Mar 2023 beside skadegörelse throughout: no band (it said "data
    saknas" over skadegörelse's months on both sides); with both missing a month, that month only."""
    from lagesbild.figures.trend import make_trend_months

    months = pd.date_range("2019-09-01", "2023-08-01", freq="MS")
    bike = (months >= "2020-09-01") & (months <= "2023-03-01")
    series = pd.concat([
        pd.DataFrame({"category": "cykelstold", "month": months, "count": pd.array(
            [20 if b else None for b in bike], dtype="Int64"), "covered": bike}),
        pd.DataFrame({"category": "skadegorelse", "month": months,
                      "count": pd.array([18] * len(months), dtype="Int64"), "covered": True})])
    fig = make_trend_months(series)
    assert not fig["layout"].get("shapes")
    series.loc[(series["month"] == "2021-06-01"), "covered"] = False
    series.loc[(series["month"] == "2021-06-01"), "count"] = None
    shaded = [s for s in make_trend_months(series)["layout"]["shapes"]
              if s.get("fillcolor") == "#DDDDDD"]
    assert len(shaded) == 1 and pd.Timestamp(shaded[0]["x0"]) < pd.Timestamp("2021-06-01") < pd.Timestamp(shaded[0]["x1"])
