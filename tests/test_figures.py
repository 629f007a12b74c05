"""Figure functions as plain functions: traces, titles, Swedish formatting, source line, empty input."""

from __future__ import annotations

import math
import os
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import box

from lagesbild.core.hotspot_change import CHANGE_LABELS
from lagesbild.core.hotspots import CLASS_LABELS
from lagesbild.figures import activities, finishing, fit, maps, palette, share, style, survey, trend
from lagesbild.figures import format as f
from lagesbild.figures.activities import make_plan_table
from lagesbild.figures.effects_table import make_effects_table
from lagesbild.figures.mapactivities import activity_points
from lagesbild.figures.overview import make_overview_matrix, make_overview_tiles, running_activities
from lagesbild.figures.survey import make_survey_table, make_survey_trend
from lagesbild.figures.tables import (
    comparison_styles,
    make_comparison_table,
    make_comparison_wide,
    make_trend_table,
)
from tests.e2e_support import JS_LAYOUT_PROBLEMS

NBSP = "\u00a0"
CTX = style.FigureContext(organisation="SDF Hässelby-Vällingby", data_until="2023-03-31", demo=True)
MEETING = style.FigureContext(organisation="SDF", data_until="2023-03-31", meeting=True)


def _read_as_plotly(make, plotly_too: bool = False):
    """The figure function with its dict read back through plotly (``go.Figure(d)``, which validates
    every key and value), so a test reads traces and layout as plotly gives them (``plotly_too``: the
    function may also return a plotly figure, e.g. the map over a tile server's basemap)."""
    def read(*args, **kwargs):
        made = make(*args, **kwargs)
        assert (plotly_too and isinstance(made, go.Figure)) or (
            isinstance(made, dict) and set(made) == {"data", "layout"})
        return go.Figure(made)
    return read


make_trend_years = _read_as_plotly(trend.make_trend_years)
make_trend_months = _read_as_plotly(trend.make_trend_months)
make_share_chart = _read_as_plotly(share.make_share_chart)
make_survey_chart = _read_as_plotly(survey.make_survey_chart)
make_activity_timeline = _read_as_plotly(activities.make_activity_timeline)
make_hotspot_map = _read_as_plotly(maps.make_hotspot_map, plotly_too=True)


def source_text(fig) -> str:
    """The source line as plain text (it is wrapped to the figure's width with ``<br>`` and keeps
    dates together with no-break spaces)."""
    text = next(a.text for a in fig.layout.annotations if a.name == "source_line")
    return text.replace("<br>", " ").replace(NBSP, " ")


def assert_finished(fig, title_part: str, place: str | None = None):
    """Title, subtitle with the place, Swedish separators and the source line are all there."""
    assert title_part in fig.layout.title.text
    if place:
        assert place in fig.layout.title.subtitle.text
    assert fig.layout.separators == ", "
    assert source_text(fig).startswith("Källa: ")


# ----- format ------------------------------------------------------------------------------------
def test_fmt_int_groups_thousands_with_no_break_space():
    assert f.fmt_int(12345) == f"12{NBSP}345"
    assert f.fmt_int(1234567) == f"1{NBSP}234{NBSP}567"
    assert f.fmt_int(-7) == "\u22127"
    assert f.fmt_int(None) == "–" and f.fmt_int(pd.NA) == "–" and f.fmt_int(float("nan")) == "–"


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_fmt_int_round_trips(n):
    text = f.fmt_int(n)
    assert int(text.replace(NBSP, "").replace("\u2212", "-")) == n
    assert all(len(group) == 3 for group in text.lstrip("\u2212").split(NBSP)[1:])


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 4))
def test_fmt_num_decimal_comma(x, decimals):
    text = f.fmt_num(x, decimals)
    back = float(text.replace(NBSP, "").replace("\u2212", "-").replace(",", "."))
    # half away from zero of the shortest decimal text (1,25 → 1,3; Python's round gives 1,2 and the
    # difference 0,1 is a hair above 10⁻¹ in binary, so this test failed when hypothesis drew a half)
    expected = float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    assert math.isclose(back, expected, rel_tol=1e-12, abs_tol=1e-9), (text, expected)
    assert "." not in text


def test_fmt_pct_date_period_and_slug():
    assert f.fmt_pct(0.234, 1) == f"23,4{NBSP}%"
    assert f.fmt_pct(-48.2, 0, sign=True, fraction=False) == f"\u221248{NBSP}%"
    assert f.fmt_pp(3.2) == f"+3{NBSP}p.e."
    assert f.fmt_p(0.0004) == f"<{NBSP}0,001" and f.fmt_p(0.0412) == "0,0412"
    assert f.fmt_p(0.0498) == "0,0498" and f.fmt_p(0.04999) == "0,04999"  # never shown as 0,050
    assert f.fmt_date("2023-08-31") == "31 aug 2023"
    assert f.fmt_month("2019-09-01") == "sep 2019"
    assert f.fmt_period("2019-2020") == "2019–2020"
    assert f.slug("Älvsjö/Solberga 2021–2022") == "alvsjo-solberga-2021-2022"
    assert f.slug("../../x") == "x"


# ----- style -------------------------------------------------------------------------------------
def test_source_line_names_organisation_date_and_demo():
    assert style.source_line(CTX) == ("Källa: Polisen, anmälda brott; bearbetning SDF "
                                      "Hässelby-Vällingby, data t.o.m. 31 mars 2023 – FIKTIVA DEMODATA")
    assert "FIKTIVA" not in style.source_line(style.FigureContext(organisation="X"))


def test_meeting_mode_uses_larger_type():
    normal = make_trend_years(YEARS, data_until="2023-03-31", context=CTX)
    big = make_trend_years(YEARS, data_until="2023-03-31", context=MEETING)
    assert big.layout.template.layout.font.size > normal.layout.template.layout.font.size
    assert big.layout.title.font.size > normal.layout.title.font.size


def test_graph_config_names_the_download():
    cfg = style.graph_config("trend-hasselby-torg")
    assert cfg["toImageButtonOptions"]["filename"] == "trend-hasselby-torg"
    assert cfg["toImageButtonOptions"]["format"] == "png"
    assert cfg["displaylogo"] is False


# ----- trend -------------------------------------------------------------------------------------
YEARS = pd.DataFrame({
    "category": ["personran"] * 3 + ["skadegorelse"] * 3,
    "period": ["2020–2021", "2021–2022", "2022–2023"] * 2,
    "end": pd.to_datetime(["2021-08-31", "2022-08-31", "2023-08-31"] * 2),
    "count": [55, 40, 18, 300, 280, 140], "months_missing": [0, 0, 5] * 2, "n_months": [12] * 6})


def test_trend_years_marks_the_partial_year():
    fig = make_trend_years(YEARS, data_until="2023-03-31", place="Vårberg", context=CTX,
                           category_names={"personran": "Personrån", "skadegorelse": "Skadegörelse"})
    assert_finished(fig, "september–augusti", "Vårberg")
    bars = [t for t in fig.data if t.name in ("Personrån", "Skadegörelse")]
    assert [list(b.y) for b in bars] == [[55, 40, 18], [300, 280, 140]]
    for b in bars:
        assert list(b.x) == ["2020–2021", "2021–2022", "2022–2023 (t.o.m. 31\u00a0mars)"]
        assert list(b.marker.pattern.shape) == ["", "", "/"]
        assert list(b.marker.opacity) == [1.0, 1.0, 0.55]
    assert any("inte komplett" in (t.name or "") for t in fig.data)
    assert "31 mars 2023" in source_text(fig) and "FIKTIVA DEMODATA" in source_text(fig)


