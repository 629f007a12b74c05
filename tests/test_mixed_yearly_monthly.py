"""A store holding Brå's yearly counts beside one kommun's monthly counts. Översikt: the places with
yearly counts only are not left out (the calendar years are offered beside the Sep–Aug years), a
place gets no rows for categories it has no source for, and a place's total sums the categories
with data in both years. Plats: the monthly chart shows every month the comparison counts.
References: the files' numbers read with the csv module (tests/test_yearly_views.py)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pandas as pd
import pytest

from lagesbild.analysis.overview import default_choice, overview_table, period_choices
from lagesbild.cli import main
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from tests.test_web_callbacks import by_id, walk
from tests.test_yearly_views import YEARLY, file_counts, yearly  # noqa: F401 (a fixture)

MONTHLY = YEARLY.parent / "bra_boden_manad.csv"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """(settings, store) of a store with the yearly file (Göteborg, Boden, two Stockholm districts)
    and Boden's monthly file, loaded by the CLI."""
    folder = tmp_path_factory.mktemp("mixed")
    db = folder / "store.sqlite"
    for path in (YEARLY, MONTHLY):
        assert main(["--db", str(db), "ingest", "crimes", str(path)]) == 0
    cfg = load_settings({}, data_dir=str(folder), db=str(db))
    store = open_store(cfg)
    from lagesbild.web import create_app

    create_app(cfg, store)  # the pages read this store
    return cfg, store


def rows_of(table, place_id):
    return table[table["place_id"] == place_id].set_index("category")


def test_calendar_years_are_offered_beside_the_sep_aug_years(mixed):
    cfg, store = mixed
    labels = [p.label for p in period_choices(store)]
    assert {"2024", "2025"} <= set(labels) and any("–" in x for x in labels)
    assert default_choice(store).kind == "sep_aug"  # the monthly data's latest year comes first
    options = by_id(sys.modules["lagesbild.web.pages.overview"].layout(), "ov-period").options
    by_value = {o["value"]: o["label"] for o in options}
    assert by_value["2025"] == "2025 (kalenderår)"
    assert all(by_value[x].startswith(x) and "kalenderår" not in by_value[x] for x in labels if "–" in x)
    # the default Sep–Aug year says where the places with yearly counts only are
    res = overview_table(store, cfg)
    assert "goteborg" not in set(res["comparison"]["place_id"])
    assert res["years_note"].startswith("Hässelby-Vällingby, Skärholmen och Göteborg har bara siffror")
    assert res["years_note"].endswith("när ett kalenderår väljs (senast 2025).")
    assert overview_table(store, cfg, period="2025")["years_note"] == ""


def test_a_calendar_year_shows_the_yearly_places_with_the_file_s_counts(mixed):
    cfg, store = mixed
    res = overview_table(store, cfg, period="2025")
    assert res["problem"] is None and [p.label for p in res["pair"]] == ["2024", "2025"]
    cmp = res["comparison"]
    assert {"goteborg", "hasselby-vallingby", "skarholmen", "boden"} <= set(cmp["place_id"])
    counts = file_counts()
    gbg = rows_of(cmp, "goteborg")
    for cat in ("narkotikabrott", "skadegorelse", "inbrott", "totalt"):
        assert (gbg.loc[cat, "count_a"], gbg.loc[cat, "count_b"]) == (
            counts[("Göteborg", cat, 2024)], counts[("Göteborg", cat, 2025)])
    # Göteborg has no source for the monthly file's categories: no rows "data saknas för 24 månader"
    assert not gbg["verdict"].str.contains("data saknas").any()
    assert set(gbg.index) == {c for (area, c, _y) in counts if area == "Göteborg"}


def test_a_place_s_total_sums_the_categories_with_data_in_both_years(mixed):
    """Boden's Sep–Aug year: the yearly file's misshandel and personrån have no months, the monthly
    file's categories have; its total is theirs (it was 'data saknas för 24 månader'), and says so."""
    cfg, store = mixed
    sep_aug = [p for p in period_choices(store) if p.kind == "sep_aug"][-1]
    cmp = overview_table(store, cfg, period=sep_aug.label)["comparison"]
    boden = rows_of(cmp, "boden")
    both = [c for c in boden.index if c not in ("alla", "totalt")
            and boden.loc[c, ["count_a", "count_b"]].notna().all()]
    assert "misshandel" not in both and len(both) >= 3
    assert boden.loc["alla", "count_a"] == boden.loc[both, "count_a"].sum()
    assert boden.loc["alla", "count_b"] == boden.loc[both, "count_b"].sum()
    assert "Alla är här summan av" in boden.loc["alla", "note"]
    assert "Misshandel" not in boden.loc["alla", "note"].split("Alla är här summan av")[1]
    assert "boden" in cmp.attrs["alla"]


