"""One name for the total row: ``compare --category narkotikabrott skadegorelse`` called the sum of those
two categories "Alla kategorier" (at the demo's Hässelby torg less than every crime there) where Plats,
for the same question, says "Alla valda kategorier"; ``effect`` named the before/after total unlike the
pack's table (same3's finding)."""

from __future__ import annotations

import json
import sys

import pytest

from lagesbild.cli import main
from tests.test_web_callbacks import by_id

PLACE = "hasselby-torg"
CHOSEN = ["narkotikabrott", "skadegorelse"]
PERIODS = ["2021–2022", "2022–2023"]


@pytest.fixture(scope="module")
def app(demo_store, demo_settings):
    from lagesbild.web import create_app

    create_app(demo_settings, demo_store)


def _cli(args, capsys) -> str:
    capsys.readouterr()
    assert main(args) == 0
    return capsys.readouterr().out


def test_compare_names_the_total_of_the_chosen_categories_as_plats_does(app, demo_store_path, capsys):
    db = ["--db", str(demo_store_path)]
    rows = json.loads(_cli([*db, "compare", "--place", PLACE, "--periods", *PERIODS, "--category", *CHOSEN,
                            "--format", "json"], capsys))
    every = json.loads(_cli([*db, "compare", "--place", PLACE, "--periods", *PERIODS, "--format", "json"],
                            capsys))
    total = next(r for r in rows if r["category"] == "alla")
    # the total is the two categories' sum (by hand), less than the place's every crime
    assert total["count_b"] == sum(r["count_b"] for r in rows if r["category"] in CHOSEN)
    assert total["count_b"] < next(r for r in every if r["category"] == "alla")["count_b"]
    # the page's name for that row
    pages = sys.modules["lagesbild.web.pages.place"]
    table = by_id(pages.update(PLACE, CHOSEN, PERIODS, False), "place-comparison")
    shown = next(r["Kategori"] for r in table.data if r["_category"] == "alla")
    text = _cli([*db, "compare", "--place", PLACE, "--periods", *PERIODS, "--category", *CHOSEN], capsys)
    line = next(ln for ln in text.splitlines() if f"{total['count_a']}  " in ln and "→" in ln
                and ln.split("  ")[0] not in ("Narkotikabrott", "Skadegörelse"))
    assert line.startswith(shown), (line, shown)
    assert "Alla kategorier" not in text


def test_effect_names_the_total_as_the_packs_before_after_table(demo_store, demo_settings, demo_store_path,
                                                                 capsys):
    from lagesbild.export.content import Table
    from lagesbild.export.data import ExportData
    from lagesbild.export.effects_section import effects_table

    data = ExportData(demo_store, demo_settings)
    table = next(b for b in effects_table(data, data.place(PLACE)) if isinstance(b, Table))
    kat = table.columns.index("Kategori")
    pack_names = {r[kat] for r in table.rows}
    text = _cli(["--db", str(demo_store_path), "effect", "--activity", "hv-platssamverkan-hasselby-torg"],
                capsys)
    totals = [n for n in pack_names if n.startswith("Alla")]
    assert len(totals) == 1
    assert totals[0] in text and "Alla kategorier " not in text
