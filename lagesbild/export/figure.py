"""Exporting single charts: PNG sized for a Word column, SVG and PDF, each carrying its labels.

An exported chart always carries, inside the image, its Swedish title, the place, the period(s) and
the source line (``Källa: Polisen, anmälda brott; bearbetning <organisation>, data t.o.m. <date>``,
plus ``FIKTIVA DEMODATA`` for demo data). Figures made by :mod:`lagesbild.figures` already have them
(:func:`lagesbild.figures.finishing.finish`); the keyword arguments here override or add them. Maps are
exported with the offline style: no tile layers, a white background.

Examples
--------
>>> fig = go.Figure(go.Bar(x=["a"], y=[1]))
>>> ready = prepare_figure(fig, title="Anmälda brott", place="Vårberg", periods=["2021–2022"],
...                        source_line="Källa: Polisen, anmälda brott; bearbetning SDF")
>>> figure_labels(ready)["subtitle"]
'Vårberg · 2021–2022'
"""

from __future__ import annotations

import copy
from pathlib import Path

import plotly.graph_objects as go

from lagesbild.export.mapview import MAP_EXPORT_HEIGHT, fit_map_view, offline_maps
from lagesbild.export.pages import split_rows
from lagesbild.export.render import RenderJob, css_width, render_batch
from lagesbild.export.sizes import check_size
from lagesbild.export.textfit import wrap_category_labels
from lagesbild.figures import activity_marks, finishing, palette, style
from lagesbild.figures.fit import is_map
from lagesbild.figures.markup import literal, plain

SOURCE_ANNOTATION = finishing.SOURCE_NAME
NEEDS_LABEL = "Ett exporterat diagram måste ha {what}; ange {arg}=."


def _annotation(fig: go.Figure, name: str):
    for ann in fig.layout.annotations or ():
        if ann.name == name:
            return ann
    return None


def figure_labels(fig: go.Figure) -> dict:
    """The title, subtitle and source line a figure will print.

    Examples
    --------
    >>> figure_labels(go.Figure())["title"] is None
    True
    """
    title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else None
    sub = fig.layout.title.subtitle.text if title and fig.layout.title.subtitle else None
    ann = _annotation(fig, SOURCE_ANNOTATION)
    strip = (lambda s: s.replace("<b>", "").replace("</b>", "")) if title else None
    return {"title": strip(title) if title else None, "subtitle": sub,
            "source_line": ann.text if ann is not None else None}


def _set_title(fig, title, place, periods):
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    # the title and place as written (meta and arguments hold them so; the figure's texts are escaped)
    title = title or meta.get("title") or literal(figure_labels(fig)["title"] or "")
    if not title:
        raise ValueError(NEEDS_LABEL.format(what="en titel", arg="title"))
    place = place if place is not None else meta.get("place")
    periods = periods if periods is not None else meta.get("periods")
    sub = plain(style.subtitle(place, periods)) or (figure_labels(fig)["subtitle"] or "")
    s = style.SIZES[False]
    fig.update_layout(title=dict(
        text=f"<b>{plain(title)}</b>", x=0.01, xanchor="left", y=0.98, yanchor="top", yref="container",
        font=dict(size=s["title"]), subtitle=dict(text=sub, font=dict(size=s["subtitle"],
                                                                       color=palette.MUTED))))
    fig.update_layout(margin=dict(t=max(fig.layout.margin.t or 0, s["top"])))
    meta.update(title=title, place=place, periods=list(periods or []))
    fig.update_layout(meta=meta)


def _set_source(fig, source_line):
    ann = _annotation(fig, SOURCE_ANNOTATION)
    if source_line is None:
        if ann is None:
            raise ValueError(NEEDS_LABEL.format(what="en källrad", arg="source_line"))
        return
    source_line = plain(source_line)  # the organisation's name is a user's text
    if ann is not None:
        ann.text = source_line
        return
    s = style.SIZES[False]
    fig.update_layout(margin=dict(b=max(fig.layout.margin.b or 0, s["bottom"])))
    fig.add_annotation(
        text=source_line, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
        yshift=-(s["bottom"] - s["source"] - 10), showarrow=False, align="left",
        font=dict(size=s["source"], color=palette.INCREASE if style.DEMO_MARK.strip(" –") in source_line
                  else palette.MUTED), name=SOURCE_ANNOTATION)


def prepare_figure(fig: go.Figure, *, title: str | None = None, place: str | None = None,
                   periods=None, source_line: str | None = None, note: str | None = None,
                   width_cm: float = 16) -> go.Figure:
    """A copy of ``fig`` ready to export ``width_cm`` wide: labels set and fitted, offline maps.

    Parameters
    ----------
    title, place, periods, source_line : optional
        Override (or supply) the labels; when omitted, those set by
        :func:`lagesbild.figures.finishing.finish` are kept.
    note : str, optional
        Printed under the source line (e.g. the suppression note); ``<br>`` breaks lines.
    width_cm : float
        The printed width; the source line and note are wrapped to fit it.

    Raises
    ------
    ValueError
        When the figure has no title or source line and none is given.
    """
    out = copy.deepcopy(fig) if isinstance(fig, go.Figure) else go.Figure(fig)
    if title is not None or place is not None or periods is not None or not figure_labels(out)["title"]:
        _set_title(out, title, place, periods)
    _set_source(out, source_line)
    wrap_category_labels(out, width_px=css_width(width_cm))
    activity_marks.refit_activity_labels(out, css_width(width_cm))  # a month chart's activity labels
    finishing.refit(out, css_width(width_cm), note=note)  # the layout of the figures, at this width
    out.update_layout(width=None, height=out.layout.height, hovermode=False, dragmode=False)
    return offline_maps(out)


