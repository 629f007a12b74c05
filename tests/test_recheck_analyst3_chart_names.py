"""Every chart has a name a screen reader says: the chart's card is a figure (role="figure") labelled
"Diagram: <its title>, <place>". plotly's SVG has neither a role nor a name, so a screen reader met the
charts as loose texts (axis ticks, legend entries) with nothing saying what they show (analyst3's
finding)."""

from __future__ import annotations

import pytest

from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(SELENIUM_WARNINGS)]

JS_NAMES = """
return Array.from(document.querySelectorAll('.dash-graph')).map(g => {
    const fig = g.closest('[role="figure"]');
    const title = g.querySelector('.gtitle');
    return {id: g.id, label: fig ? fig.getAttribute('aria-label') : null,
            title: title ? title.textContent : ''};
});
"""


@pytest.mark.parametrize("path", ["/plats/varberg", "/trygghet?plats=hasselby-torg", "/karta?omr=skarholmen",
                                  "/atgardsplan"])
def test_each_chart_is_a_figure_named_by_its_title(browser, path):
    browser.open(path, ".dash-graph")
    charts = browser.driver.execute_script(JS_NAMES)
    assert charts, f"{path}: no chart"
    for c in charts:
        assert c["label"] and c["label"].startswith("Diagram: "), c
        squeeze = lambda t: "".join(t.split()).replace("\u00ad", "")  # noqa: E731 - wrapped titles, soft hyphens
        assert squeeze(c["title"])[:25] in squeeze(c["label"]), c
