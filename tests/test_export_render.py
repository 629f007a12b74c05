"""Single-chart export: sizes, labels inside the image, offline maps, fitted text; one browser start."""

from __future__ import annotations

import html
import math
import re
import struct
import subprocess

import plotly.graph_objects as go
import pytest

from lagesbild.export.figure import export_jobs, figure_labels, prepare_figure
from lagesbild.export.mapview import fit_map_view, map_bounds, offline_maps
from lagesbild.export.render import Renderer, RenderError, RenderJob, css_width, pixel_width
from lagesbild.export.textfit import wrap_category_labels, wrap_text
from lagesbild.figures import finishing, style
from lagesbild.figures.fit import keep_together

CTX = style.FigureContext(organisation="SDF Skärholmen", data_until="2023-08-31", demo=True)
SOURCE = "Källa: Polisen, anmälda brott; bearbetning SDF Skärholmen, data t.o.m. 31 aug 2023"


def _bar():
    fig = go.Figure(go.Bar(x=["2021–2022", "2022–2023"], y=[40, 18], name="Personrån"))
    return finishing.finish(fig, title="Anmälda brott per år", place="Vårberg",
                            periods=["2021–2022", "2022–2023"], context=CTX)


def _map(basemap="https://tiles.example/{z}/{x}/{y}.png"):
    fig = go.Figure(go.Scattermap(lon=[17.93, 17.95], lat=[59.27, 59.28], mode="markers", name="A"))
    fig.update_layout(map=dict(style="open-street-map", zoom=3, center=dict(lon=0, lat=0),
                               layers=[{"sourcetype": "raster", "source": [basemap]}]))
    return finishing.finish(fig, title="Hot spots", place="Vårberg", periods=["2022–2023"], context=CTX)


GROUPS = ["Het punkt – 99 % konfidens", "Het punkt – 95 % konfidens", "Het punkt – 90 % konfidens",
          "Ej signifikant", "Kall punkt – 90 % konfidens", "Platser", "Aktiviteter i åtgärdsplanen"]


def _grouped():
    """A chart whose legend entries are legend groups of different widths (as the hot spot map's)."""
    fig = go.Figure([go.Scatter(x=[0, 1], y=[i, i + 1], name=n, legendgroup=n) for i, n in enumerate(GROUPS)])
    fig.update_layout(legend=dict(orientation="h", x=0, y=-0.12, yanchor="top"))
    return finishing.finish(fig, title="Hot spots", place="Älvsjö/Solberga", periods=["2022–2023"],
                            context=CTX)


def _png_size(path):
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def _svg_text(path):
    text = html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render")
    bar = prepare_figure(_bar(), note="– = färre än 5 anmälda brott i en känslig kategori.")
    jobs = export_jobs(bar, folder / "stapel", ("png", "svg", "pdf"))
    jobs += [RenderJob.for_size(prepare_figure(_bar()), folder / "smal.png", "png", width_cm=8,
                                dpi=150)]
    jobs += export_jobs(prepare_figure(_map()), folder / "karta", ("png", "svg"))
    jobs += export_jobs(prepare_figure(_grouped()), folder / "grupper", ("svg",))
    with Renderer() as r:
        r.render(jobs)
    return {j.path.name: j.path for j in jobs}


def test_png_is_sized_for_a_word_column(rendered):
    assert _png_size(rendered["stapel.png"])[0] == pixel_width(16, 300) == 1890
    width, height = _png_size(rendered["stapel.png"])
    assert round(height / width, 2) == round(RenderJob.for_size(_bar(), "x").height / css_width(16), 2)
    assert _png_size(rendered["smal.png"])[0] == pixel_width(8, 150) == 472


