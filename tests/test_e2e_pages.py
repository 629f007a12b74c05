"""End to end: every page of the real app loads in headless Chromium, in normal and meeting mode.

Each page must render its content without errors in the browser console (SEVERE entries; the software
WebGL's performance notices are not errors) and without a server error, show the demo banner, and in
meeting mode the overview of one place (comparison table, trends by year and by month, survey) must be
on one 1920×1080 screen without scrolling. A screenshot of every page is saved under
``artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By

from tests.e2e_support import (
    DEMO_TEXT,
    JS_GROWN_MARGINS,
    JS_LAYOUT_PROBLEMS,
    JS_TICK_GAPS,
    SELENIUM_WARNINGS,
    SIZES,
    VIEWPORT,
)

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)

#: page -> (path, selector present once the content is shown, the page's heading)
PAGES = {
    "oversikt": ("/", "#ov-content table", "Översikt"),
    "plats": ("/plats/hasselby-torg", "#place-comparison", "Hässelby torg"),
    "karta": ("/karta", "#map-graph", "Karta"),
    "trygghet": ("/trygghet", "#survey-latest", "Trygghet"),
    "atgardsplan": ("/atgardsplan", "#plan-table", "Åtgärdsplan"),
    "data": ("/data", "#data-counts", "Data"),
    "sedan": ("/sedan", "#since-head", "Sedan förra mötet"),
    "jamfor": ("/jamfor", "#cmp-table", "Jämför platser"),
    "monster": ("/monster", "#pat-weekday-hour", "Mönster"),
    "metod": ("/metod", ".page-method .method", "Metod"),
    "konton": ("/konton", "#adm-name", "Konton"),
}
#: the overview of one place that meeting mode keeps on one screen
MEETING_BLOCK = ("place-comparison", "place-trend_years", "place-trend_months", "place-survey")


def _headings(browser) -> list[str]:
    return [h.get_attribute("textContent").strip()
            for h in browser.driver.find_elements(By.CSS_SELECTOR, "#_pages_content h1")]


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "mote"])
@pytest.mark.parametrize("page", list(PAGES))
def test_page_loads_without_console_errors_and_shows_the_demo_banner(browser, page, meeting):
    path, ready, heading = PAGES[page]
    browser.open(path + ("?mote=1" if meeting else ""), ready)
    browser.screenshot(f"{page}{'-mote' if meeting else ''}", full_page=not meeting)

    assert browser.console_errors() == []
    assert browser.server_errors() == []
    assert heading in _headings(browser)
    banner = browser.driver.find_element(By.ID, "demo-banner")
    assert banner.is_displayed() and DEMO_TEXT in banner.text
    assert browser.fully_visible("demo-banner")["ok"]
    is_meeting = browser.driver.execute_script("return document.body.classList.contains('meeting')")
    assert is_meeting is meeting
    assert browser.text("meeting-toggle") == ("Avsluta mötesläge" if meeting else "Mötesläge")


@pytest.mark.parametrize("place_id", ["hasselby-torg", "skarholmen-centrum"])
def test_meeting_mode_keeps_the_overview_of_a_place_on_one_screen(browser, place_id):
    """Each panel of the block lies wholly in the 1920×1080 viewport (the browser in full screen on the
    projector) and is not cut off by a panel that would need scrolling."""
    browser.open(f"/plats/{place_id}?mote=1", "#place-comparison")
    browser.screenshot(f"plats-{place_id}-mote-skarm", full_page=False)

    size = browser.driver.execute_script("return [window.innerWidth, window.innerHeight, window.scrollY]")
    assert size == [*VIEWPORT, 0]
    for element_id in MEETING_BLOCK:
        assert browser.fully_visible(element_id) == {"ok": True}, element_id
    assert browser.console_errors() == []


def test_meeting_toggle_switches_mode_in_the_url(browser):
    browser.open("/plats/hasselby-torg", "#place-comparison")
    browser.driver.find_element(By.ID, "meeting-toggle").click()
    browser.wait_location("/plats/hasselby-torg", "?mote=1")
    browser.wait(lambda d: d.execute_script("return document.body.classList.contains('meeting')"),
                 "mötesläget slås inte på")
    assert browser.text("meeting-toggle") == "Avsluta mötesläge"
    karta = browser.driver.find_element(By.LINK_TEXT, "Karta")
    browser.wait(lambda d: karta.get_attribute("href").endswith("/karta?mote=1"),
                 "navigeringen behåller inte mötesläget")


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "mote"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_fits_the_window_without_cut_or_overlapping_text(browser, window, page, size, meeting):
    """Nothing runs out sideways or is cut, chart titles stay inside their SVG and clear of the
    toolbar, and no two texts of a chart overlap, at 1920×1080 and 1366×768. Every chart's margins,
    set from estimated label widths (:mod:`lagesbild.figures.fit`), hold what is beside the plot, so
    plotly never grows them (which lays out and draws the chart a second time on every update)."""
    window(*SIZES[size])
    path, ready, _ = PAGES[page]
    browser.open(path + ("?mote=1" if meeting else ""), ready)
    browser.screenshot(f"{page}-{size}{'-mote' if meeting else ''}", full_page=False)
    assert browser.driver.execute_script("return window.innerWidth") == SIZES[size][0]
    assert browser.driver.execute_script(JS_LAYOUT_PROBLEMS) == []
    assert browser.driver.execute_script(JS_GROWN_MARGINS) == []


def test_every_places_plats_page_fits_at_both_sizes_and_in_both_modes(browser, window, e2e_store):
    """Every stored place's Plats page (the city's five-digit counts, long district names, arrows of
    several categories at one period, activities without a start date): nothing cut or overlapping,
    and no chart's margins grown by plotly, at 1920×1080 and 1366×768, normal and meeting mode."""
    _, store = e2e_store
    problems = []
    for size in SIZES:
        window(*SIZES[size])
        for meeting in (False, True):
            for place_id in store.places()["place_id"]:
                browser.open(f"/plats/{place_id}" + ("?mote=1" if meeting else ""), "#pl-content")
                found = browser.driver.execute_script(JS_LAYOUT_PROBLEMS) + \
                    browser.driver.execute_script(JS_GROWN_MARGINS)
                problems += [(place_id, size, meeting, p) for p in found]
    assert problems == []


