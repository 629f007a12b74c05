"""The default comparison of a place (Plats, ``compare`` without ``--periods``) takes the latest Sep–Aug
years of the place's own months: a Brå table of another kommun's calendar years to 2025 beside monthly
counts to August 2023 made every place compare 2024–2025 with 2025–2026, every number "saknas"."""

from __future__ import annotations

import json

from lagesbild import analysis
from lagesbild.analysis import base
from lagesbild.cli import main
from lagesbild.settings import ROOT, load_settings
from tests.test_recheck_export_dataend import mixed_store  # noqa: F401  (the fixture)

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"


def test_a_place_compares_the_latest_years_of_its_own_months(mixed_store):  # noqa: F811
    assert [p.label for p in base.latest_years(mixed_store, 2)] == ["2024–2025", "2025–2026"]  # the store's
    assert [p.label for p in base.default_comparison(mixed_store, "hasselby-torg")] == ["2021–2022", "2022–2023"]
    table = analysis.place_comparison(mixed_store, "hasselby-torg").set_index("category")
    assert table["period_a"].unique().tolist() == ["2021–2022"]
    # hand sums of the file's rows (10 + i % 7 and 3 + i % 7 over the months i of each year)
    years = {"2021–2022": range(12, 24), "2022–2023": range(24, 36)}
    for cat, start in (("skadegorelse", 10), ("narkotikabrott", 3)):
        assert table.loc[cat, ["count_a", "count_b"]].tolist() == [
            sum(start + i % 7 for i in years[y]) for y in years]
    # Göteborg, with yearly counts only, keeps its calendar years
    assert [p.label for p in base.default_comparison(mixed_store, "goteborg")][-1:] == ["2025"]


def test_the_cli_compare_without_periods_takes_them_too(mixed_store, capsys):  # noqa: F811
    capsys.readouterr()
    code = main(["--db", mixed_store.url, "compare", "--place", "hasselby-torg", "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    rows = json.loads(out.out)
    assert {(r["period_a"], r["period_b"]) for r in rows} == {("2021–2022", "2022–2023")}
    assert all(r["count_b"] is not None for r in rows)


def test_the_pack_card_preselects_the_places_own_years(mixed_store):  # noqa: F811
    """The Plats page's pack card took the store's latest years (2024–2025, 2025–2026) when the
    place's periods were not passed on."""
    from lagesbild.web.export_controls import IDS, pack_button

    card = pack_button(["hasselby-torg"], None, store=mixed_store)
    found = [c for c in _walk(card) if getattr(c, "id", None) == IDS["periods"]]
    assert [d.value for d in found] == [["2021–2022", "2022–2023"]]


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def test_the_web_xlsx_says_where_its_places_data_end(mixed_store, settings):  # noqa: F811
    """The download's "Om siffrorna" sheet said "Data t.o.m. 31 dec 2025" (Göteborg's yearly table) of a
    place whose months end in August 2023."""
    import io

    import openpyxl

    from lagesbild.web.numbers import Numbers, xlsx_bytes

    frame = analysis.place_comparison(mixed_store, "hasselby-torg")
    numbers = Numbers(frame, "Jämförelse", place="Hässelby torg", periods=("2021–2022", "2022–2023"),
                      counts=("count_a", "count_b"))
    content, _ = xlsx_bytes(numbers, mixed_store, settings, page="/plats/hasselby-torg")
    about = dict(openpyxl.load_workbook(io.BytesIO(content))["Om siffrorna"].iter_rows(min_row=2, values_only=True))
    assert about["Data t.o.m."] == "31 aug 2023"


def test_the_place_pages_activity_timeline_ends_with_the_places_data(mixed_store):  # noqa: F811
    """Its open-ended bars ran to 31 dec 2025 (Göteborg's Brå years) on a place whose data end in
    August 2023, and its title said "t.o.m. 31 dec 2025"."""
    from lagesbild.ingest import ingest_file
    from lagesbild.settings import ROOT as root
    from lagesbild.web.views.place import plan_figures

    ingest_file(mixed_store, "activities", root / "data" / "demo" / "atgardsplan.yaml")
    results = analysis.place_view(mixed_store, load_settings({}), "hasselby-torg")
    assert results["data_until"].isoformat() == "2023-08-31"
    timeline = plan_figures(results, None)["activities"]
    assert "31 dec 2025" not in str(timeline["layout"]) and "2025-12" not in str(timeline["layout"]["xaxis"])


def test_another_kind_of_period_on_plats_brings_the_places_own_latest(mixed_store):  # noqa: F811
    """Choosing "Sep–aug-år" (or tertials) on Plats brought the store's latest, 2023–2024 to 2025–2026
    (tertials to 2025), of which the place has no data."""
    from lagesbild.web.views import periods as pv

    new, kind, _ = pv.next_periods(mixed_store, "kind", ["2021", "2022"], "sep_aug", place_id="hasselby-torg")
    assert (new, kind) == (["2020–2021", "2021–2022", "2022–2023"], "sep_aug")  # all the place has
    tertials, _, _ = pv.next_periods(mixed_store, "kind", new, "tertial", place_id="hasselby-torg")
    assert tertials[-1] == "T2 2023"  # May–Aug 2023, the place's last whole tertial
    # without a place (no place chosen yet) the store's own, as before
    assert pv.next_periods(mixed_store, "kind", ["2021"], "sep_aug")[0][-2:] == ["2024–2025", "2025–2026"]
