"""The height of a chart on an A4 page of the pack is said once (export/pages.py) and the PDF writer
takes it from there: pages.PAGE_HEIGHT_CM repeated the 21 cm of pdf_writer.MAX_PICTURE_HEIGHT."""

from __future__ import annotations

import importlib

from lagesbild.export import pages, pdf_writer

POINTS_PER_CM = 72 / 2.54  # a PDF point is 1/72 inch


def test_the_pdf_picture_height_follows_the_page_height_of_split_charts(monkeypatch):
    """Changing the one height changes both: the PDF's tallest picture is read from pages.py (it was
    its own 21 cm literal, so a changed page height left the PDF shrinking the parts again)."""
    monkeypatch.setattr(pages, "PAGE_HEIGHT_CM", 18.0)
    try:
        reloaded = importlib.reload(pdf_writer)
        assert abs(reloaded.MAX_PICTURE_HEIGHT - 18.0 * POINTS_PER_CM) < 1e-9
    finally:
        monkeypatch.undo()
        importlib.reload(pdf_writer)


def test_the_height_is_still_21_cm():
    """Guard (behaviour unchanged): 21 cm, by hand 29,7 − 2 × 2,5 = 24,7 cm of text height less the
    frame's padding and room for the notes."""
    assert pages.PAGE_HEIGHT_CM == 21.0
    assert abs(pdf_writer.MAX_PICTURE_HEIGHT - 21 * POINTS_PER_CM) < 1e-9
