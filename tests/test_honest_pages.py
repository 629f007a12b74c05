"""The pages say how many tests they show and their tiles agree with the tables (demo data)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from lagesbild.analysis.overview import overview_table
from lagesbild.settings import load_settings
from tests.test_web_callbacks import text_of, walk


def _settings(path):
    return load_settings({}, data_dir=str(path.parent), db=str(path))


def test_overview_is_one_family_and_the_tiles_count_its_verdicts(demo_store, demo_store_path):
    from lagesbild.web import create_app
    from lagesbild.web.views.overview import overview_view

    cfg = _settings(demo_store_path)
    create_app(cfg, demo_store)
    res = overview_table(demo_store, cfg)
    cmp = res["comparison"]
    raw = cmp["p_unadjusted"].to_numpy(dtype=float)
    ok = np.isfinite(raw)
    bh = stats.false_discovery_control(raw[ok], method="bh")  # every place × category together
    assert cmp["p_value"].to_numpy(dtype=float)[ok] == pytest.approx(bh, rel=1e-12)
    assert (cmp["significant"].to_numpy()[ok] == (bh < cfg.alpha)).all()
    note = res["fdr_note"]
    assert f"{int(ok.sum())} jämförelser visas samtidigt" in note
    tree = overview_view(demo_store, cfg)
    text = text_of(tree)
    assert note in text
    # the tiles: significant increases/decreases among the places, the same verdicts as the cells
    small = res["rows"][~res["rows"]["kind"].isin(["stadsdelsomrade", "stad"])]["place_id"]
    rows = cmp[cmp["place_id"].isin(small) & (cmp["category"] != "alla")]
    ups = int((rows["significant"] & rows["verdict"].str.startswith("ökning")).sum())
    downs = int((rows["significant"] & rows["verdict"].str.startswith("minskning")).sum())
    values = {}
    for tile in (c for c in walk(tree) if str(getattr(c, "className", "")).startswith("tile tone")):
        label, value = tile.children[0].children, tile.children[1].children
        values[label] = value
    assert values["Säkerställda ökningar"] == str(ups)
    assert values["Säkerställda minskningar"] == str(downs)


def test_metod_page_and_pack_methods_say_the_same(demo_store, demo_store_path):
    import sys

    from lagesbild.analysis.methods import method_texts
    from lagesbild.export.content import Bullets, Heading
    from lagesbild.export.data import ExportData
    from lagesbild.export.methods import methods_section
    from lagesbild.web import create_app

    cfg = _settings(demo_store_path)
    create_app(cfg, demo_store)
    page = sys.modules["lagesbild.web.pages.metod"].layout()
    text = text_of(page)
    texts = method_texts(alpha=cfg.alpha, cell_size=cfg.cell_size, min_population=1000)
    assert len(texts) >= 7
    for heading, does, assumes, cannot in texts:
        assert heading in text and does in text and assumes in text and cannot in text
    blocks = methods_section(ExportData(demo_store, cfg), [])
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    bullets = " ".join(" ".join(b.items) for b in blocks if isinstance(b, Bullets))
    for heading, does, _, cannot in texts:
        assert heading in headings and does in bullets and cannot in bullets
    assert "Benjamini–Hochberg" in text and "exakt Poissontest" in text
