"""End to end: the numbers on Plats follow the controls, and the URL holds the whole view.

The counts read from the page's comparison table are checked against
:func:`lagesbild.analysis.place_comparison` run here on the same store; the map's "Brott i området"
against the store's monthly counts for the area. A copied URL must restore the controls and the
numbers, reload must keep them and the back button must return to the previous view.
"""

from __future__ import annotations

import contextlib
import re

import pandas as pd
import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By

from lagesbild.analysis import place_comparison
from lagesbild.core.periods import parse_period
from tests.e2e_support import SELENIUM_WARNINGS

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)

TOTAL = ("alla", "Alla valda kategorier")  # the table's total row: category id and label
NOT_DIGITS = re.compile(r"[\s\u00a0\u202f▲▼*+]")


def number(text: str) -> int:
    """A count or change as shown (``1 234``, ``▼ 100``, ``+16``, ``−18``) as an int."""
    return int(NOT_DIGITS.sub("", text).replace("\u2212", "-"))


def category_names(store) -> dict:
    cats = store.categories()
    return {**dict(zip(cats["category_id"], cats["name"], strict=True)), TOTAL[0]: TOTAL[1]}


def expected_table(store, place_id: str, periods: list[str], categories: list[str]) -> dict:
    """``{category name: {period label: count, ..., "change": latest change}}`` from the core."""
    names = category_names(store)
    cmp = place_comparison(store, place_id, [parse_period(p) for p in periods], categories=categories)
    out = {}
    for cat, sub in cmp.groupby("category", sort=False):
        row = {sub.iloc[0]["period_a"]: int(sub.iloc[0]["count_a"])}
        row.update({r.period_b: int(r.count_b) for r in sub.itertuples()})
        row["change"] = int(sub.iloc[-1]["change"])
        out[names[cat]] = row
    return out


def shown_table(browser) -> dict:
    """The comparison table on the page in the shape of :func:`expected_table`."""
    table = browser.table("place-comparison")
    periods = [c for c in table["columns"] if re.match(r"^\d{4}–\d{4}\*?$", c)]
    out = {}
    for row in table["rows"]:
        values = {p.rstrip("*"): number(row[p]) for p in periods}
        values["change"] = number(row["Förändring"])
        out[row["Kategori"]] = values
    return out


def selected_categories(browser, store) -> list[str]:
    ids = {name: cat for cat, name in category_names(store).items()}
    return [ids[label] for label in browser.dropdown_labels("pl-cats")]


def latest_years(store, n: int) -> list[str]:
    """The last ``n`` Sep–Aug years with data (the last one is the year the data end in)."""
    until = store.data_until()
    last = until.year if until.month >= 9 else until.year - 1
    return [f"{y}–{y + 1}" for y in range(last - n + 1, last + 1)]


def check_place_view(browser, store, place_id: str, place_label: str, categories, periods) -> dict:
    """The controls show the view, and the table holds the core's numbers for it."""
    expected = expected_table(store, place_id, sorted(periods), list(categories))

    def shown_view():
        try:
            return (browser.dropdown_labels("pl-place"), selected_categories(browser, store),
                    browser.dropdown_labels("pl-periods"), shown_table(browser))
        except (KeyError, ValueError, TypeError):  # mid-redraw: a missing table or cell
            return None

    view = ([place_label], list(categories), list(periods), expected)
    # the table may still be redrawn just after a change; the asserts below show any difference
    with contextlib.suppress(TimeoutException):
        browser.wait(lambda d: shown_view() == view, "vyn stämmer inte", timeout=20)
    assert browser.dropdown_labels("pl-place") == [place_label]
    assert selected_categories(browser, store) == list(categories)
    assert browser.dropdown_labels("pl-periods") == list(periods)
    shown = shown_table(browser)
    assert shown == expected
    assert set(shown) == {category_names(store)[c] for c in (*categories, TOTAL[0])}
    return shown


