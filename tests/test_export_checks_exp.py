"""Exports checked with a store and inputs of their own: a place with yearly counts only, the PDF's
headings over bullet lists, dates and numbers in the data files, long place names in file names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import plotly.graph_objects as go
import pytest

from lagesbild.cli import main
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from tests.test_export_edges import yearly_counts_store

DATA = Path(__file__).resolve().parent / "data"


def _texts(fig) -> str:
    return " ".join(a.text or "" for a in go.Figure(fig).layout.annotations)


@pytest.fixture(scope="module")
def yearly_only(tmp_path_factory):
    """Vårberg and Skärholmen with yearly counts only (no month has a count), one sensitive category."""
    return yearly_counts_store(tmp_path_factory.mktemp("exp-yearly"),
                               ("Personrån", "Skadegörelse", "Våld i nära relation"))


@pytest.mark.parametrize("external", [False, True])
def test_month_chart_without_any_monthly_count_does_not_blame_hidden_small_counts(yearly_only, external):
    """A place with yearly counts only has no monthly count at all; its month chart said "alla antal är
    små i en känslig kategori och visas inte", also in an internal pack where nothing is hidden."""
    from lagesbild.export.charts import months_chart
    from lagesbild.export.data import ExportData, parse_periods

    cfg, store = yearly_only
    data = ExportData(store, cfg, external=external)
    chart = months_chart(data, data.place("varberg"), parse_periods(["2021–2022", "2022–2023"]))
    counts = chart.data["Antal anmälda brott"]
    assert counts.isna().all()  # the premise: not one monthly count
    text = _texts(chart.fig)
    assert "Inget att visa" in text
    assert "känslig" not in text, text


def _pdf_pages(path) -> list[str]:
    import subprocess

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")


def test_a_pdf_heading_is_never_left_alone_at_the_foot_of_a_page_above_its_bullets(tmp_path):
    """The methods section's last heading ("Vad siffrorna inte kan visa") stood at the foot of a page
    and its list on the next: reportlab keeps no heading with a list flowable. Whatever the text
    before it, the heading and the list's first item share a page."""
    from lagesbild.export.content import Bullets, Document, Heading, Paragraph
    from lagesbild.export.pdf_writer import write_pdf

    filler = "Fyllnadstext för att flytta rubriken nedåt på sidan, rad för rad."
    for n in range(28, 40):  # the heading moves down the first page and over onto the second
        doc = Document("Test").add(Heading("Metod", 1), *[Paragraph(f"{i}. {filler}") for i in range(n)],
                                   Heading("Rubriken här", 2),
                                   Bullets([f"Punkt nummer {i} i listan under rubriken, som en mening."
                                            for i in range(8)]))
        pages = _pdf_pages(write_pdf(doc, tmp_path / f"t{n}.pdf"))
        heading = next(i for i, page in enumerate(pages) if "Rubriken här" in page)
        first = next(i for i, page in enumerate(pages) if "Punkt nummer 0 " in page)
        assert heading == first, f"{n} lines before: heading on page {heading + 1}, list on {first + 1}"


def test_xlsx_dates_of_whole_days_are_dates_without_a_time_of_day(tmp_path):
    """The pack's comparison, trend and month files had "2021-09-01 00:00:00" in every date cell
    (a datetime with Excel's format yyyy-mm-dd h:mm:ss); the CSV beside them says 2021-09-01."""
    import openpyxl
    import pandas as pd

    from lagesbild.export.tables import csv_text, write_xlsx

    frame = pd.DataFrame({"Från": pd.to_datetime(["2021-09-01", "2022-09-01"]),
                          "Skriven": pd.to_datetime(["2023-10-05 14:30", "2023-10-06 09:05"]),
                          "Antal": [3, 4]})
    ws = openpyxl.load_workbook(write_xlsx({"T": frame}, tmp_path / "t.xlsx"))["T"]
    days = [ws.cell(r, 1) for r in (2, 3)]
    assert [c.value for c in days] == [dt.datetime(2021, 9, 1), dt.datetime(2022, 9, 1)]
    assert all(c.is_date and "h" not in c.number_format.lower() for c in days), [c.number_format for c in days]
    times = [ws.cell(r, 2) for r in (2, 3)]
    assert [c.value for c in times] == [dt.datetime(2023, 10, 5, 14, 30), dt.datetime(2023, 10, 6, 9, 5)]
    assert all("h" in c.number_format.lower() for c in times)  # a time of day is kept
    assert csv_text(frame[["Från"]]).splitlines()[1] == "2021-09-01"