def monthly_file_totals() -> dict:
    """Boden's 'Totalt antal brott' per month in the monthly file, read with the csv module."""
    lines = MONTHLY.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("År,"))
    rows = csv.DictReader(lines[start:])
    return {pd.Timestamp(int(r["År"]), int(r["Månad"]), 1): int(r["Antal"]) for r in rows
            if r.get("Brott") == "Totalt antal brott" and r.get("Periodtyp") == "Månad"}


def test_the_monthly_chart_shows_every_month_the_comparison_counts(mixed):
    """Boden's months run to Aug 2026 while the yearly tables end in 2025 (the store's 'data t.o.m.'
    31 Dec 2025): the chart stopped at Dec 2025 beside a 2025–2026 count of all twelve months."""
    from lagesbild.analysis.place import place_view

    cfg, store = mixed
    months = monthly_file_totals()
    view = place_view(store, cfg, "boden", categories=["totalt"], periods=["2024–2025", "2025–2026"])
    series = view["series"].dropna(subset=["count"])
    assert series["month"].max() == max(months) == pd.Timestamp("2026-08-01")
    assert dict(zip(series["month"], series["count"].astype(int), strict=True)) == months
    later = sum(v for m, v in months.items() if m >= pd.Timestamp("2025-09-01"))
    assert view["comparison"].set_index("category").loc["totalt", "count_b"] == later


def test_jamfor_without_population_says_why_in_plain_text(mixed):
    """Two kommuner without a known population: the rate chart's card says why as text, without
    the chart's line-break markup ('inte<br>meningsfullt' was shown)."""
    from lagesbild.web.views.side_by_side import compare_view

    cfg, store = mixed
    tree = compare_view(store, cfg, places=["goteborg", "boden"], periods=["2024", "2025"])
    texts = [str(p.children) for p in walk(tree) if "empty-text" in str(getattr(p, "className", ""))]
    assert any("brott per 1 000 invånare är inte meningsfullt" in t for t in texts)
    assert not any("<" in t for t in texts)