def test_png_carries_its_resolution_for_the_word_processor(rendered):
    """Without it Word and LibreOffice take 96 dpi and place the 1890-pixel chart 50 cm wide."""
    from PIL import Image

    for name, dpi, cm in (("stapel.png", 300, 16.0), ("smal.png", 150, 8.0)):
        image = Image.open(rendered[name])
        assert [round(d) for d in image.info["dpi"]] == [dpi, dpi]
        assert round(image.size[0] / image.info["dpi"][0] * 2.54, 1) == cm


def test_svg_carries_title_place_periods_source_and_note(rendered):
    text = _svg_text(rendered["stapel.svg"])
    for expected in ("Anmälda brott per år", "Vårberg · 2021–2022 och 2022–2023", SOURCE,
                     "FIKTIVA DEMODATA", "– = färre än 5 anmälda brott i en känslig kategori."):
        assert expected in text


def test_pdf_is_one_page_with_the_labels(rendered):
    pdf = rendered["stapel.pdf"]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\b", info)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Anmälda brott per år" in text and "Källa: Polisen" in text


def test_map_exports_offline_with_its_labels(rendered):
    assert _png_size(rendered["karta.png"])[0] == 1890
    text = _svg_text(rendered["karta.svg"])
    assert "Hot spots" in text and "Källa: Polisen" in text and "tiles.example" not in text


# ----- preparation without rendering -----------------------------------------------------------
def test_prepare_overrides_and_supplies_labels():
    raw = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    with pytest.raises(ValueError, match="källrad"):
        prepare_figure(raw, title="T")
    fig = prepare_figure(raw, title="Trygghet", place="Bredäng", periods=["2022"], source_line=SOURCE)
    labels = figure_labels(fig)
    assert labels["title"] == "Trygghet" and labels["subtitle"] == "Bredäng · 2022"
    assert labels["source_line"].replace("<br>", " ").replace("\u00a0", " ") == SOURCE
    again = prepare_figure(_bar(), place="Sätra")
    assert figure_labels(again)["subtitle"] == "Sätra · 2021–2022 och 2022–2023"
    assert figure_labels(_bar())["subtitle"] == "Vårberg · 2021–2022 och 2022–2023"  # input untouched


def test_offline_maps_drop_tiles_and_keep_data_images():
    fig = _map()
    fig.layout.map.layers = list(fig.layout.map.layers) + [
        {"sourcetype": "image", "source": "data:image/png;base64,AAAA",
         "coordinates": [[17.9, 59.3], [18.0, 59.3], [18.0, 59.2], [17.9, 59.2]]}]
    out = offline_maps(fig)
    assert out.layout.map.style == "white-bg"
    assert [layer.sourcetype for layer in out.layout.map.layers] == ["image"]


def test_map_view_fits_everything_drawn():
    fig = _map()
    assert map_bounds(fig) == (17.93, 59.27, 17.95, 59.28)
    fit_map_view(fig, 605, 560)
    assert fig.layout.map.center.lon == pytest.approx(17.94)
    # Web Mercator at zoom z: 512 · 2^z px per 360° of longitude; latitude stretched by 1/cos(lat)
    m = fig.layout.margin
    plot_w, plot_h = 605 - m.l - m.r, 560 - m.t - m.b
    scale = 512 * 2 ** fig.layout.map.zoom / 360
    w_px, h_px = 0.02 * scale, 0.01 * scale / math.cos(math.radians(59.275))
    assert w_px <= plot_w and h_px <= plot_h
    assert max(w_px / plot_w, h_px / plot_h) > 0.85  # fills the binding direction


def test_text_fitting():
    assert keep_together("t.o.m. 31 aug 2023 – FIKTIVA DEMODATA").count("\u00a0") == 4
    assert all(len(line) <= 40 for line in wrap_text("ord " * 40, 40).split("<br>"))
    bars = go.Figure([go.Bar(y=["En mycket lång indikatortext om trygghet i området"], x=[1],
                             orientation="h"),
                      go.Scatter(y=["En mycket lång indikatortext om trygghet i området"], x=[2])])
    wrap_category_labels(bars)
    assert bars.data[0].y == bars.data[1].y and "<br>" in bars.data[0].y[0]


