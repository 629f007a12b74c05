"""``status`` gives each category's "data t.o.m." as the header gives the store's, and names categories.

analyst3 and same3: with incidents extracted on 19 November, the CLI said "Data t.o.m.: 2026-11-18"
above "data t.o.m. per kategori: … 2026-11-30" (the month's end), and listed categories by their ids
("bedrageri_aldre").
"""

from __future__ import annotations

from lagesbild.analysis.status import store_status
from lagesbild.cli import main
from lagesbild.ingest import ingest_file
from tests.test_recheck_stats2_quick_ends import _file


def test_status_ends_each_category_where_the_data_end(places_store, settings, tmp_path, capsys):
    store = places_store
    old = _file(store, "hasselby-torg", "2025-01-01", "2026-06-30", tmp_path / "vast.csv", 2)
    new = _file(store, "varberg", "2025-01-01", "2026-11-18", tmp_path / "syd.csv", 1)
    assert ingest_file(store, "incidents", old, crs=3006, source="vast").status == "ok"
    assert ingest_file(store, "incidents", new, crs=3006, extracted_at="2026-11-19", source="syd").status == "ok"
    data = store_status(store)
    assert data["data_till_och_med"] == "2026-11-18"
    per = {s["källa"]: [r["data_tom"] for r in s["data_tom_per_kategori"]] for s in data["källor"]}
    assert per["syd"] == ["2026-11-18"]  # the day before the extraction date, as the header
    assert per["vast"] == ["2026-06-30"]  # a source that ended earlier keeps its own end

    capsys.readouterr()
    assert main(["--db", settings.db, "status"]) == 0
    text = capsys.readouterr().out
    assert "data t.o.m. per kategori: Skadegörelse 2026-11-18" in text
    assert "Bedrägeri mot äldre" in text and "bedrageri_aldre" not in text
