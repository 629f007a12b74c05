"""Meeting mode on a store the demo has not got, at the sizes a kommun's projector really has.

The demo store plus: a place named "Enskede-Årsta-Vantör stadsdelsområde, Östberga-Årstadal" with
five-digit yearly counts, a place with one category only, an activity of a 300-character name that
starts two months after another at the same place, follow-ups with long words and line breaks, and a
survey of sixteen questions whose district shares are small (the district's diamond then stood on the
place's share at the base of the bar). Served by app.py in its own process; the session's browser visits it.

Checked in meeting mode at 1920×1080, 1366×768, 1280×720 and 1920×1080 at a browser zoom of 125 %
(a CSS viewport of 1536×864 at device scale 1.25): nothing runs out sideways or is cut, no two texts
of a chart overlap (:data:`tests.e2e_support.JS_LAYOUT_PROBLEMS`), no toolbar, every survey question
named on its axis and no marker over a label.
"""

from __future__ import annotations

import json

import pytest
import yaml

from tests.e2e_support import (
    JS_LAYOUT_PROBLEMS,
    SELENIUM_WARNINGS,
    own_app,
    set_viewport,
)
from tests.square_place import demo_with_files

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

LONG = "Enskede-Årsta-Vantör stadsdelsområde, Östberga-Årstadal"
TORG = "Årsta torg och Årstabergs pendeltågsstations uppgångar"
ACTIVITY = ("Samordnad trygghetsskapande och brottsförebyggande platssamverkan i Östberga-Årstadal med "
            "fastighetsägare, bostadsbolag, polisen, trafikförvaltningen, skolor, fritidsgårdar och "
            "föreningslivet enligt den gemensamt upprättade och av beredningsgruppen fastställda "
            "aktivitetslistan för perioden 2020–2024 med uppföljning")[:300]
QUESTIONS = ["Otrygg utomhus sent en kväll i området", "Oro för att utsättas för brott", "Nedskräpning",
             "Berusade personer stör ordningen", "Narkotikapåverkade personer stör ordningen",
             "Skadegörelse (klotter, sönderslagna rutor) är ett problem",
             "Personer som säljer narkotika syns öppet i området",
             "Bilar körs på ett störande sätt (buskörning, hög hastighet)", "Ungdomsgäng som bråkar eller stör",
             "Dålig belysning på gator, gång- och cykelvägar",
             "Avstår från aktiviteter på grund av oro för brott", "Förtroende för polisens arbete i området",
             "Förtroende för stadsdelsförvaltningens arbete i området",
             "Utsatt för våld eller hot om våld under de senaste tolv månaderna",
             "Bostadsinbrott eller försök till inbrott i bostaden", "Otrygg i kollektivtrafiken kvällstid"]
#: meeting mode's sizes: (CSS width, CSS height, device scale)
SIZES = {"1920x1080": (1920, 1080, 1), "1366x768": (1366, 768, 1), "1280x720": (1280, 720, 1),
         "1920x1080-zoom125": (1536, 864, 1.25)}
PAGES = ["/plats/ostberga-arstadal", "/plats/arsta-torg", "/plats/enskede-arsta-vantor",
         "/trygghet?plats=ostberga-arstadal", "/atgardsplan?sdo=enskede-arsta-vantor", "/",
         "/karta?omr=enskede-arsta-vantor", "/jamfor?plats=ostberga-arstadal,arsta-torg,hasselby-torg"]


def _square(lon, lat, d=0.006):
    return [[[lon - d, lat - d / 2], [lon + d, lat - d / 2], [lon + d, lat + d / 2], [lon - d, lat + d / 2],
             [lon - d, lat - d / 2]]]


