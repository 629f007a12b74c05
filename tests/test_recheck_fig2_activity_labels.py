"""Twelve activities at one place: their names on the month chart never lie over each other.

With more starts close together than the chart had rows for (five), the labels shared rows again
(``row % ACTIVITY_ROWS``) and lay over each other in every mode and size ("Aktivitet 18 ▶" over
"Aktivitet 14 ▶"). Now a name that finds no row where it stays clear keeps its dashed line but is left
out, and the subtitle says how many ("3 aktivitetsstarter till utan etikett – se Åtgärdsplanen"):
every start is named or counted. Checked on the Plats page (served by app.py) at 1920×1080 and
1366×768, normal and in meeting mode, with every text box of the chart measured, and in exports 16 cm
and (labels placed again for the width, :func:`lagesbild.figures.activity_marks.refit_activity_labels`)
8 cm wide.
"""

from __future__ import annotations

import copy
import json
import re

import pandas as pd
import pytest
import yaml

from lagesbild.figures import activity_marks, style
from lagesbild.figures.trend import make_trend_months
from tests.e2e_support import (
    JS_LAYOUT_PROBLEMS,
    SELENIUM_WARNINGS,
    Browser,
    app_process,
    make_driver,
    set_viewport,
)
from tests.square_place import demo_with_files, square

PLACE, NAME = "stortorget-fig2", "Stortorget"
STARTS = ["2021-10-01", "2021-11-01", "2022-01-01", "2022-02-01", "2022-03-01", "2022-05-01", "2022-06-01",
          "2022-09-01", "2022-10-01", "2022-12-01", "2023-02-01", "2023-04-01"]
CATEGORIES = {"Skadegörelse": 35000, "Våldsbrott": 34000, "Inbrott": 36000, "Stöld": 33000,
              "Våld i offentlig miljö": 35500}
SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
NOTE = re.compile(r"(\d+)\s*aktivitetsstart(?:er)?\s*till\s*utan\s*etikett\s*–\s*se\s*Åtgärdsplanen")  # lines run together

#: the month chart's activity lines (from its figure) and the activity names drawn, and its subtitle
JS_MONTH_LABELS = """
const gd = document.querySelector('#place-trend_months .js-plotly-plot');
const lines = (gd.layout.shapes || []).filter(s => s.name === 'activity_start').length;
const drawn = Array.from(gd.querySelectorAll('.annotation-text')).map(t => t.textContent)
    .filter(t => t.includes('▶'));
const sub = Array.from(gd.querySelectorAll('.gtitle-subtitle')).map(t => t.textContent).join(' ');
return [lines, drawn, sub];
"""


