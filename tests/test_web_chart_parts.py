"""The web's PNG/SVG download of a chart taller than an A4 page is a ZIP of page-sized parts.

The timeline of a plan of 23 activities downloaded from Åtgärdsplan was one PNG 70 cm tall at 16 cm
(the pack and the PDF export were split by pack2; the web's PNG and SVG were not): now each part is
one image of at most 21 cm, named "<chart> del i av n", all in one ZIP. A chart that fits stays one file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import plotly.graph_objects as go
import pytest
from PIL import Image

from lagesbild.web.export_controls import export_chart_bytes
from tests.test_recheck_pack2_bigplan import big_plan  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def _timeline(settings, store):
    from lagesbild.analysis.plan import plan_view
    from lagesbild.figures.activities import make_activity_timeline

    res = plan_view(store, settings)
    return make_activity_timeline(res["activities"], res["followups"], place=res["title"],
                                  until=dt.date(2024, 8, 31))


def test_a_tall_timeline_downloads_as_a_zip_of_page_sized_pngs(big_plan):  # noqa: F811
    settings, store = big_plan
    content, name = export_chart_bytes(_timeline(settings, store), "png", settings)
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        n = len(names)
        assert n > 1 and names == [f"{name[:-4]} del {i} av {n}.png" for i in range(1, n + 1)]
        for part in names:
            with Image.open(io.BytesIO(archive.read(part))) as im:
                assert im.width == 1890 and im.height / 300 * 2.54 <= 21.05


def test_a_tall_timeline_as_svg_is_a_zip_of_svgs_of_every_activity(big_plan):  # noqa: F811
    settings, store = big_plan
    content, name = export_chart_bytes(_timeline(settings, store), "svg", settings)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        texts = [archive.read(p).decode("utf-8") for p in archive.namelist()]
    assert name.endswith(".zip") and len(texts) > 1 and all(t.lstrip().startswith("<svg") for t in texts)
    shown = " ".join(re.sub(r"<[^>]+>", " ", t) for t in texts)
    assert all(f"Aktivitet {a + 1} " in shown for a in range(23))


def test_a_chart_that_fits_stays_one_png(settings):
    from lagesbild.figures import finishing, style

    fig = finishing.finish(go.Figure(go.Bar(x=["2021–2022", "2022–2023"], y=[40, 18], name="Personrån")),
                           title="Anmälda brott per år", place="Vårberg", periods=["2021–2022", "2022–2023"],
                           context=style.FigureContext(organisation="SDF Skärholmen"))
    content, name = export_chart_bytes(fig, "png", settings)
    assert name.endswith(".png") and content[:8] == b"\x89PNG\r\n\x1a\n"
