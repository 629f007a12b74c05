"""Rendering plotly figures to PNG, SVG and PDF with kaleido (v1) and the system Chromium.

One browser start costs seconds; rendering a figure in an open browser a fraction of a second. So
everything here renders in batches: :func:`render_batch` opens one :class:`kaleido.Kaleido` browser
for a list of :class:`RenderJob`, and :class:`Renderer` keeps a browser open across calls (the
dashboard's export buttons use :func:`shared_renderer`). Rendering needs no internet: plotly.js comes
from the plotly package and MathJax is switched off.

The export browser cannot reach the network: its page carries a Content-Security-Policy that allows
only the local script files and ``data:``/``blob:`` URLs (no image, font, style sheet or request from
any host, loopback included), and Chromium is started with a proxy that does not exist, so anything
the policy missed fails too. A figure naming an image URL renders without it.

Examples
--------
>>> RenderJob.for_size(go.Figure(), "/tmp/x.png", "png", width_cm=16, dpi=300).pixel_width
1890
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import struct
import tempfile
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from lagesbild.errors import SettingsError

FORMATS = ("png", "svg", "pdf")
CSS_DPI = 96  # plotly lays out in CSS pixels: 96 per inch
DEFAULT_ASPECT = 0.62  # height / width when a figure sets no height
MIN_PLOT_PX = 160  # CSS px of plot area an export keeps when its margins leave less at that aspect
RENDER_TIMEOUT = 120  # seconds for one figure
TABS = 2  # browser tabs rendering side by side (the machines have few cores)
CHROMIUM_MISSING = ("Chromium hittades inte på {path!r}, så diagram kan inte sparas som bild. "
                    "Installera chromium eller ange sökvägen i LAGESBILD_CHROMIUM.")
RENDER_FAILED = "Diagrammet {name!r} kunde inte renderas: {reason}"
START_TIMEOUT = 90  # seconds for Chromium to start and open its tabs (a few on a busy machine)
NO_ANSWER = ("Chromium ({path}) startade men svarade inte inom {seconds} sekunder, så diagram kan inte "
             "sparas som bild. Kontrollera att LAGESBILD_CHROMIUM anger en fungerande Chromium.")


def _reason(exc: Exception) -> str:
    """Why a render failed, in Swedish when the system said it (a folder that cannot be written: the C
    library's English "[Errno 2] No such file or directory" was the CLI's message)."""
    from lagesbild.errors import OS_REASONS

    if isinstance(exc, OSError) and exc.errno in OS_REASONS:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{OS_REASONS[exc.errno]}{where}"
    return str(exc)
#: the export page's policy: local scripts, inline styles, data:/blob: images and workers, nothing else
OFFLINE_CSP = ("default-src 'none'; script-src file: 'unsafe-inline' 'unsafe-eval'; "
               "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; worker-src blob:; "
               "connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; "
               "form-action 'none'")
DEAD_PROXY = "http://127.0.0.1:9"  # the discard port: nothing answers, every proxied request fails
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


log = logging.getLogger("lagesbild.export.render")


class RenderError(SettingsError):
    """Rendering failed (missing browser or a figure the browser could not draw); Swedish text."""


def css_width(width_cm: float) -> int:
    """Layout width in CSS pixels of a figure printed ``width_cm`` wide.

    Examples
    --------
    >>> css_width(16)
    605
    """
    return round(width_cm / 2.54 * CSS_DPI)


def pixel_width(width_cm: float, dpi: int) -> int:
    """PNG width in pixels of ``width_cm`` at ``dpi``.

    Examples
    --------
    >>> pixel_width(16, 300)
    1890
    """
    return round(width_cm / 2.54 * dpi)


@dataclass
class RenderJob:
    """One figure to write: layout size in CSS pixels, and a scale for raster formats."""

    fig: object
    path: Path
    fmt: str
    width: int
    height: int
    scale: float = 1.0
    dpi: int | None = None  # written into a PNG, so a word processor places it at its printed width

    @classmethod
    def for_size(cls, fig, path, fmt: str = "png", *, width_cm: float = 16, dpi: int = 300,
                 height: int | None = None) -> RenderJob:
        """A job sized for a column ``width_cm`` wide; PNG gets ``dpi``, SVG/PDF are vector."""
        if fmt not in FORMATS:
            raise ValueError(f"Okänt bildformat {fmt!r}; välj png, svg eller pdf.")
        width = css_width(width_cm)
        if height is None:
            layout_h = getattr(getattr(fig, "layout", None), "height", None)
            layout_w = getattr(getattr(fig, "layout", None), "width", None)
            height = round(layout_h * width / layout_w) if layout_h and layout_w else (
                layout_h or round(width * DEFAULT_ASPECT))
        # a narrow export keeps room for its plot under its (wrapped) title block, legend, source line
        # and notes, a map's fixed height too (plotly shrinks margins that leave no plot: they overlap)
        margin = getattr(getattr(fig, "layout", None), "margin", None)
        if margin is not None:
            height = max(height, (margin.t or 0) + (margin.b or 0) + MIN_PLOT_PX)
        # a quarter pixel over: the browser truncates width × scale, and 605 × (1890/605) may not
        # come out as 1890.0 exactly
        scale = (pixel_width(width_cm, dpi) + 0.25) / width if fmt == "png" else 1.0
        return cls(fig, Path(path), fmt, width, int(height), scale, dpi if fmt == "png" else None)

    @property
    def pixel_width(self) -> int:
        """Width of the written image in pixels (CSS pixels for vector formats)."""
        return int(self.width * self.scale)

    def spec(self) -> dict:
        """The dict kaleido's ``write_fig_from_object`` takes."""
        opts = {"format": self.fmt, "width": self.width, "height": self.height, "scale": self.scale}
        from lagesbild.figures.figdict import inert_links

        fig = self.fig.to_dict() if isinstance(self.fig, go.Figure) else self.fig
        return {"fig": inert_links(fig), "path": str(self.path), "opts": opts}  # no links from names


