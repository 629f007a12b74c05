"""A horizontal legend's rows are each as tall as their own tallest entry, as plotly draws them.

One legend entry of two lines ("Randig, ljusare stapel: året är inte komplett" in the years chart)
made the estimate count every row as two lines: about 297 px for some 160 px drawn, so a 16 cm export
had 4 cm of blank above its legend and an 8 cm PNG was 27 cm tall. The estimate is checked against the
legend plotly really draws (the SVG's legend background), with and without legend groups.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest

from lagesbild.export.figure import export_jobs, prepare_figure
from lagesbild.export.render import Renderer, css_width
from lagesbild.figures import finishing, fit, sides, style

pytestmark = pytest.mark.browser

CTX = style.FigureContext(organisation="SDF Skärholmen", data_until="2023-08-31")
NAMES = ["Skadegörelse", "Narkotikabrott", "Våldsbrott", "Tillgrepp i butik", "Personrån", "Inbrott",
         "Bedrägeri mot äldre", "Cykelstöld", "Bilbrott", "Ofredande", "Olaga hot", "Misshandel",
         "Randig stapel:<br>året är inte komplett"]


def _figure(grouped: bool):
    fig = go.Figure([go.Bar(x=["2021–2022", "2022–2023"], y=[40 + i, 18 + i], name=n,
                            legendgroup=n if grouped else None) for i, n in enumerate(NAMES)])
    fig.update_layout(legend=dict(orientation="h", x=0, y=-0.12, yanchor="top"))
    return prepare_figure(finishing.finish(fig, title="Anmälda brott per år", place="Vårberg",
                                           periods=["2021–2022", "2022–2023"], context=CTX))


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    folder = tmp_path_factory.mktemp("legend")
    jobs = export_jobs(_figure(False), folder / "kolumner", ("svg",))
    jobs += export_jobs(_figure(True), folder / "grupper", ("svg",))
    with Renderer() as r:
        r.render(jobs)
    return {j.path.stem: j.path.read_text(encoding="utf-8") for j in jobs}


@pytest.mark.parametrize("grouped", [False, True], ids=["columns", "groups"])
def test_the_estimated_legend_height_is_the_drawn_one(drawn, grouped):
    svg = drawn["grupper" if grouped else "kolumner"]
    legend = svg[svg.index('class="legend"'):]
    height = float(re.search(r'<rect class="bg"[^>]*?height="([\d.]+)"', legend).group(1))
    fig = _figure(grouped)
    fig.layout.width = css_width(16)
    size = style.SIZES[False]["font"] - 1
    estimated = fit.legend_px(fig, size, sides.plot_px(fig, False))
    one_line = size * fit.LEGEND_ROW_EM
    assert height > 2 * one_line  # several rows drawn
    assert abs(estimated - height) < one_line, (estimated, height)