JS_LAST_COLUMN_INSIDE = """
const id = arguments[0] || 'place-comparison';
const heads = Array.from(document.querySelectorAll('#' + id + ' th'));
const card = document.querySelector('#' + id).closest('.card, .section').getBoundingClientRect();
const last = heads[heads.length - 1].getBoundingClientRect();
return [heads.map(e => e.textContent), last.left >= card.left && last.right <= card.right];"""

#: meeting-grid panels whose content runs past their bottom, with how many px, and charts whose legend
#: scrolls (hidden or behind a scroll bar: a wall screen shows neither)
JS_PANELS_CUT = """
return Array.from(document.querySelectorAll('.app.meeting .meeting-grid > *'))
    .filter(p => p.scrollHeight > p.clientHeight + 1)
    .map(p => (p.id || p.querySelector('[id]').id) + ': ' + (p.scrollHeight - p.clientHeight) + ' px')
    .concat(Array.from(document.querySelectorAll('.app.meeting .meeting-grid .legend .scrollbar'))
        .filter(b => b.getBoundingClientRect().height > 0)
        .map(b => b.closest('.js-plotly-plot').closest('[id]').id + ': the legend scrolls'));"""

#: period choices that crowd a meeting panel: nine tertials, eight custom quarters, twelve months (their
#: labels turn or wrap), and three Sep–Aug years as the usual case
MANY_PERIODS = {
    "nine-tertials": [f"T{t} {y}" for y in (2019, 2020, 2021) for t in (1, 2, 3)],
    "eight-ranges": [f"{y}-{m:02d}-01--{y}-{m + 2:02d}-{30 if m + 2 in (6, 9) else 31}"
                     for y in (2021, 2022) for m in (1, 4, 7, 10)],
    "twelve-months": [f"{y}-{m:02d}" for y, m in [(2022, m) for m in range(9, 13)]
                      + [(2023, m) for m in range(1, 9)]],
    "years": ["2019–2020", "2020–2021", "2021–2022"],
    # four years with significant verdicts: the longest Bedömning texts beside four count columns
    "four-years-verdicts": ["2016-2017", "2017-2018", "2018-2019", "2019-2020"],
}


