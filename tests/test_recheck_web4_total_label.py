"""Plats' comparison names the total of the chosen categories "Alla valda kategorier" on screen; its
Excel download called the same row "Alla kategorier" (every category, which it is not)."""

from __future__ import annotations

from tests.test_web_callbacks import by_id
from tests.test_xlsx_download import _download, _rows, _workbook, env  # noqa: F401  (fixture)

CHOSEN = ["narkotikabrott", "vald_nara_relation"]
PERIODS = ["2020-2021", "2021-2022"]
SEARCH = "?" + "&".join([*(f"kat={c}" for c in CHOSEN), *(f"per={p}" for p in PERIODS)])


def test_download_total_row_is_named_as_the_screen_names_it(env):  # noqa: F811
    settings, store, _, _ = env
    from lagesbild.web.views.place import place_view

    tree = place_view(store, settings, "torg", categories=CHOSEN, periods=PERIODS)
    screen = [r["Kategori"] for r in by_id(tree, "place-comparison").data if r.get("_category") == "alla"]
    assert screen == ["Alla valda kategorier"]

    sent, message = _download("place-comparison", "/plats/torg", SEARCH)
    assert message == ""
    total = [r["Kategori"] for r in _rows(_workbook(sent)["Siffror"]) if r["Kategori-id"] == "alla"]
    assert total and set(total) == set(screen)
