"""End-to-end test support: the real app on a live WSGI server, driven by headless Chromium.

The fixtures here are session-scoped (one server, one browser for every ``test_e2e_*`` module); test
modules import them by name. The app is built by :func:`lagesbild.web.create_app` on a private copy of
the session's demo store and served by werkzeug's threaded WSGI server on a free localhost port in a
background thread. The browser is Debian's Chromium through its chromedriver, headless, with a
1920×1080 viewport (a projector in full screen) and software WebGL for the MapLibre maps; the browser
console is recorded so tests can assert that no page logs an error.

Waiting is always on a condition (:class:`selenium.webdriver.support.ui.WebDriverWait`): Dash's own
callback queue being empty, an element being present, every plotly graph (and map) being drawn.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import JavascriptException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from lagesbild.export.browser_tmp import private_env, short_tmp_root
from lagesbild.ingest import open_store
from lagesbild.settings import ROOT, load_settings

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
VIEWPORT = (1920, 1080)
CHROME_ARGS = ("--headless=new", "--no-sandbox", "--enable-unsafe-swiftshader",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--disable-dev-shm-usage", f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}")
#: console messages that are not errors of the app (software WebGL reporting on itself)
CONSOLE_IGNORED = (re.compile(r"GL Driver Message .*Performance"), re.compile(r"GPU stall due to ReadPixels"),
                   re.compile(r"Automatic fallback to software WebGL"))
TIMEOUT = 60  # seconds; generous because the machine's two cores are shared
POLL = 0.2
#: selenium 4.2 calls a urllib3 method deprecated in urllib3 2 (one warning per driver command)
SELENIUM_WARNINGS = "ignore:HTTPResponse.getheader:DeprecationWarning"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
DEMO_TEXT = "Fiktiva demodata"

# JavaScript conditions, evaluated in the page ------------------------------------------------------
JS_IDLE = """
const s = window.store;
if (!s || !document.getElementById('_pages_content')) { return false; }
const st = s.getState();
if (st.appLifecycle !== 'HYDRATED' || st.isLoading) { return false; }
const queues = Object.assign({}, st.callbacks);
delete queues.stored; delete queues.completed;
if (Object.values(queues).some(q => q && q.length)) { return false; }
return !document.querySelector('[data-dash-is-loading="true"]');
"""
JS_GRAPHS_DRAWN = """
// Rendering has finished: the page's font is loaded, every graph is drawn at the size of its box (no
// resize pending, e.g. after the meeting grid took its height) and every map has loaded and stopped.
if (document.fonts.status !== 'loaded') { return false; }
const holders = Array.from(document.querySelectorAll('.dash-graph'));
return holders.every(h => {
    const gd = h.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd.querySelector('.main-svg')) { return false; }
    const fl = gd._fullLayout;
    if (fl.autosize !== false && (Math.abs(fl.width - gd.clientWidth) > 1
                                  || Math.abs(fl.height - gd.clientHeight) > 1)) { return false; }
    const sub = gd._fullLayout.map && gd._fullLayout.map._subplot;
    if (!sub) { return true; }
    const m = sub.map;
    return !!m && m.loaded() && !m.isMoving() && !!gd.querySelector('canvas');
});
"""
JS_TABLE = """
const root = document.getElementById(arguments[0]);
if (!root) { return null; }
const columns = Array.from(root.querySelectorAll('th[data-dash-column]')).map(th => th.dataset.dashColumn);
const rows = {};
root.querySelectorAll('td[data-dash-column][data-dash-row]').forEach(td => {
    const r = Number(td.dataset.dashRow);
    (rows[r] = rows[r] || {})[td.dataset.dashColumn] = td.innerText.trim();
});
return {columns: columns, rows: Object.keys(rows).map(Number).sort((a, b) => a - b).map(k => rows[k])};
"""
JS_FULLY_VISIBLE = """
// Whether an element is entirely on screen without scrolling: inside the viewport and not cut off by
// any ancestor that clips its content (overflow other than visible).
const el = document.getElementById(arguments[0]);
if (!el) { return {ok: false, why: 'missing'}; }
const r = el.getBoundingClientRect();
const tol = 1;
if (r.height <= 0 || r.width <= 0) { return {ok: false, why: 'empty box'}; }
if (r.top < -tol || r.left < -tol || r.bottom > window.innerHeight + tol
        || r.right > window.innerWidth + tol) {
    return {ok: false, why: 'outside the viewport', rect: [r.top, r.bottom, window.innerHeight]};
}
for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const cs = getComputedStyle(p);
    if (cs.overflowX === 'visible' && cs.overflowY === 'visible') { continue; }
    const q = p.getBoundingClientRect();
    if (r.top < q.top - tol || r.bottom > q.bottom + tol || r.left < q.left - tol
            || r.right > q.right + tol) {
        return {ok: false, why: 'clipped by ' + p.tagName + '.' + p.className,
                rect: [r.top, r.bottom, q.top, q.bottom]};
    }
}
return {ok: true};
"""


JS_READABLE_CONSOLE = """
// Objects passed to console.error reach the driver's log as "Object"; write them out instead.
(() => {
    const original = console.error.bind(console);
    const readable = a => {
        if (a instanceof Error) { return a.stack || String(a); }
        if (a && typeof a === 'object') {
            try { return JSON.stringify(a).slice(0, 2000); } catch (e) { return String(a); }
        }
        return a;
    };
    console.error = (...args) => original(...args.map(readable));
})();
"""


# the server -----------------------------------------------------------------------------------------
class LiveServer:
    """A WSGI app served by werkzeug's threaded server on a free localhost port (background thread).

    Every response with a 5xx status is recorded in :attr:`errors` as ``(method, path, status)``.

    Examples
    --------
    >>> server = LiveServer(lambda env, start: start("200 OK", []) or [b"ok"])
    >>> server.url.startswith("http://127.0.0.1:"), server.errors
    (True, [])
    >>> server.close()
    """

    def __init__(self, wsgi_app):
        self.errors: list[tuple[str, str, int]] = []
        self._server = make_server("127.0.0.1", 0, self._recording(wsgi_app), threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="e2e-wsgi", daemon=True)
        self._thread.start()

    def _recording(self, wsgi_app):
        def app(environ, start_response):
            def start(status, headers, exc_info=None):
                code = int(status.split()[0])
                if code >= 500:
                    self.errors.append((environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), code))
                return start_response(status, headers, exc_info)
            return wsgi_app(environ, start)
        return app

    def close(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


# the browser ----------------------------------------------------------------------------------------
def make_driver() -> webdriver.Chrome:
    """Headless Chromium with a 1920×1080 viewport and the browser console recorded."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # a TMPDIR of its own on a short path: under a long one (over ~70 characters) Chromium's socket
    # path is too long and it exits at once ("session not created"); removed when the driver quits
    tmp = tempfile.mkdtemp(prefix="lagesbild-chromedriver-", dir=short_tmp_root())
    try:
        env = {**os.environ, **private_env(tmp)}  # not into HOME
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER, env=env), options=options)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    quit_driver = driver.quit

    def quit_and_clean():
        try:
            quit_driver()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    driver.quit = quit_and_clean
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1, "mobile": False})
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": JS_READABLE_CONSOLE})
    driver.set_script_timeout(30)
    return driver


