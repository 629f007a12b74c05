"""The Metod page and the pack's methods section say that an activity's start month counts as "after",
which is what the before/after windows do."""

from __future__ import annotations

import sys

import pandas as pd

from lagesbild.settings import load_settings
from tests.test_web_callbacks import text_of

START_MONTH_AFTER = "Månaden då aktiviteten startar räknas till perioden efter"


def test_start_month_counts_as_after_in_the_windows_and_the_method_text_says_so(demo_store, demo_store_path):
    from lagesbild.analysis.methods import method_texts
    from lagesbild.core.effects import before_after
    from lagesbild.export.content import Bullets
    from lagesbild.export.data import ExportData
    from lagesbild.export.methods import methods_section
    from lagesbild.web import create_app

    # the behaviour: a start on 15 March 2020 puts all of March 2020 (its 1st day too) in "after"
    months = pd.date_range("2019-03-01", periods=24, freq="MS")
    monthly = pd.DataFrame({"place_id": "torg", "category": "skadegörelse", "month": months,
                            "count": [5] * 12 + [100] + [5] * 11})
    row = before_after(monthly, place_id="torg", start="2020-03-15", category="skadegörelse").iloc[0]
    assert pd.Timestamp(row.after_start) == pd.Timestamp("2020-03-01")
    assert pd.Timestamp(row.before_end) == pd.Timestamp("2020-02-29")
    assert int(row.count_after) == 100 + 5 * 11 and int(row.count_before) == 5 * 12

    # the text: the before/after method says so, on the Metod page and in the pack
    cfg = load_settings({}, data_dir=str(demo_store_path.parent), db=str(demo_store_path))
    texts = {t[0]: t for t in method_texts(alpha=cfg.alpha, cell_size=cfg.cell_size, min_population=1000)}
    effect = texts["Aktiviteters effekt (före och efter)"][1]
    assert START_MONTH_AFTER in effect
    create_app(cfg, demo_store)
    page = text_of(sys.modules["lagesbild.web.pages.metod"].layout())
    assert START_MONTH_AFTER in page
    blocks = methods_section(ExportData(demo_store, cfg), [])
    bullets = " ".join(" ".join(b.items) for b in blocks if isinstance(b, Bullets))
    assert START_MONTH_AFTER in bullets