@pytest.mark.parametrize("periods", MANY_PERIODS.values(), ids=MANY_PERIODS.keys())
def test_a_place_with_many_periods_fits_in_meeting_mode(browser, window, periods):
    """Meeting mode's table shows the latest three periods (four before meet5; the charts all): with nine tertials it ran out
    of its half of the wall screen, Förändring and Bedömning cut off. The charts fit too: with nine
    turned labels the bar chart's y title reached into its subtitle."""
    query = "&".join(f"per={p}" for p in periods)
    for size in SIZES:
        window(*SIZES[size])
        browser.open(f"/plats/hasselby-torg?mote=1&{query}", "#place-comparison")
        browser.screenshot(f"plats-{len(periods)}-periods-{size}-mote", full_page=False)
        problems = browser.driver.execute_script(JS_LAYOUT_PROBLEMS) + \
            browser.driver.execute_script(JS_GROWN_MARGINS) + browser.driver.execute_script(JS_PANELS_CUT)
        assert problems == [], size
        # the table's panel grows only as far as the survey's indicators below it keep apart
        gaps = browser.driver.execute_script(JS_TICK_GAPS, "place-survey")
        assert len(gaps) >= 4 and min(gaps) >= 3, (size, gaps)
        heads, inside = browser.driver.execute_script(JS_LAST_COLUMN_INSIDE)
        assert inside, (size, heads)  # the verdict column lies wholly inside the table's card
        assert len(heads) - 3 == min(len(periods), 3)  # Kategori, the periods, Förändring, Bedömning


#: per period column of the Plats table (the columns between Kategori and Förändring): the right edge of
#: each cell's last digit, measured on the rendered text (a Range over the cell's text)
JS_COUNT_RIGHT_EDGES = """
const heads = Array.from(document.querySelectorAll('#place-comparison th')).map(e => e.textContent.trim());
const stop = heads.indexOf('Förändring');
const out = {};
for (let col = 1; col < stop; col++) {
  out[heads[col]] = Array.from(document.querySelectorAll('#place-comparison tbody tr'))
    .map(tr => tr.querySelectorAll('td')[col]).filter(td => td)
    .map(td => {
      const node = td.querySelector('.dash-cell-value');
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      const text = walker.nextNode();
      const at = text.textContent.search(/[0-9](?!.*[0-9])/);
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + 1);
      return [text.textContent, range.getBoundingClientRect().right];
    });
}
return out;"""


def test_the_place_tables_period_counts_line_up_on_their_last_digit(browser, window):
    """The period counts of Plats' table were left-aligned (their ▲/▼ made them text), so 1 234 and 98
    began in line and ended apart; now they are right-aligned with the arrow in front, and every
    count's last digit ends at the same x, marked or not, at both sizes and in both modes."""
    for size in SIZES:
        window(*SIZES[size])
        for meeting in (False, True):
            query = "per=2016-2017&per=2017-2018&per=2018-2019&per=2019-2020" + ("&mote=1" if meeting else "")
            browser.open(f"/plats/hasselby-torg?{query}", "#place-comparison")
            browser.screenshot(f"plats-counts-{size}" + ("-mote" if meeting else ""), full_page=False)
            columns = browser.driver.execute_script(JS_COUNT_RIGHT_EDGES)
            assert len(columns) == (3 if meeting else 4), columns  # meeting mode: the latest three
            marked = [t for cells in columns.values() for t, _ in cells if set(t) & set("▲▼")]
            assert marked, columns  # 2018–2019 → 2019–2020 is significant here: the case that moved digits
            for head, cells in columns.items():
                edges = [x for _, x in cells]
                assert max(edges) - min(edges) <= 1, (size, meeting, head, cells)


