"""Yearly counts (Brå) on every screen: the Plats page, Översikt and the meeting pack compare them
whole year with whole year, with the same numbers as ``compare --format json``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from scipy.stats import binomtest
from statsmodels.stats.multitest import multipletests

from lagesbild.cli import main
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from tests.test_web_callbacks import by_id

YEARLY = Path(__file__).resolve().parent / "data" / "bra" / "bra_omraden_ar.csv"
PERIODS = ["2024", "2025"]
#: the file's crime names and the categories they are read into (villa + lägenhet summed)
NODES = {"Totalt antal brott": "totalt", "Stöld ur eller från motordrivet fordon": "bilbrott",
         "Inbrott i villa": "inbrott", "Inbrott i lägenhet": "inbrott", "Narkotikabrott": "narkotikabrott",
         "Misshandel inkl. grov": "misshandel", "Skadegörelsebrott": "skadegorelse",
         "Rån mot privatperson": "personran"}
PLACES = {"goteborg": "Göteborg", "hasselby-vallingby": "Hässelby-Vällingby"}


def file_counts() -> dict:
    """(area, category, year) -> count, read from the file with the csv module (independent of the
    reader); None for Brå's '..'."""
    lines = YEARLY.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Område;"))
    out: dict = {}
    for row in csv.DictReader([x for x in lines[start:] if x.count(";") > 3], delimiter=";"):
        for year in (2023, 2024, 2025):
            raw = row[f"{year} Antal"].replace(" ", "")
            key = (row["Område"], NODES[row["Brott"]], year)
            value = None if raw == ".." else int(raw)
            if key in out:  # two nodes read into one category are summed
                value = None if value is None or out[key] is None else out[key] + value
            out[key] = value
    return out


@pytest.fixture(scope="module")
def yearly(tmp_path_factory):
    """(settings, store, db path) of a fresh store holding only the yearly file, loaded by the CLI."""
    folder = tmp_path_factory.mktemp("yearly")
    db = folder / "store.sqlite"
    assert main(["--db", str(db), "ingest", "crimes", str(YEARLY)]) == 0
    cfg = load_settings({}, data_dir=str(folder), db=str(db))
    return cfg, open_store(cfg), db


def cli_rows(capsys, db, place) -> dict:
    capsys.readouterr()
    assert main(["--db", str(db), "compare", "--place", place, "--periods", *PERIODS,
                 "--format", "json"]) == 0
    return {r["category"]: r for r in json.loads(capsys.readouterr().out)}


def _int(text: str) -> int:
    return int(text.lstrip("▲▼ ").split(" ")[0].replace("\u00a0", "").rstrip("*"))


@pytest.mark.parametrize("pid", list(PLACES))
def test_place_page_gives_the_cli_numbers_for_yearly_data(yearly, capsys, pid):
    from lagesbild.web.views.place import place_view

    cfg, store, db = yearly
    cli = cli_rows(capsys, db, PLACES[pid])
    counts = file_counts()
    assert set(cli) == {c for (a, c, _) in counts if a == PLACES[pid]}
    tree = place_view(store, cfg, pid, categories=sorted(cli), periods=PERIODS)
    table = by_id(tree, "place-comparison")
    shown = {r["_category"]: r for r in table.data}
    assert set(shown) == set(cli)  # no total over overlapping categories, nothing "kan inte bedömas"
    for cat, r in cli.items():
        a, b = counts[(PLACES[pid], cat, 2024)], counts[(PLACES[pid], cat, 2025)]
        assert (r["count_a"], r["count_b"]) == (a, b)
        # the exact conditional test of two Poisson counts with the years' days as exposures
        assert r["p_unadjusted"] == pytest.approx(binomtest(b, a + b, 0.5).pvalue, rel=1e-9)
        row = shown[cat]
        verdict = row["Bedömning"].removeprefix("▲ ").removeprefix("▼ ")  # the page's arrow
        assert (_int(row["2024"]), _int(row["2025"]), verdict) == (a, b, r["verdict"])
        assert not r["verdict"].startswith("kan inte bedömas")
    # the place's table is one Benjamini–Hochberg family (statsmodels as the reference)
    cats = sorted(cli)
    ref = multipletests([cli[c]["p_unadjusted"] for c in cats], alpha=cfg.alpha, method="fdr_bh")[1]
    assert [cli[c]["p_value"] for c in cats] == pytest.approx(list(ref), rel=1e-12)
    if pid == "hasselby-vallingby":
        # two years only: too few to estimate the year-to-year variation, and the verdict says so
        assert shown["personran"]["Bedömning"] == ("▲ ökning, statistiskt säkerställd (exakt Poissontest: "
                                                   "för kort historik)")


