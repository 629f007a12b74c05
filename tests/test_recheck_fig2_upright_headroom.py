"""Upright counts in an exported yearly chart stay in the plot, clear of the legend above it.

One category's six-digit yearly counts ("437 195" …), exported 16 or 8 cm wide: the y axis left room
for an upright count as if the plot were 300 px high, but an export's plot is as low as 160 px
(``lagesbild.export.render.MIN_PLOT_PX``) under its legend and turned year labels, and the counts ran
into the legend ("Randig, ljusare stapel: året är inte komplett"). Each SVG is opened in Chromium and
every text's box measured.
"""

from __future__ import annotations

import pytest

from tests.e2e_support import SELENIUM_WARNINGS, make_driver
from tests.square_place import demo_with_files
from tests.test_narrow_chart_export import JS_TEXT_PROBLEMS
from tests.test_recheck_fig2_activity_labels import PLACE, write_inputs

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]


@pytest.mark.parametrize("category", ["inbrott", "skadegorelse"])
def test_upright_counts_of_an_exported_year_chart_stay_clear_of_the_legend(demo_store_path, tmp_path, category):
    from lagesbild.core.periods import parse_period
    from lagesbild.export.charts import build_chart
    from lagesbild.export.data import ExportData
    from lagesbild.export.figure import export_figure

    settings, store = demo_with_files(demo_store_path, tmp_path, write_inputs(tmp_path), "fig2.sqlite")
    chart = build_chart(ExportData(store, settings), "trend", PLACE,
                        [parse_period("2021–2022"), parse_period("2022–2023")], category=category)
    bars = [t for t in chart.fig.data if t.type == "bar" and t.text is not None]
    assert bars and all(t.textangle == -90 for t in bars)  # six-digit counts, turned
    driver = make_driver()
    try:
        for width_cm in (16, 8):
            path = export_figure(chart.fig, tmp_path / f"trend-{width_cm}.svg", fmt="svg", width_cm=width_cm)
            driver.get(path.resolve().as_uri())
            found = driver.execute_script(JS_TEXT_PROBLEMS)
            assert found["problems"] == [], (width_cm, found["problems"])
            assert sum(1 for t in found["texts"] if t.replace("\u00a0", " ")[:3].isdigit()
                       and len(t.replace("\u00a0", "")) == 6 and not t.endswith("000")) == 6  # the counts drawn
    finally:
        driver.quit()
