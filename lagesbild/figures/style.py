"""The look shared by every chart: Swedish locale, sizes per mode, the template, the subtitle and the
source line; chart file names, the graph config and month ticks.

The source line ``Källa: Polisen, anmälda brott; bearbetning <organisation>, data t.o.m. <date>`` (plus
`` – FIKTIVA DEMODATA`` for demo data) is printed inside every image by
:func:`lagesbild.figures.finishing.finish`, so a chart pasted into minutes carries it. The colours are
:mod:`lagesbild.figures.palette`. Meeting mode (projector, 1920×1080) uses larger type and thicker lines.

Examples
--------
>>> ctx = FigureContext(organisation="SDF Vällingby", data_until="2023-08-31", demo=True)
>>> print(source_line(ctx))
Källa: Polisen, anmälda brott; bearbetning SDF Vällingby, data t.o.m. 31 aug 2023 – FIKTIVA DEMODATA

Figure dicts (``{"data": [...], "layout": {...}}``, which ``dcc.Graph`` takes as they are) get a copy
of the template validated once through plotly (:func:`template_json`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache, lru_cache

import pandas as pd
import plotly.graph_objects as go

from lagesbild.figures.figdict import plain_copy
from lagesbild.figures.format import fmt_date, fmt_periods, slug
from lagesbild.figures.palette import AXIS, GRID, MUTED, SEQUENCE, TEXT

#: the one font of pages and charts (the CSS names the same; text widths are measured in it, see
#: :mod:`lagesbild.figures.fit`)
FONT = '"DejaVu Sans", sans-serif'
SEPARATORS = ", "  # decimal comma, space between thousands (plotly's layout.separators)
CRIME_SOURCE = "Polisen, anmälda brott"
SURVEY_SOURCE = "trygghetsmätning"
PLAN_SOURCE = "åtgärdsplanen"
DEMO_MARK = " – FIKTIVA DEMODATA"

# Sizes per mode: (base font, title, subtitle, source line, line width, top, bottom margin). Meeting mode's
# source line is 18 px, as all meeting content (14 px before meet5: not legible from the back of a room)
SIZES = {
    False: dict(font=13, title=18, subtitle=13, source=11, line=2.0, top=72, bottom=70),
    True: dict(font=20, title=26, subtitle=18, source=18, line=3.5, top=94, bottom=92),
}


@dataclass(frozen=True)
class FigureContext:
    """What every chart needs to say about where its numbers come from.

    Parameters
    ----------
    organisation : str
        The ``organisation`` setting (``bearbetning <organisation>``).
    data_until : date-like or None
        Last day with crime data.
    demo : bool
        The store holds fictitious demo data.
    meeting : bool
        Meeting mode: large type for a projector.
    extracted : date-like or None
        When the crime data was extracted from the source system (uttagsdatum).
    crime_source : str
        Who publishes the crime data (:data:`CRIME_SOURCE`, or Brå's statistics:
        :func:`lagesbild.analysis.base.crime_source`); a crime chart's source line names it.
    """

    organisation: str = "Stadsdelsförvaltningen"
    data_until: object = None
    demo: bool = False
    meeting: bool = False
    extracted: object = None
    crime_source: str = CRIME_SOURCE

    def with_meeting(self, meeting: bool) -> FigureContext:
        """The same context in or out of meeting mode."""
        return replace(self, meeting=bool(meeting))


def source_line(context: FigureContext | None = None, source: str = CRIME_SOURCE,
                until: bool = True) -> str:
    """The source line printed under a chart.

    Examples
    --------
    >>> source_line(FigureContext(organisation="SDF"), until=False)
    'Källa: Polisen, anmälda brott; bearbetning SDF'
    >>> source_line(FigureContext(organisation="SDF", data_until="2023-08-31", extracted="2023-09-04"))
    'Källa: Polisen, anmälda brott; bearbetning SDF, data t.o.m. 31 aug 2023 (uttag 4 sep 2023)'
    >>> source_line(FigureContext(organisation="SDF", crime_source="Brå, anmälda brott"), until=False)
    'Källa: Brå, anmälda brott; bearbetning SDF'
    """
    ctx = context or FigureContext()
    source = ctx.crime_source if source == CRIME_SOURCE else source
    text = f"Källa: {source[:1].upper() + source[1:]}; bearbetning {ctx.organisation}"
    if until and ctx.data_until is not None and not pd.isna(ctx.data_until):
        text += f", data t.o.m. {fmt_date(ctx.data_until)}"
    text += DEMO_MARK if ctx.demo else ""
    if until and ctx.extracted is not None and not pd.isna(ctx.extracted):
        text += f" (uttag {fmt_date(ctx.extracted)})"
    return text


def sizes(context: FigureContext | None) -> dict:
    """Font sizes and margins for the context's mode."""
    return SIZES[bool(context and context.meeting)]


