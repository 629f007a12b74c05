"""Meeting mode on a 1024×768 or 1366×768 projector: every table and its notes in at least 18 px.

Found by walking a beredningsgrupp meeting on a store of Södertälje's DeSO areas at 1024×768 and
1366×768: below 1,900 px meeting mode set its tables in 14 px (style.css) and ``meeting-fit.js``
(fitWide) shrank the widest further, Plats' before/after table to 12.6–13.5 px, Åtgärdsplan's to
11.2 px, the Data log to 16 px; the notes under the tables were 14–17 px. About 18 px is the least
that is read from the back of a room. Now below 1,900 px meeting mode sets tables and notes in 18 px,
and the tables too wide for that (Plats' and Åtgärdsplan's before/after, Åtgärdsplan's activities, the
Data log) are stacked: each row a block of its cells, each cell under its column's name; below 1,300 px
Trygghet's table leaves out its respondents column (the 95 % interval beside each share stays).

Measured in the rendered page: the computed font size of every visible cell and note, each table's
scroll width against its width, the page's width, the column name above each stacked cell (its
``::before``) and that no two cells of a stacked row overlap. Outside meeting mode the tables keep
their header rows (guard).
"""

from __future__ import annotations

import pytest

from tests.e2e_support import SELENIUM_WARNINGS, VIEWPORT, set_viewport

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

#: the smallest text read from the back of a room (px)
LEAST = 18
STACKED = ("place-effects", "plan-effects", "plan-table", "data-log")
PAGES = [
    ("/plats/hasselby-torg?mote=1", "#place-effects td", {"place-comparison", "place-effects"}),
    ("/atgardsplan?mote=1", "#plan-effects td", {"plan-table", "plan-effects"}),
    ("/data?mote=1", "#data-log td", {"data-log"}),
    ("/trygghet?plats=hasselby-torg&mote=1", "#survey-table td", {"survey-table"}),
    ("/jamfor?mote=1", "#cmp-table td", {"cmp-table"}),
    # four categories: with all nine of the demo the matrix has a column each and fitWide may shrink it
    # (README: down to 65 %); measured 16.2 px at 1024 px, 18 px at 1366 px
    ("/?mote=1&kat=skadegorelse,narkotikabrott,personran,tillgrepp_butik", "#ov-matrix td", {"ov-matrix"}),
]
#: per table [id, smallest text of a visible cell, scroll width, width]; the notes' smallest text;
#: the page's scroll width and the window's width
JS_SIZES = """
const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
const tables = Array.from(document.querySelectorAll('.dash-table-container')).filter(visible).map(box => {
    const inner = box.querySelector('.dash-spreadsheet-container') || box;
    const sizes = Array.from(box.querySelectorAll('td, th')).filter(visible)
        .map(e => parseFloat(getComputedStyle(e).fontSize));
    return [box.id, Math.min(...sizes), inner.scrollWidth, inner.clientWidth];
});
const notes = Array.from(document.querySelectorAll('.notes li, .notes p')).filter(visible)
    .map(e => [e.textContent.slice(0, 40), parseFloat(getComputedStyle(e).fontSize)]);
return [tables, notes, document.documentElement.scrollWidth, window.innerWidth];
"""
#: a stacked table's rows: for each visible row its cells' [column, label above it, rect]
JS_STACKED = """
const box = document.getElementById(arguments[0]);
return Array.from(box.querySelectorAll('tr')).filter(tr => tr.getBoundingClientRect().height > 0).map(tr =>
    Array.from(tr.querySelectorAll('td')).map(td => {
        const r = td.getBoundingClientRect();
        return [td.dataset.dashColumn, getComputedStyle(td, '::before').content,
                [r.left, r.top, r.right, r.bottom]];
    }));
"""


@pytest.fixture(params=[(1024, 768), (1366, 768)], ids=["1024x768", "1366x768"])
def projector(browser, request):
    """The session's browser at a projector's size; its own size comes back afterwards."""
    set_viewport(browser.driver, *request.param)
    yield browser
    set_viewport(browser.driver, *VIEWPORT)


@pytest.mark.parametrize(("path", "ready", "ids"), PAGES)
def test_tables_and_notes_are_read_from_the_back_of_the_room(projector, path, ready, ids):
    projector.open(path, ready)
    tables, notes, scroll, width = projector.driver.execute_script(JS_SIZES)
    assert {t[0] for t in tables} >= ids, tables
    small = [t[:2] for t in tables if t[1] < LEAST - 0.01]
    assert small == [], f"tabeller med för liten text (id, px): {small}"
    small_notes = [n for n in notes if n[1] < LEAST - 0.01]
    assert small_notes == [], f"noter med för liten text: {small_notes}"
    wide = [t for t in tables if t[2] > t[3] + 1]
    assert wide == [], f"tabeller bredare än sin plats: {wide}"
    assert scroll <= width


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


@pytest.mark.parametrize(("path", "table"), [("/plats/hasselby-torg?mote=1", "place-effects"),
                                             ("/atgardsplan?mote=1", "plan-effects"),
                                             ("/atgardsplan?mote=1", "plan-table"),
                                             ("/data?mote=1", "data-log")])
def test_a_stacked_row_names_each_cell_and_no_cells_overlap(projector, path, table):
    projector.open(path, f"#{table} td")
    rows = projector.driver.execute_script(JS_STACKED, table)
    assert rows and all(rows), rows
    for cells in rows:
        for column, label, _ in cells:
            assert label == f'"{column}"', (column, label)
        rects = [c[2] for c in cells]
        hits = [(cells[i][0], cells[j][0]) for i in range(len(rects)) for j in range(i + 1, len(rects))
                if _overlap(rects[i], rects[j])]
        assert hits == [], f"celler över varandra i {table}: {hits}"


def test_outside_meeting_mode_the_tables_keep_their_header_rows(browser):
    """Guard: at a desk (1,200 px and wider) the table keeps its columns and header; below that normal
    mode stacks the widest tables too (meet4, ``tests/test_recheck_meet4_narrow_tables.py``)."""
    set_viewport(browser.driver, 1366, 768)
    try:
        browser.open("/atgardsplan", "#plan-effects td")
        heads = browser.driver.execute_script(
            "return Array.from(document.querySelectorAll('#plan-effects th'))"
            ".filter(th => th.getBoundingClientRect().height > 0).length")
        assert heads >= 5
    finally:
        set_viewport(browser.driver, *VIEWPORT)
