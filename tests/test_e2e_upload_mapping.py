"""End to end: a file with unknown columns and categories is mapped in the browser, on the Data page.

The form offers the canonical columns by their Swedish labels and the categories by their Swedish names
(never ids), preselected with the suggestion; "Pröva igen" validates with the choices, "Läs in" writes
and saves the mapping per source; the next file of the same header gets it applied with a visible note,
and it can be forgotten. A places GeoJSON uploaded the same way shows up in the place picker.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from selenium.webdriver.common.by import By

from lagesbild.ingest.mappings import SavedMappings
from lagesbild.sources.mapping import load_mapping
from tests.e2e_support import JS_LAYOUT_PROBLEMS, SELENIUM_WARNINGS, SIZES

pytestmark = pytest.mark.filterwarnings(SELENIUM_WARNINGS)

SOURCE = "brott-mappad-i-webben"
HEADER = "Område;Brottsgrupp;Månad;Antal anmälda;Kommentar\n"
ROWS = [("Fickstöld på torget", 4), ("Bus och klotter", 5), ("Snatteri i butik X", 2),
        ("Snatteri i butik Y", 3), ("Okänt övrigt", 7)]
#: what the form is given: (text, category name chosen or None to keep the suggestion)
CHOICES = {"Bus och klotter": None, "Fickstöld på torget": "Stöld", "Okänt övrigt": "ignorera",
           "Snatteri i butik X": None, "Snatteri i butik Y": None}


def _file(path, month: str):
    """The crime file; its place is one of the built-in geography (stored when first named), so the
    numbers of the places other tests look at do not change."""
    path.write_text(HEADER + "".join(f"Boden;{text};{month};{n};x\n" for text, n in ROWS),
                    encoding="utf-8")
    return path


def _upload(browser, path) -> None:
    browser.driver.find_element(By.CSS_SELECTOR, "#dt-upload input[type=file]").send_keys(str(path))


def _commit_enabled(browser) -> bool:
    return browser.driver.find_element(By.ID, "dt-commit").is_enabled()


def _stored(store, month: str) -> dict:
    """This source's stored counts of ``month`` (YYYY-MM) by category."""
    rows = [r for r in store.dump()["crime_counts"] if r[1] == SOURCE and str(r[4]).startswith(month)]
    return {r[3]: r[6] for r in rows}


def _form_rows(browser, prefix: str) -> list[tuple[str, str]]:
    """(text, chosen label) of each row of the mapping form whose control id starts with ``prefix``."""
    rows = []
    for row in browser.driver.find_elements(By.CSS_SELECTOR, "#dt-map-form .map-row"):
        choice = row.find_element(By.CSS_SELECTOR, ".map-choice")
        if choice.get_attribute("id").startswith(prefix):
            label = choice.find_elements(By.CSS_SELECTOR, ".Select-value-label")
            rows.append((row.find_element(By.CSS_SELECTOR, ".map-text").text,
                         label[0].text.strip() if label else ""))
    return rows


def _start(browser, path, query: str = "") -> None:
    browser.open("/data" + query, "#data-counts")
    browser.choose("dt-kind", "Anmälda brott, aggregerade")
    source = browser.driver.find_element(By.ID, "dt-source")
    source.send_keys(SOURCE + "\n")
    browser.settle()
    _upload(browser, path)
    browser.settle("#dt-report .report")


