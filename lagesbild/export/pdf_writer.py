"""Drawing a :class:`~lagesbild.export.content.Document` as a PDF (reportlab).

The same blocks and the same page geometry as the DOCX (A4, 2,5 cm margins, 16 cm text column).
Text is set in DejaVu Sans, which has å, ä, ö, en dashes, arrows and the minus sign; headings become
PDF bookmarks.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from lagesbild.export.content import Bullets, Chart, Document, Heading, PageBreak, Paragraph, Table
from lagesbild.export.pages import PAGE_HEIGHT_CM

# ----- layout table ----------------------------------------------------------------------------
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
         "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
         "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf"}
FONT, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
MARGIN = 2.5 * cm
TEXT_WIDTH = A4[0] - 2 * MARGIN  # 16 cm
#: a chart taller than this is drawn narrower (taller, a survey of sixteen questions stopped the PDF):
#: the page height a split chart's parts are made for (:data:`lagesbild.export.pages.PAGE_HEIGHT_CM`)
MAX_PICTURE_HEIGHT = PAGE_HEIGHT_CM * cm
MUTED = colors.HexColor("#5A6470")
WARNING = colors.HexColor("#B03A00")
HEADER_FILL = colors.HexColor("#DCE3EA")
GRID = colors.HexColor("#9AA1A9")
STYLES = {
    "body": dict(fontName=FONT, fontSize=9.5, leading=13, spaceAfter=5),
    "note": dict(fontName=ITALIC, fontSize=7.5, leading=10, spaceAfter=3, textColor=MUTED),
    "caption": dict(fontName=ITALIC, fontSize=7.5, leading=10, spaceAfter=4, textColor=MUTED,
                    keepWithNext=1),
    "warning": dict(fontName=BOLD, fontSize=10, leading=14, spaceAfter=8, textColor=WARNING,
                    backColor=colors.HexColor("#FBE9E0"), borderPadding=5, spaceBefore=4),
    "cover_title": dict(fontName=BOLD, fontSize=24, leading=30, spaceAfter=16),
    "cover": dict(fontName=FONT, fontSize=12, leading=17, spaceAfter=5),
    "h1": dict(fontName=BOLD, fontSize=16, leading=20, spaceAfter=8, keepWithNext=1,
               textColor=colors.HexColor("#1F3A5F")),
    "h2": dict(fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=5, keepWithNext=1,
               textColor=colors.HexColor("#1F3A5F")),
    "h3": dict(fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=4, keepWithNext=1),
    "cell": dict(fontName=FONT, fontSize=7.5, leading=9.5),
    "cell_head": dict(fontName=BOLD, fontSize=7.5, leading=9.5),
}
CELL_PAD = 3  # pt left and right of a cell's text (the table style's LEFT/RIGHTPADDING)
NATURAL_SHARE = 0.5  # without given widths, a column's text counts for at most this share of the page
LONG_WORD_SHARE = 0.35  # a word wider than this share of the page is broken inside its cell
MIN_COLUMN = 2 * CELL_PAD + 30  # pt: the narrowest a column is made for other columns' long words


def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, italic) with reportlab once."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC,
                                  boldItalic="DejaVuSans-BoldOblique")


def _style(name: str, *, right: bool = False) -> ParagraphStyle:
    return ParagraphStyle(name, alignment=TA_RIGHT if right else TA_LEFT, **STYLES[name])


#: a space between a number's thousands groups ("Per 1 000 inv."): kept, never a line break
THOUSANDS_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")


def _together(text) -> str:
    """The text with its numbers' thousands groups joined by no-break spaces ("1 000" is never split
    over two lines of a narrow column).

    Examples
    --------
    >>> _together("Per 1 000 inv. och år, 2 beslut, 12 345 brott") == (
    ...     "Per 1\u00a0000 inv. och år, 2 beslut, 12\u00a0345 brott")
    True
    """
    return THOUSANDS_SPACE.sub("\u00a0", str(text))


def _text(text: str) -> str:
    return escape(_together(text)).replace("\n", "<br/>")


class _Template(SimpleDocTemplate):
    """Adds a PDF bookmark for each heading."""

    def afterFlowable(self, flowable):
        level = getattr(flowable, "_outline_level", None)
        if level is not None:
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level - 1, closed=False)


def _heading(block: Heading) -> RLParagraph:
    p = RLParagraph(_text(block.text), _style(f"h{min(block.level, 3)}"))
    p._outline_level = min(block.level, 3)
    return p


class _Picture(Flowable):
    """A PIL image drawn at a given size (no re-encoding before reportlab compresses it)."""

    def __init__(self, image, width: float, height: float):
        super().__init__()
        self.image, self.width, self.height = image, width, height

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        self.canv.drawImage(ImageReader(self.image), 0, 0, self.width, self.height)


def _image(path: Path, width: float) -> Flowable:
    """The chart PNG flattened onto white (RGB embeds much faster than RGBA with a soft mask)."""
    from PIL import Image as PILImage

    with PILImage.open(path) as im:
        w, h = im.size
        if im.mode in ("RGBA", "LA", "P"):
            rgba = im.convert("RGBA")
            flat = PILImage.new("RGB", im.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
        else:
            flat = im.convert("RGB")
    height = width * h / w
    if height > MAX_PICTURE_HEIGHT:  # a survey of many questions: narrower, within one page
        width, height = width * MAX_PICTURE_HEIGHT / height, MAX_PICTURE_HEIGHT
    return _Picture(flat, width, height)


def _longest_word(texts, style: str) -> float:
    font, size = STYLES[style]["fontName"], STYLES[style]["fontSize"]
    words = (w for t in texts for w in re.split(r"[ \t\n]+", _together(t)) if w)  # no-break spaces join
    return max((pdfmetrics.stringWidth(w, font, size) for w in words), default=0.0)


def _level(least: list[float], room: float) -> float:
    """The width ``L`` at which ``sum(min(w, L) for w in least)`` is ``room``: columns wider than it
    are cut to it, the others keep their words whole.

    >>> round(_level([113, 77, 60, 40], 250), 3)  # 75 + 75 + 60 + 40
    75.0
    """
    lo, hi = 0.0, max(least, default=0.0)
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if sum(min(w, mid) for w in least) > room else (mid, hi)
    return lo


def column_widths(block: Table) -> list[float]:
    """Widths in points, filling the text column: the table's relative widths (or, without them, the
    columns' longest texts), but no column narrower than its longest word, which reportlab would
    break inside ("sakna|s", "Skadegöre|lse"); the columns that need more take it from the others.
    A word wider than :data:`LONG_WORD_SHARE` of the page is broken inside its cell, and when the
    words ask for more than the page, each column keeps :data:`MIN_COLUMN` (an activity named with
    a 250-character word left the other columns 5 pt, and reportlab stopped the pack).
    """
    n = len(block.columns)
    cols = [[row[i] for row in block.rows if i < len(row)] for i in range(n)]
    least = [max(_longest_word([block.columns[i]], "cell_head"), _longest_word(cols[i], "cell"))
             + 2 * CELL_PAD + 0.5 for i in range(n)]
    if block.widths:
        weights = [float(w) for w in block.widths]
    else:
        font, size = STYLES["cell"]["fontName"], STYLES["cell"]["fontSize"]
        weights = [min(max((pdfmetrics.stringWidth(str(t), font, size) for t in [block.columns[i], *cols[i]]),
                           default=1.0), TEXT_WIDTH * NATURAL_SHARE) or 1.0 for i in range(n)]
    least = [min(w, TEXT_WIDTH * LONG_WORD_SHARE) for w in least]  # a longer word breaks inside
    if sum(least) >= TEXT_WIDTH:  # the words ask for more than the page: the widest give way first,
        level = _level(least, TEXT_WIDTH - n)  # down to a common width (all columns were cut, and
        if level >= MIN_COLUMN:  # "Förändring" broke in every table with a long activity name)
            least = [min(w, level) for w in least]
    if sum(least) >= TEXT_WIDTH:  # words wider than the page: each column its floor, the rest shared
        floor = [min(w, MIN_COLUMN) for w in least]  # as they ask beyond it
        if sum(floor) >= TEXT_WIDTH:
            return [TEXT_WIDTH / n] * n
        extra, room = [w - f for w, f in zip(least, floor, strict=True)], TEXT_WIDTH - sum(floor)
        return [f + room * e / sum(extra) for f, e in zip(floor, extra, strict=True)]
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        room = TEXT_WIDTH - sum(fixed.values())
        total = sum(weights[i] for i in free)
        share = {i: room * weights[i] / total for i in free}
        short = {i: least[i] for i in free if share[i] < least[i]}
        if not short:
            return [fixed.get(i, share.get(i)) for i in range(n)]
        fixed.update(short)


def _table(block: Table) -> list:
    numeric = block.numeric()  # columns of numbers are right-aligned
    head = [_style("cell_head", right=r) for r in numeric]
    cell = [_style("cell", right=r) for r in numeric]
    data = [[RLParagraph(_text(c), s) for c, s in zip(block.columns, head, strict=False)]]
    data += [[RLParagraph(_text(v), s) for v, s in zip(row, cell, strict=False)] for row in block.rows]
    # splitInRow: a row taller than the space left (an activity's long texts) continues on the next page
    t = RLTable(data, colWidths=column_widths(block), repeatRows=1, hAlign="CENTER", splitInRow=1)
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    out = [RLParagraph(_text(block.caption), _style("caption"))] if block.caption else []
    out.append(t)
    out += [RLParagraph(_text(n), _style("note")) for n in block.notes]
    return out + [Spacer(1, 6)]


def _bullets(block: Bullets) -> list:
    """A bulleted list as one paragraph per item, each with its bullet: a heading's keepWithNext then
    keeps it with the first item (reportlab never keeps a flowable with a ListFlowable, so "Vad
    siffrorna inte kan visa" stood alone at the foot of a page, its list on the next)."""
    style = ParagraphStyle("bullet", alignment=TA_LEFT, leftIndent=24, bulletIndent=12,
                           bulletFontName=FONT, **STYLES["body"])
    return [RLParagraph(_text(item), style, bulletText="•") for item in block.items]


def _chart(block: Chart) -> list:
    if block.png is None:
        raise ValueError(f"chart {block.name!r} has not been rendered")
    image = _image(block.png, TEXT_WIDTH)
    after = [RLParagraph(_text(n), _style("note")) for n in block.notes]
    if block.caption:
        after.append(RLParagraph(_text(block.caption), _style("note")))
    if after:  # a KeepTogether here would stop a heading from keeping with the image
        image.keepWithNext = 1
        for para in after[:-1]:
            para.keepWithNext = 1
    return [image, *after, Spacer(1, 4)]


def _flowables(doc: Document) -> list:
    out, prev = [], None
    for block in doc.blocks:
        if isinstance(block, Heading):
            if block.level == 1 and prev is not None and not isinstance(prev, PageBreak):
                out.append(RLPageBreak())
            out.append(_heading(block))
        elif isinstance(block, Paragraph):
            out.append(RLParagraph(_text(block.text), _style(block.style)))
        elif isinstance(block, Bullets):
            out += _bullets(block)
        elif isinstance(block, Table):
            out += _table(block)
        elif isinstance(block, Chart):
            out += _chart(block)
        elif isinstance(block, PageBreak):
            out.append(RLPageBreak())
        else:
            raise TypeError(f"unknown block {type(block).__name__}")
        prev = block
    return out


def write_pdf(doc: Document, path) -> Path:
    """Write the document to ``path`` as PDF; return the path.

    Examples
    --------
    >>> import tempfile
    >>> d = Document("Test", footer="Mötespaket").add(Heading("Älvsjö"), Paragraph("Hej å ä ö"))
    >>> write_pdf(d, Path(tempfile.mkdtemp()) / "t.pdf").read_bytes()[:5]
    b'%PDF-'
    """
    register_fonts()
    rl_config.useA85 = 0  # binary image streams: ASCII85 in pure Python costs seconds per chart
    path = Path(path)

    def footer(canvas, template):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        text = f"{doc.footer} · sida {template.page}" if doc.footer else f"Sida {template.page}"
        canvas.drawString(MARGIN, 1.3 * cm, text)
        canvas.restoreState()

    template = _Template(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN, bottomMargin=MARGIN, title=doc.title,
                         subject=doc.subtitle, author="lagesbild", lang="sv")
    template.build(_flowables(doc), onFirstPage=footer, onLaterPages=footer)
    return path