def test_the_effects_table_keeps_its_last_column_inside_at_both_sizes(browser, window):
    """With the adjusted p-value column the effects table ran past its card at 1366 px, the comparison
    with the surroundings cut; each count's window now goes under the count."""
    for size in SIZES:
        window(*SIZES[size])
        browser.open("/plats/hasselby-torg", "#place-effects")
        heads, inside = browser.driver.execute_script(JS_LAST_COLUMN_INSIDE, "place-effects")
        assert heads[-1] == "Jämfört med omgivningen" and inside, size


def test_every_areas_map_fits_at_both_sizes_and_in_both_modes(browser, window, e2e_store):
    """The Karta page of the city and of every district: no name on the map cut or over another
    (names are placed for the size the map is drawn at, which in meeting mode follows the window),
    at 1920×1080 and 1366×768, normal and meeting mode."""
    _, store = e2e_store
    kinds = store.places().set_index("place_id")["kind"]
    areas = [p for p, k in kinds.items() if k in ("stadsdelsomrade", "stad")]
    assert len(areas) > 3
    problems = []
    for size in SIZES:
        window(*SIZES[size])
        for meeting in (False, True):
            for area in areas:
                browser.open(f"/karta?omr={area}" + ("&mote=1" if meeting else ""), "#map-graph")
                found = browser.driver.execute_script(JS_LAYOUT_PROBLEMS) + \
                    browser.driver.execute_script(JS_GROWN_MARGINS)
                problems += [(area, size, meeting, p) for p in found]
    assert problems == []


JS_MAP_SIZES = """const g = document.querySelector('#map-graph .js-plotly-plot');
return g && g._fullLayout && g.layout.meta ? [[g._fullLayout.width, g._fullLayout.height],
                                             g.layout.meta.map_label_px || null] : null;"""


def _names_placed_for_drawn_size(driver):
    sizes = driver.execute_script(JS_MAP_SIZES)
    if not sizes or not sizes[1]:
        return False
    (width, height), (placed_w, placed_h) = sizes
    return placed_h == height and abs(placed_w - width) <= 20  # the width less a scroll bar, if any


#: the gap (px) between the bottom of the map's legend and the top of its source line
JS_LEGEND_TO_SOURCE = """const g = document.querySelector('#map-graph .js-plotly-plot');
const legend = g.querySelector('.legend').getBoundingClientRect();
const source = Array.from(g.querySelectorAll('g.annotation')).find(a => a.textContent.startsWith('Källa'));
return source.getBoundingClientRect().top - legend.bottom;"""


def test_meeting_map_names_are_placed_for_the_window_and_follow_it(browser, window):
    """In meeting mode the map's height follows the window: its names are placed on the server for
    the size the browser draws it at, when the page opens and again after the window changes size
    (the browser put in full screen on the projector)."""
    window(1366, 768)
    browser.open("/karta?omr=skarholmen&mote=1", "#map-graph")
    assert _names_placed_for_drawn_size(browser.driver), browser.driver.execute_script(JS_MAP_SIZES)
    assert browser.driver.execute_script(JS_MAP_SIZES)[0] == [1301, 640]
    window(1920, 1080)
    browser.wait(lambda d: d.execute_script(JS_MAP_SIZES)[0][1] == 780 and _names_placed_for_drawn_size(d),
                 "kartans namn placeras inte om för det nya fönstret")
    browser.settle("#map-graph")
    assert browser.driver.execute_script(JS_LAYOUT_PROBLEMS) == []
    # the legend and the source line are laid out for the drawn width: no empty band between them
    # (laid out for the nominal 1,240 px, the legend's room was 150 px taller than the legend)
    assert 0 <= browser.driver.execute_script(JS_LEGEND_TO_SOURCE) <= 40