PLAN = """prioriterade områden:
  - namn: Platssamverkan
    aktiviteter:
      - aktivitet: Platssamverkan Vårberg
        plats: vårberg
        start: 2020-09-01
        slut: 2021-12-31
        sammankallande: SDF preventionsstrateg
      - aktivitet: Fortsätta platssamverkan kring Hässelby torg
        plats: Hässelby torg
        löptid: Start februari 2019, tillsvidare
"""


@pytest.fixture(scope="module")
def with_plan(tmp_path_factory):
    """Places, yearly counts and two activities (one open-ended)."""
    folder = tmp_path_factory.mktemp("exp-plan")
    db = folder / "store.sqlite"
    crimes = folder / "brott_ar.csv"
    crimes.write_text("Område;Brott;År;Antal\n" + "".join(
        f"Vårberg;Skadegörelse;{y};{1000 + y}\n" for y in (2021, 2022, 2023)), encoding="utf-8")
    plan = folder / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    for kind, file in (("places", DATA / "places_4326.geojson"), ("crimes", crimes), ("activities", plan)):
        assert main(["--db", str(db), "ingest", "--no-progress", kind, str(file)]) == 0, kind
    cfg = load_settings({}, data_dir=str(folder), db=str(db))
    return cfg, open_store(cfg)


def _xlsx_rows(frame, tmp_path):
    import openpyxl

    from lagesbild.export.tables import write_xlsx

    ws = openpyxl.load_workbook(write_xlsx({"T": frame}, tmp_path / "t.xlsx"))["T"]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=False)) for row in ws.iter_rows(min_row=2, values_only=True)
            if any(v is not None for v in row)]


def test_the_sources_data_file_has_counts_as_numbers_and_days_as_dates(with_plan, tmp_path):
    """Källor.csv/.xlsx had "1 790" (text with a space: Excel cannot add it) and "5 dec 2026"."""
    from lagesbild.export.data import ExportData
    from lagesbild.export.methods import sources_table

    cfg, store = with_plan
    table = sources_table(ExportData(store, cfg))
    rows = {r["Källa"]: r for r in _xlsx_rows(table.data, tmp_path)}
    crimes = next(r for r in rows.values() if r["Fil"] == "brott_ar.csv")
    assert crimes["Rader"] == 3 and isinstance(crimes["Rader"], int)
    today = dt.date.today()
    assert isinstance(crimes["Inläst"], dt.datetime)  # a date cell (openpyxl reads dates as datetimes)
    assert abs((crimes["Inläst"].date() - today).days) <= 1
    assert crimes["Uttagsdatum"] is None  # no extraction date given: an empty cell, not "–"


def test_the_activities_data_file_has_start_and_end_as_dates(with_plan, tmp_path):
    """Aktiviteter.csv/.xlsx had the display text "1 sep 2020" where a date belongs."""
    from lagesbild.export.data import ExportData
    from lagesbild.export.sections import activity_tables
    from lagesbild.export.tables import csv_text

    cfg, store = with_plan
    data = ExportData(store, cfg)
    table = activity_tables(data, data.place("varberg"))[0]
    row = next(r for r in _xlsx_rows(table.data, tmp_path) if "Vårberg" in r["Aktivitet"])
    assert row["Start"] == dt.datetime(2020, 9, 1) and row["Slut"] == dt.datetime(2021, 12, 31)
    assert ";2020-09-01;2021-12-31;" in csv_text(table.data)
    assert "1 sep 2020" in str(table.rows)  # the document keeps the Swedish text
    torg = activity_tables(data, data.place("hasselby-torg"))[0]
    row = _xlsx_rows(torg.data, tmp_path)[0]
    assert row["Start"] == dt.datetime(2019, 2, 1) and row["Slut"] == "tillsvidare"