class Browser:
    """The driver plus the server's address, with waits and readers for the dashboard's pages."""

    def __init__(self, driver, base_url: str, server: LiveServer | None = None):
        self.driver, self.base_url, self.server = driver, base_url, server
        self._errors_seen = 0

    # navigation and waiting
    def wait(self, condition, message: str, timeout: float = TIMEOUT):
        """Wait until ``condition(driver)`` is truthy; return its value."""
        return WebDriverWait(self.driver, timeout, poll_frequency=POLL,
                             ignored_exceptions=(StaleElementReferenceException, JavascriptException)
                             ).until(condition, message)

    def open(self, path: str, ready: str | None = None) -> None:
        """Load ``path`` and wait until Dash is idle and ``ready`` (a CSS selector) is present."""
        self.console()  # drop what earlier pages logged
        self._errors_seen = len(self.server.errors) if self.server else 0
        self.driver.get(self.base_url + path)
        self.settle(ready)

    def settle(self, ready: str | None = None) -> None:
        """Wait until ``ready`` is present, no callback is queued or running and the graphs are drawn."""
        if ready:
            self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, ready), f"{ready} visas inte")
        self.wait(lambda d: d.execute_script(JS_IDLE), "Dash blir inte klar med sina callbacks")
        self.wait(lambda d: d.execute_script(JS_GRAPHS_DRAWN), "diagrammen ritas inte")

    def location(self) -> tuple[str, str]:
        """The current path and query string (``?...`` or empty)."""
        return tuple(self.driver.execute_script(
            "return [window.location.pathname, window.location.search]"))

    def wait_location(self, path: str, search: str | None = None) -> None:
        """Wait until the address bar shows ``path`` (and ``search``, when given)."""
        self.wait(lambda d: self.location()[0] == path and (search is None or self.location()[1] == search),
                  f"adressen blir inte {path}{search or ''} (är {self.location()})")

    # the console
    def console(self) -> list[dict]:
        """Browser console entries since the last call."""
        return self.driver.get_log("browser")

    def console_errors(self) -> list[str]:
        """SEVERE console entries since the last call, leaving out known WebGL notices."""
        return [e["message"] for e in self.console() if e["level"] == "SEVERE"
                and not any(p.search(e["message"]) for p in CONSOLE_IGNORED)]

    def server_errors(self) -> list[tuple[str, str, int]]:
        """Requests answered with a 5xx status since the last :meth:`open`."""
        return self.server.errors[self._errors_seen:] if self.server else []

    # reading the page
    def text(self, element_id: str) -> str:
        return self.driver.find_element(By.ID, element_id).text

    def dropdown_labels(self, element_id: str) -> list[str]:
        """The labels of the values selected in a ``dcc.Dropdown``."""
        items = self.driver.find_elements(By.CSS_SELECTOR, f"#{element_id} .Select-value-label")
        return [i.text.replace("\u00a0", " ").strip() for i in items]

    def table(self, element_id: str) -> dict:
        """A ``DataTable`` as ``{"columns": [...], "rows": [{column: text}, ...]}`` (the visible page)."""
        return self.driver.execute_script(JS_TABLE, element_id)

    def fully_visible(self, element_id: str) -> dict:
        """``{"ok": bool, "why": ...}``: whether the element is on screen entirely without scrolling."""
        return self.driver.execute_script(JS_FULLY_VISIBLE, element_id)

    # acting
    def choose(self, element_id: str, label: str) -> None:
        """Pick the option of a ``dcc.Dropdown`` whose label starts with ``label`` (typed to filter)."""
        self.driver.find_element(By.CSS_SELECTOR, f"#{element_id} .Select-control").click()
        self.driver.find_element(By.CSS_SELECTOR, f"#{element_id} input").send_keys(label)
        xpath = (f"//*[@id='{element_id}']//*[contains(@class, 'VirtualizedSelectOption')]"
                 f"[starts-with(normalize-space(.), {json.dumps(label, ensure_ascii=False)})]")
        option = self.wait(lambda d: d.find_element(By.XPATH, xpath), f"{label!r} finns inte i listan")
        option.click()

    def remove(self, element_id: str, label: str) -> None:
        """Remove the value ``label`` from a multi-value ``dcc.Dropdown`` (its × button)."""
        xpath = (f"//*[@id='{element_id}']//*[contains(concat(' ', @class, ' '), ' Select-value ')]"
                 "[.//*[contains(@class, 'Select-value-label')]"
                 f"[starts-with(normalize-space(.), {json.dumps(label, ensure_ascii=False)})]]"
                 "//*[contains(@class, 'Select-value-icon')]")
        self.driver.find_element(By.XPATH, xpath).click()

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        """Save ``artifacts/screenshots/<name>.png`` (the whole page, or what the viewport shows)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        if not full_page:
            self.driver.save_screenshot(str(path))
            return path
        height = self.driver.execute_script("return document.scrollingElement.scrollHeight")
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": VIEWPORT[0], "height": height, "scale": 1}})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy an SQLite store with SQLite's backup API.

    The store runs in WAL mode, so while a connection is open recent writes may live only in the
    ``-wal`` file; copying the main file alone can lose them (the demo flag, the survey, the plan).
    """
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


