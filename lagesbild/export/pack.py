"""The meeting pack (mötespaket): a DOCX, the same as a PDF, and a ZIP of every chart and its numbers.

:func:`build_pack` builds one content model (:mod:`lagesbild.export.content`) for the cover, each
place and the methods section, renders every chart in **one** kaleido batch (PNG for the documents and
the ZIP, SVG for the ZIP), then draws the model twice (DOCX, PDF) and writes the ZIP:

``diagram/<name>.png|svg`` · ``data/<name>.csv|xlsx`` (the numbers behind each chart and table) ·
``LÄSMIG.txt``.

Progress is reported through ``progress(done, total, message)``.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lagesbild import clock
from lagesbild.analysis.pack import require_data_in
from lagesbild.export.content import Chart, Document, Table
from lagesbild.export.data import ExportData, ExportError, parse_periods
from lagesbild.export.docx_writer import write_docx
from lagesbild.export.figure import export_jobs, figure_labels, prepare_figure
from lagesbild.export.methods import methods_section
from lagesbild.export.pdf_writer import write_pdf
from lagesbild.export.render import render_batch
from lagesbild.export.safety import MAX_NAME_CHARS, safe_filename
from lagesbild.export.sections import MAP_LEFT_OUT, cover, place_section
from lagesbild.export.tables import write_csv, write_xlsx
from lagesbild.figures.format import fmt_date, fmt_periods
from lagesbild.figures.markup import literal
from lagesbild.figures.style import source_line

log = logging.getLogger(__name__)

IMAGE_FORMATS = ("png", "svg")
STEPS_PER_PLACE = 4  # progress steps while a place's section is computed
README = """Mötespaket: {meeting} {date}