def test_trend_years_complete_years_are_plain():
    fig = make_trend_years(YEARS.assign(months_missing=0), data_until="2023-08-31", context=CTX)
    assert all(set(t.marker.pattern.shape) == {""} for t in fig.data)
    assert "t.o.m." not in " ".join(fig.data[0].x)


def months_frame():
    months = pd.date_range("2019-09-01", "2021-08-01", freq="MS")
    counts = pd.array([5] * 6 + [None] * 2 + [7] * 16, dtype="Int64")
    roll = pd.Series(counts, dtype="Float64").rolling(12, min_periods=12).sum()
    return pd.DataFrame({"category": "narkotikabrott", "month": months, "count": counts,
                         "covered": counts.notna() if hasattr(counts, "notna") else True,
                         "rolling_12": pd.array(roll, dtype="Int64")})


def test_trend_months_gaps_rolling_line_and_activity_starts():
    series = months_frame()
    acts = pd.DataFrame({"aktivitet": ["Platssamverkan"], "start_date": pd.to_datetime(["2020-09-01"])})
    fig = make_trend_months(series, place="Hässelby torg", activities=acts, context=CTX)
    assert_finished(fig, "per månad", "Hässelby torg")
    monthly, rolling = fig.data[0], fig.data[1]
    assert monthly.y[6] is None and monthly.y[7] is None and monthly.connectgaps is False
    assert monthly.y[0] == 5
    expected = series["rolling_12"].astype("Float64") / 12
    for got, want in zip(rolling.y, expected, strict=False):
        assert (got is None and pd.isna(want)) or math.isclose(got, float(want))
    starts = [s for s in fig.layout.shapes if s.name == "activity_start"]
    assert len(starts) == 1 and pd.Timestamp(starts[0].x0) == pd.Timestamp("2020-09-01")
    assert any("Platssamverkan" in a.text for a in fig.layout.annotations)
    assert "sep 2019" in fig.layout.xaxis.ticktext and "sep 2020" in fig.layout.xaxis.ticktext


def test_an_activity_starting_late_in_the_chart_is_labelled_towards_the_plot():
    """A start in the later half of the months had its label run rightwards past the plot into the
    legend beside it (meeting mode, Hässelby torg 2016–2020): it now ends at its line, ▶ by the line."""
    acts = pd.DataFrame({"aktivitet": ["Tidigt", "Sent"], "start_date": pd.to_datetime(["2019-12-01", "2021-03-01"])})
    fig = make_trend_months(months_frame(), activities=acts, context=CTX)
    labels = {a.text: a.xanchor for a in fig.layout.annotations if a.name == "activity_label"}
    assert labels == {"▶ Tidigt": "left", "Sent ▶": "right"}


def test_empty_inputs_say_why():
    empty = pd.DataFrame(columns=["category", "period", "count"])
    figs = [make_trend_years(empty), make_trend_months(pd.DataFrame(columns=["category", "month", "count"])),
            make_share_chart(pd.DataFrame(columns=["parent_id", "category", "period", "share"])),
            make_survey_chart(pd.DataFrame()), make_activity_timeline(pd.DataFrame()),
            make_hotspot_map(None, mode="gi"), make_survey_trend(pd.DataFrame(columns=["indicator"]),
                                                                 indicator="x")]
    for fig in figs:
        assert finishing.is_empty(fig)
        text = next(a.text for a in fig.layout.annotations if a.name == "empty")
        assert text.startswith("Inget att visa: ") and len(text) > len("Inget att visa: ") + 5
        assert source_text(fig).startswith("Källa: ")


# ----- tables ------------------------------------------------------------------------------------
COMPARISON = pd.DataFrame({
    "category": ["skadegorelse", "vald", "narkotikabrott"], "period_a": ["2018"] * 3,
    "period_b": ["2019"] * 3, "count_a": [274, 62, 32], "count_b": [142, 51, 60],
    "change": [-132, -11, 28], "pct_change": [-48.175, -17.742, 87.5], "rate_b": [np.nan] * 3,
    "p_value": [1e-10, 0.347, 0.0046], "significant": [True, False, True],
    "verdict": ["minskning, statistiskt säkerställd", "ingen säkerställd förändring",
                "ökning, statistiskt säkerställd"], "like_for_like": [False] * 3, "note": [""] * 3})


def test_comparison_table_swedish_and_coloured_only_when_significant():
    t = make_comparison_table(COMPARISON, category_names={"skadegorelse": "Skadegörelse"})
    assert t["Kategori"].tolist()[0] == "Skadegörelse"
    assert t["Jämförelse"].tolist()[0] == "2018 → 2019"
    assert t["Förändring (%)"].tolist() == [f"\u221248,2{NBSP}%", f"\u221217,7{NBSP}%", f"+87,5{NBSP}%"]
    assert t["p-värde"].tolist() == [f"<{NBSP}0,001", "0,347", "0,00460"]
    assert t["_klass"].tolist() == ["minskning", "ingen", "okning"]
    assert t["Bedömning"].tolist()[1] == "ingen säkerställd förändring"
    assert "Per 1 000 inv. och år" not in t  # no population known
    rules = comparison_styles()
    coloured = {r["if"]["filter_query"] for r in rules if "color" in r and "filter_query" in r["if"]}
    assert coloured >= {'{_klass} = "okning"', '{_klass} = "minskning"'}
    assert not any('"ingen"' in q for q in coloured)


def test_comparison_wide_marks_significant_periods():
    cmp = pd.concat([COMPARISON.iloc[[0]], COMPARISON.iloc[[0]].assign(
        period_a="2019", period_b="2020", count_a=142, count_b=150, change=8, pct_change=5.6,
        p_value=0.6, significant=False, verdict="ingen säkerställd förändring")])
    t = make_comparison_wide(cmp)
    assert t.iloc[0][["2018", "2019", "2020"]].tolist() == ["274", "▼ 142", "150"]
    assert t.iloc[0]["_klass"] == "ingen"
    assert "p-värde" not in make_comparison_wide(cmp, compact=True)


def test_trend_and_effects_tables():
    trend = make_trend_table(pd.DataFrame({
        "category": ["x"], "n_periods": [5], "rate_ratio": [1.25], "ci_low": [1.1], "ci_high": [1.4],
        "p_value": [0.001], "significant": [True], "verdict": ["ökande trend, statistiskt säkerställd"],
        "note": [""]}))
    assert trend.iloc[0]["Förändring per period"].startswith(f"+25,0{NBSP}%")
    assert trend.iloc[0]["_klass"] == "okning"
    eff = make_effects_table(pd.DataFrame({
        "aktivitet": ["A"], "category": ["alla"], "before_label": ["jan–dec 2018"],
        "after_label": ["jan–dec 2019"], "count_before": [100], "count_after": [80], "change": [-20],
        "pct_change": [-20.0], "significant": [False], "verdict": ["ingen säkerställd förändring"],
        "wdd_verdict": ["ingen säkerställd skillnad mot jämförelseområdet"], "note": [""]}))
    assert eff.iloc[0]["Kategori"] == "Alla valda kategorier"
    assert eff.iloc[0]["Förändring"] == f"\u221220 (\u221220{NBSP}%)"


