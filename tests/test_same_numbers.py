"""One place per number: the command line's JSON, the export's data and the web callback answer the
same questions with the same counts, p-values and verdicts (they all ask the analysis layer)."""

from __future__ import annotations

import json
import sys

import plotly.graph_objects as go
import pytest

from lagesbild.analysis import place_comparison
from lagesbild.cli import main
from lagesbild.export.data import ExportData
from lagesbild.export.sections import comparison_table
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from tests.test_web_callbacks import by_id

PLACE = "hasselby-torg"
CATEGORIES = ["narkotikabrott", "skadegorelse", "personran"]
QUESTIONS = [["2021–2022", "2022–2023"], ["2019-01-01–2019-11-30", "2018-01-01–2018-11-30"],
             ["T1 2022", "T1 2023"]]


@pytest.fixture(scope="module")
def env(demo_store_path):
    cfg = load_settings({}, data_dir=str(demo_store_path.parent), db=str(demo_store_path))
    store = open_store(cfg)
    from lagesbild.web import create_app

    create_app(cfg, store)  # registers the pages and their callbacks
    return cfg, store


def cli_numbers(capsys, store_path, periods) -> dict:
    capsys.readouterr()
    assert main(["--db", str(store_path), "compare", "--place", PLACE, "--periods", *periods,
                 "--category", *CATEGORIES, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    return {r["category"]: (r["count_a"], r["count_b"], r["p_value"], r["verdict"]) for r in rows
            if r["category"] in CATEGORIES}


def export_numbers(cfg, store, names, periods) -> dict:
    data = ExportData(store, cfg)
    table = comparison_table(data, data.place(PLACE), data_periods(periods)).data
    by_name = {v: k for k, v in names.items()}
    return {by_name[r["Kategori"]]: (r["Antal A"], r["Antal B"], r["p-värde"], r["Bedömning"])
            for r in table.to_dict("records") if by_name.get(r["Kategori"]) in CATEGORIES}


def data_periods(periods):
    from lagesbild.export.data import parse_periods

    return parse_periods(periods)


def web_numbers(periods, names) -> dict:
    """The Plats page's callback: the comparison table shown, counts read back from its cells."""
    pages = sys.modules["lagesbild.web.pages.place"]
    tree = pages.update(PLACE, CATEGORIES, periods, False)
    table = by_id(tree, "place-comparison")
    labels = [c["name"] for c in table.columns]
    out = {}
    by_name = {v: k for k, v in names.items()}
    for row in table.data:
        cat = by_name.get(row["Kategori"])
        if cat not in CATEGORIES:
            continue
        counts = [int(row[lab].lstrip("▲▼ ").split(" ")[0].rstrip("*").replace("\u00a0", "")) for lab in labels
                  if lab.rstrip("*") in {_label(p) for p in periods}]
        out[cat] = tuple(counts)
    return out


def _label(text):
    """The period's label as the page's table heads it (whole-month ranges by their months)."""
    from lagesbild.analysis import period_label
    from lagesbild.figures.format import fmt_period

    return fmt_period(period_label(text))


@pytest.mark.parametrize("periods", QUESTIONS, ids=["sep-aug", "custom-ranges", "tertials"])
def test_cli_export_and_web_give_the_same_numbers(env, demo_store_path, capsys, periods):
    cfg, store = env
    names = dict(zip(store.categories()["category_id"], store.categories()["name"], strict=True))
    cli = cli_numbers(capsys, demo_store_path, periods)
    export = export_numbers(cfg, store, names, periods)
    web = web_numbers(periods, names)
    direct = place_comparison(store, PLACE, periods, categories=CATEGORIES, alpha=cfg.alpha)
    assert set(cli) == set(export) == set(web) == set(CATEGORIES)
    for cat in CATEGORIES:
        a, b, p, verdict = cli[cat]
        ea, eb, ep, ev = export[cat]
        assert (int(ea), int(eb), ev) == (a, b, verdict), cat
        assert float(ep) == pytest.approx(p, rel=1e-12, abs=0), cat
        row = direct[direct["category"] == cat].iloc[-1]
        assert (int(row["count_a"]), int(row["count_b"]), row["verdict"]) == (a, b, verdict)
    for cat in CATEGORIES:  # the web page shows the periods in time order
        shown = web[cat]
        assert shown[-2:] in {cli[cat][:2], cli[cat][1::-1]}, (cat, shown, cli[cat])


RANGES = ["2018-01-01–2018-11-30", "2019-01-01–2019-11-30"]


def test_trend_chart_honours_custom_ranges_and_months_keep_every_changed_category(env, capsys,
                                                                                  demo_store_path,
                                                                                  tmp_path):
    from lagesbild.export.charts import months_chart, trend_chart

    cfg, store = env
    data = ExportData(store, cfg)
    place, periods = data.place(PLACE), data_periods(RANGES)
    trend = trend_chart(data, place, periods)
    assert sorted(set(trend.data["Period"])) == RANGES  # the ranges asked for, not Sep–Aug years
    cmp = place_comparison(store, PLACE, RANGES, alpha=cfg.alpha)
    changed = set(cmp.loc[cmp["significant"].astype(bool) & (cmp["category"] != "alla"), "category"])
    assert changed, "the demo's Hässelby torg has a säkerställd change between these ranges"
    names = data.category_names
    shown = set(months_chart(data, place, periods).data["Kategori"])
    assert {names[c] for c in changed} <= shown
    assert {names[c] for c in changed} <= set(trend.data["Kategori"])
    assert main(["--db", str(demo_store_path), "chart", "--chart", "trend", "--place", PLACE,
                 "--periods", *RANGES, "--format", "svg", "--out", f"{tmp_path}/"]) == 0
    assert "2018-01-01" in capsys.readouterr().out  # the file is named after the ranges


def _colours(fig) -> dict:
    fig = go.Figure(fig)  # the screen's figure dict or the export's plotly figure, read alike
    return {t.name: (t.marker.color if t.type == "bar" else t.line.color) for t in fig.data
            if t.showlegend is not False and t.name}


def test_pack_colours_categories_as_the_screen(env):
    from lagesbild.export.charts import months_chart, trend_chart
    from lagesbild.web.common import figure_context
    from lagesbild.web.views.place import place_figures, place_results

    cfg, store = env
    periods = ["2021–2022", "2022–2023"]
    results = place_results(store, cfg, PLACE, categories=None, periods=periods)
    screen = place_figures(results, store, figure_context(store, cfg))
    data = ExportData(store, cfg)
    pack = {"trend_years": trend_chart(data, data.place(PLACE), data_periods(periods)).fig,
            "trend_months": months_chart(data, data.place(PLACE), data_periods(periods)).fig}
    for key, fig in pack.items():
        on_screen, in_pack = _colours(screen[key]), _colours(fig)
        common = set(on_screen) & set(in_pack)
        assert len(common) >= 2, key
        assert {n: on_screen[n] for n in common} == {n: in_pack[n] for n in common}, key
    # a chart of one category (the screen's second) keeps that category's colour, not the first colour
    second = results["categories"][1]
    name = data.category_names[second]
    alone = trend_chart(data, data.place(PLACE), data_periods(periods), category=second).fig
    assert _colours(alone) == {name: _colours(screen["trend_years"])[name]}
    assert _colours(alone)[name] != _colours(screen["trend_years"])[data.category_names[
        results["categories"][0]]]