def write_inputs(folder) -> dict:
    """A square place with ≈35 000 crimes a month in five categories (2018 – Aug 2023) and twelve
    activities starting in different months."""
    (folder / "places.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square(18.04, 59.292, 0.004)},
         "properties": {"place_id": PLACE, "namn": NAME, "typ": "torg", "stadsdelsomrade": "enskede-arsta-vantor",
                        "befolkning": 23456, "ungefarlig": False}}]}, ensure_ascii=False), encoding="utf-8")
    rows = ["Plats;Brottskategori;Månad;Antal"]
    for year in range(2018, 2024):
        for month in range(1, 13 if year < 2023 else 9):
            k = (year * 12 + month) % 7
            rows += [f"{NAME};{c};{year}-{month:02d};{base + 137 * k}" for c, base in CATEGORIES.items()]
    (folder / "crimes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    activities = [{"id": f"fig2-{i}", "aktivitet": f"Aktivitet {i + 10}", "prioriterat område": "Ordningsvakter",
                   "plats": [PLACE], "löptid": "Tillsvidare", "start": start} for i, start in enumerate(STARTS)]
    (folder / "activities.yaml").write_text(yaml.safe_dump(activities, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    return {"places": folder / "places.geojson", "crimes": folder / "crimes.csv",
            "activities": folder / "activities.yaml"}


@pytest.fixture(scope="module")
def store(demo_store_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fig2-activities")
    settings, store = demo_with_files(demo_store_path, folder, write_inputs(folder), "fig2.sqlite")
    return folder, settings, store


@pytest.fixture(scope="module")
def served(store):
    folder = store[0]
    driver = make_driver()
    try:
        with app_process(folder, folder / "fig2.sqlite") as url:
            yield Browser(driver, url)
    finally:
        driver.quit()


def _named_or_counted(lines: int, drawn: list[str], sub: str) -> None:
    noted = NOTE.search(sub.replace("\u00a0", " "))
    assert len(drawn) + (int(noted.group(1)) if noted else 0) == lines, (lines, drawn, sub)
    assert len(drawn) >= 5, drawn  # named where there is room, not left out wholesale


@pytest.mark.browser
@pytest.mark.filterwarnings(SELENIUM_WARNINGS)
@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "mote"])
@pytest.mark.parametrize("size", list(SIZES))
def test_activity_names_on_the_place_page_never_overlap(served, size, meeting):
    set_viewport(served.driver, *SIZES[size])
    served.open(f"/plats/{PLACE}" + ("?mote=1" if meeting else ""), "#_pages_content h1")
    problems = [p for p in served.driver.execute_script(JS_LAYOUT_PROBLEMS) if p.startswith("place-trend")]
    assert problems == []
    lines, drawn, sub = served.driver.execute_script(JS_MONTH_LABELS)
    assert lines == len(STARTS)  # the place page shows Sep 2019 – Aug 2023: every start
    _named_or_counted(lines, drawn, sub)


@pytest.mark.browser
@pytest.mark.filterwarnings(SELENIUM_WARNINGS)
def test_activity_names_in_exports_16_and_8_cm_never_overlap(store, tmp_path):
    from lagesbild.core.periods import parse_period
    from lagesbild.export.charts import build_chart
    from lagesbild.export.data import ExportData
    from lagesbild.export.figure import export_figure
    from tests.test_narrow_chart_export import JS_TEXT_PROBLEMS

    _, settings, st = store
    chart = build_chart(ExportData(st, settings), "months", PLACE,
                        [parse_period("2021–2022"), parse_period("2022–2023")])
    driver = make_driver()
    try:
        for width_cm in (16, 8):
            fig = copy.deepcopy(chart.fig)  # export_figure places the labels again for the width
            path = export_figure(fig, tmp_path / f"months-{width_cm}.svg", fmt="svg", width_cm=width_cm)
            driver.get(path.resolve().as_uri())
            found = driver.execute_script(JS_TEXT_PROBLEMS)
            assert found["problems"] == [], (width_cm, found["problems"])
            drawn = [t for t in found["texts"] if "▶" in t]
            lines = sum(1 for s in fig.layout.shapes if s.name == activity_marks.LINE_NAME)
            assert lines == len(STARTS)
            _named_or_counted(lines, drawn, " ".join(found["texts"]))
    finally:
        driver.quit()


def test_starts_without_room_keep_their_line_and_are_counted_in_the_subtitle():
    """Twelve starts a month or two apart in a meeting panel: at most five rows, none reused."""
    months = pd.date_range("2021-09-01", "2023-08-01", freq="MS")
    series = pd.DataFrame({"category": "skadegorelse", "month": months,
                           "count": pd.array([35000] * len(months), dtype="Int64")})
    acts = pd.DataFrame({"aktivitet": [f"Aktivitet {i + 10}" for i in range(len(STARTS))],
                         "start_date": pd.to_datetime(STARTS)})
    ctx = style.FigureContext(meeting=True)
    fig = make_trend_months(series, activities=acts, context=ctx)
    labels = [a for a in fig["layout"]["annotations"] if a.get("name") == activity_marks.LABEL_NAME]
    shown = [a for a in labels if a.get("visible") is not False]
    lines = [s for s in fig["layout"]["shapes"] if s.get("name") == activity_marks.LINE_NAME]
    assert len(lines) == len(labels) == len(STARTS)
    row = style.sizes(ctx)["font"] - 2
    assert all(-a["yshift"] < activity_marks.ACTIVITY_ROWS * row * 1.3 + 1e-9 + 5 * activity_marks.ROW_GAP
               for a in shown)
    hidden = len(labels) - len(shown)
    assert hidden > 0  # a meeting panel has no room for all twelve
    assert activity_marks.unlabelled_note(hidden) in fig["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