def test_place_defaults_and_period_choices_come_from_the_yearly_data(yearly):
    from lagesbild.analysis.place import place_view
    from lagesbild.web.views import periods as pv

    cfg, store, _ = yearly
    assert [p.label for p in pv.periods_of_kind(store, "calendar_year")] == ["2023", "2024", "2025"]
    assert [p.label for p in pv.default_periods(store, "calendar_year", 2)] == PERIODS
    assert pv.next_periods(store, "kind", [], "calendar_year")[0] == ["2023", "2024", "2025"]
    assert pv.periods_of_kind(store, "sep_aug") == [] and pv.periods_of_kind(store, "tertial") == []
    view = place_view(store, cfg, "goteborg")
    assert [p.label for p in view["periods"]] == ["2023", "2024", "2025"]
    counts = file_counts()
    sums = {c: sum(counts[("Göteborg", c, y)] for y in (2023, 2024, 2025))
            for (a, c, _) in counts if a == "Göteborg"}
    assert view["categories"] == sorted(sums, key=lambda c: -sums[c])[:4]
    cmp = view["comparison"]
    assert not cmp["verdict"].str.startswith("kan inte bedömas").any()
    shown = view["counts"].set_index(["category", "period"])["count"]
    for cat in view["categories"]:
        for year in (2023, 2024, 2025):
            assert shown[(cat, str(year))] == counts[("Göteborg", cat, year)]


def test_overview_shows_the_yearly_places_as_one_family(yearly, capsys):
    from lagesbild.analysis.overview import overview_table
    from lagesbild.web.views.overview import overview_view

    cfg, store, db = yearly
    res = overview_table(store, cfg)
    assert res["problem"] is None and [p.label for p in res["pair"]] == PERIODS
    cmp = res["comparison"]
    assert set(cmp["place_id"]) == {"goteborg", "boden", "hasselby-vallingby", "skarholmen"}
    assert not cmp["verdict"].str.startswith("kan inte bedömas").any()
    # each place's raw test is the CLI's; the table is one Benjamini–Hochberg family (statsmodels)
    for pid, name in PLACES.items():
        cli = cli_rows(capsys, db, name)
        mine = cmp[cmp["place_id"] == pid].set_index("category")
        assert set(mine.index) == set(cli)
        for cat, r in cli.items():
            assert (mine.loc[cat, "count_a"], mine.loc[cat, "count_b"]) == (r["count_a"], r["count_b"])
            assert mine.loc[cat, "p_unadjusted"] == pytest.approx(r["p_unadjusted"], rel=1e-12)
    ref = multipletests(cmp["p_unadjusted"].astype(float), alpha=cfg.alpha, method="fdr_bh")
    assert cmp["p_value"].tolist() == pytest.approx(list(ref[1]), rel=1e-12)
    assert cmp["significant"].tolist() == list(ref[0])
    tree = overview_view(store, cfg)
    names = [r["plats"].split("](")[0].lstrip("[").replace("\\", "")  # the label is Markdown-escaped
             for r in by_id(tree, "ov-matrix").data]
    assert sorted(names) == sorted(["Göteborg", "Boden", "Hässelby-Vällingby", "Skärholmen"])


def test_pack_compares_and_charts_the_yearly_counts(yearly, capsys):
    from lagesbild.analysis import pack
    from lagesbild.export.data import ExportData, parse_periods
    from lagesbild.export.sections import comparison_table

    cfg, store, db = yearly
    assert pack.pack_options(store)[1] == ["2023", "2024", "2025"]
    assert [p.label for p in pack.default_periods(store)] == PERIODS
    data = ExportData(store, cfg)
    place = data.place("hasselby-vallingby")
    table = comparison_table(data, place, parse_periods(PERIODS)).data
    by_name = {v: k for k, v in data.category_names.items()}
    cli = cli_rows(capsys, db, "Hässelby-Vällingby")
    rows = {by_name[r["Kategori"]]: r for r in table.to_dict("records")}
    assert set(rows) == set(cli)
    for cat, r in cli.items():
        assert (int(rows[cat]["Antal A"]), int(rows[cat]["Antal B"]), rows[cat]["Bedömning"]) == (
            r["count_a"], r["count_b"], r["verdict"])
    pers, counts = pack.trend_counts(store, place, parse_periods(PERIODS), alpha=cfg.alpha)
    assert "personran" in set(counts["category"])  # its säkerställd rise is never left out
    file = file_counts()
    for r in counts.to_dict("records"):
        assert r["count"] == file[("Hässelby-Vällingby", r["category"], int(r["period"]))]


