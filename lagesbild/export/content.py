"""The content model of the meeting pack: one list of blocks, rendered as DOCX and as PDF.

Building the content (what the pack says) is kept apart from rendering it (how a format draws it):
:mod:`lagesbild.export.sections` fills a :class:`Document`, :mod:`lagesbild.export.docx_writer` and
:mod:`lagesbild.export.pdf_writer` draw the same blocks, so the two files cannot drift apart.

Examples
--------
>>> doc = Document(title="Mötespaket")
>>> _ = doc.add(Heading("Hässelby torg", 1), Paragraph("Text."))
>>> [type(b).__name__ for b in doc.blocks]
['Heading', 'Paragraph']
>>> doc.headings()
['Hässelby torg']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: a number as the pack writes it: ``1 347``, ``+2,3 %``, ``−10``, ``0,913``, ``< 0,001``, ``18,6*``
#: a number as the tables write it, optionally with its interval in brackets ("46,7 (18,7–96,4)")
NUMBER_TEXT = re.compile(r"[<>≤≥]?\s?[+\-−±]?\d[\d \u00a0\u202f]*(,\d+)?\s?[%‰]?\*?"
                         r"(\s\(\d[\d\u00a0\u202f]*(,\d+)?–\d[\d\u00a0\u202f]*(,\d+)?\))?")
#: what a number's cell holds when the number is missing or hidden
NOT_A_NUMBER = {"", "–", "-", "—"}

#: Paragraph styles every writer knows: body text, small notes, a warning box, cover lines.
PARAGRAPH_STYLES = ("body", "note", "warning", "cover_title", "cover", "caption")


@dataclass
class Heading:
    """A heading; level 1 starts a place's section (and a new page)."""

    text: str
    level: int = 1


@dataclass
class Paragraph:
    """A paragraph of plain text in one of :data:`PARAGRAPH_STYLES`."""

    text: str
    style: str = "body"

    def __post_init__(self):
        if self.style not in PARAGRAPH_STYLES:
            raise ValueError(f"unknown paragraph style {self.style!r}")


@dataclass
class Bullets:
    """A bulleted list."""

    items: list


@dataclass
class Table:
    """A table of display text, with the numbers behind it for the ZIP.

    Parameters
    ----------
    name : str
        File stem for the table's CSV/XLSX in the ZIP.
    columns : list of str
    rows : list of list of str
        Display text, already formatted in Swedish.
    widths : list of float, optional
        Relative column widths.
    notes : list of str
        Printed under the table.
    data : DataFrame, optional
        The numbers behind the table (written to CSV and XLSX).
    """

    name: str
    columns: list
    rows: list
    widths: list | None = None
    notes: list = field(default_factory=list)
    data: pd.DataFrame | None = None
    caption: str = ""

    def numeric(self) -> list[bool]:
        """Per column: does it hold numbers (every cell a number or a missing mark, at least one number)?
        The writers right-align those, so that digits line up as in a spreadsheet.

        Examples
        --------
        >>> Table("t", ["Kategori", "Före", "Förändring (%)", "p-värde", "Per 1 000 inv. och år"],
        ...       [["Rån", "1 347", "+2,3\u00a0%", "< 0,001", "46,7 (18,7–96,4)"],
        ...        ["Stöld", "55", "–", "0,913", "–"]]).numeric()
        [False, True, True, True, True]
        """
        out = []
        for i in range(len(self.columns)):
            cells = [str(row[i]).strip() for row in self.rows if i < len(row)]
            given = [c for c in cells if c not in NOT_A_NUMBER]
            out.append(bool(given) and all(NUMBER_TEXT.fullmatch(c) for c in given))
        return out


@dataclass
class Chart:
    """A chart: the prepared figure, the numbers behind it and, after rendering, its image files."""

    name: str
    fig: object
    data: pd.DataFrame | None = None
    caption: str = ""
    notes: list = field(default_factory=list)
    height: int | None = None
    png: Path | None = None
    svg: Path | None = None


@dataclass
class PageBreak:
    """Start a new page."""


@dataclass
class Document:
    """A document: a title, facts for the cover and headers, and its blocks in order."""

    title: str
    subtitle: str = ""
    footer: str = ""
    blocks: list = field(default_factory=list)

    def add(self, *blocks) -> Document:
        """Append blocks; returns the document."""
        self.blocks.extend(b for b in blocks if b is not None)
        return self

    def extend(self, blocks) -> Document:
        """Append every block of an iterable."""
        return self.add(*blocks)

    def charts(self) -> list[Chart]:
        """The chart blocks, in order."""
        return [b for b in self.blocks if isinstance(b, Chart)]

    def tables(self) -> list[Table]:
        """The table blocks, in order."""
        return [b for b in self.blocks if isinstance(b, Table)]

    def headings(self, level: int = 1) -> list[str]:
        """The texts of the headings of one level."""
        return [b.text for b in self.blocks if isinstance(b, Heading) and b.level == level]