LONG_NAME = "Åsö/Ängsgården – ett mycket långt platsnamn med snedstreck, åäö och kolon: del 2"


@pytest.mark.parametrize("name", [LONG_NAME, "Ö" * 140, "Vårberg", "Skärholmens centrum " * 6])
def test_file_names_of_a_long_place_keep_their_periods(name):
    """With a long place name the pack's files were "Trend <name> 2020–2021" (a chart of three years
    named after its first) and "Jämförelse <name>" (no period at all)."""
    from lagesbild.export.charts import chart_name
    from lagesbild.export.safety import MAX_NAME_BYTES, MAX_NAME_CHARS, safe_filename

    for kind, periods, tail in (("trend", ["2020–2021 till 2022–2023"], " 2020–2021 till 2022–2023"),
                                ("months", ["2021–2022", "2022–2023"], " 2021–2022 2022–2023")):
        stem = chart_name(kind, name, periods)
        assert stem.endswith(tail), stem
        assert stem.startswith(("Trend ", "Per månad ")) and len(stem) <= MAX_NAME_CHARS
        assert len(stem.encode()) <= MAX_NAME_BYTES and safe_filename(stem) == stem


@pytest.mark.parametrize("name", [LONG_NAME, "Ö" * 140, "Vårberg"])
def test_the_web_download_of_a_chart_of_a_long_place_keeps_its_periods(name):
    """The dashboard's PNG/SVG/PDF download was named safe_filename(title + place + periods): cut at
    100 characters, "… kolon- del 2 · 2021–2022 och" or no period at all."""
    import plotly.graph_objects as go

    from lagesbild.export.safety import MAX_NAME_CHARS, safe_filename
    from lagesbild.web.export_controls import chart_stem

    fig = go.Figure(layout=dict(meta=dict(title="Anmälda brott per månad", place=name,
                                          periods=["2021–2022", "2022–2023"])))
    stem = chart_stem(fig)
    assert stem.endswith("2021–2022 och 2022–2023") and stem.startswith("Anmälda brott per månad ")
    assert len(stem) <= MAX_NAME_CHARS and safe_filename(stem) == stem and "/" not in stem


def test_the_comparison_table_file_of_a_long_place_names_its_periods(with_plan):
    from lagesbild.export.data import ExportData, parse_periods
    from lagesbild.export.sections import comparison_table

    cfg, store = with_plan
    data = ExportData(store, cfg)
    place = {**data.place("varberg"), "name": LONG_NAME}
    table = comparison_table(data, place, parse_periods(["2021", "2022"]))
    assert table.name.startswith("Jämförelse Åsö-Ängsgården") and table.name.endswith(" 2021 2022"), table.name


#: the survey columns lagesbild.core.survey documents as percentage points (shares are fractions)
PERCENTAGE_POINTS = ("diff_district", "diff_city", "diff_district_lo", "diff_district_hi", "diff_city_lo",
                     "diff_city_hi", "change_pp", "change_lo_pp", "change_hi_pp")


def test_survey_differences_in_percentage_points_say_so_in_every_download_header():
    """The web's Excel file and the CLI's CSV had "Andel" 0,15 beside "Skillnad mot stadsdelsområdet"
    5,56: a fraction and percentage points under headers without a unit."""
    import pandas as pd

    from lagesbild.export.charts import COLUMNS_SURVEY
    from lagesbild.export.headers import swedish_columns

    headers = list(swedish_columns(pd.DataFrame(columns=list(PERCENTAGE_POINTS))).columns)
    assert all("procentenheter" in h for h in headers), headers
    assert all("p.e." in COLUMNS_SURVEY[c] for c in PERCENTAGE_POINTS if c in COLUMNS_SURVEY)


