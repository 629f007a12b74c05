"""The quick spans' change in percent is in percent, as in every other table (same3: 0,333 in the CLI's
JSON and in the column "Förändring (%)" of the Excel download, where +33,3 was meant)."""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis.meeting import quick_comparison
from lagesbild.ingest import ingest_file
from tests.test_recheck_stats2_quick_ends import _file


def test_quick_change_in_percent_is_percent(places_store, settings, tmp_path):
    store = places_store
    path = _file(store, "varberg", "2024-01-01", "2026-11-15", tmp_path / "syd.csv", 1)
    rows = pd.read_csv(path)  # three a day; in 2025 two a day, so each span a year later is +50 %
    rows[~(rows["Brottsdatum"].str.startswith("2025") & rows["Händelse-id"].str.endswith("-3"))].to_csv(
        path, index=False)
    assert ingest_file(store, "incidents", path, crs=3006, extracted_at="2026-11-16").status == "ok"
    q = quick_comparison(store, settings, place="varberg")
    rows = q[q["count_a"] > 0]
    assert len(rows) >= 3
    for r in rows.itertuples():  # by hand from the row's own counts
        assert r.pct_change == 100 * (r.count_b - r.count_a) / r.count_a
    assert (rows.set_index("span").loc["28d", "pct_change"] == 50.0).all()  # 84 against 56 by hand
