"""A long place name chosen in a multi-value dropdown keeps its × beside the name.

Found on Jämför platser with a place named "Hässelby torg och Hässelby gårds centrum med omgivande
gångstråk" (64 characters) at 1024×768 and 1280×720, in and out of meeting mode: the chosen value's
remove button (×) and its name are two inline blocks, and a name too long for the rest of the line
went to a line of its own under the ×, leaving a line with a lone × above the name. The value is now
a flex row: the × stays at the left of the name, which wraps beside it.

Measured in the rendered page: the × and the name's boxes (getBoundingClientRect) — the × must start
at the name's first line, left of the name.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e_support import SELENIUM_WARNINGS, VIEWPORT, own_app, set_viewport
from tests.square_place import demo_with_files, square

pytestmark = [pytest.mark.filterwarnings(SELENIUM_WARNINGS), pytest.mark.browser]

LONG = "Hässelby torg och Hässelby gårds centrum med omgivande gångstråk"
#: each chosen value of the dropdown: [its label, the ×'s top, the label's top, the ×'s right, the label's left]
JS_CHIPS = """
return Array.from(document.querySelectorAll('#cmp-places .Select-value')).map(v => {
    const x = v.querySelector('.Select-value-icon').getBoundingClientRect();
    const label = v.querySelector('.Select-value-label');
    const l = label.getBoundingClientRect();
    return [label.textContent, x.top, l.top, x.right, l.left];
});
"""


@pytest.fixture(scope="module")
def long_name_browser(browser, demo_store_path, tmp_path_factory):
    """The session's browser on app.py serving the demo store plus a place with a 64-character name."""
    folder = tmp_path_factory.mktemp("recheck-screens-chips")
    (folder / "places.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square(17.855, 59.368, 0.004)},
         "properties": {"place_id": "hasselby-gard-langt", "namn": LONG, "typ": "torg",
                        "stadsdelsomrade": "hasselby-vallingby", "befolkning": 3200, "ungefarlig": True}}]},
        ensure_ascii=False), encoding="utf-8")
    rows = ["Plats;Brottskategori;Månad;Antal"]
    rows += [f"{LONG};Skadegörelse;{y}-{m:02d};{5 + m}" for y in range(2020, 2024) for m in range(1, 13)
             if (2020, 9) <= (y, m) <= (2023, 8)]
    (folder / "crimes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    demo_with_files(demo_store_path, folder, {"places": folder / "places.geojson",
                                              "crimes": folder / "crimes.csv"}, "chips.sqlite")
    with own_app(browser, folder, folder / "chips.sqlite") as served:
        yield served
    set_viewport(browser.driver, *VIEWPORT)


@pytest.mark.parametrize(("width", "height", "mode"), [(1024, 768, ""), (1280, 720, "&mote=1")])
def test_the_remove_button_stays_beside_a_long_chosen_name(long_name_browser, width, height, mode):
    set_viewport(long_name_browser.driver, width, height)
    long_name_browser.open(f"/jamfor?plats=hasselby-gard-langt,hasselby-torg{mode}", "#cmp-places .Select-value")
    chips = long_name_browser.driver.execute_script(JS_CHIPS)
    assert [c[0].strip() for c in chips] == [f"{LONG} (torg)", "Hässelby torg (torg)"], chips
    apart = [c for c in chips if abs(c[1] - c[2]) > 2 or c[3] > c[4] + 1]
    assert apart == [], f"× på en egen rad över namnet (namn, ×-topp, namntopp, ×-höger, namn-vänster): {apart}"