def test_export_lays_the_source_line_and_note_out_for_the_export_width():
    """The source line is re-wrapped for the printed width, the note sits under it, and the bottom
    margin holds both (the same layout code as the figures on screen)."""
    from lagesbild.export.figure import prepare_figure
    from lagesbild.figures import finishing, style

    ctx = style.FigureContext(organisation="Stadsdelsförvaltningen", demo=True)
    fig = finishing.finish(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])), title="T", context=ctx)
    narrow = prepare_figure(fig, width_cm=8, note="Antal under 5 visas inte.")
    wide = prepare_figure(fig, width_cm=16)
    src_narrow, src_wide = (next(a for a in f.layout.annotations if a.name == finishing.SOURCE_NAME)
                            for f in (narrow, wide))
    assert src_narrow.text.count("<br>") > src_wide.text.count("<br>")
    note = next(a for a in narrow.layout.annotations if a.name == finishing.NOTE_NAME)
    assert note.yshift < src_narrow.yshift  # under the source line
    assert narrow.layout.margin.b > wide.layout.margin.b
    assert not any(a.name == finishing.NOTE_NAME for a in wide.layout.annotations)


def test_missing_browser_is_a_swedish_error():
    with pytest.raises(RenderError, match="Chromium hittades inte"):
        Renderer("/finns/inte/chromium")


def test_the_warm_up_leaves_a_browser_open_that_renders_without_a_start(tmp_path):
    r = Renderer()
    try:
        r.warm()
        assert r._kaleido is not None  # the browser is open before the first export asks for it
        browser = r._kaleido
        [path] = r.render([RenderJob.for_size(prepare_figure(_bar()), tmp_path / "x.png", "png")])
        assert r._kaleido is browser and _png_size(path)[0] == pixel_width(16, 300)
    finally:
        r.close()


FORKED = """
import os, sys, tempfile
from pathlib import Path
import plotly.graph_objects as go
from lagesbild.export.render import RenderJob, shared_renderer, warm_shared_renderer
warm_shared_renderer().join()  # as web.wsgi does on import, before gunicorn --preload forks
pid = os.fork()
if pid == 0:
    with tempfile.TemporaryDirectory() as tmp:
        shared_renderer().render([RenderJob(go.Figure(), Path(tmp) / "a.png", "png", 80, 60)])
    print("barnet ritade", flush=True)
    os._exit(0)
os.waitpid(pid, 0)
"""


def test_a_forked_worker_renders_with_its_own_browser_instead_of_hanging():
    import sys

    out = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True, timeout=180)
    assert "barnet ritade" in out.stdout, out.stderr[-2000:]


def test_the_estimated_rows_of_a_legend_of_groups_are_the_rows_plotly_draws(rendered):
    """Plotly fills each row of a horizontal legend with as many legend groups as fit, each as wide as
    its own entry; the estimate did columns as wide as the widest and left a row's gap (1 cm) between
    the pack map's legend and its source line."""
    from lagesbild.figures import fit, sides

    svg = rendered["grupper.svg"].read_text(encoding="utf-8")
    legend = svg[svg.index('class="legend"'):]
    rows = {round(float(y)) for y in re.findall(r'<g class="groups" transform="translate\([\d.]+,\s*([\d.]+)\)"',
                                                 legend)} | {0}  # the first row's groups are not moved in y
    fig = prepare_figure(_grouped())
    fig.layout.width = css_width(16)
    size = style.SIZES[False]["font"] - 1
    estimated = fit.legend_px(fig, size, sides.plot_px(fig, False))
    row_h = max(size * fit.LINE_EM, 16) + 3 + fit.TRACEGROUPGAP
    assert len(rows) == 3  # 2 + 3 + 2 groups at 16 cm, as on the pack's map page
    assert round((estimated - 2 * fit.LEGEND_PAD) / row_h) == len(rows)
