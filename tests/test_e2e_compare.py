"""End to end: Jämför platser, Mönster and the quick periods on Plats in headless Chromium.

The chosen places show up in the table, the address reproduces the view, the numbers on the screen are
the analysis layer's, a sensitive category is refused with a Swedish message, and with login on a
läsare is refused the incident-level Mönster page (and its callback) while Jämför platser stays open.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from lagesbild.analysis import meeting
from lagesbild.analysis.side_by_side import side_by_side
from lagesbild.figures.format import fmt_int
from tests.e2e_support import SELENIUM_WARNINGS
from tests.test_e2e_auth import log_in, site  # noqa: F401  (the login fixture of the auth tests)

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)


def _column(browser, table_id, column) -> list[str]:
    return [r[column] for r in browser.table(table_id)["rows"]]


def test_chosen_places_show_up_and_the_address_reproduces_the_view(browser, e2e_store):
    settings, store = e2e_store
    browser.open("/jamfor?plats=bredang&plats=varberg", "#cmp-table")
    assert set(_column(browser, "cmp-table", "Plats")) == {"Bredäng", "Vårberg"}
    assert browser.dropdown_labels("cmp-places") == ["Bredäng (utsatt område)", "Vårberg (utsatt område)"]
    browser.choose("cmp-places", "Sätra")
    browser.wait(lambda d: "plats=satra" in browser.location()[1], "Sätra kommer inte in i adressen")
    browser.settle("#cmp-table")
    browser.wait(lambda d: "Sätra" in _column(browser, "cmp-table", "Plats"), "Sätra visas inte i tabellen")
    path, search = browser.location()
    shown = browser.table("cmp-table")
    # the same address in a fresh load gives the same table
    browser.open(path + search, "#cmp-table")
    assert browser.table("cmp-table") == shown
    assert "Bredäng, Vårberg, Sätra" in browser.text("cmp-names")
    # the numbers are the analysis layer's
    res = side_by_side(store, settings, places=["bredang", "varberg", "satra"], periods=None)
    want = res["table"].query("place_id == 'satra' and category == 'alla'")["count"].tolist()
    row = next(r for r in shown["rows"] if r["Plats"] == "Sätra" and r["Kategori"] == "Alla valda kategorier")
    assert [row[p.label] for p in res["periods"]] == [fmt_int(v) for v in want]
    assert browser.console_errors() == [] and browser.server_errors() == []


def test_one_place_with_similar_places_and_a_link_from_plats_keeps_the_choices(browser):
    browser.open("/plats/varberg?kat=skadegorelse&per=2021-2022&per=2022-2023", "#place-quick")
    link = browser.driver.find_element(By.ID, "place-compare-link")
    assert link.text == "Jämför med andra platser"
    link.click()
    browser.wait_location("/jamfor")
    browser.settle("#cmp-between")
    search = browser.location()[1]
    assert "plats=varberg" in search and "lik=1" in search and "kat=skadegorelse" in search
    names = browser.text("cmp-names")
    assert names.startswith("Vårberg,") and names.count("(liknande)") == 3
    assert set(_column(browser, "cmp-table", "Kategori")) == {"Skadegörelse"}
    verdicts = _column(browser, "cmp-between", "Bedömning")
    assert len(verdicts) == 6 and all(v.startswith(("högre i", "ingen säkerställd", "kan inte")) for v in verdicts)
    assert browser.console_errors() == [] and browser.server_errors() == []


def test_quick_periods_on_plats_are_the_analysis_numbers(browser, e2e_store):
    settings, store = e2e_store
    browser.open("/plats/varberg?kat=narkotikabrott", "#place-quick-table")
    q = meeting.quick_comparison(store, settings, place="varberg", categories=["narkotikabrott"])
    row = browser.table("place-quick-table")["rows"][0]
    for r in q.itertuples():
        cell = row[r.span_label.split(" (")[0]]
        assert cell.startswith(f"{fmt_int(r.count_b)} mot {fmt_int(r.count_a)}")
        assert ("▲" in cell or "▼" in cell) == bool(r.significant)
    # a place without incident-level data inside it says why in Swedish
    browser.open("/plats/bromma?kat=skadegorelse", "#place-quick")
    assert "kräver brott på händelsenivå" in browser.text("place-quick")
    assert not browser.driver.find_elements(By.ID, "place-quick-table")
    assert browser.console_errors() == [] and browser.server_errors() == []


def test_patterns_show_the_place_and_refuse_a_sensitive_category(browser, e2e_store):
    settings, store = e2e_store
    browser.open("/monster?plats=varberg&kat=skadegorelse&per=2022-2023", "#pat-weekday-hour")
    assert "Vårberg · Skadegörelse · 2022–2023" in browser.text("pat-facts")
    res = meeting.incident_patterns(store, settings, place="varberg", period="2022–2023",
                                    category="skadegorelse")
    z = browser.driver.execute_script(
        "return document.querySelector('#pat-weekday-hour .js-plotly-plot').data[0].z")
    assert sum(map(sum, z)) == res["n"] == int(res["weekday_hour"]["count"].sum())
    assert fmt_int(res["n"]) in browser.driver.find_element(By.CSS_SELECTOR, ".tiles").text
    browser.open("/monster?plats=varberg&kat=vald_nara_relation&per=2022-2023", "#pat-refused")
    assert "känslig" in browser.text("pat-refused")
    assert not browser.driver.find_elements(By.ID, "pat-weekday-hour")
    assert browser.console_errors() == [] and browser.server_errors() == []


def test_a_lasare_is_refused_the_patterns_but_may_compare_places(site):  # noqa: F811
    browser, _ = site
    log_in(browser, "lasse")
    browser.settle(".page-overview")
    browser.open("/monster?plats=varberg", ".refusal")
    assert "Ingen behörighet" in browser.driver.find_element(By.CSS_SELECTOR, ".refusal").text
    assert not browser.driver.find_elements(By.ID, "pat-weekday-hour")
    # the callback itself is refused on the server, whatever a browser sends
    status, text = browser.driver.execute_async_script("""
        const done = arguments[0];
        const token = (document.cookie.match(/(?:^|; )_csrf_token=([^;]*)/) || [])[1] || '';
        fetch('/_dash-update-component', {method: 'POST', headers: {'Content-Type': 'application/json',
              'X-CSRFToken': decodeURIComponent(token)},
              body: JSON.stringify({output: 'pat-content.children', outputs: {id: 'pat-content',
              property: 'children'}, inputs: [], changedPropIds: []})})
          .then(r => r.json().then(j => done([r.status, j.error || ''])));""")
    assert status == 403 and "kräver rollen analytiker" in text
    browser.open("/plats/varberg", "#place-compare-link")
    assert not browser.driver.find_elements(By.ID, "place-patterns-link")
    browser.open("/jamfor?plats=bredang&plats=varberg", "#cmp-table")
    assert set(_column(browser, "cmp-table", "Plats")) == {"Bredäng", "Vårberg"}
    log_in(browser, "ann")
    browser.settle(".page-overview")
    browser.open("/monster?plats=varberg", "#pat-weekday-hour")
    assert not browser.driver.find_elements(By.CSS_SELECTOR, ".refusal")


def test_oversikt_links_to_the_comparison_in_meeting_mode_too(browser):
    browser.open("/?mote=1", "#ov-compare-link")
    link = browser.driver.find_element(By.ID, "ov-compare-link")
    assert link.get_attribute("href").endswith("/jamfor?mote=1")
    link.click()
    browser.wait_location("/jamfor")
    browser.settle("#cmp-table")
    assert "(liknande)" in browser.text("cmp-names")
    assert browser.driver.execute_script("return document.body.classList.contains('meeting')")
