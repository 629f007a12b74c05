"""The Word file names no language but Swedish in any of its parts (Word checks spelling by them)."""

from __future__ import annotations

import re
import zipfile

from lagesbild.export.content import Bullets, Document, Heading, Paragraph
from lagesbild.export.docx_writer import write_docx

LANG_ATTR = re.compile(r'\b(?:w:val|w:eastAsia|w:bidi|w:lang)="([a-z]{2}-[A-Z]{2})"')


def test_every_part_of_the_word_file_is_swedish(tmp_path):
    """styles.xml, the stylesWithEffects.xml that Word 2010 reads instead, and the theme-font language
    of settings.xml: none says en-US (or any language but sv-SE)."""
    doc = Document("Lägesbild – Beredningsgrupp").add(Heading("Vårberg"), Paragraph("Skadegörelse ökade."),
                                                     Bullets(["Trygghetsvandring"]))
    path = write_docx(doc, tmp_path / "paket.docx")
    found = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                text = z.read(name).decode("utf-8")
                for tag in re.findall(r"<w:(?:lang|themeFontLang)\b[^>]*>", text):
                    found.setdefault(name, set()).update(LANG_ATTR.findall(tag))
    assert "word/styles.xml" in found
    assert {name: langs - {"sv-SE"} for name, langs in found.items() if langs - {"sv-SE"}} == {}