# fixtures -------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def e2e_store(demo_store_path, tmp_path_factory):
    """A private, writable copy of the demo store for the served app."""
    folder = tmp_path_factory.mktemp("e2e")
    copy_sqlite(demo_store_path, folder / "demo.sqlite")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "demo.sqlite"))
    return settings, open_store(settings)


@pytest.fixture(scope="session")
def live_server(e2e_store):
    """The real app (``create_app``) on the store copy, served by a threaded WSGI server."""
    from lagesbild.web import create_app

    settings, store = e2e_store
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = LiveServer(create_app(settings, store).server)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser(live_server):
    """One headless Chromium for the session, pointed at the live server."""
    driver = make_driver()
    yield Browser(driver, live_server.url, live_server)
    driver.quit()


@pytest.fixture
def served_store(e2e_store):
    """The store the served app reads and writes."""
    return e2e_store[1]


#: charts whose margins plotly had to grow for their labels, legend or colour bar (each such chart is
#: laid out and drawn twice on every update): [graph id, side, margin set, margin drawn]
JS_GROWN_MARGINS = """
const out = [];
document.querySelectorAll('.js-plotly-plot').forEach(gd => {
    const set = (gd.layout && gd.layout.margin) || {}, drawn = gd._fullLayout._size;
    const id = (gd.parentElement && gd.parentElement.id) || gd.id;
    ['l', 'r', 't', 'b'].forEach(k => {
        if (typeof set[k] === 'number' && drawn[k] > set[k] + 0.5) { out.push([id, k, set[k], drawn[k]]); }
    });
});
return out;
"""
JS_LAYOUT_PROBLEMS = """
// What a person would see as broken at this window size: the page scrolls sideways, a box runs out of
// the viewport, a text is cut by a box that clips its content, a chart's title or subtitle leaves its
// SVG or runs under the toolbar, or two texts of a chart overlap.
const W = window.innerWidth, tol = 1, out = [];
const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className
       ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
const shown = e => { const cs = getComputedStyle(e);
                     return cs.visibility !== 'hidden' && cs.display !== 'none'
                            && e.getClientRects().length; };
if (document.documentElement.scrollWidth > W + tol) {
    out.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + W);
}
const texts = Array.from(document.querySelectorAll('#app-root *')).filter(e =>
    !(e instanceof SVGElement) && !e.closest('.js-plotly-plot, .Select-menu-outer, [hidden]') && shown(e)
    && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()));
for (const e of texts) {
    const r = e.getBoundingClientRect();
    if (r.width <= 0) { continue; }
    if (r.right > W + tol || r.left < -tol) {
        out.push('outside the viewport: ' + name(e) + ' ' + r.left + '–' + r.right);
        continue;
    }
    for (let p = e.parentElement; p && p.id !== 'app-root'; p = p.parentElement) {
        const cs = getComputedStyle(p);
        if (cs.overflowX === 'visible' && cs.overflowY === 'visible') { continue; }
        const q = p.getBoundingClientRect();
        if (r.right > q.right + tol || r.left < q.left - tol
                || (cs.overflowX !== 'visible' && p.scrollWidth > p.clientWidth + tol)) {
            out.push('cut sideways: ' + name(e) + ' "' + e.textContent.trim().slice(0, 40) + '" in '
                     + name(p));
        }
        break;
    }
    if (e.scrollWidth > e.clientWidth + tol && ['hidden', 'clip'].includes(getComputedStyle(e).overflowX)) {
        out.push('text cut: ' + name(e) + ' "' + e.textContent.trim().slice(0, 40) + '"');
    }
}
const overlap = (a, b) => a.left < b.right - tol && b.left < a.right - tol
                          && a.top < b.bottom - tol && b.top < a.bottom - tol;
for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const svg = gd.querySelector('.main-svg');
    if (!svg || !shown(gd)) { continue; }
    const s = svg.getBoundingClientRect();
    const id = (gd.closest('[id]') || gd).id;
    const bar = gd.querySelector('.modebar');
    const barBox = bar && shown(bar) ? bar.getBoundingClientRect() : null;
    for (const t of gd.querySelectorAll('.gtitle, .gtitle-subtitle')) {
        const r = t.getBoundingClientRect();
        if (r.width <= 0) { continue; }
        if (r.left < s.left - tol || r.right > s.right + tol || r.top < s.top - tol) {
            out.push(id + ': title outside its SVG: "' + t.textContent.slice(0, 40) + '"');
        }
        if (barBox && overlap(r, barBox)) { out.push(id + ': title under the toolbar'); }
    }
    const labels = Array.from(gd.querySelectorAll('svg text')).filter(t =>
        t.textContent.trim() && !t.closest('.hoverlayer, .modebar, .legendtoggle') && shown(t));
    const boxes = labels.map(t => [t, t.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
    for (const [t, r] of boxes) {
        if (r.right > s.right + tol || r.left < s.left - tol || r.bottom > s.bottom + tol) {
            out.push(id + ': text outside its SVG: "' + t.textContent.slice(0, 40) + '"');
        }
    }
    // texts drawn in a plot area that clips them (e.g. a value label at the last point)
    for (const t of gd.querySelectorAll('svg text')) {
        if (!t.textContent.trim() || !shown(t)) { continue; }
        let sp = null;
        for (let p = t.parentElement; p && p !== gd; p = p.parentElement) {
            const c = p.getAttribute('clip-path') || '';
            if (/plot\\)$/.test(c)) { sp = p.getAttribute('class') || ''; break; }
        }
        const drag = sp && gd.querySelector('.draglayer .' + sp.split(' ').pop() + ' .nsewdrag');
        if (!drag) { continue; }
        const area = drag.getBoundingClientRect(), r = t.getBoundingClientRect();
        if (r.left < area.left - tol || r.right > area.right + tol || r.top < area.top - tol
                || r.bottom > area.bottom + tol) {
            out.push(id + ': text cut by the plot area: "' + t.textContent.slice(0, 40) + '"');
        }
    }
    // turned labels: compare their own (turned) rectangles, not the boxes around them
    const quad = t => { const b = t.getBBox(), m = t.getScreenCTM();
                        return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
                                [b.x, b.y + b.height]].map(([x, y]) => [m.a * x + m.c * y + m.e,
                                                                        m.b * x + m.d * y + m.f]); };
    const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {
        const b = poly[(i + 1) % 4], nx = b[1] - a[1], ny = a[0] - b[0], n = Math.hypot(nx, ny) || 1;
        const pa = p.map(([x, y]) => (x * nx + y * ny) / n), qa = q.map(([x, y]) => (x * nx + y * ny) / n);
        return Math.max(...pa) <= Math.min(...qa) + tol || Math.max(...qa) <= Math.min(...pa) + tol; }));
    const quads = boxes.map(([t]) => quad(t));
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            if (overlap(boxes[i][1], boxes[j][1]) && !apart(quads[i], quads[j])) {
                out.push(id + ': texts overlap: "' + boxes[i][0].textContent.slice(0, 30) + '" / "'
                         + boxes[j][0].textContent.slice(0, 30) + '"');
            }
        }
    }
}
return out;
"""