def test_the_web_excel_file_of_a_long_place_keeps_its_periods(with_plan):
    """The "Excel" download was "Anmälda brott per period och förändring <long name cut>,.xlsx"."""
    import pandas as pd

    from lagesbild.export.safety import MAX_NAME_CHARS
    from lagesbild.web.numbers import Numbers, xlsx_bytes

    cfg, store = with_plan
    numbers = Numbers(pd.DataFrame({"category": ["skadegorelse"], "count": [3]}),
                      "Anmälda brott per period och förändring", place=LONG_NAME,
                      periods=("2021–2022", "2022–2023"), counts=("count",))
    _, name = xlsx_bytes(numbers, store, cfg)
    assert name.endswith(" 2021–2022 och 2022–2023.xlsx"), name
    assert name.startswith("Anmälda brott per period och förändring Åsö-Ängsgården")
    assert len(name) <= MAX_NAME_CHARS + len(".xlsx") and "/" not in name


def test_the_methods_section_names_the_source_the_charts_name(tmp_path):
    """With Brå's tables only, every chart says "Källa: Brå, anmälda brott" but the methods section
    said the charts' source line was "Källa: Polisen, anmälda brott", and that the pack's calendar
    years were September–August years."""
    from lagesbild.export.content import Paragraph
    from lagesbild.export.data import ExportData, parse_periods
    from lagesbild.export.methods import methods_section

    db = tmp_path / "s.sqlite"
    crimes = tmp_path / "brott.csv"
    crimes.write_text("Område;Brott;År;Antal\n" + "".join(
        f"Vårberg;Skadegörelse;{y};{100 + y - 2020}\n" for y in (2021, 2022, 2023)), encoding="utf-8")
    assert main(["--db", str(db), "ingest", "--no-progress", "places", str(DATA / "places_4326.geojson")]) == 0
    assert main(["--db", str(db), "ingest", "--no-progress", "--source", "bra-brott", "crimes", str(crimes)]) == 0
    cfg = load_settings({}, data_dir=str(tmp_path), db=str(db), organisation="SDF Vårberg")
    data = ExportData(open_store(cfg), cfg)
    text = " ".join(b.text for b in methods_section(data, parse_periods(["2022", "2023"]))
                    if isinstance(b, Paragraph))
    assert "”Källa: Brå, anmälda brott; bearbetning SDF Vårberg”" in text, text
    assert "Polisen" not in text
    # the pack compares calendar years: "Brottsstatistiken jämförs i september–augusti-år" was false
    assert "jämför kalenderår: 2022 och 2023" in text
    assert "Brottsstatistiken jämförs i september–augusti-år" not in text


@pytest.fixture(scope="module")
def small_sensitive(tmp_path_factory):
    """Monthly counts: Hässelby torg with 3 Våld i nära relation a year (among its three largest
    categories), the city with 4 a year; Skadegörelse 4 and Personrån 2 a month at the place."""
    from lagesbild.settings import ROOT

    folder = tmp_path_factory.mktemp("exp-small")
    rows = ["Plats;Brottskategori;Månad;Antal"]
    for place, scale, vnr in (("Hässelby torg", 1, (2, 7, 11)), ("Stockholm", 100, (2, 5, 7, 11))):
        for y in (2021, 2022, 2023):
            for m in range(1, 13):
                rows += [f"{place};Våld i nära relation;{y}-{m:02d};{int(m in vnr)}",
                         f"{place};Skadegörelse;{y}-{m:02d};{4 * scale}",
                         f"{place};Personrån;{y}-{m:02d};{2 * scale}"]
    crimes = folder / "brott.csv"
    crimes.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cfg = load_settings({}, db=str(folder / "s.sqlite"), data_dir=str(folder))
    for kind, file in (("places", ROOT / "geodata" / "places.geojson"), ("crimes", crimes)):
        assert main(["--db", cfg.db, "ingest", "--no-progress", kind, str(file)]) == 0
    return cfg, open_store(cfg)