def test_unknown_columns_and_categories_are_mapped_in_the_form_then_saved_and_reused(
        browser, served_store, e2e_store, tmp_path):
    settings = e2e_store[0]
    book = SavedMappings(settings.data_dir)
    book.forget(SOURCE)
    first = _file(tmp_path / "brott-jan.csv", "2021-01")
    _start(browser, first)

    # 1. the columns are asked first: nothing can be read without a category and a count column
    assert not _commit_enabled(browser)
    assert [t for t, _ in _form_rows(browser, "dt-col-")] == [
        "Kolumn ”Brottsgrupp”", "Kolumn ”Antal anmälda”", "Kolumn ”Kommentar”"]
    assert "Saknas: Brottskategori, Antal" in browser.text("dt-map-missing")
    browser.choose("dt-col-0", "Brottskategori")
    browser.choose("dt-col-1", "Antal")
    browser.driver.find_element(By.ID, "dt-retry").click()
    browser.settle("#dt-cat-0")

    # 2. now the category texts, by Swedish name, preselected with the same-family suggestion
    cats = _form_rows(browser, "dt-cat-")
    assert cats == [("”Bus och klotter”", "Skadegörelse"), ("”Fickstöld på torget”", "Stöld"),
                    ("”Okänt övrigt”", ""), ("”Snatteri i butik X”", "Tillgrepp i butik"),
                    ("”Snatteri i butik Y”", "Tillgrepp i butik")]
    browser.screenshot("data-mappning-formular")
    for i, (text, _label) in enumerate(cats):
        label = CHOICES[text.strip("”")]
        if label:
            browser.choose(f"dt-cat-{i}", label)
    before = _stored(served_store, "2021-01")
    browser.driver.find_element(By.ID, "dt-retry").click()
    browser.wait(lambda d: _commit_enabled(browser), "filen kan inte läsas in med mappningen")
    browser.settle()
    report = browser.text("dt-report")
    assert "Godkända rader: 3" in report and "Avvisade rader: 0" in report
    assert 'ej använd kategori "Okänt övrigt" (1)' in report
    assert _stored(served_store, "2021-01") == before == {}  # validated, not written

    # the form's mapping as the YAML file the CLI's --mapping reads
    downloads = tmp_path / "nedladdat"
    downloads.mkdir()
    browser.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {
        "behavior": "allow", "downloadPath": str(downloads)})
    browser.driver.find_element(By.ID, "dt-yaml").click()
    yaml_file = downloads / f"{SOURCE}.yaml"
    browser.wait(lambda d: yaml_file.exists() and yaml_file.stat().st_size > 0, "ingen YAML laddas ner")
    downloaded = load_mapping(str(yaml_file))

    # 3. "Läs in" writes (two texts summed into one category) and saves the mapping for the CLI
    browser.driver.find_element(By.ID, "dt-commit").click()
    browser.wait(lambda d: "inläst" in browser.text("dt-result"), "filen läses inte in")
    browser.settle()
    assert _stored(served_store, "2021-01") == {"skadegorelse": 5, "stold": 4, "tillgrepp_butik": 5}
    assert f"sparades som '{SOURCE}'" in browser.text("dt-map-saved")
    assert browser.driver.find_elements(By.ID, "dt-map-form") == []  # done with once read in
    saved = book.load(SOURCE, "crimes")
    assert saved == {"columns": {"category": "Brottsgrupp", "count": "Antal anmälda"},
                     "categories": {"Bus och klotter": "skadegorelse", "Fickstöld på torget": "stold",
                                    "Okänt övrigt": "ignorera", "Snatteri i butik X": "tillgrepp_butik",
                                    "Snatteri i butik Y": "tillgrepp_butik"}}
    assert replace(downloaded, source="-") == replace(load_mapping(saved), source="-")

    # 4. the next file of the same header: the saved mapping is applied, said so, and nothing is asked
    second = _file(tmp_path / "brott-feb.csv", "2021-02")
    _start(browser, second)
    browser.wait(lambda d: _commit_enabled(browser), "den sparade mappningen används inte")
    browser.settle()
    assert browser.text("dt-saved-name") == f"Sparad mappning '{SOURCE}' används"
    assert browser.driver.find_elements(By.ID, "dt-map-form") == []
    browser.screenshot("data-mappning-sparad")
    browser.driver.find_element(By.ID, "dt-commit").click()
    browser.wait(lambda d: "inläst" in browser.text("dt-result"), "filen läses inte in")
    browser.settle()
    assert _stored(served_store, "2021-02") == {"skadegorelse": 5, "stold": 4, "tillgrepp_butik": 5}

    # 5. it can be forgotten
    browser.driver.find_element(By.ID, "dt-forget").click()
    browser.wait(lambda d: d.find_elements(By.ID, "dt-forgotten"), "mappningen glöms inte")
    assert not book.path(SOURCE).exists()
    assert browser.console_errors() == []
    assert browser.server_errors() == []