def write_inputs(folder) -> dict:
    """The probe's files: places, crimes (monthly, 2016 – Aug 2023), survey and activities."""
    places = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": _square(18.040, 59.292)},
         "properties": {"place_id": "ostberga-arstadal", "namn": LONG, "typ": "utsatt_omrade",
                        "stadsdelsomrade": "enskede-arsta-vantor", "befolkning": 23456, "ungefarlig": False}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": _square(18.005, 59.300)},
         "properties": {"place_id": "arsta-torg", "namn": TORG, "typ": "torg",
                        "stadsdelsomrade": "enskede-arsta-vantor", "befolkning": 1200, "ungefarlig": True}}]}
    (folder / "places.geojson").write_text(json.dumps(places, ensure_ascii=False), encoding="utf-8")
    big = {"Skadegörelse": 1100, "Våldsbrott": 900, "Inbrott": 120, "Våld i offentlig miljö": 60}
    rows = ["Plats;Brottskategori;Månad;Antal"]
    for year in range(2016, 2024):
        for month in range(1, 13 if year < 2023 else 9):
            k = (year * 12 + month) % 7
            rows += [f"{LONG};{cat};{year}-{month:02d};{int(base * (1 + 0.03 * (year - 2016))) + k}"
                     for cat, base in big.items()]
            rows.append(f"{TORG};Skadegörelse;{year}-{month:02d};{10 + k}")
    (folder / "crimes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    survey = ["Område;Nivå;År;Indikator;Andel (%);Antal svarande;Fiktiv"]
    for year in (2019, 2021, 2023):
        for i, question in enumerate(QUESTIONS):
            survey += [f"{LONG};plats;{year};{question};{10 + (i * 7) % 60 + year - 2019};"
                       f"{12345 if i % 2 else 312};ja",
                       f"Enskede-Årsta-Vantör;stadsdelsomrade;{year};{question};{2 + i % 3};20000;ja",
                       f"Stockholm;stad;{year};{question};{3.5 + i % 4};45000;ja"]
    (folder / "survey.csv").write_text("\n".join(survey) + "\n", encoding="utf-8")
    activities = [
        {"id": "probe-long", "aktivitet": ACTIVITY, "prioriterat område": "Riktat arbete mot avgränsade "
         "platser och utsatta områden", "plats": ["ostberga-arstadal", "arsta-torg"], "löptid": "Tillsvidare",
         "start": "2020-03-01", "mötesfrekvens": "1 gång per månad",
         "uppföljning": {2021: {"T1": {"mål uppfyllt": "delvis", "genomförda aktiviteter":
                                       "Fastighetsägarsamverkansöverenskommelsearbetsgruppsmöten hölls.\n"
                                       "Rad två: trygghetsvandringsdeltagarförteckningen uppdaterades.\n\n"
                                       "https://www.stockholm.se/mycket/lang/adress/utan/mellanslag/som/"
                                       "inte/kan/brytas/alls/trygghetsmatning2021.pdf"}}}},
        {"id": "probe-ended", "aktivitet": "Avslutad kameraövervakning vid Årsta torg",
         "prioriterat område": "Kamerabevakning", "plats": ["arsta-torg"], "löptid": "2021-12-31",
         "start": "2020-01-01"},
        {"id": "probe-open", "aktivitet": "Ordningsvakter i Östberga", "prioriterat område": "Ordningsvakter",
         "plats": ["ostberga-arstadal"], "löptid": "Tillsvidare"}]
    (folder / "activities.yaml").write_text(yaml.safe_dump(activities, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    return {"places": folder / "places.geojson", "crimes": folder / "crimes.csv",
            "survey": folder / "survey.csv", "activities": folder / "activities.yaml"}


@pytest.fixture(scope="module")
def probe_browser(browser, demo_store_path, tmp_path_factory):
    """The session's browser on an app of its own: the demo store plus the probe's files, served by
    app.py in its own process (a second Dash app in this process would share Dash's page registry with
    the session's app and change what its pages show)."""
    folder = tmp_path_factory.mktemp("meeting-probe")
    demo_with_files(demo_store_path, folder, write_inputs(folder), "probe.sqlite")
    with own_app(browser, folder, folder / "probe.sqlite") as served:
        yield served


#: the survey charts' question labels hidden by plotly (it leaves labels out when rows are tight) or
#: covered by the district's or the city's marker, per chart: [graph, labels drawn, questions, covered]
JS_SURVEY_LABELS = """
const out = [];
for (const gd of document.querySelectorAll('#place-survey .js-plotly-plot, #survey-latest .js-plotly-plot')) {
    const shown = Array.from(gd.querySelectorAll('.ytick text')).filter(t => t.textContent.trim());
    // the questions and the shares (on the old code the shares were the bars' texts, at their base)
    const labels = shown.concat(Array.from(gd.querySelectorAll('.bartext, .textpoint text')))
        .map(t => t.getBoundingClientRect()).filter(r => r.width > 0);
    const marks = Array.from(gd.querySelectorAll('.scatterlayer .point'))
        .filter(p => Number(getComputedStyle(p).opacity) > 0)
        .map(p => p.getBoundingClientRect()).filter(r => r.width > 0);
    const covered = labels.filter(a => marks.some(b => a.left < b.right - 1 && b.left < a.right - 1
                                                       && a.top < b.bottom - 1 && b.top < a.bottom - 1));
    out.push([gd.closest('[id]').id, shown.length, gd._fullLayout.yaxis._categories.length, covered.length]);
}
return out;
"""


@pytest.mark.parametrize("size", list(SIZES))
def test_meeting_mode_fits_a_store_the_demo_has_not_got(probe_browser, size):
    """Every page of the probe's places at one of the four sizes, in meeting mode: found broken on
    the old code were the survey's sixteen questions (plotly left every other out, the rest overlapped,
    the district's diamonds stood on the shares), the yearly chart's upright five-digit counts in its
    subtitle, two activities' labels over each other, and the long place name cut in its dropdown."""
    width, height, scale = SIZES[size]
    driver = probe_browser.driver
    set_viewport(driver, width, height, scale)
    problems, labels = [], []
    for path in PAGES:
        probe_browser.open(path + ("&" if "?" in path else "?") + "mote=1", "#_pages_content h1")
        problems += [(path, p) for p in driver.execute_script(JS_LAYOUT_PROBLEMS)]
        assert driver.execute_script("return document.querySelectorAll('.modebar-btn').length") == 0, path
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width, path
        labels += [(path, *found) for found in driver.execute_script(JS_SURVEY_LABELS)]
    assert problems == []
    # every question named, none under a marker (Plats and Trygghet of Östberga, Plats of the district)
    assert len(labels) == 3, labels
    assert all(drawn == questions == len(QUESTIONS) and covered == 0
               for _, _, drawn, questions, covered in labels), labels
