"""Drawing a :class:`~lagesbild.export.content.Document` as a Word file (python-docx).

A4 portrait with 2,5 cm margins, so the text column is 16 cm: the width the chart PNGs are made for.
Headings use Word's built-in heading styles with outline levels (so the navigation pane and a table
of contents work); tables repeat their header row on each page. The language of every style is Swedish
(sv-SE; also in stylesWithEffects.xml, which Word 2010 reads instead, and the theme-font language), so
Word checks the spelling in Swedish, and every image has alt text (its title, place,
periods and caption) for screen readers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from lagesbild.export.content import Bullets, Chart, Document, Heading, PageBreak, Paragraph, Table
from lagesbild.export.pages import PAGE_HEIGHT_CM

# ----- layout table ----------------------------------------------------------------------------
PAGE = dict(width=Cm(21.0), height=Cm(29.7), margin=Cm(2.5))
#: a chart taller than this is drawn narrower (a page's 24,7 cm of text less room for its notes): a
#: survey of sixteen questions was 37 cm tall at 16 cm and ran off the page
MAX_PICTURE_HEIGHT_CM = PAGE_HEIGHT_CM  # the PDF's and the split charts' own height
TEXT_WIDTH_CM = 16.0
BODY_FONT, BODY_SIZE = "Calibri", Pt(10.5)
TABLE_SIZE, NOTE_SIZE = Pt(8.5), Pt(8.5)
MUTED = RGBColor(0x5A, 0x64, 0x70)
WARNING = RGBColor(0xB0, 0x3A, 0x00)
HEADER_FILL = "DCE3EA"
LANGUAGE = "sv-SE"
AUTHOR = "lagesbild"  # the documents' author, as in the PDF's metadata
KEEP_WITH_NEXT = ("caption",)  # a table's caption stays on the page of the table
STYLE_FORMATS = {  # paragraph style -> (size, bold, italic, colour, space after)
    "body": (BODY_SIZE, False, False, None, Pt(6)),
    "note": (NOTE_SIZE, False, True, MUTED, Pt(4)),
    "caption": (NOTE_SIZE, False, True, MUTED, Pt(10)),
    "warning": (Pt(11), True, False, WARNING, Pt(8)),
    "cover_title": (Pt(26), True, False, None, Pt(14)),
    "cover": (Pt(13), False, False, None, Pt(6)),
}


def _page_setup(word) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, PAGE["margin"])
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, BODY_SIZE
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
    _swedish(word)
    for level in range(1, 4):  # the navigation pane lists paragraphs with an outline level
        ppr = word.styles[f"Heading {level}"].element.get_or_add_pPr()
        if ppr.find(qn("w:outlineLvl")) is None:
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level - 1))
            ppr.append(outline)


def _lang(rpr) -> None:
    """Set (or replace) the ``w:lang`` of a run-properties element to Swedish."""
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), LANGUAGE)
    rpr.append(lang)


def _swedish(word) -> None:
    """Swedish as the language of the document defaults and of every style that names a language."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
        _lang(rpr_default.find(qn("w:rPr")))
    for style in styles.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:lang")) is not None:
            _lang(rpr)
    _lang(word.styles["Normal"].element.get_or_add_rPr())
    word.core_properties.language = LANGUAGE
    theme_lang = word.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        for attr in ("w:val", "w:eastAsia", "w:bidi"):
            if theme_lang.get(qn(attr)) is not None:
                theme_lang.set(qn(attr), LANGUAGE)
    for part in word.part.package.iter_parts():
        if str(part.partname) == "/word/stylesWithEffects.xml":  # Word 2010 reads it instead of styles
            root = parse_xml(part.blob)
            for rpr in {el.getparent() for el in root.iter(qn("w:lang"))}:
                _lang(rpr)
            part._blob = serialize_part_xml(root)


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _footer(word, text: str) -> None:
    p = word.sections[0].footer.paragraphs[0]
    p.text = f"{text} · sida " if text else "Sida "
    _page_field(p)
    for run in p.runs:
        run.font.size, run.font.color.rgb = NOTE_SIZE, MUTED


def _paragraph(word, block: Paragraph) -> None:
    size, bold, italic, colour, after = STYLE_FORMATS[block.style]
    p = word.add_paragraph()
    for i, line in enumerate(block.text.split("\n")):
        if i:
            p.add_run().add_break()
        run = p.add_run(line)
        run.font.size, run.bold, run.italic = size, bold, italic
        if colour is not None:
            run.font.color.rgb = colour
    p.paragraph_format.space_after = after
    p.paragraph_format.keep_with_next = block.style in KEEP_WITH_NEXT
    if block.style == "warning":
        _shade(p, "FBE9E0")