def set_png_dpi(path, dpi: float) -> None:
    """Write ``dpi`` into a PNG's ``pHYs`` chunk (after ``IHDR``, replacing any), without decoding it.

    Chromium writes no resolution, and Word and LibreOffice then take a PNG for 96 dpi: a chart made
    1890 pixels wide for a 16 cm column at 300 dpi would arrive 50 cm wide.

    Examples
    --------
    >>> import PIL.Image, tempfile
    >>> path = Path(tempfile.mkdtemp()) / "a.png"
    >>> PIL.Image.new("RGB", (4, 2)).save(path)
    >>> set_png_dpi(path, 300)
    >>> [round(d) for d in PIL.Image.open(path).info["dpi"]]
    [300, 300]
    """
    data = Path(path).read_bytes()
    if data[:8] != PNG_SIGNATURE:
        return
    ppm = round(dpi / 0.0254)  # pixels per metre
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    phys = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    out, pos = [data[:8]], 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, end = data[pos + 4:pos + 8], pos + 12 + length
        if kind != b"pHYs":
            out.append(data[pos:end])
        if kind == b"IHDR":
            out.append(phys)
        pos = end
    Path(path).write_bytes(b"".join(out))


def offline_page():
    """Kaleido's page generator (local plotly.js, no MathJax) with :data:`OFFLINE_CSP` in the page.

    Examples
    --------
    >>> "Content-Security-Policy" in offline_page().generate_index()
    True
    """
    from kaleido import PageGenerator

    class OfflinePage(PageGenerator):
        header = PageGenerator.header.replace(
            "<head>", f'<head>\n        <meta http-equiv="Content-Security-Policy" content="{OFFLINE_CSP}">',
            1)

    return OfflinePage(mathjax=False)


def _check_browser(chromium: str | None) -> str:
    path = chromium or os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        raise RenderError(CHROMIUM_MISSING.format(path=path))
    os.environ.setdefault("BROWSER_PATH", path)
    return path


async def _abandon(k, opening) -> None:
    """Stop a browser that did not finish starting: its start cancelled, its process killed, its
    folders removed."""
    from choreographer.utils._kill import kill

    opening.cancel()
    await asyncio.gather(opening, return_exceptions=True)
    proc = getattr(k, "subprocess", None)
    if proc is not None and proc.poll() is None:
        kill(proc)
    try:
        await asyncio.wait_for(k.close(), 10)
    except Exception:  # half-open: what close() could not do, the folder removal below does
        log.debug("closing a browser that did not start", exc_info=True)
    impl = getattr(k, "_browser_impl", None)
    if impl is not None:
        impl.clean()