def export_jobs(fig: go.Figure, path, formats=("png",), *, width_cm: float = 16, dpi: int = 300,
                height: int | None = None) -> list[RenderJob]:
    """Render jobs for one prepared figure in several formats: ``<path>.png``, ``<path>.svg`` …

    ``path`` is a file stem (no suffix); maps in ``fig`` are zoomed to fit the export size.
    """
    path = Path(path)
    jobs = [RenderJob.for_size(fig, path.with_name(path.name + "." + f), f, width_cm=width_cm,
                               dpi=dpi, height=height) for f in formats]
    if jobs:
        fit_map_view(fig, jobs[0].width, jobs[0].height)  # every format has the same layout size
    return jobs


def export_figure(fig: go.Figure, path, *, fmt: str = "png", width_cm: float = 16, dpi: int = 300,
                  title: str | None = None, place: str | None = None, periods=None,
                  source_line: str | None = None, note: str | None = None,
                  height: int | None = None, chromium: str | None = None, renderer=None) -> Path:
    """Write one chart as PNG (``width_cm`` at ``dpi``), SVG or PDF with its labels inside.

    Parameters
    ----------
    fig : plotly Figure
        Usually from a ``lagesbild.figures.make_*`` function.
    path : path-like
        The file to write (its folder is created).
    fmt : {'png', 'svg', 'pdf'}
    width_cm, dpi : float, int
        Printed width (default a 16 cm Word column) and, for PNG, resolution: 16 cm at 300 dpi is
        1890 pixels. Text keeps its point size relative to the page.
    title, place, periods, source_line, note : optional
        See :func:`prepare_figure`.
    height : int, optional
        Layout height in CSS pixels (default: the figure's, or 62 % of the width).
    chromium : str, optional
        Browser binary (the ``chromium`` setting).
    renderer : Renderer, optional
        An open renderer to use instead of starting a browser.

    Returns
    -------
    Path
        The written file.
    """
    check_size(width_cm, dpi)
    ready = prepare_figure(fig, title=title, place=place, periods=periods,
                           source_line=source_line, note=note, width_cm=width_cm)
    if height is None and ready.layout.height is None and is_map(ready):
        height = MAP_EXPORT_HEIGHT  # a map sized by its page's CSS: tall enough for the map itself
    parts = split_rows(ready) if height is None else [ready]
    if fmt == "pdf" and len(parts) > 1:  # a timeline of many activities: A4 pages, not one long page
        return _pdf_pages(parts, Path(path), width_cm=width_cm, dpi=dpi, chromium=chromium,
                          renderer=renderer)
    job = RenderJob.for_size(ready, path, fmt, width_cm=width_cm, dpi=dpi, height=height)
    fit_map_view(ready, job.width, job.height)
    render_batch([job], chromium=chromium, renderer=renderer)
    return job.path


def export_pages(fig: go.Figure, path, *, fmt: str = "png", width_cm: float = 16, dpi: int = 300,
                 note: str | None = None, chromium: str | None = None, renderer=None) -> list[Path]:
    """The chart as images that each fit an A4 page at ``width_cm``: one file when it fits, else one
    per part of its rows (:func:`lagesbild.export.pages.split_rows`: the timeline of a large action
    plan), ``<path stem> del 1 av 3.<fmt>`` …; the written paths in order."""
    check_size(width_cm, dpi)
    ready = prepare_figure(fig, note=note, width_cm=width_cm)
    parts = split_rows(ready)
    path = Path(path)
    if len(parts) == 1:
        return [export_figure(fig, path, fmt=fmt, width_cm=width_cm, dpi=dpi, note=note, chromium=chromium,
                              renderer=renderer)]
    stem = path.with_suffix("") if path.suffix.lower() == f".{fmt}" else path
    jobs = [RenderJob.for_size(part, stem.with_name(f"{stem.name} del {i} av {len(parts)}.{fmt}"), fmt,
                               width_cm=width_cm, dpi=dpi) for i, part in enumerate(parts, start=1)]
    render_batch(jobs, chromium=chromium, renderer=renderer)
    return [job.path for job in jobs]


def _pdf_pages(parts: list, path: Path, *, width_cm: float, dpi: int, chromium, renderer) -> Path:
    """The parts of a chart as the A4 pages of one PDF (each part's PNG on its own page)."""
    import tempfile

    from lagesbild.export.content import Chart, Document, PageBreak
    from lagesbild.export.pdf_writer import write_pdf

    title = literal(figure_labels(parts[0])["title"] or "")  # the PDF's title and footer: plain text
    with tempfile.TemporaryDirectory(prefix="lagesbild-pages-") as tmp:
        jobs = [RenderJob.for_size(part, Path(tmp) / f"del-{i}.png", "png", width_cm=width_cm, dpi=dpi)
                for i, part in enumerate(parts, start=1)]
        render_batch(jobs, chromium=chromium, renderer=renderer)
        doc = Document(title=title, footer=title)
        for i, job in enumerate(jobs):
            doc.add(*([PageBreak()] if i else []), Chart(f"del {i + 1}", parts[i], png=job.path))
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_pdf(doc, path)