def test_switching_place_and_period_shows_the_numbers_the_core_computes(browser, served_store):
    store = served_store
    browser.open("/plats/hasselby-torg", "#place-comparison")
    periods = latest_years(store, 4)
    categories = selected_categories(browser, store)
    assert len(categories) == 4
    first = check_place_view(browser, store, "hasselby-torg", "Hässelby torg (torg)", categories, periods)

    browser.choose("pl-place", "Vällingby centrum")
    browser.wait_location("/plats/vallingby-centrum")
    browser.settle("#place-comparison")
    second = check_place_view(browser, store, "vallingby-centrum", "Vällingby centrum (centrum)",
                              categories, periods)
    assert second != first

    browser.remove("pl-periods", periods[-1])
    browser.choose("pl-periods", "2016–2017")
    browser.wait(lambda d: "per=2016-2017" in browser.location()[1] and
                 f"per={periods[-1].replace('–', '-')}" not in browser.location()[1],
                 "perioderna skrivs inte i adressen")
    browser.settle("#place-comparison")
    third = check_place_view(browser, store, "vallingby-centrum", "Vällingby centrum (centrum)",
                             categories, [*periods[:-1], "2016–2017"])
    assert list(next(iter(third.values()))) == ["2016–2017", *periods[:-1], "change"]
    assert browser.console_errors() == []
    assert browser.server_errors() == []


PLACE_URL = ("/plats/skarholmen-centrum", "?kat=narkotikabrott&kat=personran&per=2018-2019&per=2019-2020"
                                          "&per=2020-2021")
PLACE_VIEW = ("skarholmen-centrum", "Skärholmen centrum (centrum)", ["narkotikabrott", "personran"],
              ["2018–2019", "2019–2020", "2020–2021"])


def test_a_copied_place_url_restores_the_view_reload_keeps_it_and_back_returns(browser, served_store):
    store = served_store
    browser.open("".join(PLACE_URL), "#place-comparison")
    shown = check_place_view(browser, store, *PLACE_VIEW)
    assert browser.location() == PLACE_URL

    browser.driver.refresh()
    browser.settle("#place-comparison")
    assert browser.location() == PLACE_URL
    assert check_place_view(browser, store, *PLACE_VIEW) == shown

    browser.choose("pl-place", "Vårberg")
    browser.wait_location("/plats/varberg", PLACE_URL[1])
    browser.settle("#place-comparison")
    check_place_view(browser, store, "varberg", "Vårberg (utsatt område)", *PLACE_VIEW[2:])

    browser.driver.back()
    browser.wait_location(*PLACE_URL)
    browser.wait(lambda d: browser.dropdown_labels("pl-place") == [PLACE_VIEW[1]],
                 "platsen återställs inte")
    browser.settle("#place-comparison")
    assert check_place_view(browser, store, *PLACE_VIEW) == shown
    assert browser.console_errors() == []


MODES = {"gi": "Heta punkter (Gi*)", "forandring": "Förändring mellan perioder"}  # URL value -> label
MAP_URL = ("/karta", "?omr=skarholmen&lage=forandring&kat=inbrott&per=2021-2022&jmf=2019-2020")


def map_controls(browser) -> dict:
    checked = browser.driver.find_element(By.CSS_SELECTOR, "#map-mode input:checked")
    mode = checked.find_element(By.XPATH, "./ancestor::label[1]").get_attribute("textContent").strip()
    disabled = browser.driver.find_elements(By.CSS_SELECTOR, "#map-period2 .Select.is-disabled")
    return {"area": browser.dropdown_labels("map-area"), "category": browser.dropdown_labels("map-cat"),
            "period": browser.dropdown_labels("map-period"), "mode": mode,
            "period2": browser.dropdown_labels("map-period2"), "period2_enabled": not disabled}


def tile_value(browser, label: str) -> str:
    xpath = (f"//*[@id='map-content']//div[normalize-space(.)='{label}']"
             "/following-sibling::div[1]")
    return browser.driver.find_element(By.XPATH, xpath).get_attribute("textContent")


def area_count(store, area: str, category: str, period: str) -> int:
    """Crimes of a category in an area during a period, summed from the store's monthly counts."""
    p = parse_period(period)
    m = store.monthly_counts(place_ids=[area], categories=[category])
    inside = m["month"].between(pd.Timestamp(p.start), pd.Timestamp(p.end))
    return int(m.loc[inside, "count"].sum())