def test_share_numbers_of_an_external_pack_cannot_give_a_hidden_count_away(small_sensitive):
    """The share chart's data hid Våld i nära relation (3) but showed "Alla valda kategorier" 75 beside
    Skadegörelse 48 and Personrån 24: 75 − 48 − 24 = 3. A small sensitive count of the parent (the
    city's 4) was shown as "Antal totalt"."""
    from lagesbild.export.charts import share_chart
    from lagesbild.export.data import ExportData, parse_periods

    cfg, store = small_sensitive
    place, periods = {"place_id": "hasselby-torg", "name": "Hässelby torg"}, parse_periods(["2021–2022", "2022–2023"])
    inside = share_chart(ExportData(store, cfg), place, periods).data
    city = inside[inside["Jämfört med"] == "Stockholm"].set_index(["Kategori", "Period"])
    # the premise, counted here: 12 months × 4 and × 2, 3 and 4 a year, the total their sum
    assert city.loc[("Skadegörelse", "2021–2022"), "Antal på platsen"] == 48
    assert city.loc[("Våld i nära relation", "2021–2022"), "Antal på platsen"] == 3
    assert city.loc[("Våld i nära relation", "2021–2022"), "Antal totalt"] == 4
    assert city.loc[("Alla valda kategorier", "2021–2022"), "Antal på platsen"] == 48 + 24 + 3

    shown = share_chart(ExportData(store, cfg, external=True), place, periods)
    city = shown.data[shown.data["Jämfört med"] == "Stockholm"].set_index(["Kategori", "Period"])
    for period in ("2021–2022", "2022–2023"):
        for cat in ("Våld i nära relation", "Alla valda kategorier"):
            row = city.loc[(cat, period)]
            assert (row["Antal på platsen"], row["Antal totalt"], row["Andel"]) == ("–", "–", "–"), (cat, row)
        assert city.loc[("Skadegörelse", period), "Antal på platsen"] == 48  # the rest stays
        assert city.loc[("Skadegörelse", period), "Antal totalt"] == 4800
    assert any(n.startswith("– = färre än 5") for n in shown.notes)
    drawn = [y for t in shown.fig.data for y in (t.y or ()) if y is not None and y == y]
    assert len(drawn) and all(abs(y - 1.0) < 1e-9 for y in drawn), drawn  # only Skadegörelse's, Personrån's 1 %


def test_a_hidden_count_in_the_trend_chart_is_drawn_as_a_dash(small_sensitive):
    """The note under an external trend chart says "– = färre än 5 …", but the hidden bar was simply
    absent (it read as nothing reported); now its place carries "–" on the axis."""
    from lagesbild.export.charts import trend_chart
    from lagesbild.export.data import ExportData, parse_periods

    cfg, store = small_sensitive
    place, periods = {"place_id": "hasselby-torg", "name": "Hässelby torg"}, parse_periods(["2021–2022", "2022–2023"])
    chart = trend_chart(ExportData(store, cfg, external=True), place, periods)
    vnr = next(t for t in chart.fig.data if t.name == "Våld i nära relation")
    drawn = dict(zip(vnr.x, zip(vnr.y, vnr.text, strict=True), strict=True))
    assert drawn["2021–2022"] == (0, "–") and drawn["2022–2023"] == (0, "–"), drawn
    skade = next(t for t in chart.fig.data if t.name == "Skadegörelse")
    assert dict(zip(skade.x, skade.y, strict=True))["2021–2022"] == 48  # 12 months × 4, unchanged
    inside = trend_chart(ExportData(store, cfg), place, periods)  # internal: the count itself
    vnr = next(t for t in inside.fig.data if t.name == "Våld i nära relation")
    assert dict(zip(vnr.x, vnr.y, strict=True))["2021–2022"] == 3


@pytest.mark.parametrize("activity", ["Samverkan SDF/Polisen/Stockholmshem kring torget",
                                      '=HYPERLINK("http://x.example","Torgvärdar") Torgvärdar'])