#: the window sizes meeting mode is made for: a projector in full screen and a common laptop
SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}


def set_viewport(driver, width: int, height: int, scale: float = 1) -> None:
    """The page's CSS viewport (``scale``: the device's pixels per CSS pixel, a browser zoom)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": scale, "mobile": False})


@pytest.fixture
def window(browser):
    """Set the viewport to a size (``window(w, h)``); the session's size comes back afterwards."""
    def resize(width, height):
        set_viewport(browser.driver, width, height)
    yield resize
    resize(*VIEWPORT)


JS_TICK_GAPS = r"""
// Vertical gaps in px between neighbouring y-axis labels of the chart arguments[0].
const boxes = Array.from(document.getElementById(arguments[0]).querySelectorAll('.ytick text'))
    .map(e => e.getBoundingClientRect()).filter(r => r.height > 0).sort((a, b) => a.top - b.top);
return boxes.slice(1).map((b, i) => b.top - boxes[i].bottom);
"""


@contextmanager
def app_process(folder: Path, db: Path):
    """The URL of ``app.py`` serving the store ``db`` (data folder ``folder``) in a process of its own,
    up when it answers (a condition, polled), stopped at the end. A second Dash app in the test process
    would share Dash's page registry with the session's app and change what its pages show."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, LAGESBILD_DATA_DIR=str(folder), LAGESBILD_DB=str(db),
               LAGESBILD_PORT=str(port), LAGESBILD_HOST="127.0.0.1")
    server = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=env, cwd=str(ROOT),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def own_app(browser, folder: Path, db: Path):
    """The session's browser (a :class:`Browser`) on :func:`app_process` serving ``db``; the session's
    viewport comes back afterwards, whatever size the tests set."""
    try:
        with app_process(folder, db) as url:
            yield Browser(browser.driver, url)
    finally:
        set_viewport(browser.driver, *VIEWPORT)