diagram/  varje diagram som PNG (16 cm, 300 dpi, för Word) och SVG (skalbar)
data/     siffrorna bakom varje diagram och tabell som CSV (semikolon, UTF-8, decimalkomma; källa och
          anmärkningar på rader som börjar med #) och XLSX (källa och anmärkningar under tabellen)

{source}
Platser: {places}
Perioder: {periods}
{extra}"""


@dataclass
class PackResult:
    """The files of a meeting pack and what they hold."""

    docx: Path
    pdf: Path
    zip: Path
    charts: int = 0
    tables: int = 0
    suppressed: bool = False


class _Progress:
    def __init__(self, callback, total: int):
        self.callback, self.total, self.done = callback, total, 0

    def step(self, message: str, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        if self.callback:
            self.callback(self.done, self.total, message)


def _unique(names: list[str]) -> list[str]:
    seen, out = {}, []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def build_document(data: ExportData, places: list[dict], periods, *, meeting: str, date,
                   step=None, with_map: bool = True) -> Document:
    """The content model of the pack (charts not yet rendered); ``with_map`` see :func:`build_pack`."""
    footer = f"Lägesbild · {meeting} {fmt_date(date)}" + (" · FIKTIVA DEMODATA" if data.demo else "")
    doc = Document(title=f"Lägesbild – {meeting}", subtitle=", ".join(p["name"] for p in places),
                   footer=footer)
    doc.extend(cover(data, places, periods, meeting=meeting, date=date))
    for place in places:
        doc.extend(place_section(data, place, periods, step=step, with_map=with_map))
    doc.extend(methods_section(data, periods))
    return doc


def prepare_charts(charts: list[Chart], folder: Path) -> list:
    """Give charts unique names, move their notes into the image, and return their render jobs."""
    jobs = []
    for chart, name in zip(charts, _unique([c.name for c in charts]), strict=False):
        chart.name = name
        chart.fig = prepare_figure(chart.fig, note="<br>".join(chart.notes) or None)
        chart.notes = []  # now printed inside the image
        chart_jobs = export_jobs(chart.fig, folder / name, IMAGE_FORMATS, height=chart.height)
        chart.png, chart.svg = (j.path for j in chart_jobs)
        jobs += chart_jobs
    return jobs


def write_data_files(doc: Document, work: Path, *, source: str) -> list[tuple[Path, str]]:
    """CSV and XLSX of every chart's and table's numbers in ``work/data``; their paths with their names
    in the ZIP. They need no image, so :func:`build_pack` writes them while the browser renders."""
    data_dir = work / "data"
    data_dir.mkdir(exist_ok=True)
    items = [b for b in doc.blocks if isinstance(b, (Chart, Table)) and b.data is not None]
    files = []
    for block, name in zip(items, _unique([b.name for b in items]), strict=False):
        notes = [_data_source(block, source)] + list(getattr(block, "notes", []) or [])
        files.append(write_csv(block.data, data_dir / f"{name}.csv", notes=notes))
        files.append(write_xlsx({name: block.data}, data_dir / f"{name}.xlsx", notes={name: notes}))
    return [(f, f"data/{f.name}") for f in files]


def _data_source(block, default: str) -> str:
    """The source line of a block's data file: its chart's own (the survey's numbers said "Källa:
    Polisen, anmälda brott" above "Trygghetsmätning; bearbetning …" on the chart, desk9), else
    ``default``."""
    fig = getattr(block, "fig", None)
    try:
        text = figure_labels(fig)["source_line"] if fig is not None else None
    except (AttributeError, TypeError, ValueError):  # not a plotly figure
        text = None
    return " ".join(literal(text.replace("<br>", " ")).split()) if text else default


def readme_text(*, meeting: str, date, source: str, places: list[dict], periods, demo: bool,
                with_map: bool = True) -> str:
    """The ZIP's ``LÄSMIG.txt``: what its folders hold, the source, places and periods, in Swedish
    with the meeting's date as the cover writes it ("5 dec 2026"; it was "2026-12-05").

    >>> import datetime as dt
    >>> readme_text(meeting="Beredningsgrupp", date=dt.date(2026, 12, 5), source="Källa: Polisen",
    ...             places=[{"name": "Vårberg"}], periods=[], demo=False).splitlines()[0]
    'Mötespaket: Beredningsgrupp 5 dec 2026'
    """
    extra = "FIKTIVA DEMODATA – siffrorna är påhittade.\n" if demo else ""
    extra += "" if with_map else MAP_LEFT_OUT + "\n"
    return README.format(meeting=meeting, date=fmt_date(date), source=source,
                         places=", ".join(p["name"] for p in places),
                         periods=fmt_periods([p.label for p in periods]) if periods else "–", extra=extra)


def write_zip(doc: Document, path: Path, data_files: list[tuple[Path, str]], *, readme: str) -> Path:
    """The ZIP: chart images, the numbers' files (:func:`write_data_files`), a read-me."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("LÄSMIG.txt", readme)
        for chart in doc.charts():
            zf.write(chart.png, f"diagram/{chart.png.name}", compress_type=zipfile.ZIP_STORED)
            zf.write(chart.svg, f"diagram/{chart.svg.name}")
        for file, name in data_files:  # XLSX is a ZIP already
            zf.write(file, name, compress_type=zipfile.ZIP_STORED if file.suffix == ".xlsx" else None)
    return path


def pack_stem(meeting: str, date) -> str:
    """The pack's file name without extension: the meeting cut to fit, the date always at the end (a
    long meeting name cut the date off, so the packs of two meetings had one name).

    >>> import datetime as dt
    >>> pack_stem("Beredningsgrupp", dt.date(2023, 10, 5))
    'Mötespaket Beredningsgrupp 2023-10-05'
    >>> pack_stem("Beredningsgrupp Skärholmen " * 15, dt.date(2023, 10, 5))[-11:]
    ' 2023-10-05'
    """
    day = f" {date.isoformat()}"
    return safe_filename(f"Mötespaket {meeting}", max_chars=MAX_NAME_CHARS - len(day)) + day


def _publish(files, out: Path) -> list[Path]:
    """Move the finished files into ``out`` (a folder in the way of one is refused before any moves).

    Each file is moved to a hidden ``.NAME.part`` beside its place and then renamed onto it
    (:func:`os.replace`, atomic on one file system): ``shutil.move`` copies across file systems (a
    temporary folder on another disk), and a copy cut short left a half-written pack under its real
    name. A part left by an error is removed."""
    for f in files:
        if (out / f.name).is_dir():
            raise IsADirectoryError(errno.EISDIR, "det är en mapp", str(out / f.name))
    done = []
    for f in files:
        part, final = out / f".{f.name}.part", out / f.name
        try:
            shutil.move(f, part)
            os.replace(part, final)
        finally:
            part.unlink(missing_ok=True)
        done.append(final)
    return done


def build_pack(store, settings, *, places, periods, out_dir, meeting: str = "Beredningsgrupp",
               date=None, external: bool = False, suppress: bool | None = None, progress=None,
               renderer=None, with_map: bool = True) -> PackResult:
    """Build the meeting pack for some places and periods.

    Parameters
    ----------
    store : Store
    settings : Settings
        ``organisation`` (source lines), ``alpha``, ``cell_size``, ``suppress_below``, ``chromium``.
    places : sequence of str
        Place ids or names.
    periods : sequence of str or Period
        At least two; compared in order (e.g. ``["2021–2022", "2022–2023"]``).
    out_dir : path-like
        Folder for the three files (created).
    meeting : str
        Name of the meeting on the cover and in the file names.
    date : date, optional
        Meeting date (default today).
    external : bool
        The pack leaves the organisation: counts below ``suppress_below`` in sensitive categories
        are hidden.
    suppress : bool, optional
        Hide small counts (True) or show them (False) regardless of ``external``.
    progress : callable, optional
        ``progress(done, total, message)``.
    renderer : Renderer, optional
        An open :class:`~lagesbild.export.render.Renderer` (else one browser is started).
    with_map : bool
        Include each place's hot spot map (incident-level data) with its image and numbers. The caller
        decides from the user's role: the web app passes False below the role analytiker; the pack
        then says the map is left out and why.

    Returns
    -------
    PackResult

    Raises
    ------
    ExportError
        Unknown place, bad period, fewer than two periods or no crime data (Swedish message).
    """
    log.info("meeting pack %r for %s, periods %s, external=%s, map=%s started", meeting, list(places),
             [str(p) for p in periods], external, with_map)
    data = ExportData(store, settings, external=external, suppress=suppress)
    data.require_crime_data()
    periods = parse_periods(periods)
    if len(periods) < 2:
        raise ExportError("Mötespaketet jämför perioder: ange minst två, t.ex. 2021–2022 2022–2023.")
    try:
        require_data_in(store, periods)
    except ValueError as err:
        raise ExportError(str(err)) from None
    # one section per place however it was written (varberg, Vårberg, VARBERG are one place)
    place_rows = list({row["place_id"]: row for row in (data.place(p) for p in places)}.values())
    if not place_rows:
        raise ExportError("Ange minst en plats.")
    data.scope(place_rows)  # "data t.o.m." of these places, not of the whole store
    date = date or clock.today()
    n_charts_guess = 5 * len(place_rows)
    bar = _Progress(progress, STEPS_PER_PLACE * len(place_rows) + 2 * n_charts_guess + 3)
    doc = build_document(data, place_rows, periods, meeting=meeting, date=date, step=bar.step,
                         with_map=with_map)
    suppressed = any(n.startswith("– = ") for b in doc.charts() + doc.tables() for n in b.notes)
    stem = pack_stem(meeting, date)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lagesbild-pack-") as tmp:
        work = Path(tmp)
        src = source_line(data.context)
        jobs = prepare_charts(doc.charts(), work / "diagram")  # names the charts: before the data files
        with ThreadPoolExecutor(1, thread_name_prefix="pack") as pool:
            data_files = pool.submit(write_data_files, doc, work, source=src)  # while the browser renders
            render_batch(jobs, chromium=settings.chromium, renderer=renderer,
                         progress=lambda d, n, job: bar.step(f"diagram {d} av {n}"))
            data_files = data_files.result()
            bar.total = bar.done + 3
            bar.step("Word-dokument")
            ready = work / "klart"  # the three files go to out_dir together, once all are written
            ready.mkdir()
            pdf = pool.submit(write_pdf, doc, ready / f"{stem}.pdf")  # its image compression frees the GIL
            docx = write_docx(doc, ready / f"{stem}.docx")
            bar.step("PDF")
            pdf = pdf.result()
        readme = readme_text(meeting=meeting, date=date, source=src, places=place_rows, periods=periods,
                             demo=data.demo, with_map=with_map)
        zpath = write_zip(doc, ready / f"{stem}.zip", data_files, readme=readme)
        docx, pdf, zpath = _publish((docx, pdf, zpath), out)
        bar.step("ZIP")
    log.info("meeting pack written: %s (%d charts, %d tables, suppressed=%s)", zpath, len(jobs) //
             len(IMAGE_FORMATS), len(doc.tables()), suppressed)
    return PackResult(docx, pdf, zpath, charts=len(jobs) // len(IMAGE_FORMATS),
                      tables=len(doc.tables()), suppressed=suppressed)