def test_a_copied_map_url_restores_area_category_periods_and_mode(browser, served_store):
    view = {"area": ["Skärholmen (stadsdelsområde)"], "category": ["Inbrott"], "period": ["2021–2022"],
            "mode": MODES["forandring"], "period2": ["2019–2020"], "period2_enabled": True}
    crimes = area_count(served_store, "skarholmen", "inbrott", "2021-2022")
    assert crimes > 0
    browser.open("".join(MAP_URL), "#map-graph")
    assert map_controls(browser) == view
    assert number(tile_value(browser, "Brott i området")) == crimes

    browser.driver.refresh()
    browser.settle("#map-graph")
    assert browser.location() == MAP_URL
    assert map_controls(browser) == view

    browser.driver.find_element(By.XPATH, f"//*[@id='map-mode']//label[normalize-space(.)='{MODES['gi']}']"
                                          ).click()
    browser.wait_location("/karta", "?omr=skarholmen&kat=inbrott&per=2021-2022")
    browser.settle("#map-graph")
    assert map_controls(browser) == {**view, "mode": MODES["gi"], "period2_enabled": False}

    browser.driver.back()
    browser.wait_location(*MAP_URL)
    browser.wait(lambda d: map_controls(browser)["mode"] == MODES["forandring"],
                 "kartläget återställs inte")
    browser.settle("#map-graph")
    assert map_controls(browser) == view
    assert number(tile_value(browser, "Brott i området")) == crimes
    assert browser.console_errors() == []


JS_MAP_LABELS = """
return Array.from(document.querySelectorAll('#map-graph .annotation-text'))
    .map(t => t.textContent.trim()).filter(t => t);
"""


def test_the_map_names_places_offline_and_sums_several_categories_kept_in_the_url(browser, served_store):
    """The map draws the names itself (no glyphs from the internet): the district and every place
    in it; every activity is listed with its number and whether it lies in a hot spot; a second
    category is added in the multi-select, the count is the sum and the URL keeps both."""
    browser.open("/karta?omr=skarholmen&kat=inbrott&per=2021-2022", "#map-graph")
    labels = browser.driver.execute_script(JS_MAP_LABELS)
    places = served_store.places_gdf()
    inside = places.geometry.representative_point().within(
        places.loc[places["place_id"] == "skarholmen"].geometry.iloc[0])
    named = set(places.loc[inside & (places["kind"] != "stad"), "name"])
    assert named == {"Skärholmen", "Vårberg", "Bredäng", "Sätra", "Skärholmen centrum"}
    assert named <= set(labels)
    assert not browser.driver.find_elements(By.CSS_SELECTOR, "#map-graph .maplibregl-map")  # no MapLibre
    listed = browser.table("map-activities")
    assert listed["columns"][:4] == ["Nr", "Aktivitet", "Plats", "Ligger i het punkt"]
    assert [int(r["Nr"]) for r in listed["rows"]] == list(range(1, len(listed["rows"]) + 1))
    assert all(re.match(r"^(ja – het punkt|nej$|gäller hela området$)", r["Ligger i het punkt"])
               for r in listed["rows"])
    numbers = {r["Nr"] for r in listed["rows"]}
    assert any(n in lab for lab in labels for n in numbers)  # the rings carry the list's numbers

    one = area_count(served_store, "skarholmen", "inbrott", "2021-2022")
    both = one + area_count(served_store, "skarholmen", "skadegorelse", "2021-2022")
    browser.choose("map-cat", "Skadegörelse")
    browser.wait_location("/karta", "?omr=skarholmen&kat=inbrott&kat=skadegorelse&per=2021-2022")
    browser.wait(lambda d: number(tile_value(browser, "Brott i området")) == both,
                 "antalet blir inte summan av kategorierna")
    assert "räknas samman per ruta" in browser.text("map-content")
    browser.driver.refresh()
    browser.settle("#map-graph")
    assert browser.dropdown_labels("map-cat") == ["Inbrott", "Skadegörelse"]
    assert number(tile_value(browser, "Brott i området")) == both
    assert browser.console_errors() == []