def test_normal_map_is_laid_out_for_the_width_it_is_drawn_at(browser, window):
    """In normal mode too the map's names are placed and its legend wrapped for the width the browser
    draws it at: at 1920 px the legend is one row, and no empty band is left between it and the source
    line (laid out for the nominal 1,240 px, the legend's room held three rows, about 100 px too many);
    after the window changes size the map is drawn again for the new width."""
    for size in ("1920x1080", "1366x768"):
        window(*SIZES[size])
        browser.open("/karta?omr=hagersten-alvsjo", "#map-graph")
        browser.wait(_names_placed_for_drawn_size, f"kartans namn är inte placerade för bredden ({size})")
        browser.settle("#map-graph")
        assert browser.driver.execute_script(JS_MAP_SIZES)[0][1] == 700
        assert 0 <= browser.driver.execute_script(JS_LEGEND_TO_SOURCE) <= 40, size
        assert browser.driver.execute_script(JS_LAYOUT_PROBLEMS) == [], size
    window(*SIZES["1920x1080"])
    browser.wait(lambda d: d.execute_script(JS_MAP_SIZES)[0][0] > 1700 and _names_placed_for_drawn_size(d),
                 "kartan ritas inte om för det bredare fönstret")


def test_toolbar_speaks_swedish_and_meeting_mode_has_none(browser):
    browser.open("/plats/hasselby-torg", "#place-comparison")
    titles = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title'))")
    assert "Ladda ner diagrammet som PNG" in titles and "Zooma in" in titles
    english = {"Download plot as a PNG", "Download plot", "Zoom in", "Zoom out", "Pan", "Autoscale",
               "Reset axes", "Zoom", "Reset view"}
    assert not english & set(titles)
    browser.open("/plats/hasselby-torg?mote=1", "#place-comparison")
    assert browser.driver.execute_script("return document.querySelectorAll('.modebar-btn').length") == 0


JS_DROPDOWN_TEXTS = """
const root = document.getElementById(arguments[0]);
const menu = root && root.querySelector('.Select-menu-outer');
const clear = Array.from(document.querySelectorAll('.Select-clear-zone'));
return menu ? {menu: menu.innerText.trim(),
               clear: clear.map(e => [e.getAttribute('title'), e.getAttribute('aria-label')])} : null;
"""


def test_dropdowns_speak_swedish_when_nothing_matches_and_on_their_clear_button(browser):
    """A name typed into a list that matches nothing says so in Swedish, and the × that clears a list
    of several choices is named in Swedish when hovered (the dropdown component's own texts are
    English)."""
    browser.open("/plats/hasselby-torg", "#place-comparison")
    browser.driver.find_element(By.CSS_SELECTOR, "#pl-place .Select-control").click()
    browser.driver.find_element(By.CSS_SELECTOR, "#pl-place input").send_keys("Ingenstansby")
    texts = browser.wait(lambda d: (lambda t: t if t and t["menu"] else None)(
        d.execute_script(JS_DROPDOWN_TEXTS, "pl-place")), "listan visar inget när inget passar")
    assert texts["menu"] == "Inga träffar"
    assert texts["clear"] and all(pair == ["Rensa alla", "Rensa alla"] for pair in texts["clear"])


JS_CALENDAR_TEXTS = """
const root = document.querySelector(arguments[0]);
const days = root ? root.querySelectorAll('.CalendarDay[aria-label]') : [];
if (!days.length) return null;
const named = Array.from(root.querySelectorAll('[aria-label], [title]'));
return {names: named.map(e => e.getAttribute('aria-label') || e.getAttribute('title')),
        heads: Array.from(root.querySelectorAll('.DayPicker_weekHeader_li')).map(e => e.innerText.trim()),
        months: Array.from(root.querySelectorAll('.CalendarMonth_caption')).map(e => e.innerText).join()};
"""
ENGLISH = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
                     r"April|May|June|July|August|September|October|November|December|Calendar|Move|"
                     r"Selected|available|Clear|Mo|Tu|We|Th|Fr|Sa|Su)\b")


