"""Brå's yearly tables beside Boden's months (tests/test_mixed_yearly_monthly.py's store): what a place's
period choices say of its data end, and the periods a pack or a chart of a yearly place starts on.
References: the files read with the csv module (tests/test_yearly_views.file_counts)."""

from __future__ import annotations

import sys

import plotly.graph_objects as go

from tests.test_mixed_yearly_monthly import mixed, monthly_file_totals  # noqa: F401 (a fixture)
from tests.test_web_callbacks import by_id, in_callback
from tests.test_yearly_views import file_counts


def test_the_period_choices_say_the_place_s_own_data_end(mixed):  # noqa: F811
    """Boden's months run to Aug 2026, the store's 'data t.o.m.' is 31 Dec 2025 (the yearly tables'):
    Plats offered Boden '2025–2026 (t.o.m. 31 dec 2025)' and drew the year so, though the comparison
    counts its twelve months; Göteborg (yearly only) keeps the store's date."""
    cfg, store = mixed
    page = sys.modules["lagesbild.web.pages.place"]
    assert max(monthly_file_totals()).strftime("%Y-%m") == "2026-08"
    per = ["2024-2025", "2025-2026"]
    labels = {o["value"]: o["label"] for o in by_id(page.layout(place_id="boden", per=per), "pl-periods").options}
    assert labels["2025–2026"] == "2025–2026"  # a whole year of Boden's data: nothing to add
    labels = {o["value"]: o["label"] for o in by_id(page.layout(place_id="goteborg", per=per), "pl-periods").options}
    assert labels["2025–2026"] == "2025–2026 (t.o.m. 31 dec 2025)"
    out = in_callback("pl-kind.value", page.periods_control, "sep_aug", 0, ["2024–2025", "2025–2026"], None,
                      None, "boden")
    assert {o["value"]: o["label"] for o in out[1]}["2025–2026"] == "2025–2026"
    # another place chosen in the dropdown (the page is not re-rendered): the options follow it
    boden = page.period_options("boden", "sep_aug", ["2024–2025", "2025–2026"])
    assert {o["value"]: o["label"] for o in boden}["2025–2026"] == "2025–2026"
    back = page.period_options("goteborg", "sep_aug", ["2024–2025", "2025–2026"])
    assert {o["value"]: o["label"] for o in back}["2025–2026"] == "2025–2026 (t.o.m. 31 dec 2025)"
    from lagesbild.web.views.place import place_view

    tree = place_view(store, cfg, "boden", categories=["totalt"], periods=["2024–2025", "2025–2026"])
    years = go.Figure(by_id(tree, "place-trend_years").figure)
    assert years.data[0].x[-1] == "2025–2026"  # not "(t.o.m. 31 dec 2025)"


def test_a_pack_and_a_chart_of_a_yearly_place_start_on_its_calendar_years(mixed, monkeypatch, tmp_path):  # noqa: F811
    """`pack --places goteborg` without --periods compared the store's Sep–Aug years, for which
    Göteborg has no counts: a whole pack of 'saknas'. It starts on Göteborg's calendar years, whose
    counts are the file's; places of other defaults, or an unknown name, leave the store's default.
    (The pack's writer is replaced by one that keeps what it was asked for: the drawing is tested in
    tests/test_export_pack.py.)"""
    from types import SimpleNamespace

    import lagesbild.export.pack as pack_module
    from lagesbild.analysis.place import place_comparison
    from lagesbild.cli import main

    cfg, store = mixed
    asked = []

    def fake_pack(store, settings, *, places, periods, **_):
        asked.append(([str(p) for p in places], [p.label for p in periods]))
        return SimpleNamespace(charts=0, tables=0, docx="a", pdf="b", zip="c", suppressed=False)

    monkeypatch.setattr(pack_module, "build_pack", fake_pack)
    for places in (["goteborg"], ["Göteborg", "boden"], ["goteborg", "hasselby-vallingby"]):
        assert main(["--db", cfg.db, "pack", "--places", *places, "--out", str(tmp_path), "--no-progress"]) == 0
    assert [a[1] for a in asked] == [["2024", "2025"], ["2024", "2025"], ["2024", "2025"]]
    assert main(["--db", cfg.db, "pack", "--places", "ingen-sadan-plats", "--out", str(tmp_path),
                 "--no-progress"]) == 0  # refused by the real pack, which the fake is not
    assert asked[-1][1] == ["2024–2025", "2025–2026"]
    cmp = place_comparison(store, "goteborg", asked[0][1]).set_index("category")
    counts = file_counts()
    for cat in ("narkotikabrott", "skadegorelse", "inbrott"):
        assert (cmp.loc[cat, "count_a"], cmp.loc[cat, "count_b"]) == (
            counts[("Göteborg", cat, 2024)], counts[("Göteborg", cat, 2025)])