def test_a_long_word_in_one_pdf_column_breaks_there_and_nowhere_else(tmp_path, activity):
    """An activity named with a slash compound ("SDF/Polisen/Stockholmshem") made the before/after
    table ask for more than the page, and every column was cut: "Förändrin|g", "p-värd|e",
    "Bedömnin|g", "Narkotikabr|ott". The column with the widest word gives way; the others keep theirs."""
    import re
    import subprocess

    from lagesbild.export.content import Document, Table
    from lagesbild.export.pdf_writer import write_pdf
    from lagesbild.export.sections import EFFECT_WIDTHS

    cols = list(EFFECT_WIDTHS)
    row = [activity, "Narkotikabrott", "35 (mar 2021–feb 2022)", "38 (mar 2022–feb 2023)", "+3 (+9 %)",
           "0,782", "ingen säkerställd förändring",
           "ingen säkerställd skillnad mot jämförelseområdet (p-värde 0,663)"]
    path = write_pdf(Document("Test").add(Table("effekt", cols, [row, row], widths=[EFFECT_WIDTHS[c] for c in cols])),
                     tmp_path / "t.pdf")
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = set(re.findall(r"[\w-]+", text))
    for word in ("Förändring", "p-värde", "Bedömning", "Narkotikabrott", "omgivningen", "jämförelseområdet",
                 "förändring"):
        assert word in words, (word, sorted(words))


def test_one_hidden_month_hides_the_categorys_other_months_too(tmp_path):
    """Våld i nära relation 6 a month but 2 in March: the external month chart hid March and showed the
    other eleven, while the trend chart showed the Sep–Aug total, 68: 68 − 11 × 6 = 2."""
    from lagesbild.export.charts import months_chart, trend_chart
    from lagesbild.export.data import ExportData, parse_periods
    from lagesbild.settings import ROOT

    crimes = tmp_path / "brott.csv"
    crimes.write_text("Plats;Brottskategori;Månad;Antal\n" + "".join(
        f"Hässelby torg;Våld i nära relation;{y}-{m:02d};{2 if m == 3 else 6}\n"
        for y in (2021, 2022, 2023) for m in range(1, 13)), encoding="utf-8")
    cfg = load_settings({}, db=str(tmp_path / "s.sqlite"), data_dir=str(tmp_path))
    for kind, file in (("places", ROOT / "geodata" / "places.geojson"), ("crimes", crimes)):
        assert main(["--db", cfg.db, "ingest", "--no-progress", kind, str(file)]) == 0
    data = ExportData(open_store(cfg), cfg, external=True)
    place, periods = {"place_id": "hasselby-torg", "name": "Hässelby torg"}, parse_periods(["2021–2022", "2022–2023"])
    trend = trend_chart(data, place, periods, category="vald_nara_relation").data
    assert 68 in set(trend["Antal anmälda brott"])  # 11 × 6 + 2, shown: at least 5
    months = months_chart(data, place, periods, category="vald_nara_relation")
    counts = months.data["Antal anmälda brott"]
    assert len(counts) == 24 and (counts == "–").all(), counts.tolist()
    assert "små i en känslig kategori" in _texts(months.fig)
    inside = months_chart(ExportData(open_store(cfg), cfg), place, periods, category="vald_nara_relation")
    assert sorted(set(inside.data["Antal anmälda brott"])) == [2, 6]  # internal: every month as counted


def test_a_tiny_p_value_is_not_written_as_zero_in_the_csv():
    """The survey's p-value against the district, 1,1·10⁻¹⁴, was "0" in the CSV (cut at twelve
    decimals) while the XLSX beside it had 1,1E-14. Swedish Excel and pandas read "1,1E-14"."""
    import io

    import pandas as pd

    from lagesbild.export.tables import csv_text

    values = [1.114844015690052e-14, 2.5e-13, 0.0183, 1e20, -4.2e-7]
    text = csv_text(pd.DataFrame({"p-värde": values}))
    back = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), sep=";", decimal=",")["p-värde"].tolist()
    assert back == pytest.approx(values, rel=1e-12, abs=0), (text, back)
    assert "0,0183" in text and "." not in text.replace("\ufeff", "")
