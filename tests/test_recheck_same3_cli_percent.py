"""``compare``'s text rounded the change in percent to whole numbers ("+8 %") where Plats and the
pack's table, for the same row, say "+7,6 %" (same3's finding): the command now writes it as they do."""

from __future__ import annotations

import sys

import pytest

from lagesbild.cli import main
from tests.test_web_callbacks import by_id

PLACE = "hasselby-torg"
PERIODS = ["2021–2022", "2022–2023"]


@pytest.fixture(scope="module")
def app(demo_store, demo_settings):
    from lagesbild.web import create_app

    create_app(demo_settings, demo_store)


def test_compare_text_gives_the_change_in_percent_as_plats(app, demo_store, demo_store_path, capsys):
    from lagesbild.analysis.place import resolve_view

    pages = sys.modules["lagesbild.web.pages.place"]
    cats = resolve_view(demo_store, PLACE, [], PERIODS)[1]  # the page's default categories
    table = by_id(pages.update(PLACE, cats, PERIODS, False), "place-comparison")
    on_screen = {r["Kategori"]: r["Förändring (%)"] for r in table.data}
    capsys.readouterr()
    assert main(["--db", str(demo_store_path), "compare", "--place", PLACE, "--periods", *PERIODS,
                 "--category", *cats]) == 0
    text = capsys.readouterr().out
    checked = 0
    for line in text.splitlines():
        name = next((n for n in on_screen if line.startswith(n + "  ")), None)
        if name is None:
            continue
        assert f"  {on_screen[name]}  " in line, (line, on_screen[name])
        checked += 1
    assert checked == len(on_screen) >= 3
    # one decimal, as on screen: 1 decimal comma in at least one percent cell
    assert any("," in v for v in on_screen.values())