class Renderer:
    """A Chromium kept open in a background event loop; render many batches with one start.

    Use as a context manager, or call :meth:`close`. Thread-safe: batches from several threads are
    queued on the one loop.

    Parameters
    ----------
    chromium : str, optional
        Browser binary (the ``chromium`` setting); default ``BROWSER_PATH`` or ``/usr/bin/chromium``.
    tabs : int
        Tabs rendering in parallel.
    """

    def __init__(self, chromium: str | None = None, *, tabs: int = TABS):
        self.chromium = _check_browser(chromium)
        self.tabs = tabs
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="lagesbild-kaleido")
        self._thread.start()
        self._kaleido = None
        self._lock = threading.Lock()
        self._pid = os.getpid()  # the process whose thread runs the loop and owns the browser

    async def _open(self):
        import kaleido

        from lagesbild.export.browser_tmp import ShortTmpChromium

        if self._kaleido is None:  # a short TMPDIR of its own: a long one stops Chromium (browser_tmp)
            k = kaleido.Kaleido(n=self.tabs, path=self.chromium, page_generator=offline_page(),
                                timeout=RENDER_TIMEOUT, proxy_server=DEAD_PROXY,
                                browser_cls=ShortTmpChromium)
            opening = asyncio.ensure_future(k.open())
            try:  # a LAGESBILD_CHROMIUM that starts but is no browser (chromedriver) never answers
                done, _ = await asyncio.wait({opening}, timeout=START_TIMEOUT)
            except BaseException:
                done = set()
            if not done or opening.exception() is not None:
                await _abandon(k, opening)
                if not done:
                    raise RenderError(NO_ANSWER.format(path=self.chromium, seconds=START_TIMEOUT))
                opening.result()  # Chromium exited as it started: its error, as before
            self._kaleido = k
        return self._kaleido

    async def _render(self, jobs, progress):
        k = await self._open()
        done = 0

        async def one(job):
            nonlocal done
            job.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                await k.write_fig_from_object(job.spec(), cancel_on_error=True)
            except Exception as exc:
                raise RenderError(RENDER_FAILED.format(name=job.path.name, reason=_reason(exc))) from exc
            if job.dpi:
                set_png_dpi(job.path, job.dpi)
            done += 1
            if progress:
                progress(done, len(jobs), job)

        await asyncio.gather(*(one(j) for j in jobs))

    async def _close(self):
        if self._kaleido is not None:
            k, self._kaleido = self._kaleido, None
            await k.close()

    def render(self, jobs, progress=None) -> list[Path]:
        """Write every job's file; ``progress(done, total, job)`` is called after each one.

        Returns the written paths in job order.
        """
        jobs = list(jobs)
        if not jobs:
            return []
        with self._lock:
            fut = asyncio.run_coroutine_threadsafe(self._render(jobs, progress), self._loop)
            try:
                fut.result()
            except RenderError:
                self._restart()
                raise
        return [j.path for j in jobs]

    def warm(self) -> None:
        """Start the browser and draw a small figure in every tab, so that the first real export
        does not wait for Chromium and plotly.js to start (seconds)."""
        with tempfile.TemporaryDirectory(prefix="lagesbild-warm-") as tmp:
            self.render([RenderJob(go.Figure(), Path(tmp) / f"warm-{i}.png", "png", 80, 60)
                         for i in range(self.tabs)])

    def _restart(self):
        try:
            asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=30)
        except Exception:
            self._kaleido = None

    def close(self) -> None:
        """Close the browser and stop the loop. In a forked child (a ``gunicorn --preload`` worker,
        which inherits the parent's exit hook but not its loop's thread) there is nothing to close:
        the browser is the parent's, and waiting for the loop would only time out."""
        if os.getpid() != self._pid or not self._loop.is_running():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=30)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def render_batch(jobs, *, chromium: str | None = None, progress=None, renderer: Renderer | None = None):
    """Render every job with one browser start (or in ``renderer`` when given)."""
    if renderer is not None:
        return renderer.render(jobs, progress)
    with Renderer(chromium) as r:
        return r.render(jobs, progress)


_SHARED: dict = {}
_SHARED_LOCK = threading.Lock()


def _forget_shared_in_child() -> None:
    """A forked process (``gunicorn --preload`` workers) has none of its parent's threads, so the
    parent's renderer loop does not run there: the child starts its own renderer on first use."""
    global _SHARED_LOCK
    _SHARED.clear()
    _SHARED_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_forget_shared_in_child)


def warm_shared_renderer(chromium: str | None = None) -> threading.Thread:
    """Start (:meth:`Renderer.warm`) the process's :func:`shared_renderer` in a background thread.

    The serving entry points (``app.py``, ``lagesbild.web.wsgi``) call this when the app starts, so
    a chart export right after the start takes about as long as any later one; each process (gunicorn
    worker) keeps one browser. A failure (no Chromium) is logged and left to the export to report.
    """
    def run():
        try:
            shared_renderer(chromium).warm()
        except Exception as exc:  # the export itself gives the Swedish message
            log.info("Exportens webbläsare kunde inte startas i förväg: %s", exc)

    thread = threading.Thread(target=run, daemon=True, name="lagesbild-kaleido-warm")
    thread.start()
    return thread


def shared_renderer(chromium: str | None = None) -> Renderer:
    """A process-wide :class:`Renderer` started on first use and closed at exit (for the web app)."""
    with _SHARED_LOCK:
        key = chromium or ""
        if key not in _SHARED:
            _SHARED[key] = Renderer(chromium)
            atexit.register(_SHARED[key].close)
        return _SHARED[key]
