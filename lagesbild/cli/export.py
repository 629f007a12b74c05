"""Export commands: ``pack`` (the meeting pack) and ``chart`` (one chart as PNG, SVG or PDF)."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from lagesbild.analysis.categories import resolve_category
from lagesbild.cli import UserError, on_interrupt, settings_and_store
from lagesbild.cli.values import distinct_periods, number_range, period_words, swedish_choice
from lagesbild.export.sizes import DPI, WIDTH_CM

CHART_KINDS = ("trend", "months", "survey", "map", "share")
#: the charts as the help names them (Swedish) -> their ids (English ids are accepted too)
CHART_NAMES = {"trend": "trend", "månad": "months", "trygghet": "survey", "karta": "map", "andel": "share"}
FORMATS = ("png", "svg", "pdf")
DEFAULT_PERIODS = 2  # latest Sep–Aug years when --periods is left out


def register(sub) -> None:
    """Add the export commands to the parser."""
    p = sub.add_parser(
        "pack", help="skapa mötespaket (Word, PDF och ZIP med diagram och siffror)",
        description="Skapa mötespaketet för en beredningsgrupp: ett Word-dokument, samma sak som PDF "
                    "och en ZIP med alla diagram (PNG, SVG) och siffrorna bakom dem (CSV, XLSX).")
    p.add_argument("--places", nargs="+", required=True, metavar="PLATS",
                   help="platsernas id eller namn, t.ex. hasselby-torg varberg")
    p.add_argument("--periods", nargs="+", metavar="PERIOD",
                   help="perioder att jämföra, t.ex. 2021–2022 2022–2023 (standard: de två senaste "
                        "september–augusti-åren)")
    p.add_argument("--out", required=True, metavar="MAPP", help="mapp för filerna")
    p.add_argument("--meeting", default="Beredningsgrupp", metavar="MÖTE", help="mötets namn")
    p.add_argument("--date", metavar="ÅÅÅÅ-MM-DD", help="mötesdatum (standard: i dag)")
    p.add_argument("--external", action="store_true",
                   help="extern version: dölj små antal i känsliga kategorier")
    p.add_argument("--suppress", action="store_true",
                   help="dölj små antal i känsliga kategorier även i en intern version")
    p.add_argument("--no-progress", action="store_true", help="ingen förloppsindikator")
    p.set_defaults(run=run_pack)

    c = sub.add_parser("chart", help="spara ett diagram som PNG, SVG eller PDF",
                       description="Spara ett diagram med titel, plats, period och källrad i bilden. "
                                   "PNG är 16 cm bred i 300 dpi (för en Word-spalt).")
    c.add_argument("--chart", required=True, type=swedish_choice(CHART_NAMES),
                   metavar="{" + ",".join(CHART_NAMES) + "}",
                   help="trend (per år) | månad (per månad) | trygghet | karta (heta punkter) | "
                        "andel (andel av stadsdelsområde och stad)")
    c.add_argument("--place", required=True, metavar="PLATS", help="platsens id eller namn")
    c.add_argument("--periods", nargs="+", metavar="PERIOD", help="perioder, t.ex. 2021–2022 2022–2023")
    c.add_argument("--category", metavar="KATEGORI", help="bara denna brottskategori (id eller namn)")
    c.add_argument("--format", choices=FORMATS, help="bildformat (standard: filändelsen, annars png)")
    c.add_argument("--out", required=True, metavar="FIL", help="fil eller mapp att spara i")
    c.add_argument("--width-cm", type=number_range(float, *WIDTH_CM, "ett tal från {:g} till {:g}".format(*WIDTH_CM)),
                   default=16.0, help="bredd i cm, {:g}–{:g} (standard 16)".format(*WIDTH_CM))
    c.add_argument("--dpi", type=number_range(int, *DPI, "ett heltal från {} till {}".format(*DPI)), default=300,
                   help="upplösning för PNG, {}–{} (standard 300)".format(*DPI))
    c.add_argument("--external", "--suppress", action="store_true", dest="external",
                   help="dölj små antal i känsliga kategorier")
    c.set_defaults(run=run_chart)


def _periods(data, texts, places=None):
    """The periods asked for, or the default of these places (:func:`default_periods`)."""
    from lagesbild.analysis.pack import default_periods
    from lagesbild.export.data import parse_periods

    if texts:
        try:
            return distinct_periods(parse_periods(period_words(texts)))
        except ValueError as exc:  # a period given twice
            raise UserError(str(exc)) from None
    data.require_crime_data()
    return default_periods(data.store, DEFAULT_PERIODS, places)


def _date(text):
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--date {text!r} är inte ett datum; skriv t.ex. 2023-10-05.") from None


def run_pack(args) -> int:
    """``pack``: build the meeting pack and print where its files are."""
    settings, store = settings_and_store(args)
    _writable_folder(args.out)  # before anything is drawn (a bad folder failed at 24 %)
    # the pack's working files in a folder of this command's own, removed on the way out also when a
    # signal cut the pack's own clean-up short (it left 1,6 MB of charts in /tmp)
    scratch = Path(tempfile.mkdtemp(prefix="lagesbild-"))  # short: Chromium starts in it
    on_interrupt(args, partial(pack_interrupted, Path(args.out), pack_files(args), time.time(), scratch))
    previous, tempfile.tempdir = tempfile.tempdir, str(scratch)
    try:
        return _run_pack(args, settings, store)
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(scratch, ignore_errors=True)


def _run_pack(args, settings, store) -> int:
    from tqdm import tqdm

    from lagesbild.export.data import ExportData, ExportError
    from lagesbild.export.pack import build_pack

    bars = []  # the bar starts with the first step, so a refused request prints only its message

    def progress(done, total, message):
        if not bars:
            bars.append(tqdm(total=total, unit="steg", file=sys.stderr, disable=args.no_progress,
                             bar_format="Mötespaket {percentage:3.0f}%|{bar:20}| {n_fmt}/{total_fmt} "
                                        "{desc}"))
        bar = bars[0]
        bar.total = total
        bar.set_description_str(message, refresh=False)
        bar.update(done - bar.n)

    try:
        periods = _periods(ExportData(store, settings), args.periods, args.places)
        result = build_pack(store, settings, places=args.places, periods=periods, out_dir=args.out,
                            meeting=args.meeting, date=_date(args.date), external=args.external,
                            suppress=True if args.suppress else None, progress=progress)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    finally:
        for bar in bars:
            bar.close()
    print(f"Mötespaketet är klart ({result.charts} diagram, {result.tables} tabeller):")
    print(f"  Word: {result.docx}")
    print(f"  PDF:  {result.pdf}")
    print(f"  ZIP:  {result.zip}")
    if result.suppressed:
        print("Små antal i känsliga kategorier visas som –.")
    return 0


def pack_files(args) -> list[str]:
    """The names of the pack's three files, as :func:`~lagesbild.export.pack.build_pack` names them."""
    from lagesbild import clock
    from lagesbild.export.pack import pack_stem

    stem = pack_stem(args.meeting, _date(args.date) or clock.today())
    return [f"{stem}.{ext}" for ext in ("docx", "pdf", "zip")]


