"""The pack's PDF takes an activity with very long texts: a word wider than the page, and a row
taller than a page (reportlab stopped the whole pack with "negative availWidth" or a LayoutError)."""

from __future__ import annotations

import subprocess

from lagesbild.export.content import Document, Heading, Table
from lagesbild.export.pdf_writer import TEXT_WIDTH, column_widths, register_fonts, write_pdf

WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellungsgenehmigung" * 3
LONG = " ".join(["Trygghetsvandringar, samtal med näringsidkare och fastighetsägare, uppföljning av "
                 "klotter och nedskräpning, belysningsinventering"] * 20)


def _activities() -> Table:
    return Table("Aktiviteter", ["Aktivitet", "Arbetsgrupp", "Start", "Slut", "Mötesfrekvens", "Sammankallande"],
                 [[LONG, WORD, "1 mars 2021", "tillsvidare", LONG[:200], WORD],
                  ["Platssamverkan Vårberg", "Samverkansgruppen", "1 feb 2019", "–", "1 gång per månad",
                   "Förvaltningen"]], caption="Aktiviteter")


def test_a_word_wider_than_the_page_leaves_every_column_room():
    register_fonts()
    widths = column_widths(_activities())
    assert abs(sum(widths) - TEXT_WIDTH) < 0.01
    assert min(widths) >= 25, widths  # "Start", "Slut" and a date fit (were 5 pt)


def test_a_pdf_with_an_activity_longer_than_a_page_is_written(tmp_path):
    path = write_pdf(Document("Lägesbild – Beredningsgrupp").add(Heading("Vårberg"), _activities()),
                     tmp_path / "paket.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.count("\f")
    assert pages >= 2, pages  # the long row goes on over the page
    assert "Platssamverkan" in text and "Samverkansgruppen" in text