def test_mixed_store_defaults_to_a_yearly_place_s_own_years(tmp_path):
    """With Boden's monthly file loaded too (Sep–Aug years exist), a place with yearly counts only
    still starts on its calendar years, and Boden's 2024 (yearly only) against 2025 is judged."""
    from lagesbild.analysis.place import place_view

    db = tmp_path / "mixed.sqlite"
    for path in (YEARLY, YEARLY.parent / "bra_boden_manad.csv"):
        assert main(["--db", str(db), "ingest", "crimes", str(path)]) == 0
    mixed = load_settings({}, data_dir=str(tmp_path), db=str(db))
    store = open_store(mixed)
    view = place_view(store, mixed, "goteborg")
    assert [p.label for p in view["periods"]] == ["2023", "2024", "2025"]
    assert not view["comparison"]["verdict"].str.startswith("kan inte bedömas").any()
    boden = place_view(store, mixed, "boden", categories=["narkotikabrott"], periods=PERIODS)
    row = boden["comparison"].set_index("category").loc["narkotikabrott"]
    counts = file_counts()
    assert (row["count_a"], row["count_b"]) == (counts[("Boden", "narkotikabrott", 2024)],
                                                counts[("Boden", "narkotikabrott", 2025)])


def test_compare_without_periods_takes_the_last_two_whole_years(yearly, capsys):
    """With yearly counts only, `compare` without --periods compares the place's last two calendar
    years, as the pack does (it stopped: 'det finns inte data för två september–augusti-år')."""
    _, _, db = yearly
    capsys.readouterr()
    assert main(["--db", str(db), "compare", "--place", PLACES["goteborg"], "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {(r["period_a"], r["period_b"]) for r in rows} == {("2024", "2025")}
    counts = file_counts()
    for r in rows:
        if counts.get((PLACES["goteborg"], r["category"], 2025)) is not None:
            assert r["count_b"] == counts[(PLACES["goteborg"], r["category"], 2025)]


def test_charts_of_a_bra_table_cite_bra(tmp_path):
    """A table read as Brå's is stored as Brå's source, and its charts and exports cite Brå ('Källa:
    Polisen' stood under Brå's statistics); police incidents beside it cite both."""
    from lagesbild.analysis import base
    from lagesbild.export.data import ExportData
    from lagesbild.ingest.handlers import BRA_CRIME_SOURCE
    from lagesbild.web import common

    db = tmp_path / "bra.sqlite"
    bra = Path(__file__).resolve().parent / "data" / "bra" / "bra_goteborg_ar.csv"
    assert main(["--db", str(db), "ingest", "crimes", str(bra)]) == 0
    cfg = load_settings({}, data_dir=str(tmp_path), db=str(db))
    store = open_store(cfg)
    assert list(store.sources()["source"]) == [BRA_CRIME_SOURCE]
    assert BRA_CRIME_SOURCE.startswith(base.BRA_SOURCE_PREFIX)
    assert common.figure_context(store, cfg).crime_source == "Brå, anmälda brott"
    assert ExportData(store, cfg).context.crime_source == "Brå, anmälda brott"
    out = tmp_path / "trend.svg"
    assert main(["--db", str(db), "chart", "--chart", "trend", "--place", "Hisingen", "--out", str(out)]) == 0
    assert "Källa: Brå, anmälda brott" in out.read_text(encoding="utf-8")
    from lagesbild.web.factory import create_app
    layout = create_app(cfg, store).server.test_client().get("/_dash-layout").get_json()
    assert "Källa: Brå, anmälda brott;" in json.dumps(layout, ensure_ascii=False)  # the page's footer
    incidents = Path(__file__).resolve().parent / "data" / "incidenter_3006.csv"
    assert main(["--db", str(db), "ingest", "incidents", str(incidents)]) == 0
    store = open_store(cfg)
    assert common.figure_context(store, cfg).crime_source == "Polisen och Brå, anmälda brott"