def test_two_columns_given_one_meaning_is_refused_in_swedish(browser, e2e_store, tmp_path):
    SavedMappings(e2e_store[0].data_dir).forget(SOURCE)
    _start(browser, _file(tmp_path / "brott-dubbel.csv", "2021-03"))
    browser.choose("dt-col-0", "Brottskategori")
    browser.choose("dt-col-2", "Brottskategori")
    browser.driver.find_element(By.ID, "dt-retry").click()
    browser.wait(lambda d: "välj en" in browser.text("dt-map-error"), "inget fel visas")
    assert "Brottskategori" in browser.text("dt-map-error")
    assert not _commit_enabled(browser)
    assert browser.server_errors() == []


def test_a_places_file_uploaded_in_the_browser_appears_in_the_place_picker(browser, served_store,
                                                                            tmp_path):
    ring = [[17.8400, 59.3600], [17.8440, 59.3600], [17.8440, 59.3620], [17.8400, 59.3620],
            [17.8400, 59.3600]]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
               "properties": {"id": "provtorget", "namn": "Provtorget", "typ": "torg",
                              "stadsdelsområde": "Hässelby-Vällingby"}}
    path = tmp_path / "nya-platser.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False),
                    encoding="utf-8")
    browser.open("/data", "#data-counts")
    _upload(browser, path)
    browser.wait(lambda d: _commit_enabled(browser), "platsfilen kan inte läsas in")
    browser.settle()
    assert "Godkända rader: 1" in browser.text("dt-report")
    assert "provtorget" not in set(served_store.places()["place_id"])  # validated, not written
    browser.driver.find_element(By.ID, "dt-commit").click()
    browser.wait(lambda d: "inläst" in browser.text("dt-result"), "platsfilen läses inte in")
    browser.settle()
    places = served_store.places().set_index("place_id")
    assert places.loc["provtorget", "name"] == "Provtorget"
    assert places.loc["provtorget", "district_id"] == places.loc[
        places["name"] == "Hässelby-Vällingby"].index[0]

    browser.open("/plats/hasselby-torg", "#pl-place")
    browser.choose("pl-place", "Provtorget")
    browser.settle()
    assert browser.dropdown_labels("pl-place") == ["Provtorget (torg)"]
    browser.wait_location("/plats/provtorget")
    assert browser.console_errors() == []
    assert browser.server_errors() == []


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "mote"])
@pytest.mark.parametrize("size", list(SIZES))
def test_the_mapping_form_fits_the_window(browser, window, e2e_store, tmp_path, size, meeting):
    """The form with its category rows: nothing runs out sideways or is cut, at both sizes."""
    SavedMappings(e2e_store[0].data_dir).forget(SOURCE)
    window(*SIZES[size])
    _start(browser, _file(tmp_path / "brott-mars.csv", "2021-03"), "?mote=1" if meeting else "")
    browser.choose("dt-col-0", "Brottskategori")
    browser.choose("dt-col-1", "Antal")
    browser.driver.find_element(By.ID, "dt-retry").click()
    browser.settle("#dt-cat-4")
    browser.driver.execute_script("document.getElementById('dt-map-form').scrollIntoView()")
    browser.screenshot(f"data-mappning-{size}{'-mote' if meeting else ''}", full_page=False)
    assert browser.driver.execute_script(JS_LAYOUT_PROBLEMS) == []
    assert browser.server_errors() == []
