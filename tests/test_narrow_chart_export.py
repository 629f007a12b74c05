"""Charts exported 8 cm wide (a narrow column) are readable: no text runs out of the image, no two
texts overlap.

At 8 cm the survey chart's indicator labels took almost the whole width, its source line ran out at
the right edge and its percentages under the bars, turned on a sliver of a plot, ran into each other
and into the source line; the share chart's two panel names ("Andel av Hässelby-Vällingby", "Andel av
Stockholm") ran into each other. Each SVG, written as the app writes it (``export_figure``), is opened
in headless Chromium and every text's box measured (turned ones by their own corners).
"""

from __future__ import annotations

import pytest

from lagesbild.core.periods import parse_period
from tests.e2e_support import SELENIUM_WARNINGS, make_driver
from tests.square_place import demo_with_files
from tests.test_meeting_probe_layout import QUESTIONS, write_inputs

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

#: texts (non-empty <text> elements) outside the SVG's width × height, and pairs whose boxes overlap
#: (each box's four corners through the element's transform; separating-axis test of the two quads)
JS_TEXT_PROBLEMS = r"""
const svg = document.documentElement, W = +svg.getAttribute('width'), H = +svg.getAttribute('height');
const tol = 1, out = [];
const texts = Array.from(document.querySelectorAll('text')).filter(t => t.textContent.trim());
const quad = t => { const b = t.getBBox(), m = t.getCTM();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
        .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]); };
const qs = texts.map(t => [t.textContent, quad(t)]);
for (const [text, q] of qs) {
    if (q.some(([x, y]) => x < -tol || x > W + tol || y < -tol || y > H + tol)) {
        out.push('outside the image: "' + text.slice(0, 50) + '"');
    }
}
const axes = q => [0, 1].map(i => [q[i + 1][1] - q[i][1], q[i][0] - q[i + 1][0]]);
const apart = (p, q) => [...axes(p), ...axes(q)].some(ax => {
    const n = Math.hypot(ax[0], ax[1]) || 1;
    const a = p.map(([x, y]) => (x * ax[0] + y * ax[1]) / n), b = q.map(([x, y]) => (x * ax[0] + y * ax[1]) / n);
    return Math.max(...a) <= Math.min(...b) + tol || Math.max(...b) <= Math.min(...a) + tol; });
for (let i = 0; i < qs.length; i++) {
    for (let j = i + 1; j < qs.length; j++) {
        if (!apart(qs[i][1], qs[j][1])) {
            out.push('overlap: "' + qs[i][0].slice(0, 40) + '" / "' + qs[j][0].slice(0, 40) + '"');
        }
    }
}
return {problems: out, texts: qs.map(([text]) => text), width: W};
"""


@pytest.fixture(scope="module")
def probe_data(demo_store_path, tmp_path_factory):
    """The demo store plus a place with a survey of sixteen long questions."""
    from lagesbild.export.data import ExportData

    folder = tmp_path_factory.mktemp("narrow-export")
    settings, store = demo_with_files(demo_store_path, folder, write_inputs(folder), "probe.sqlite")
    return ExportData(store, settings), folder


@pytest.fixture(scope="module")
def driver():
    d = make_driver()
    yield d
    d.quit()


@pytest.mark.parametrize("kind, place", [("survey", "ostberga-arstadal"), ("survey", "hasselby-torg"),
                                         ("share", "hasselby-torg")])
def test_an_8_cm_export_has_no_text_cut_or_overlapping(probe_data, driver, kind, place):
    from lagesbild.export.charts import build_chart
    from lagesbild.export.figure import export_figure
    from lagesbild.export.render import css_width

    data, folder = probe_data
    chart = build_chart(data, kind, place, [parse_period("2021–2022"), parse_period("2022–2023")])
    for width_cm in (8, 16):
        path = export_figure(chart.fig, folder / f"{kind}-{place}-{width_cm}.svg", fmt="svg", width_cm=width_cm)
        driver.get(path.resolve().as_uri())
        found = driver.execute_script(JS_TEXT_PROBLEMS)
        assert found["width"] == css_width(width_cm) == round(width_cm / 2.54 * 96)
        assert found["problems"] == [], (width_cm, found["problems"])
        shown = " ".join(found["texts"])
        assert "Källa:" in shown and "FIKTIVA" in shown  # the source line is there, whole (checked above)
        if kind == "survey" and place == "ostberga-arstadal":  # every question is named
            assert all(q.split()[0] in shown for q in QUESTIONS)
        if kind == "share":
            assert "Hässelby-Vällingby" in shown and "Stockholm" in shown