@cache
def template(meeting: bool = False) -> go.layout.Template:
    """The plotly template: white, light grid, Okabe–Ito colourway, Swedish separators (built once;
    plotly copies it into each figure)."""
    s = SIZES[bool(meeting)]
    # ticks as numbers with Swedish thousands ("20 000", "1 500"), never plotly's SI "20k"
    axis = dict(gridcolor=GRID, linecolor=AXIS, zerolinecolor=AXIS, ticks="outside",
                tickcolor=AXIS, showline=True, automargin=True, exponentformat="none", separatethousands=True,
                title=dict(font=dict(size=s["font"], color=MUTED)))
    return go.layout.Template(layout=dict(
        font=dict(family=FONT, size=s["font"], color=TEXT), colorway=SEQUENCE,
        separators=SEPARATORS, paper_bgcolor="white", plot_bgcolor="white",
        xaxis=axis, yaxis=axis, hoverlabel=dict(font=dict(family=FONT, size=s["font"])),
        legend=dict(font=dict(size=s["font"] - 1), bgcolor="rgba(255,255,255,0.85)"),
    ))


def template_json(meeting: bool = False) -> dict:
    """:func:`template` as the figure JSON holds it: validated once through plotly, a fresh copy each
    call (a few microseconds), so no figure can alter another's."""
    return plain_copy(_template_json(bool(meeting)))


@cache
def _template_json(meeting: bool) -> dict:
    return go.Figure(layout=dict(template=template(meeting))).to_dict()["layout"]["template"]


def subtitle(place: str | None = None, periods=None, extra: str | None = None) -> str:
    """``Hässelby torg · 2019–2020 och 2020–2021``.

    Examples
    --------
    >>> subtitle("Vårberg", ["2021-2022", "2022-2023"])
    'Vårberg · 2021–2022 och 2022–2023'
    """
    if isinstance(periods, str):
        periods = [periods]
    parts = [place, fmt_periods(periods) if periods else None, extra]
    return " · ".join(p for p in parts if p)


def filename(*parts) -> str:
    """A Swedish, safe file name (no extension) for a chart: ``trend-hasselby-torg-2019-2020``.

    Examples
    --------
    >>> filename("Trend per år", "Hässelby torg", "2019–2020")
    'trend-per-ar-hasselby-torg-2019-2020'
    """
    return slug("-".join(str(p) for p in parts if p), max_len=120)


def graph_config(name: str, *, meeting: bool = False) -> dict:
    """A ``dcc.Graph`` config: Swedish modebar, PNG download at print resolution named ``name``; no
    toolbar in meeting mode (a projector has no use for it, and it would cover the title)."""
    return {
        "displaylogo": False, "responsive": True, "locale": "sv", "displayModeBar": not meeting,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2 if meeting else 3},
    }


def month_ticks(first, last, *, every: int = 12, anchor_month: int = 9):
    """Tick positions and Swedish labels for a monthly axis: every ``every`` months from September.

    Examples
    --------
    >>> vals, text = month_ticks("2019-09-01", "2021-08-01")
    >>> text
    ['sep 2019', 'sep 2020']
    """
    vals, text = _month_ticks(pd.Timestamp(first), pd.Timestamp(last), every, anchor_month)
    return list(vals), list(text)


@lru_cache(maxsize=1024)
def _month_ticks(first: pd.Timestamp, last: pd.Timestamp, every: int, anchor_month: int) -> tuple:
    """:func:`month_ticks`, kept (a view asks for the same span again and again)."""
    from lagesbild.figures.format import fmt_month

    months = pd.date_range(first.replace(day=1), last, freq="MS")
    span = len(months)
    if span <= 18:
        every = 3 if span > 6 else 1
    vals = [m for m in months if (m.month - anchor_month) % every == 0]
    return tuple(vals), tuple(fmt_month(m) for m in vals)