def test_a_kommun_with_yearly_tables_and_months_from_january_starts_on_its_years(mixed, capsys):
    """Boden's months begin in January 2025, so the Sep–Aug year 2024–2025 lacks four: Plats and
    `compare` without periods take its calendar years, whose counts are the yearly file's, and the
    default categories are those the years have (every default row is judged)."""
    import json

    from lagesbild.analysis.place import place_view

    cfg, store = mixed
    view = place_view(store, cfg, "boden")
    assert [p.label for p in view["periods"]] == ["2023", "2024", "2025"]
    assert not view["comparison"]["verdict"].str.startswith("kan inte bedömas").any()
    table = view["comparison"][view["comparison"]["period_b"] == "2025"].set_index("category")
    counts = file_counts()
    for cat in view["categories"]:
        assert (table.loc[cat, "count_a"], table.loc[cat, "count_b"]) == (
            counts[("Boden", cat, 2024)], counts[("Boden", cat, 2025)])
    capsys.readouterr()
    assert main(["--db", cfg.db, "compare", "--place", "Boden", "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert {(r["period_a"], r["period_b"]) for r in cli} == {("2024", "2025")}
    by_cat = {r["category"]: r for r in cli}
    for cat in view["categories"]:
        assert (by_cat[cat]["count_a"], by_cat[cat]["count_b"]) == (
            table.loc[cat, "count_a"], table.loc[cat, "count_b"])


@pytest.fixture(scope="module")
def yearly_only(yearly):  # noqa: F811 (the fixture imported above)
    """(settings, store) of a store holding only Brå's yearly table (test_yearly_views' store)."""
    return yearly[0], yearly[1]


def bundled_population(area: str, year: int) -> int:
    """The bundled SCB population of an area for a year, read with the csv module."""
    from lagesbild.analysis.base import BUNDLED_POPULATION

    lines = [x for x in Path(BUNDLED_POPULATION).read_text(encoding="utf-8").splitlines()
             if not x.startswith("#")]
    return next(int(r["folkmängd"]) for r in csv.DictReader(lines) if r["område"] == area and int(r["år"]) == year)


@pytest.mark.parametrize("periods", [None, ["2025"]])
def test_jamfor_compares_yearly_counts(yearly_only, periods):
    """Jämför with Brå's yearly tables only: it offered no period and said 'Välj minst en period',
    and with periods given it found no crimes. Now its default is the last two calendar years, the
    counts are the file's, the rates use SCB's population (2023, the latest known, for 2025) and
    the places are compared with the exact conditional test (scipy's binomtest)."""
    from scipy.stats import binomtest

    from lagesbild.analysis.side_by_side import side_by_side

    cfg, store = yearly_only
    res = side_by_side(store, cfg, places=["hasselby-vallingby", "skarholmen"], periods=periods)
    assert [p.label for p in res["periods"]] == (periods or ["2024", "2025"])
    counts = file_counts()
    names = {"hasselby-vallingby": "Hässelby-Vällingby", "skarholmen": "Skärholmen"}
    table = res["table"]
    assert len(table) and table["missing"].eq(0).all()
    for r in table.itertuples():
        assert r.count == counts[(names[r.place_id], r.category, int(r.period))]
    latest = table[table["period"] == "2025"].set_index(["place_id", "category"])
    pop = {pid: bundled_population(pid, 2023) for pid in names}
    for pid in names:
        for cat in res["categories"]:
            assert latest.loc[(pid, cat), "rate"] == pytest.approx(
                counts[(names[pid], cat, 2025)] * 1000 / pop[pid], rel=1e-9)
    between = res["between"].set_index("category")
    for cat in res["categories"]:
        ca, cb = counts[("Hässelby-Vällingby", cat, 2025)], counts[("Skärholmen", cat, 2025)]
        share = pop["hasselby-vallingby"] / (pop["hasselby-vallingby"] + pop["skarholmen"])
        assert between.loc[cat, "p_unadjusted"] == pytest.approx(binomtest(ca, ca + cb, share).pvalue, rel=1e-6)


def test_jamfor_offers_and_starts_on_the_calendar_years(yearly_only):
    cfg, store = yearly_only
    from lagesbild.web import create_app

    create_app(cfg, store)
    page = sys.modules["lagesbild.web.pages.compare"]
    value = page.controls(store, {"plats": ["goteborg", "boden"]})
    assert value["cmp-periods"] == ["2024", "2025"]
    options = by_id(page.layout(plats=["goteborg", "boden"]), "cmp-periods").options
    assert [o["value"] for o in options] == ["2023", "2024", "2025"]


def test_similar_places_read_the_crime_mix_from_yearly_counts(yearly_only):
    """'Liknande platser' for a kommun with yearly counts only found none ('Välj mellan 2 och 4
    olika platser'): the mix now comes from the years' counts. Reference: the total-variation
    distance of the two kommuners' category shares over 2024–2025, from the file by hand (neither
    has a population in the bundled table, so only the mix counts)."""
    from lagesbild.analysis.side_by_side import side_by_side, similar_places

    cfg, store = yearly_only
    res = side_by_side(store, cfg, places=["boden"], periods=None, similar=3)
    assert [r["place_id"] for r in res["places"]] == ["boden", "goteborg"]
    counts = file_counts()
    cats = sorted({c for (_a, c, _y) in counts if c != "totalt"})

    def shares(area):
        v = {c: sum(counts[(area, c, y)] or 0 for y in (2024, 2025)) for c in cats}
        return {c: x / sum(v.values()) for c, x in v.items()}
    a, b = shares("Boden"), shares("Göteborg")
    tv = 0.5 * sum(abs(a[c] - b[c]) for c in cats)
    sim = similar_places(store, cfg, "boden", res["periods"]).set_index("place_id")
    assert sim.loc["goteborg", "distance"] == pytest.approx(tv, rel=1e-12)


def test_pages_without_the_data_they_need_say_what_is_missing(yearly_only, tmp_path):
    """Karta with Brå's counts only said 'ingen kategori är vald: välj en eller flera' beside an
    empty category list; Jämför on a store with a survey only said 'Välj minst en period'."""
    from lagesbild.analysis.maps import map_layers
    from lagesbild.analysis.side_by_side import SideBySideError, side_by_side

    cfg, store = yearly_only
    res = map_layers(store, cfg, area="goteborg", category=[], period="2025")
    assert res["problem"].startswith("kartan kräver brott på händelsenivå med koordinater")
    db = tmp_path / "survey.sqlite"
    survey = Path(__file__).resolve().parent / "data" / "trygghet_andel.csv"
    assert main(["--db", str(db), "ingest", "survey", str(survey)]) == 0
    only = load_settings({}, data_dir=str(tmp_path), db=str(db))
    with pytest.raises(SideBySideError, match="^Ingen brottsdata är inläst"):
        side_by_side(open_store(only), only, places=["varberg", "skarholmen"], periods=None)


def test_the_pack_control_offers_the_years_the_place_shows(mixed):
    """Plats for Göteborg (yearly tables) shows 2023–2025; the pack control beside it offered only
    the Sep–Aug years, so its periods were empty ('Välj perioder')."""
    from lagesbild.web.export_controls import pack_button

    cfg, store = mixed
    page = sys.modules["lagesbild.web.pages.place"]
    tree = page.layout(place_id="goteborg")
    periods = by_id(tree, "lb-pack-periods")
    assert periods.value == ["2023", "2024", "2025"]
    assert {"2023", "2024", "2025"} <= {o["value"] for o in periods.options}
    # the overview's control starts on the pack's default years (the latest two Sep–Aug years)
    assert by_id(pack_button(store=store), "lb-pack-periods").value == [
        p.label for p in period_choices(store) if p.kind == "sep_aug"][-2:]