def test_the_date_picker_names_its_days_and_buttons_in_swedish(browser):
    """The calendar's weekday heads and what a screen reader says for each day and each month button
    are Swedish, also after moving to the next month (react-dates writes them in English)."""
    browser.open("/sedan", "#sm-date input")
    browser.driver.find_element(By.CSS_SELECTOR, "#sm-date input").click()
    for step in range(2):
        texts = browser.wait(lambda d: (lambda t: t if t and not any(
            ENGLISH.search(x or "") for x in t["names"] + t["heads"]) else None)(
            d.execute_script(JS_CALENDAR_TEXTS, ".SingleDatePicker")),
            f"kalendern talar svenska (steg {step})")
        assert texts["heads"] == ["må", "ti", "on", "to", "fr", "lö", "sö"]
        assert {"Kalender", "Föregående månad", "Nästa månad"} <= set(texts["names"])
        days = [n for n in texts["names"] if re.fullmatch(r"(Valt: )?(må|ti|on|to|fr|lö|sö)\w+dag \d{1,2} "
                                                            r"[a-z]+ \d{4}", n or "")]
        assert len(days) >= 28, texts["names"][:10]
        before = texts["months"]
        browser.driver.find_element(By.CSS_SELECTOR, ".SingleDatePicker [aria-label='Nästa månad']").click()
        browser.wait(lambda d, before=before: d.execute_script(JS_CALENDAR_TEXTS, ".SingleDatePicker")["months"]
                     != before, "nästa månad visas")


#: an address that is no page answers 404 (lagesbild/web/page_status.py), which Chromium notes on its
#: console as an error of the page's own document: the one console error such a page may have
JS_STATUS = "return fetch(window.location.href, {method: 'HEAD', credentials: 'same-origin'}).then(r => r.status);"


def _other_console_errors(browser, path: str) -> list[str]:
    """The console's errors but Chromium's note that the document at ``path`` answered 404."""
    own = f"{browser.base_url}{path} - Failed to load resource: the server responded with a status of 404"
    return [e for e in browser.console_errors() if not e.startswith(own)]


@pytest.mark.parametrize("path", ["/finns-inte", "/karta/extra"])
def test_an_address_that_is_no_page_says_so_in_swedish(browser, path):
    """Dash's own page said "404 - Page not found" in English under the Swedish menu; the server
    answered 200 (now 404, with the same Swedish page)."""
    browser.open(path, "#not-found")
    assert _headings(browser) == ["Sidan finns inte"]
    body = browser.driver.find_element(By.TAG_NAME, "body").text
    assert "Page not found" not in body and "Välj en sida i menyn ovan" in body
    assert browser.driver.execute_script(JS_STATUS) == 404
    assert _other_console_errors(browser, path) == [] and browser.server_errors() == []


def test_the_menu_and_the_link_of_the_not_found_page_work(browser):
    """The 404 page is the dashboard's: its link to Översikt and the menu open their pages."""
    browser.open("/finns-inte", "#not-found")
    _other_console_errors(browser, "/finns-inte")  # the document's own 404, checked above
    browser.driver.find_element(By.CSS_SELECTOR, "#not-found a[href='/']").click()
    browser.wait_location("/")
    browser.settle("#ov-content table")
    assert "Översikt" in _headings(browser)
    browser.driver.get(browser.base_url + "/finns-inte")
    browser.settle("#not-found")
    browser.console()
    browser.driver.find_element(By.CSS_SELECTOR, "a.nav-link[href='/karta']").click()
    browser.wait_location("/karta")
    browser.settle("#map-graph")
    assert "Karta" in _headings(browser) and "Sidan finns inte" not in _headings(browser)
    assert browser.console_errors() == [] and browser.server_errors() == []


def test_a_place_that_is_not_in_the_store_answers_404_with_the_place_chooser(browser):
    """The Plats page of an unknown place says so and offers the chooser; the address answers 404."""
    browser.open("/plats/okand-sida-xyz", "#pl-place")
    body = browser.driver.find_element(By.TAG_NAME, "body").text
    assert "finns inte i databasen" in body and "Sidan finns inte" not in _headings(browser)
    assert browser.driver.execute_script(JS_STATUS) == 404
    assert _other_console_errors(browser, "/plats/okand-sida-xyz") == [] and browser.server_errors() == []


def test_plats_without_a_place_opens_the_place_chooser(browser):
    """``/plats`` (a place cut from a link) showed the English 404; it opens ``/plats/-`` with the query."""
    browser.open("/plats?kat=inbrott", "#pl-place")
    browser.wait_location("/plats/-", "?kat=inbrott")
    assert "Sidan finns inte" not in _headings(browser)
    assert browser.console_errors() == [] and browser.server_errors() == []