def pack_interrupted(out: Path, names: list[str], started: float, scratch: Path) -> str:
    """What an interrupted ``pack`` left in its folder. The files are written elsewhere and moved in
    together at the end; a signal while they are moved (copied, from another disk) left some of them,
    one perhaps cut short: those written by this run are removed, so a pack is there whole or not."""
    shutil.rmtree(scratch, ignore_errors=True)  # again: the signal may have cut the first try short
    written = [out / n for n in names if (out / n).is_file() and (out / n).stat().st_mtime >= started - 1]
    if len(written) == len(names):
        return f"mötespaketet hann bli klart ({out})."
    for f in written:
        f.unlink(missing_ok=True)
    return "inget mötespaket skrevs" + (" (de halvfärdiga filerna togs bort)." if written else ".")


def _writable_folder(out: str) -> None:
    """Create the pack's folder before anything is drawn (a bad folder failed at 24 %); an OSError
    (a file in the way, no permission) reaches the command's Swedish message naming the path."""
    import errno
    import os

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK):
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))


def _chart_path(out: str, name: str, fmt: str | None) -> tuple[Path, str]:
    """The file to write and its format: ``--out`` a folder (the chart's name in it), a file with a
    known ending, or a name without one (the format's ending added). Another ending is refused
    (``c.docx`` was written as ``c.docx.png``), as is an ending that contradicts ``--format``.

    Examples
    --------
    >>> _chart_path("diagram", "x", None), _chart_path("d.SVG", "x", None)
    ((PosixPath('diagram.png'), 'png'), (PosixPath('d.SVG'), 'svg'))
    >>> _chart_path("c.docx", "x", None)
    Traceback (most recent call last):
    ...
    lagesbild.cli.UserError: --out c.docx: ett diagram sparas som PNG, SVG eller PDF; ange en fil som slutar på .png, .svg eller .pdf, eller en mapp
    """
    path = Path(out)
    suffix = path.suffix.lower().lstrip(".")
    if path.is_dir() or out.endswith(("/", "\\")):
        fmt = fmt or "png"
        return path / f"{name}.{fmt}", fmt
    if suffix and suffix not in FORMATS:
        raise UserError(f"--out {out}: ett diagram sparas som PNG, SVG eller PDF; ange en fil som slutar på "
                        ".png, .svg eller .pdf, eller en mapp")
    if fmt is not None and suffix and suffix != fmt:
        raise UserError(f"--out {out}: filändelsen .{suffix} stämmer inte med --format {fmt}")
    fmt = fmt or suffix or "png"
    return (path if suffix else path.with_name(path.name + "." + fmt)), fmt


def run_chart(args) -> int:
    """``chart``: write one chart with its labels inside the image."""
    from lagesbild.analysis.pack import require_data_in
    from lagesbild.export.charts import build_chart
    from lagesbild.export.data import ExportData, ExportError
    from lagesbild.export.figure import export_figure

    settings, store = settings_and_store(args)
    try:
        data = ExportData(store, settings, external=args.external)
        periods = _periods(data, args.periods, [args.place])
        try:  # as the pack: 2030–2031 drew an empty chart and said "Sparat"
            require_data_in(store, periods)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        chart = build_chart(data, args.chart, args.place, periods,
                            category=resolve_category(store, args.category))
        path, fmt = _chart_path(args.out, chart.name, args.format)
        print("Ritar diagrammet …", file=sys.stderr)
        export_figure(chart.fig, path, fmt=fmt, width_cm=args.width_cm, dpi=args.dpi,
                      note="<br>".join(chart.notes) or None, height=chart.height,
                      chromium=settings.chromium)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    print(f"Sparat: {path}")
    return 0
