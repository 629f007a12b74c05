"""lay13 re-check (a guard): in the meeting pack's PDF, an empty Förändring or p-värde column is as narrow
as its header's word.

The brief said that with an activity starting after the data's end (every cell "–") the Förändring and
p-värde columns kept their full width (1.6 and 1.2 of the table's 14.6 width units). Measured in Barkarby's
pack (Järfälla data, page 6) they did not: the PDF keeps every column as wide as its longest word
(pdf_writer.column_widths), and the weights gave these two less than their header words, so each is
exactly "Förändring" (53.2 pt) and "p-värde" (39.1 pt) wide, header word and padding; narrower would
break the word. This test passed on the code before lay13 too: a guard that nothing widens them again.

Reference: each header word's width in DejaVu Sans Bold 7.5 pt (the font file's metrics, read by
reportlab), the cells' padding of 3 pt a side (the table's style), against the columns' left edges
as poppler's pdftotext -bbox places the header words.
"""

from __future__ import annotations

import re
import subprocess
from html import unescape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from tests.test_cli import run
from tests.test_recheck_desk7_pack_effects_area import _store

BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SIZE, PAD = 7.5, 3.0
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')


def _header_x(pdf) -> dict:
    """The header words' left edges of the before/after table: {word: x}."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for page in html.split("<page ")[1:]:
        words = [(float(x0), float(y0), unescape(w)) for x0, y0, _x1, w in WORD.findall(page)]
        for y in [wy for _wx, wy, w in words if w == "Förändring"]:
            row = {w: wx for wx, wy, w in words if abs(wy - y) < 1}
            if {"Aktivitet", "p-värde", "Bedömning"} <= set(row):
                return row
    raise AssertionError("no before/after table's header in the PDF")


def test_empty_change_and_p_value_columns_are_as_narrow_as_their_header_word(tmp_path):
    db = _store(tmp_path)
    plan = tmp_path / "plan_sen.yaml"  # starts after the data's end (Aug 2025): every cell "–"
    plan.write_text("- id: hu-sen\n  aktivitet: Trygghetsvandring Flemingsberg (FIKTIV)\n"
                    "  plats: [flemingsberg]\n  löptid: Start februari 2026, tillsvidare\n", encoding="utf-8")
    res = run("ingest", "activities", plan, "--no-progress", "--replace-source", "--source", "atgardsplan", db=db)
    assert res.returncode == 0, res.stderr
    out = tmp_path / "paket"
    res = run("pack", "--places", "flemingsberg", "--periods", "2023–2024", "2024–2025", "--out", out,
              "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    (pdf,) = out.glob("*.pdf")
    x = _header_x(pdf)
    pdfmetrics.registerFont(TTFont("lay13-bold", BOLD))
    for word, nxt in (("Förändring", "p-värde"), ("p-värde", "Bedömning")):
        need = pdfmetrics.stringWidth(word, "lay13-bold", SIZE) + 2 * PAD  # 46.7 + 6 and 32.6 + 6 pt
        assert need <= x[nxt] - x[word] <= need + 1.5, (word, x[nxt] - x[word], need)