def _shading(fill: str):
    """A ``w:shd`` element filling with ``fill`` (hex RGB)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    return shd


def _shade(paragraph, fill: str) -> None:
    paragraph._p.get_or_add_pPr().append(_shading(fill))


def _cell_shade(cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(_shading(fill))


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _set_cell(cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    run = p.add_run(str(text))
    run.font.size, run.bold = TABLE_SIZE, bold
    p.paragraph_format.space_after = Pt(0)
    if right:  # a column of numbers
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(word, block: Table) -> None:
    if block.caption:
        _paragraph(word, Paragraph(block.caption, "caption"))
    t = word.add_table(rows=1, cols=len(block.columns))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric = block.numeric()
    for cell, name, right in zip(t.rows[0].cells, block.columns, numeric, strict=False):
        _set_cell(cell, name, bold=True, right=right)
        _cell_shade(cell, HEADER_FILL)
    _repeat_header(t.rows[0])
    for row in block.rows:
        for cell, value, right in zip(t.add_row().cells, row, numeric, strict=False):
            _set_cell(cell, value, right=right)
    if block.widths:
        total = sum(block.widths)
        for row in t.rows:
            for cell, w in zip(row.cells, block.widths, strict=False):
                cell.width = Cm(TEXT_WIDTH_CM * w / total)
    for note in block.notes:
        _paragraph(word, Paragraph(note, "note"))
    word.add_paragraph().paragraph_format.space_after = Pt(2)


def _chart(word, block: Chart) -> None:
    if block.png is None:
        raise ValueError(f"chart {block.name!r} has not been rendered")
    picture = word.add_picture(str(block.png), width=Cm(TEXT_WIDTH_CM))
    if picture.height > Cm(MAX_PICTURE_HEIGHT_CM):  # a survey of many questions: within one page
        picture.width = int(picture.width * Cm(MAX_PICTURE_HEIGHT_CM) / picture.height)
        picture.height = Cm(MAX_PICTURE_HEIGHT_CM)
    doc_pr = picture._inline.docPr
    meta = getattr(getattr(block.fig, "layout", None), "meta", None) or {}
    doc_pr.set("title", str(meta.get("title") or block.name))
    doc_pr.set("descr", alt_text(block))
    word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for note in block.notes:
        _paragraph(word, Paragraph(note, "note"))
    if block.caption:
        _paragraph(word, Paragraph(block.caption, "caption"))


def alt_text(block: Chart) -> str:
    """The alt text of a chart's image: ``Diagram: <title>. <place> · <periods>. <caption>``.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> fig = go.Figure(layout=dict(meta=dict(title="Trend", place="Vårberg", periods=["2022–2023"])))
    >>> alt_text(Chart("trend", fig, caption="Tabell 1 visar siffrorna."))
    'Diagram: Trend. Vårberg · 2022–2023. Tabell 1 visar siffrorna.'
    """
    meta = getattr(getattr(block.fig, "layout", None), "meta", None) or {}
    where = " · ".join(str(p) for p in [meta.get("place"), ", ".join(meta.get("periods") or [])] if p)
    parts = [f"Diagram: {meta.get('title') or block.name}", where, block.caption]
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def _heading(word, block: Heading, new_page: bool) -> None:
    if block.level == 1 and new_page:
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.add_heading(block.text, level=block.level)


#: the most characters python-docx takes in a text property of the file (a longer one was a traceback)
PROPERTY_CHARS = 255


def _property(text: str) -> str:
    """A property's text cut to :data:`PROPERTY_CHARS` (a meeting named at length, many places).

    >>> len(_property("Beredningsgrupp " * 30)), _property("Vårberg")
    (255, 'Vårberg')
    """
    text = " ".join(str(text).split())
    return text if len(text) <= PROPERTY_CHARS else text[:PROPERTY_CHARS - 1].rstrip() + "…"


def _properties(word, doc: Document) -> None:
    """Title, subject, author and the time of writing (python-docx's template said "python-docx",
    "generated by python-docx" and 23 December 2013)."""
    props = word.core_properties
    props.title, props.subject = _property(doc.title), _property(doc.subtitle)
    props.author = props.last_modified_by = AUTHOR
    props.comments = props.keywords = ""
    props.revision = 1
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)


def write_docx(doc: Document, path) -> Path:
    """Write the document to ``path`` as DOCX; return the path.

    Examples
    --------
    >>> import tempfile, docx
    >>> d = Document("Test").add(Heading("Plats"), Paragraph("Hej å ä ö"))
    >>> p = write_docx(d, Path(tempfile.mkdtemp()) / "t.docx")
    >>> [x.text for x in docx.Document(p).paragraphs if x.text][:2]
    ['Plats', 'Hej å ä ö']
    """
    word = WordDocument()
    _page_setup(word)
    _properties(word, doc)
    _footer(word, doc.footer)
    prev = None
    for block in doc.blocks:
        if isinstance(block, Heading):
            _heading(word, block, new_page=prev is not None and not isinstance(prev, PageBreak))
        elif isinstance(block, Paragraph):
            _paragraph(word, block)
        elif isinstance(block, Bullets):
            for item in block.items:
                word.add_paragraph(str(item), style="List Bullet")
        elif isinstance(block, Table):
            _table(word, block)
        elif isinstance(block, Chart):
            _chart(word, block)
        elif isinstance(block, PageBreak):
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            raise TypeError(f"unknown block {type(block).__name__}")
        prev = block
    path = Path(path)
    word.save(str(path))
    return path
