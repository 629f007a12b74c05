"""Exports of a store the demo has not got: a survey of sixteen questions is a chart taller than a page.

Its 16 cm image was 37 cm tall: the PDF writer stopped the whole pack with reportlab's LayoutError (a
traceback, no DOCX, PDF or ZIP), and Word would have run it off the page. Such a chart is now drawn
narrower, within one page, in both files; and a share line of the survey's labels ("<b>52 %</b> · n =
12 345 · 2023") is no longer broken before its year by its markup's characters.
"""

from __future__ import annotations

import subprocess

import docx
from PIL import Image

from lagesbild.export import docx_writer, pdf_writer
from lagesbild.export.content import Chart, Document, Heading, Paragraph
from lagesbild.export.textfit import wrap_text

CM_EMU = 360000


def _tall_chart(folder) -> Chart:
    path = folder / "survey.png"
    Image.new("RGB", (1890, 4400), "white").save(path)  # 16 cm at 300 dpi, 37 cm tall
    return Chart(name="trygghet", fig=None, png=path, notes=["Källa: Trygghetsmätning"])


def _document(chart) -> Document:
    return Document("Mötespaket").add(Heading("Östberga"), Paragraph("Text före."), chart, Paragraph("Efter."))


def test_a_chart_taller_than_a_page_is_drawn_within_one_page_in_the_pdf(tmp_path):
    path = pdf_writer.write_pdf(_document(_tall_chart(tmp_path)), tmp_path / "p.pdf")  # raised before
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]  # page num type width height … x-ppi y-ppi
    assert len(listing) == 1
    cols = listing[0].split()
    width, height, x_ppi, y_ppi = int(cols[3]), int(cols[4]), float(cols[12]), float(cols[13])
    assert (width, height) == (1890, 4400)
    assert height / y_ppi * 2.54 <= 21.0 + 0.05 and abs(x_ppi - y_ppi) <= 1  # within a page, not stretched


def test_a_chart_taller_than_a_page_is_narrower_in_word(tmp_path):
    path = tmp_path / "p.docx"
    docx_writer.write_docx(_document(_tall_chart(tmp_path)), path)
    shapes = docx.Document(str(path)).inline_shapes
    assert len(shapes) == 1
    height_cm, width_cm = shapes[0].height / CM_EMU, shapes[0].width / CM_EMU
    assert height_cm <= 24.7 - 2  # the text height of the page, less room for the note under it
    assert abs(width_cm / height_cm - 1890 / 4400) < 0.01  # not stretched


def test_a_label_line_is_counted_as_shown_without_its_markup():
    assert wrap_text("Bostadsinbrott eller försök till inbrott i bostaden (fiktiv)<br>"
                     "<b>52\u00a0%</b> · n = 12\u00a0345 · 2023", 30).split("<br>")[-1] == \
        "<b>52\u00a0%</b> · n = 12\u00a0345 · 2023"


def test_five_digit_counts_on_an_axis_are_written_the_swedish_way(tmp_path):
    """Östberga's yearly counts (15 054 … 16 650) had their y axis ticked "5k, 10k, 15k, 20k" on the
    screen and in the exported chart, plotly's English SI shorthand; now "5 000 … 20 000" with the
    Swedish thousands space, as the table beside it writes them."""
    import re

    import pandas as pd
    import plotly.graph_objects as go

    from lagesbild.export.figure import export_figure
    from lagesbild.figures import style, trend

    years = pd.DataFrame({"category": "skadegorelse", "period": ["2021–2022", "2022–2023"],
                          "end": pd.to_datetime(["2022-08-31", "2023-08-31"]), "count": [15054, 16650],
                          "months_missing": 0, "n_months": 12})
    fig = trend.make_trend_years(years, data_until="2023-08-31", context=style.FigureContext(organisation="SDF"))
    svg = export_figure(go.Figure(fig), tmp_path / "ar.svg", fmt="svg").read_text(encoding="utf-8")
    ticks = re.findall(r'class="ytick"[^>]*>.*?<text[^>]*>([^<]*)</text>', svg)
    assert ticks and not any(t.rstrip().endswith("k") for t in ticks), ticks
    assert {"10\u00a0000", "15\u00a0000"} <= {t.replace(" ", "\u00a0") for t in ticks}, ticks
