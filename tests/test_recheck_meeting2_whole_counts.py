"""The year chart (and Mönster's heat map) of a place of few crimes count in whole crimes on the axis.

Found on a Södertälje store's "Saltskog" (one or two crimes a year per category): the axis of
"Anmälda brott per september–augusti-år" read 0, 0,5, 1, 1,5, 2 — half crimes, on the wall and in the
pack; the heat map's colour scale of a place with at most three crimes a cell said 0,5, 1,5, 2,5. Below
five crimes at the highest bar (or cell) the axis and the scale now step by one. Drawn with plotly.js in
Chromium at the width each figure was laid out for, and the tick labels read from the SVG.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pandas as pd
import plotly
import pytest
from selenium.webdriver.support.ui import WebDriverWait

from lagesbild.core.patterns import weekday_hour
from lagesbild.figures import fit, patterns, style, trend
from tests.e2e_support import SELENIUM_WARNINGS, make_driver

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
MEETING = style.FigureContext(organisation="SDF", data_until="2026-08-31", meeting=True)
NORMAL = style.FigureContext(organisation="SDF", data_until="2026-08-31")
NAMES = {"skadegorelse": "Skadegörelse", "tillgrepp_butik": "Tillgrepp i butik"}


def years(counts: list[list[int]]) -> pd.DataFrame:
    """One row per category and Sep–Aug year, ``counts[category][year]``."""
    periods = [f"{y}–{y + 1}" for y in range(2026 - len(counts[0]), 2026)]
    return pd.DataFrame([{"category": c, "period": p, "end": pd.Timestamp(f"{p[-4:]}-08-31"), "count": n,
                          "months_missing": 0, "n_months": 12}
                         for c, row in zip(NAMES, counts, strict=False) for p, n in zip(periods, row, strict=True)])


CASES = [(MEETING, [[1, 1, 0], [1, 0, 2]]), (NORMAL, [[1, 1, 0], [1, 0, 2]]), (NORMAL, [[0, 1, 0], [1, 0, 1]]),
         (MEETING, [[4, 3, 2], [1, 0, 2]]), (NORMAL, [[240, 310, 180], [95, 120, 130]])]


@pytest.fixture(scope="module")
def ticks():
    """Each case's y tick labels as drawn."""
    figs = [trend.make_trend_years(years(c), data_until="2026-08-31", context=ctx, category_names=NAMES)
            for ctx, c in CASES] + [patterns.make_weekday_hour(weekday_hour(HEAT), context=NORMAL).to_plotly_json()]
    html = [f'<html><head><meta charset="utf-8"><script src="{PLOTLY_JS.as_uri()}"></script></head>'
            '<body style="margin:0">']
    html += [f'<div class="fig" id="f{i}" style="width:{fit.NOMINAL_WIDTH[ctx.meeting]}px;height:500px"></div>'
             for i, (ctx, _) in enumerate(CASES)]
    html.append(f'<div class="fig" id="f{len(CASES)}" style="width:{fit.NOMINAL_WIDTH[False]}px;height:500px"></div>')
    html.append("<script>window.drawn = Promise.all([" + ",".join(
        f"Plotly.newPlot('f{i}', {json.dumps(f['data'], default=str)}, "
        f"{json.dumps(f['layout'], default=str)}, {{staticPlot: true}})" for i, f in enumerate(figs))
        + "]).then(() => document.fonts.ready).then(() => { window.ready = true; });</script></body></html>")
    driver = make_driver()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "figs.html"
            page.write_text("\n".join(html), encoding="utf-8")
            driver.get(page.as_uri())
            WebDriverWait(driver, 60).until(lambda d: d.execute_script("return window.ready === true"))
            return driver.execute_script(
                "return Array.from(document.querySelectorAll('.fig')).map(gd => "
                "Array.from(gd.querySelectorAll('.ytick text, .colorbar .cbaxis text')).map(t => t.textContent))")
    finally:
        driver.quit()


@pytest.mark.parametrize("case", range(4))
def test_few_crimes_are_counted_whole_on_the_axis(ticks, case):
    labels = ticks[case]
    assert labels, "inga etiketter på y-axeln"
    assert all(re.fullmatch(r"\d+", t) for t in labels), labels
    top = max(max(r) for r in CASES[case][1])
    assert [int(t) for t in labels] == list(range(int(labels[-1]) + 1)) and int(labels[-1]) >= top


#: 32 crimes a cell or few apart, three in one cell (Brunnsäng's Sep–Nov 2026)
HEAT = pd.DataFrame({"occurred_at": pd.to_datetime(["2026-09-05 01:30"] * 3 + [
    f"2026-09-{d:02d} {h:02d}:15" for d, h in [(7, 3), (8, 5), (9, 18), (10, 21), (11, 0), (12, 16)]])})


def test_the_heat_maps_scale_counts_whole_crimes(ticks):
    labels = [t for t in ticks[len(CASES)] if t not in {f"{h:02d}" for h in range(24)}
              and not t.endswith("dag")]
    assert labels and all(re.fullmatch(r"\d+", t) for t in labels), labels


def test_many_crimes_keep_plotlys_steps(ticks):
    """Guard: hundreds of crimes are not given a tick per crime."""
    labels = ticks[4]
    assert 3 <= len(labels) <= 10, labels