def test_overview_matrix_and_tiles():
    cmp = COMPARISON.assign(place_id="torg")
    places = pd.DataFrame({"place_id": ["torg"], "name": ["Hässelby torg"]})
    m = make_overview_matrix(cmp, places)
    assert m["count"].tolist() == ["142", "51", "60"]
    assert m["klass"].tolist() == ["minskning", "ingen", "okning"]
    acts = pd.DataFrame({"start_date": pd.to_datetime(["2019-02-01", "2019-02-01"]),
                         "end_date": pd.to_datetime([None, "2019-12-31"])})
    assert len(running_activities(acts, on="2021-01-01")) == 1
    tiles = {t["label"]: t for t in make_overview_tiles(data_until="2023-08-31", n_places=3,
                                                        activities=acts, comparison=cmp)}
    assert tiles["Data t.o.m."]["value"] == "31 aug 2023"
    assert tiles["Säkerställda ökningar"]["value"] == "1"
    assert tiles["Säkerställda minskningar"]["value"] == "1"


def _scribble(node) -> None:
    """Overwrite, in place, every value reachable in a figure dict (what a caller might change)."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(items):
        if isinstance(value, (dict, list)):
            _scribble(value)
        else:
            node[key] = "ändrad"


def test_a_figure_dict_changed_after_it_was_made_leaves_the_next_one_as_it_was():
    """The figure dicts share what is worked out once (the template, the share chart's panels, the
    map's land and water): no change to one figure reaches another."""
    import copy

    cells, places, _ = map_inputs()

    shares = pd.DataFrame({"parent_id": ["sdo", None], "category": "rån", "period": "2022–2023",
                           "count_place": [10, 10], "count_parent": [100, 1000], "share": [0.1, 0.01],
                           "significant": False, "verdict": ""})

    def made():
        return [trend.make_trend_years(YEARS, data_until="2023-03-31", context=CTX),
                trend.make_trend_months(months_frame(), context=MEETING),
                share.make_share_chart(shares, place="Vårberg", context=CTX),
                survey.make_survey_chart(SURVEY, context=CTX),
                finishing.empty_dict("inga data", title="Trend", context=CTX),
                maps.make_hotspot_map(cells, mode="gi", places=places, context=CTX)]

    first = made()
    kept = copy.deepcopy(first)
    for fig in first:
        _scribble(fig)
    assert made() == kept
    assert style.template_json(False) == go.Figure(layout=dict(template=style.template(False))).to_dict()[
        "layout"]["template"]


# ----- share, survey, activities -------------------------------------------------------------------
def test_share_chart_panels_and_marks():
    shares = pd.DataFrame({
        "parent_id": ["sdo", "sdo", None, None], "category": "rån",
        "period": ["2021–2022", "2022–2023"] * 2, "count_place": [20, 10, 20, 10],
        "count_parent": [100, 100, 1000, 1000], "share": [0.2, 0.1, 0.02, 0.01],
        "significant": [False, True, False, False],
        "verdict": ["", "andelen har minskat, statistiskt säkerställt", "",
                    "ingen säkerställd förändring"]})
    fig = make_share_chart(shares, place="Vårberg", parent_names={"sdo": "Skärholmen"}, context=CTX)
    assert_finished(fig, "andel", "Vårberg")
    assert [fig.layout.xaxis.title.text, fig.layout.xaxis2.title.text] == [
        "Andel av Skärholmen", "Andel av staden"]
    assert list(fig.data[0].y) == pytest.approx([20.0, 10.0])
    assert list(fig.data[0].text) == ["", "▼"] and list(fig.data[0].marker.line.width) == [0, 2.5]
    arrows = [t for t in fig.data if t.name == "arrows"]  # drawn after the lines: never hidden
    assert len(arrows) == 1 and list(arrows[0].text) == ["", "▼"]
    panel = [i for i, t in enumerate(fig.data) if (t.xaxis or "x") == "x"]
    assert panel[-1] == list(fig.data).index(arrows[0])


SURVEY = pd.DataFrame({
    "indicator": ["Berusade personer stör ordningen", "Otrygg kvällstid"], "year": [2022, 2022],
    "share": [0.23, 0.31], "respondents": pd.array([310, None], dtype="Int64"),
    "ci_lo": [0.187, np.nan], "ci_hi": [0.279, np.nan], "district_share": [0.09, 0.2],
    "city_share": [0.08, 0.18], "fictitious": [True, False], "diff_district": [14.0, 11.0],
    "diff_city": [15.0, 13.0], "change_pp": [np.nan, np.nan], "significant": pd.array([None, None],
                                                                                       dtype="boolean"),
    "verdict": ["ingen tidigare mätning"] * 2, "note": ["", "antal svarande saknas"]})


def test_survey_chart_intervals_references_and_fictitious():
    fig = make_survey_chart(SURVEY, place="Hässelby torg", district_name="Hässelby-Vällingby", context=CTX)
    assert_finished(fig, "Trygghetsmätning", "Hässelby torg")
    bar = fig.data[0]
    labels = list(bar.y)
    i = labels.index("Berusade personer stör<br>ordningen (fiktiv)<br><b>23\u00a0%</b> · n = 310 · 2022")
    assert bar.x[i] == pytest.approx(23.0)
    assert bar.error_x.array[i] == pytest.approx(4.9) and bar.error_x.arrayminus[i] == pytest.approx(4.3)
    j = next(k for k, y in enumerate(labels) if y.startswith("Otrygg kvällstid<br><b>") and y.endswith("n saknas · 2022"))
    assert bar.error_x.array[j] is None  # no respondents: no interval
    names = [t.name for t in fig.data]
    assert names == ["Hässelby torg", "Hässelby-Vällingby", "Staden"]
    assert fig.data[1].x[i] == pytest.approx(9.0)
    assert bar.text is None  # the share is beside the axis, where no marker covers it
    assert "trygghetsmätning" in source_text(fig).lower()
    compact = make_survey_chart(SURVEY, context=MEETING)
    # meeting mode: one line per question; the share right of its row's bar and marks, not on the bar
    # (where the district's diamond covered it whenever the district's share was small)
    assert list(compact.data[0].y) == ["Berusade personer stör ordningen*", "Otrygg kvällstid"]
    assert compact.data[0].text is None
    shares = next(t for t in compact.data if t.name == "andel")
    assert list(shares.text) == ["<b>23\u00a0%</b>", "<b>31\u00a0%</b>"] and shares.textposition == "middle right"
    assert list(shares.x) == [pytest.approx(27.9), pytest.approx(31.0)]  # the interval's end; the share
    assert "n = 310, n saknas för en del" in compact.layout.title.subtitle.text
    one_survey = make_survey_chart(SURVEY.assign(respondents=pd.array([310, 310], dtype="Int64")),
                                   context=MEETING)
    assert "n = 310" in one_survey.layout.title.subtitle.text and "n =" not in "".join(one_survey.data[0].y)


def test_survey_trend_and_table():
    t = pd.DataFrame({"indicator": "oro", "year": [2019, 2021], "share": [0.3, 0.2],
                      "respondents": pd.array([300, 280], dtype="Int64"), "ci_lo": [0.25, 0.16],
                      "ci_hi": [0.35, 0.25], "district_share": [0.1, 0.1], "city_share": [0.1, 0.1],
                      "fictitious": [False, False]})
    fig = make_survey_trend(t, indicator="oro", place="Torget")
    assert list(fig.data[0].x) == ["2019", "2021"]
    assert list(fig.layout.xaxis.ticktext) == ["2019<br>n = 300", "2021<br>n = 280"]
    table = make_survey_table(SURVEY)
    assert table.iloc[0]["Indikator"] == "Berusade personer stör ordningen (fiktiv)"
    assert table.iloc[0]["95 % KI"] == f"19{NBSP}%–28{NBSP}%"


def test_activities_without_start_date_say_so_in_their_row_label():
    """An activity without a start has no bar; its row label says "startdatum saknas". (A note inside
    the plot, written from the axis' first date, was cut where the plot is narrow: Skärholmen's
    Plats page in meeting mode.)"""
    acts = pd.DataFrame({"activity_id": ["a1", "a2"], "aktivitet": ["Trygghetsvandringar", "Samverkan"],
                         "start_date": pd.to_datetime(["2021-03-01", None]),
                         "end_date": pd.to_datetime([None, None]), "open_ended": [True, True]})
    fig = go.Figure(make_activity_timeline(acts, None, place="Torget", until="2023-08-31", context=CTX))
    rows = list(fig.layout.yaxis.categoryarray)
    assert "Samverkan<br><i>(startdatum saknas)</i>" in rows and "Trygghetsvandringar" in rows
    assert not [t for t in fig.data if t.type == "scatter" and t.mode == "text"]
    bars = [y for t in fig.data if t.type == "bar" for y in t.y]
    assert bars == ["Trygghetsvandringar"]


def test_activity_timeline_bars_and_followups():
    acts = pd.DataFrame({"activity_id": ["a1", "a2"], "aktivitet": ["Platssamverkan", "Vandringar"],
                         "start_date": pd.to_datetime(["2019-02-01", "2020-09-01"]),
                         "end_date": pd.to_datetime([None, "2021-06-30"]), "open_ended": [True, False]})
    fu = pd.DataFrame({"activity_id": ["a1", "a2"], "year": [2021, 2021], "period": ["T2", "VB"],
                       "goal_met": ["ja", "Pågår fortfarande"], "carried_out": ["x", "y"]})
    fig = make_activity_timeline(acts, fu, place="Torget", until="2023-08-31", context=CTX)
    assert_finished(fig, "Åtgärdsplanens", "Torget")
    fixed = next(t for t in fig.data if t.name == "Aktivitet")
    assert fixed.base[0] == "2020-09-01T00:00:00"
    assert fixed.x[0] == pytest.approx((pd.Timestamp("2021-06-30") - pd.Timestamp("2020-09-01"))
                                       .total_seconds() * 1000)
    open_ = next(t for t in fig.data if t.name == "Pågår tillsvidare")
    assert open_.marker.pattern.shape == "/"
    ja = next(t for t in fig.data if t.name == "Mål uppfyllt: ja")
    assert pd.Timestamp(ja.x[0]) == pd.Timestamp("2021-08-31")
    other = next(t for t in fig.data if t.name == "Uppföljning (fritext)")
    assert pd.Timestamp(other.x[0]) == pd.Timestamp("2021-12-31")
    table = make_plan_table(acts, pd.DataFrame({"activity_id": ["a1"], "place_id": ["torg"]}), fu,
                            place_names={"torg": "Torget"})
    assert table.loc[table["_id"] == "a1", "Plats"].item() == "[Torget](/plats/torg)"
    assert table.loc[table["_id"] == "a1", "T2 2021"].item() == "● ja"


# ----- map ---------------------------------------------------------------------------------------
def map_inputs():
    tr = Transformer.from_crs(4326, 3006, always_xy=True)
    cx, cy = tr.transform(17.84, 59.365)
    area = box(cx - 1000, cy - 1000, cx + 1000, cy + 1000)
    cells = gpd.GeoDataFrame({
        "cell_id": ["a", "b", "c", "d"], "count": [30, 12, 0, 1], "z": [4.0, 2.1, -2.0, 0.1],
        "p": [0.0001, 0.03, 0.04, 0.9], "gi_bin": [3, 2, -2, 0]},
        geometry=[box(cx + i * 200, cy, cx + (i + 1) * 200, cy + 200) for i in range(4)], crs=3006)
    places = gpd.GeoDataFrame({"place_id": ["sdo", "torg"], "name": ["Distriktet", "Torget"],
                               "kind": ["stadsdelsomrade", "torg"]},
                              geometry=[area, box(cx, cy, cx + 300, cy + 300)], crs=3006)
    return cells, places, area


def test_hotspot_map_offline_classes_and_markers():
    cells, places, _ = map_inputs()
    acts = pd.DataFrame({"activity_id": ["a"], "aktivitet": ["Platssamverkan"], "arbetsgrupp": ["AG"],
                         "sammankallande": ["SDF"], "motesfrekvens": ["1 gång per månad"]})
    fu = pd.DataFrame({"activity_id": ["a"], "year": [2022], "period": ["VB"], "goal_met": ["ja"],
                       "carried_out": ["Vandringar"]})
    pts = activity_points(acts, pd.DataFrame({"activity_id": ["a"], "place_id": ["torg"]}), places, fu)
    fig = make_hotspot_map(cells, mode="gi", places=places, activities=pts, area="Distriktet",
                           category="Narkotikabrott", periods=["2022–2023"], context=CTX)
    assert_finished(fig, "Getis", "Distriktet")
    # offline: no MapLibre map (its text needs glyphs from the internet), plain axes in metres
    assert not any(t.type in ("scattermap", "choroplethmap") for t in fig.data)
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.xaxis.visible is False
    names = {t.name for t in fig.data}
    assert {CLASS_LABELS[3], CLASS_LABELS[2], CLASS_LABELS[-2]} <= names
    assert CLASS_LABELS[0] in names  # a non-significant cell with crimes is drawn (grey)
    hot = next(t for t in fig.data if t.name == CLASS_LABELS[3] and t.fill == "toself")
    r, g, b = (int(palette.GI_CLASSES[3][1][i:i + 2], 16) for i in (1, 3, 5))
    assert hot.fillcolor == f"rgba({r},{g},{b},0.8)"
    tips = next(t for t in fig.data if t.name == CLASS_LABELS[3] and t.mode == "markers")
    assert tips.customdata[0].startswith("30 brott i rutan")  # hover still tells the cell's numbers
    marker = next(t for t in fig.data if t.name == "Aktiviteter i åtgärdsplanen")
    hover = marker.text[0]
    for field in ("Platssamverkan", "Arbetsgrupp: AG", "Sammankallande: SDF", "Mötesfrekvens: 1 gång",
                  "Senaste uppföljning: VB 2022"):
        assert field in hover
    tiles = make_hotspot_map(cells, mode="gi", basemap_url="http://tiles.local/{z}/{x}/{y}.png")
    assert tiles.layout.map.layers[0].sourcetype == "raster"  # a configured tile server: MapLibre


def test_hotspot_map_change_and_density_modes():
    cells, places, area = map_inputs()
    change = cells.assign(change=[CHANGE_LABELS["new"], CHANGE_LABELS["persistent"],
                                  CHANGE_LABELS["ended"], CHANGE_LABELS["none"]],
                          count_before=[10, 20, 30, 4], count_after=[15, 6, 17, 8])
    fig = make_hotspot_map(change, mode="change", places=places)
    filled = [t.name for t in fig.data if t.fill == "toself" and t.name not in ("Land", "Vatten")]
    assert filled == ["Ny het punkt", "Kvarstående het punkt", "Upphörd het punkt"]
    xs, ys = np.arange(5) * 100 + area.bounds[0] + 50, np.arange(5) * 100 + area.bounds[1] + 50
    dens = np.outer(np.hanning(5), np.hanning(5)) * 40
    fig = make_hotspot_map(None, mode="density", density=(xs, ys, dens), places=places)
    image = fig.layout.images[-1]
    assert image.source.startswith("data:image/png;base64,") and image.xref == "x" and image.layer == "below"
    assert image.x == pytest.approx(area.bounds[0]) and image.sizex == pytest.approx(500)  # in metres
    scale = next(t for t in fig.data if t.name == "density_scale")
    assert scale.marker.cmax == pytest.approx(dens.max())
    with pytest.raises(ValueError):
        make_hotspot_map(cells, mode="okänt")


# ----- layout at Word size: measured in a real browser ---------------------------------------------
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
WORD_PX = 605  # a 16 cm column in CSS pixels
JS_BOXES = """
const out = [];
for (const gd of document.querySelectorAll('.fig')) {
  const r = gd.getBoundingClientRect();
  const box = e => { const b = e.getBoundingClientRect();
                     return [b.left - r.left, b.top - r.top, b.right - r.left, b.bottom - r.top]; };
  const all = sel => Array.from(gd.querySelectorAll(sel)).filter(e => e.textContent.trim()).map(box);
  const s = gd._fullLayout._size;
  const legend = gd.querySelector('.legend .bg');
  const corners = e => { const b = e.getBBox(), m = e.getScreenCTM();
                         return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
                                 [b.x, b.y + b.height]].map(([x, y]) =>
                           [m.a * x + m.c * y + m.e - r.left, m.b * x + m.d * y + m.f - r.top]); };
  const ticks = Array.from(gd.querySelectorAll('.xaxislayer-above text')).filter(e => e.textContent.trim());
  out.push({plot: [s.l, s.t, s.l + s.w, s.t + s.h], width: r.width, height: r.height,
            xticks: ticks.map(box), xquads: ticks.map(corners),
            below: all('.g-xtitle text, .g-x2title text'), head: all('.gtitle, .gtitle-subtitle'),
            legend: legend ? box(legend) : null,
            source: Array.from(gd.querySelectorAll('.annotation')).filter(a => a.textContent.startsWith('Källa'))
                         .map(box)[0]});
}
return out;
"""


def _browser_boxes(figs, width: int = WORD_PX) -> list[dict]:
    """Draw each figure ``width`` px wide (a 16 cm column by default) with plotly.js in headless
    Chromium; return the boxes of its parts (plot area, x tick labels per axis, axis titles, title
    block, legend, source line)."""
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    from lagesbild.export.browser_tmp import private_env, short_tmp_root

    html = [f'<html><head><meta charset="utf-8"><script src="{PLOTLY_JS.as_uri()}"></script></head>'
            '<body style="margin:0">']
    html += [f'<div id="f{i}" class="fig" style="width:{width}px;height:{f.layout.height or 400}px">'
             '</div>' for i, f in enumerate(figs)]
    html.append("<script>window.drawn = Promise.all([" + ",".join(
        f"Plotly.newPlot('f{i}', {f.to_json()}.data, {f.to_json()}.layout, {{staticPlot: true}})"
        for i, f in enumerate(figs)) + "]).then(() => document.fonts.ready)"
                ".then(() => { window.ready = true; });</script></body></html>")
    with tempfile.TemporaryDirectory() as tmp, \
            tempfile.TemporaryDirectory(prefix="lagesbild-chromedriver-", dir=short_tmp_root()) as short:
        page = Path(tmp) / "figs.html"
        page.write_text("\n".join(html), encoding="utf-8")
        opts = webdriver.ChromeOptions()
        for arg in ("--headless=new", "--no-sandbox", "--disable-background-networking",
                    "--enable-unsafe-swiftshader", "--window-size=1200,2000"):
            opts.add_argument(arg)
        opts.binary_location = "/usr/bin/chromium"
        # a short TMPDIR of its own (under a long one Chromium exits at once), its config not in HOME
        env = {**os.environ, **private_env(short)}
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver", env=env), options=opts)
        try:
            driver.get(page.as_uri())
            WebDriverWait(driver, 60).until(lambda d: d.execute_script("return window.ready === true"))
            boxes = driver.execute_script(JS_BOXES)
            problems = driver.execute_script(JS_LAYOUT_PROBLEMS)
            return [dict(b, problems=[p for p in problems if p.startswith(f"f{i}:")])
                    for i, b in enumerate(boxes)]
        finally:
            driver.quit()


def _overlap(a, b, tol=0.5) -> bool:
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


def _quads_overlap(p, q, tol=0.5) -> bool:
    """Whether two convex quadrilaterals (turned text boxes) overlap: no separating axis."""
    for poly in (p, q):
        for i in range(4):
            (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % 4]
            nx, ny = y1 - y0, x0 - x1
            length = math.hypot(nx, ny) or 1.0
            a = [(x * nx + y * ny) / length for x, y in p]
            b = [(x * nx + y * ny) / length for x, y in q]
            if max(a) <= min(b) + tol or max(b) <= min(a) + tol:
                return False
    return True


def word_figures() -> dict:
    """The charts of an export, with long labels, many periods and two panels."""
    periods = [f"{y}–{y + 1}" for y in range(2017, 2023)]
    cats = {"skadegorelse": "Skadegörelse", "valdsbrott": "Våldsbrott", "narkotikabrott": "Narkotikabrott",
            "tillgrepp_butik": "Tillgrepp i butik", "personran": "Personrån"}
    years = pd.DataFrame([{"category": c, "period": p, "count": 5957 - 300 * i - 70 * j,
                           "months_missing": 0, "n_months": 12}
                          for i, c in enumerate(cats) for j, p in enumerate(periods)])
    shares = pd.DataFrame([{"parent_id": parent, "category": c, "period": p, "count_place": 20,
                            "count_parent": 150 if parent else 1500,
                            "share": (0.13 if parent else 0.013) * (1 + 0.5 * i),
                            "significant": j == 2, "verdict": "andelen har minskat" if j == 2 else ""}
                           for parent in ("sdo", None) for i, c in enumerate(list(cats)[:4])
                           for j, p in enumerate(periods)])
    survey = SURVEY.assign(indicator=["Narkotikapåverkade personer stör ordningen",
                                      "Otrygg utomhus sent en kväll i området"])
    cells, places, _ = map_inputs()
    return {
        "trend": make_trend_years(years, place="Hässelby torg", category_names=cats, context=CTX),
        "share": make_share_chart(shares, place="Hässelby torg", category_names=cats,
                                  parent_names={"sdo": "Hässelby-Vällingby"}, context=CTX),
        "months": make_trend_months(months_frame(), place="Hässelby torg", context=CTX),
        "survey": make_survey_chart(survey, place="Hässelby torg", district_name="Hässelby-Vällingby",
                                    context=CTX),
        "map": make_hotspot_map(cells, places=places, area="Distriktet", category="Narkotikabrott",
                                periods=["2022–2023"], context=CTX, height=560),
        "survey_trend": make_survey_trend(pd.DataFrame({
            "indicator": "Otrygg utomhus sent en kväll i området", "year": [2017, 2019, 2021, 2023],
            "share": [0.36, 0.41, 0.33, 0.45], "respondents": pd.array([245, 254, 253, 257], dtype="Int64"),
            "ci_lo": [0.30, 0.35, 0.27, 0.39], "ci_hi": [0.42, 0.47, 0.39, 0.51],
            "district_share": [0.3, 0.3, 0.3, 0.3], "city_share": [0.2, 0.2, 0.2, 0.2],
            "fictitious": [True] * 4}), indicator="Otrygg utomhus sent en kväll i området",
            place="Hässelby torg", district_name="Hässelby-Vällingby", context=CTX),
        "activities": make_activity_timeline(
            pd.DataFrame({"activity_id": ["a1", "a2"],
                          "aktivitet": ["Fortsätta platssamverkan kring Hässelby torg enligt upprättad "
                                        "aktivitetslista.", "Trygghetsvandringar"],
                          "start_date": pd.to_datetime(["2019-02-01", "2020-09-01"]),
                          "end_date": pd.to_datetime([None, "2021-06-30"]), "open_ended": [True, False]}),
            pd.DataFrame({"activity_id": ["a1", "a1", "a2"], "year": [2021, 2022, 2021],
                          "period": ["T2", "VB", "VB"], "goal_met": ["ja", "delvis", "nej"],
                          "carried_out": ["x", "y", "z"]}),
            place="Hässelby torg", until="2023-08-31", context=CTX),
    }


@pytest.mark.parametrize("exported", [False, True], ids=["figur", "export"])
def test_charts_at_word_width_keep_labels_legend_and_source_apart(exported):
    """Every chart kind at a 16 cm Word column, as made and as the exports prepare it."""
    from lagesbild.export.figure import prepare_figure
    from lagesbild.export.mapview import fit_map_view

    figs = word_figures()
    if exported:
        figs = {name: prepare_figure(fig) for name, fig in figs.items()}
        fit_map_view(figs["map"], WORD_PX, figs["map"].layout.height)  # as export_jobs does
        labels = [a.text for a in figs["map"].layout.annotations if a.name == "map_label"]
        assert "Torget" in labels  # paper cannot be hovered: the places are named
    for name, b in zip(figs, _browser_boxes(list(figs.values())), strict=True):
        # no text leaves the image or is cut by the plot area; no two texts overlap (bar labels too)
        assert b["problems"] == [], name
        source, legend, plot = b["source"], b["legend"], b["plot"]
        # the source line is inside the image, under everything else
        assert source[0] >= 0 and source[2] <= b["width"] + 0.5 and source[3] <= b["height"] + 0.5, name
        lowest = max([t[3] for t in b["xticks"]] + [t[3] for t in b["below"]] + [plot[3]])
        assert source[1] >= lowest - 0.5, name
        # the title block fits the width and stays clear of the legend
        assert all(h[2] <= b["width"] + 0.5 for h in b["head"]), name
        if legend is not None:
            assert not _overlap(legend, plot), name  # never over the bars, lines or grid
            assert not any(_overlap(legend, h) for h in b["head"]), name
            assert not _overlap(legend, source), name
        # no two x tick labels run together (turned or not), also across the share chart's panels
        quads = b["xquads"]
        assert not any(_quads_overlap(a, c) for i, a in enumerate(quads) for c in quads[i + 1:]), name
    assert len(figs["share"].layout.annotations) == 1  # only the source line: panels are named by axis


#: eight custom quarters and nine tertials: labels that stand side by side only on two lines
QUARTERS = [f"{y}-{m:02d}-01–{y}-{m + 2:02d}-{30 if m + 2 in (6, 9) else 31}"
            for y in (2021, 2022) for m in (1, 4, 7, 10)]
TERTIALS = [f"T{t} {y}" for y in (2019, 2020, 2021) for t in (1, 2, 3)]


@pytest.mark.parametrize("periods", [QUARTERS, TERTIALS], ids=["quarters", "tertials"])
def test_many_periods_stand_on_two_lines_and_apart(periods):
    """Bars of eight quarters or nine tertials, on screen, in meeting mode and exported 16 cm wide:
    labels too wide for their slot are broken at the space ("jan–mar" over "2021"), not turned, which
    took the height of a short meeting panel; in every form no two labels or texts overlap and the
    source line stays under them. A quarter is named by its months, as in the table."""
    from lagesbild.export.figure import prepare_figure

    cats = {"skadegorelse": "Skadegörelse", "valdsbrott": "Våldsbrott"}
    counts = pd.DataFrame([{"category": c, "period": p, "count": 40 + 3 * j, "months_missing": 0,
                            "n_months": 3 if p in QUARTERS else 4} for c in cats
                           for j, p in enumerate(periods)])
    figs = {mode: go.Figure(make_trend_years(counts, place="Hässelby torg", category_names=cats,
                                             context=style.FigureContext(meeting=mode == "meeting")))
            for mode in ("screen", "meeting")}
    figs["export"] = prepare_figure(figs["screen"])
    for mode, fig in figs.items():
        text = list(fig.layout.xaxis.ticktext or ())
        assert len(text) == len(periods) and all(t.count("<br>") == 1 for t in text), (mode, text)
        assert fig.layout.xaxis.tickangle is None, mode  # level
    if periods is QUARTERS:
        assert figs["meeting"].layout.xaxis.ticktext[0] == "jan–mar<br>2021"
    widths = {"screen": WORD_PX, "meeting": round(fit.NOMINAL_WIDTH[True]), "export": WORD_PX}
    for mode, fig in figs.items():
        b = _browser_boxes([fig], width=widths[mode])[0]
        assert b["problems"] == [], mode
        assert b["source"][1] >= max(t[3] for t in b["xticks"]) - 0.5, mode


def test_a_refit_lays_the_labels_out_anew_for_its_width():
    """What :func:`finishing.finish` fixed for one width (stacked labels) is undone and laid out again
    when an export draws the figure narrower or wider: at 8 cm nine tertials turn, at 30 cm they stand
    on one line."""
    from lagesbild.export.figure import prepare_figure

    counts = pd.DataFrame([{"category": "rån", "period": p, "count": 10, "months_missing": 0,
                            "n_months": 4} for p in TERTIALS])
    fig = go.Figure(make_trend_years(counts, place="Hässelby torg", context=CTX))
    narrow, wide = prepare_figure(fig, width_cm=8), prepare_figure(fig, width_cm=30)
    assert narrow.layout.xaxis.tickangle in (30, 90) and narrow.layout.xaxis.ticktext is None
    assert wide.layout.xaxis.tickangle is None and wide.layout.xaxis.ticktext is None
    assert list(fig.layout.xaxis.ticktext) == [t.replace(" ", "<br>") for t in TERTIALS]  # not changed


@pytest.mark.parametrize("width_cm", [8, 10])
def test_a_narrow_map_export_keeps_its_legend_source_line_and_notes_apart(width_cm):
    """A map exported 8–10 cm wide with its notes: the legend took five or six rows (estimated without
    the legend groups' gaps), the height stayed the map's fixed 560 px (plotly then shrank the margins)
    and the source line kept its 16 cm place after the note was added: it ran over the legend."""
    from lagesbild.export.figure import css_width, prepare_figure
    from lagesbild.export.mapview import fit_map_view
    from lagesbild.export.render import RenderJob

    note = ("Kartan visar inte känsliga kategorier (Sexualbrott, Våld i nära relation) för att skydda "
            "brottsoffer.<br>Åtgärdsplanens aktiviteter på platsen (numrerade som på kartan) och om "
            "platsen ligger i en het punkt: 1 Lokalt samverkansforum – gäller hela området.")
    out = prepare_figure(word_figures()["map"], width_cm=width_cm, note=note)
    job = RenderJob.for_size(out, "x.png", "png", width_cm=width_cm, dpi=150, height=out.layout.height)
    fit_map_view(out, job.width, job.height)
    out.layout.height = job.height
    assert job.height - out.layout.margin.t - out.layout.margin.b >= 150  # the map keeps its room
    b = _browser_boxes([out], width=round(css_width(width_cm)))[0]
    legend, source, plot = b["legend"], b["source"], b["plot"]
    assert legend is not None and not _overlap(legend, source) and not _overlap(legend, plot)
    assert source[1] >= legend[3] - 0.5 and source[3] <= b["height"] + 0.5


def test_why_nothing_is_shown_stays_inside_a_chart_at_word_width():
    """The 'Inget att visa: …' of every chart kind, drawn 16 cm wide as the exports prepare it: the
    longest reasons (the share chart's, a survey indicator's name) are wrapped, never cut at the edges."""
    from lagesbild.export.figure import prepare_figure

    figs = {
        "share": make_share_chart(pd.DataFrame(columns=["parent_id", "category", "period", "share"]),
                                  place="Hässelby torg", context=CTX),
        "survey_trend": make_survey_trend(pd.DataFrame(columns=["indicator"]), place="Hässelby torg",
                                          indicator="Narkotikapåverkade personer stör ordningen",
                                          context=CTX),
        "months": make_trend_months(pd.DataFrame(columns=["category", "month", "count"]),
                                    place="Hässelby torg", context=CTX),
        "map": make_hotspot_map(None, mode="gi", context=CTX),
    }
    figs = {name: prepare_figure(fig) for name, fig in figs.items()}
    for name, b in zip(figs, _browser_boxes(list(figs.values())), strict=True):
        assert b["problems"] == [], name


def test_a_narrow_activity_chart_keeps_its_turned_dates_clear_of_the_source_line():
    """One activity without a start date and a long name (Fruängen's in the demo plan) leaves a
    narrow plot at 16 cm: plotly turns the date labels, and the bottom margin must hold them turned
    (the ticks are a quarter apart on a range wider than the ticks, not spread over the whole axis)."""
    from lagesbild.export.figure import prepare_figure

    fig = make_activity_timeline(
        pd.DataFrame({"activity_id": ["a1"], "aktivitet": ["Platssamverkan Fruängen/Västertorp/Hägerstensåsen"],
                      "start_date": pd.to_datetime([None]), "end_date": pd.to_datetime([None]),
                      "open_ended": [True]}),
        pd.DataFrame({"activity_id": ["a1"], "year": [2023], "period": ["T1"], "goal_met": ["ja"],
                      "carried_out": ["x"]}),
        place="Fruängen", until="2023-08-31", context=CTX)
    b = _browser_boxes([prepare_figure(fig)])[0]
    assert b["problems"] == []
    lowest = max(t[3] for t in b["xticks"])
    assert b["source"][1] >= lowest - 0.5


def test_exported_activity_rows_keep_one_label_each_and_words_whole():
    """The export breaks long activity names into short lines: the order of the rows (the y axis's
    category array) gets the same labels as the bars and markers, so no activity is drawn on two rows
    (one with its bar, one empty, labels over each other), and a long word is not cut in two."""
    from lagesbild.export.figure import prepare_figure

    names = ["Platssamverkan Fruängen/Västertorp/Hägerstensåsen", "Samverkan Fokus Älvsjö/Solberga",
             "Trygga uppväxten för barn och unga"]
    fig = make_activity_timeline(
        pd.DataFrame({"activity_id": ["a1", "a2", "a3"], "aktivitet": names,
                      "start_date": pd.to_datetime(["2020-09-01", None, "2018-01-01"]),
                      "end_date": pd.to_datetime([None, None, "2020-01-01"]),
                      "open_ended": [True, True, False]}),
        pd.DataFrame({"activity_id": ["a1", "a2"], "year": [2022, 2023], "period": ["VB", "T1"],
                      "goal_met": ["ja", "delvis"], "carried_out": ["x", "y"]}),
        place="Skärholmen", until="2023-08-31", context=CTX)
    out = prepare_figure(fig)
    rows = list(out.layout.yaxis.categoryarray)
    drawn = {y for t in out.data for y in (t.y or ())}
    assert len(rows) == len(names) and drawn <= set(rows)
    lines = [line for row in rows for line in row.split("<br>")]
    assert "Fruängen/Västertorp/Hägerstensåsen" in lines  # a word longer than a line stays whole


def test_source_line_is_wrapped_to_the_width_and_margin_grows():
    narrow = make_trend_years(YEARS, place="Vårberg", context=CTX)
    wide = make_trend_years(YEARS, place="Vårberg", context=CTX)
    wide.update_layout(width=1600)
    wide = finishing.finish(wide, title="t", context=CTX)  # the width is taken from the figure
    src = next(a for a in narrow.layout.annotations if a.name == "source_line")
    lines = src.text.split("<br>")
    assert len(lines) == 2 and all(len(line) * 0.46 * 11 < WORD_PX - 32 for line in lines)
    assert "31\u00a0mars\u00a02023" in src.text or "FIKTIVA\u00a0DEMODATA" in src.text
    wide_src = [a for a in wide.layout.annotations if a.name == "source_line"][-1]
    assert "<br>" not in wide_src.text
    assert src.yanchor == "bottom" and src.yshift == -(narrow.layout.margin.b - 4)


# ----- map view and the minimum for Gi* ---------------------------------------------------------
def _mercator_px(lon, lat, zoom):
    """Web Mercator pixel coordinates at a zoom (512-pixel tiles, as MapLibre)."""
    scale = 512 * 2 ** zoom
    x = (lon + 180) / 360 * scale
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * scale
    return x, y


TILES = "http://tiles.local/{z}/{x}/{y}.png"  # a configured tile server: the MapLibre map


def test_fit_view_puts_everything_drawn_inside_the_plot_area():
    from lagesbild.export.mapview import fit_map_view
    from lagesbild.figures.tilemap import fit_view, map_bounds

    cells, places, _ = map_inputs()
    for width, height in ((WORD_PX, 560), (1100, 400), (400, 900)):
        fig = make_hotspot_map(cells, places=places, context=CTX, height=height, basemap_url=TILES)
        fit_view(fig, width, height)
        m, view = fig.layout.margin, fig.layout.map
        plot_w, plot_h = width - m.l - m.r, height - m.t - m.b
        lon0, lat0, lon1, lat1 = map_bounds(fig)
        cx, cy = _mercator_px(view.center.lon, view.center.lat, view.zoom)
        for lon, lat in ((lon0, lat0), (lon1, lat1)):
            x, y = _mercator_px(lon, lat, view.zoom)
            assert abs(x - cx) <= plot_w / 2 and abs(y - cy) <= plot_h / 2 * 1.01
        # and tight: one zoom level more would not fit
        x0, y0 = _mercator_px(lon0, lat1, view.zoom + 1)
        x1, y1 = _mercator_px(lon1, lat0, view.zoom + 1)
        assert x1 - x0 > plot_w or y1 - y0 > plot_h
        other = make_hotspot_map(cells, places=places, context=CTX, height=height, basemap_url=TILES)
        assert fit_map_view(other, width, height).layout.map.zoom == view.zoom  # the export uses it


def test_too_few_crimes_show_counts_and_say_so():
    from lagesbild.figures.maplayers import COUNT_CLASSES, MIN_INCIDENTS, TOO_FEW

    cells, places, _ = map_inputs()
    few = cells.assign(count=[9, 3, 0, 1])  # 13 crimes
    fig = make_hotspot_map(few, places=places, category="Personrån", context=CTX)
    names = [t.name for t in fig.data]
    assert not set(names) & set(CLASS_LABELS.values())  # no hot spot classes
    filled = [t.name for t in fig.data if t.fill == "toself"]  # one filled trace per class drawn
    assert [n for n in filled if n in {c[2] for c in COUNT_CLASSES}] == ["1 brott", "3–4 brott",
                                                                         "5 brott eller fler"]
    note = next(a for a in fig.layout.annotations if a.name == "too_few")
    assert note.text == f"<b>{TOO_FEW.format(n=13)}</b>"
    assert fig.layout.title.text.startswith("<b>Anmälda brott per ruta")
    enough = cells.assign(count=[MIN_INCIDENTS, 0, 0, 0])
    assert CLASS_LABELS[3] in {t.name for t in make_hotspot_map(enough, context=CTX).data}
    change = cells.assign(change=[CHANGE_LABELS["new"]] * 4, count_before=[40, 0, 0, 0],
                          count_after=[5, 6, 7, 8])
    fig = make_hotspot_map(change, mode="change", context=CTX)
    assert next(a for a in fig.layout.annotations if a.name == "too_few").text == \
        "<b>För få brott (40 och 26) för en meningsfull hot spot-analys</b>"


def test_period_chart_title_names_the_kind():
    from lagesbild.figures.trend import period_title

    tertials = YEARS.assign(period=["T1 2021", "T1 2022", "T1 2023"] * 2, months_missing=0)
    assert make_trend_years(tertials, context=CTX).layout.title.text == "<b>Anmälda brott per tertial</b>"
    assert period_title(["2021", "2022"]) == "Anmälda brott per kalenderår"
    assert period_title(["2021-01-01–2021-03-31"]) == "Anmälda brott per period"


def test_source_line_names_the_extraction_date_of_the_data():
    ctx = style.FigureContext(organisation="SDF", data_until="2023-08-31", demo=True,
                              extracted="2023-09-04")
    assert style.source_line(ctx) == ("Källa: Polisen, anmälda brott; bearbetning SDF, data t.o.m. "
                                      "31 aug 2023 – FIKTIVA DEMODATA (uttag 4 sep 2023)")


# ----- one category, one colour ------------------------------------------------------------------
def _trace_colours(fig) -> dict:
    """Legend name -> colour of every named trace (bars: marker colour, lines: line colour)."""
    out = {}
    for t in fig.data:
        if t.name and t.showlegend is not False:
            colour = getattr(getattr(t, "line", None), "color", None) if t.type == "scatter" else None
            out.setdefault(t.name, colour or t.marker.color)
    return out


def test_a_category_has_one_colour_whatever_is_shown_with_it():
    from lagesbild.sources.categories import load_vocabulary

    vocab = load_vocabulary().categories
    colours = [palette.category_colour(c) for c in vocab]
    assert len(set(colours)) == len(colours)  # every category of the vocabulary its own colour
    names = {c: cat.name for c, cat in vocab.items()}
    seen: dict[str, set] = {}
    for order in (["skadegorelse", "narkotikabrott", "personran"], ["personran", "narkotikabrott"],
                  ["narkotikabrott"]):
        years = pd.concat([YEARS.assign(category=c) for c in order], ignore_index=True)
        months = pd.concat([months_frame().assign(category=c) for c in order], ignore_index=True)
        shares = pd.DataFrame([{"parent_id": "sdo", "category": c, "period": p, "count_place": 20,
                                "count_parent": 150, "share": 0.13, "significant": False, "verdict": ""}
                               for c in order for p in ("2021–2022", "2022–2023")])
        for fig in (make_trend_years(years, category_names=names, context=CTX),
                    make_trend_months(months, category_names=names, context=CTX),
                    make_share_chart(shares, category_names=names, parent_names={"sdo": "SDO"},
                                     context=CTX)):
            for name, colour in _trace_colours(fig).items():
                seen.setdefault(name, set()).add(str(colour).upper())
    assert seen["Narkotikabrott"] == {"#E69F00"}
    assert all(len(c) == 1 for name, c in seen.items() if name in names.values()), seen


def test_follow_ups_are_shortened_only_between_words_and_activity_names_never():
    from lagesbild.export.sections import _cut

    long = "Arbetet pågår enligt plan men samverkansgruppen har inte träffats under sommaren"
    acts = pd.DataFrame({"activity_id": ["a1"], "aktivitet": ["Fortsätta platssamverkan kring Hässelby "
                                                              "torg enligt upprättad aktivitetslista."],
                         "start_date": pd.to_datetime(["2019-02-01"]), "end_date": pd.to_datetime([None]),
                         "open_ended": [True]})
    fu = pd.DataFrame({"activity_id": ["a1"], "year": [2021], "period": ["T2"], "goal_met": [long],
                       "carried_out": ["x"]})
    table = make_plan_table(acts, pd.DataFrame({"activity_id": ["a1"], "place_id": ["torg"]}), fu,
                            place_names={"torg": "Torget"})
    cell = table.loc[0, "T2 2021"]
    assert len(cell) <= 40 and cell.endswith(" …") and long.startswith(cell.removesuffix(" …"))
    assert cell.removesuffix(" …").split()[-1] in long.split()  # shortened between words
    assert long in table.loc[0, "_t T2 2021"]  # whole on hover
    timeline = make_activity_timeline(acts, fu, context=CTX)
    label = next(t for t in timeline.data if t.name == "Pågår tillsvidare").y[0]
    assert label.replace("<br>", " ") == acts.loc[0, "aktivitet"]  # wrapped whole, no "…"
    text = " ".join([long] * 3)
    shortened = _cut(text, 160)
    assert len(shortened) <= 160 and shortened.endswith(" …")
    assert text.startswith(shortened.removesuffix(" …"))  # cut between words
    assert shortened.removesuffix(" …").split()[-1] in long.split()


def test_an_empty_figure_kept_for_its_arguments_is_a_fresh_copy_each_time():
    from lagesbild.figures import finishing

    first = finishing.empty_figure("inga data", title="Trend", periods=["2021–2022"])
    first.layout.annotations[0].text = "ändrad"
    first.update_layout(height=111)
    again = finishing.empty_figure("inga data", title="Trend", periods=["2021–2022"])
    assert again.layout.annotations[0].text == "Inget att visa: inga data"
    assert again.layout.height is None and finishing.is_empty(again)
    finishing._EMPTY.clear()  # laid out anew: the same figure
    assert finishing.empty_figure("inga data", title="Trend", periods=["2021–2022"]).to_plotly_json() == \
        again.to_plotly_json()


def _inert_links_item_by_item(value):
    """The item-by-item walk :func:`lagesbild.figures.figdict.inert_links` did before its fast paths."""
    from lagesbild.figures.figdict import _TEXT_HOLDERS, LINK_TAG

    if isinstance(value, str):
        return LINK_TAG.sub("&lt;", value) if "<" in value else value
    if isinstance(value, dict):
        out = {k: v if k == "coordinates" else _inert_links_item_by_item(v) for k, v in value.items()}
        return value if all(out[k] is value[k] for k in value) else out
    if isinstance(value, (list, tuple)):
        if not any(isinstance(v, _TEXT_HOLDERS) for v in value):
            return value
        out = [_inert_links_item_by_item(v) for v in value]
        return value if all(a is b for a, b in zip(out, value, strict=True)) else out
    return value


_TEXTS = st.lists(st.sampled_from(["<", "a", "A", " ", "/", ">", "\n", "b", "<br>", "Torg", "<a href='x'>"]),
                  max_size=5).map("".join)
_FIG_VALUES = st.recursive(
    st.one_of(_TEXTS, st.integers(), st.floats(allow_nan=False), st.none(), st.booleans()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple),
                            st.dictionaries(st.sampled_from(["text", "x", "coordinates", "name"]), inner,
                                            max_size=3)),
    max_leaves=20)


@given(_FIG_VALUES)
def test_inert_links_fast_paths_give_the_item_by_item_answer(value):
    from lagesbild.figures.figdict import inert_links

    fast, slow = inert_links(value), _inert_links_item_by_item(value)
    assert fast == slow and (fast is value) == (slow is value)
