"""The counts over the yearly chart's bars stay clear of each other when drawn, measured in Chromium.

Six-digit counts ("450 706" / "433 213") turned upright touched their neighbours: a turned count was
given a bar one line height wide (1.3 em, its glyphs take 1.164 em), nothing to spare, and the bars were
judged before the y axis's range grew for the counts, whose labels ("1 000 000") then took ~19 px from a
meeting panel's plot. Each figure is drawn with plotly.js at the width it was laid out for (a 16 cm
column, a meeting panel) and every count's box measured: neighbours are at least 3 px apart, or the
counts are left out (they are in the hover and the table).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import plotly
import pytest

from lagesbild.figures import fit, style, trend
from tests.e2e_support import SELENIUM_WARNINGS, make_driver

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
MEETING = style.FigureContext(organisation="SDF", data_until="2023-08-31", meeting=True)
NORMAL = style.FigureContext(organisation="SDF", data_until="2023-08-31")
NAMES = {"inbrott": "Inbrott", "vald_offentlig_miljo": "Våld i offentlig miljö", "skadegorelse": "Skadegörelse",
         "ran": "Rån", "valdsbrott": "Våldsbrott", "stold": "Stöld"}
GAP = 3  # px at least between two counts' boxes

#: per figure: the boxes (left, right, top, bottom) of the counts over the bars, and whether turned
JS_COUNTS = """
return Array.from(document.querySelectorAll('.fig')).map(gd => Array.from(gd.querySelectorAll('.bartext'))
    .filter(t => t.textContent.trim()).map(t => { const r = t.getBoundingClientRect();
        return [r.left, r.right, r.top, r.bottom, (t.getAttribute('transform') || '').includes('rotate(-90')]; }));
"""


def years(n_categories: int, n_periods: int, big: int = 450706) -> pd.DataFrame:
    periods = [f"{y}–{y + 1}" for y in range(2023 - n_periods, 2023)]
    return pd.DataFrame([{"category": c, "period": p, "end": pd.Timestamp(f"{p[-4:]}-08-31"),
                          "count": round(big * (1 - 0.04 * i - 0.002 * j)), "months_missing": 0, "n_months": 12}
                         for i, c in enumerate(list(NAMES)[:n_categories]) for j, p in enumerate(periods)])


#: (context, categories, periods, counts of the largest bar): bars of about a turned count's width
CASES = [(MEETING, 6, 2, 450706), (MEETING, 3, 7, 450706), (MEETING, 5, 3, 450706), (MEETING, 4, 4, 16650),
         (NORMAL, 4, 6, 450706), (NORMAL, 5, 5, 450706), (NORMAL, 2, 11, 450706), (NORMAL, 2, 3, 450706)]


@pytest.fixture(scope="module")
def drawn():
    """Each case's figure drawn at the width it was laid out for: the counts' boxes per case."""
    figs = [trend.make_trend_years(years(nc, npr, big), data_until="2023-08-31", context=ctx,
                                   category_names=NAMES) for ctx, nc, npr, big in CASES]
    html = [f'<html><head><meta charset="utf-8"><script src="{PLOTLY_JS.as_uri()}"></script></head>'
            '<body style="margin:0">']
    html += [f'<div class="fig" id="f{i}" style="width:{fit.NOMINAL_WIDTH[ctx.meeting]}px;height:500px"></div>'
             for i, (ctx, *_) in enumerate(CASES)]
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
            from selenium.webdriver.support.ui import WebDriverWait

            WebDriverWait(driver, 60).until(lambda d: d.execute_script("return window.ready === true"))
            return figs, driver.execute_script(JS_COUNTS)
    finally:
        driver.quit()


@pytest.mark.parametrize("case", range(len(CASES)))
def test_counts_over_the_bars_are_apart_or_left_out(drawn, case):
    figs, boxes = drawn
    ctx, nc, npr, _ = CASES[case]
    counts = sorted(boxes[case])
    bars = sum(len(t["x"]) for t in figs[case]["data"] if t["type"] == "bar" and t.get("x") != [None])
    assert len(counts) in (0, bars), (len(counts), bars)  # every count, or none
    gaps = [b[0] - a[1] for a, b in zip(counts, counts[1:], strict=False)]
    assert all(g >= GAP for g in gaps), (ctx.meeting, nc, npr, min(gaps))


def test_counts_are_still_shown_where_they_fit(drawn):
    """Not left out everywhere: Östberga's five-digit counts in a meeting panel stand turned, and
    three years of two categories in a 16 cm column have theirs."""
    _, boxes = drawn
    assert boxes[3] and all(turned for *_, turned in boxes[3])
    assert len(boxes[7]) == 6
