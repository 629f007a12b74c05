"""Exports of awkward selections: a place with nothing to show, yearly counts only, narrow table
columns in the PDF, and a PNG's resolution for the word processor it is pasted into."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from lagesbild.cli import main
from lagesbild.export.content import Document, Table
from lagesbild.export.figure import prepare_figure
from lagesbild.export.pdf_writer import write_pdf
from lagesbild.export.render import css_width
from lagesbild.figures import finishing, fit, style
from lagesbild.figures.share import make_share_chart
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings

CTX = style.FigureContext(organisation="Stadsdelsförvaltningen", data_until="2023-12-31")
REASON = "det finns inga brott i stadsdelsområdet eller staden för urvalet"
DATA = Path(__file__).resolve().parent / "data"


def _empty_text(fig) -> str:
    return next(a for a in go.Figure(fig).layout.annotations if a.name == "empty").text


def _fits_plot(fig, width_px: float) -> bool:
    fig = go.Figure(fig)
    ann = next(a for a in fig.layout.annotations if a.name == "empty")
    room = width_px - fig.layout.margin.l - fig.layout.margin.r
    return fit.text_px(ann.text, ann.font.size) <= room


@pytest.mark.parametrize("width_cm", [16, 8])
def test_a_long_nothing_to_show_text_is_wrapped_inside_the_exported_chart(width_cm):
    """Plotly never wraps an annotation: the reason ran off both edges of a 16 cm export
    ("nget att visa: … för urvale")."""
    fig = go.Figure(finishing.empty_dict(REASON, title="Andel", place="Tomma parken", context=CTX))
    out = prepare_figure(fig, width_cm=width_cm)
    assert _fits_plot(out, css_width(width_cm))
    assert _empty_text(out).replace("<br>", " ") == f"Inget att visa: {REASON}"


def test_a_long_nothing_to_show_text_is_wrapped_on_screen_too():
    fig = finishing.empty_dict(REASON, title="Andel", place="Tomma parken", context=CTX)
    assert _fits_plot(fig, fit.NOMINAL_WIDTH[False])
    meeting = finishing.empty_dict(REASON, title="Andel", context=style.FigureContext(meeting=True))
    assert _fits_plot(meeting, fit.NOMINAL_WIDTH[True])


def yearly_counts_store(folder, categories=("Personrån", "Skadegörelse")):
    """(settings, store): the test places with yearly counts only for Skärholmen and Vårberg (the
    shape of Brå's tables), 2021–2023, read in through the CLI."""
    db = folder / "store.sqlite"
    rows = ["Område;Brott;År;Antal"]
    for area, base in (("Skärholmen", 40), ("Vårberg", 9)):
        for cat in categories:
            rows += [f"{area};{cat};{year};{base + year - 2020}" for year in (2021, 2022, 2023)]
    crimes = folder / "brott_ar.csv"
    crimes.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["--db", str(db), "ingest", "--no-progress", "places", str(DATA / "places_4326.geojson")]) == 0
    assert main(["--db", str(db), "ingest", "--no-progress", "crimes", str(crimes)]) == 0
    cfg = load_settings({}, data_dir=str(folder), db=str(db))
    return cfg, open_store(cfg)


@pytest.fixture(scope="module")
def yearly_store(tmp_path_factory):
    """A store with a district, two places in it and yearly counts only (the shape of Brå's tables)."""
    return yearly_counts_store(tmp_path_factory.mktemp("yearly-edges"))


def test_share_chart_of_yearly_counts_says_shares_need_months(yearly_store):
    """The district holds crimes, so 'det finns inga brott i stadsdelsområdet' was false: the share
    is counted from months and yearly counts give none."""
    from lagesbild.export.charts import share_chart
    from lagesbild.export.data import ExportData, parse_periods

    cfg, store = yearly_store
    data = ExportData(store, cfg)
    chart = share_chart(data, data.place("varberg"), parse_periods(["2022", "2023"]))
    text = _empty_text(chart.fig).replace("<br>", " ")
    assert "månadssiffror" in text and "inga brott" not in text
    assert "2022" in chart.fig.layout.title.subtitle.text  # the periods are in the image


def test_share_chart_of_a_place_without_district_or_city_says_so(yearly_store):
    from lagesbild.export.charts import share_chart
    from lagesbild.export.data import ExportData, parse_periods

    cfg, store = yearly_store
    data = ExportData(store, cfg)
    chart = share_chart(data, data.place("skarholmen"), parse_periods(["2022", "2023"]))
    assert "ingen större inläst nivå (stadsdelsområde eller stad)" in _empty_text(chart.fig).replace("<br>", " ")


def test_share_chart_without_crimes_in_the_parents_keeps_its_reason():
    shares = pd.DataFrame({"parent_id": ["sdo"], "category": "alla", "period": ["2023"],
                           "count_place": [0], "count_parent": [0], "months_missing": [0],
                           "share": [float("nan")], "significant": [False], "verdict": [""]})
    fig = make_share_chart(shares, place="Vårberg", parent_names={"sdo": "Skärholmen"}, context=CTX)
    assert _empty_text(fig).replace("<br>", " ") == "Inget att visa: det finns inga brott i Skärholmen för urvalet"


def _pdf_words(path) -> set:
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return set(re.findall(r"\w+", text))


def test_pdf_table_columns_are_never_narrower_than_their_longest_word(tmp_path):
    """reportlab breaks a word that does not fit its column: 'sakna|s' in the comparison table's
    Före column of a place without data, 'Skadegöre|lse' and 'Förändrin|g' in the before/after table."""
    from lagesbild.export.sections import COMPARE_WIDTHS, EFFECT_WIDTHS

    compare_cols = ["Kategori", "Jämförelse", "Före", "Efter", "Förändring", "Förändring (%)",
                    "p-värde", "Bedömning"]
    compare = Table("jmf", compare_cols, [["Alla valda kategorier", "2022 → 2023", "saknas", "saknas",
                                           "–", "–", "–", "kan inte bedömas: data saknas för 24 månader"]],
                    widths=[COMPARE_WIDTHS[c] for c in compare_cols])
    effect_cols = ["Aktivitet", "Kategori", "Före", "Efter", "Förändring", "p-värde", "Bedömning",
                   "Jämfört med omgivningen"]
    effect = Table("effekt", effect_cols, [[
        "Fortsätta platssamverkan kring Hässelby torg enligt upprättad aktivitetslista.",
        "Skadegörelse", "291 (feb 2018–jan 2019)", "152 (feb 2019–jan 2020)", "−139 (−48 %)",
        "< 0,001", "▼ minskning, statistiskt säkerställd",
        "minskning jämfört med jämförelseområdet, statistiskt säkerställd (p-värde 0,00144)"]],
                   widths=[EFFECT_WIDTHS[c] for c in effect_cols])
    path = write_pdf(Document("Test").add(compare, effect), tmp_path / "t.pdf")
    words = _pdf_words(path)
    for word in ("saknas", "Skadegörelse", "Förändring", "jämförelseområdet", "platssamverkan",
                 "omgivningen", "00144"):
        assert word in words, word
    assert not {"sakna", "Skadegöre", "Förändrin"} & words


def test_png_resolution_is_written_into_the_file(tmp_path):
    from lagesbild.export.render import set_png_dpi

    path = tmp_path / "a.png"
    Image.new("RGB", (1890, 10), "white").save(path, dpi=(72, 72))
    set_png_dpi(path, 300)
    image = Image.open(path)
    assert [round(d) for d in image.info["dpi"]] == [300, 300]
    assert image.size == (1890, 10) and image.convert("L").getpixel((5, 5)) == 255
    assert round(image.size[0] / image.info["dpi"][0] * 2.54, 1) == 16.0  # a 16 cm Word column


def _one_category_trend():
    from lagesbild.figures.trend import make_trend_years

    counts = pd.DataFrame({"category": "personran", "period": ["2021–2022", "2022–2023"],
                           "count": [17, 27], "months_missing": 0, "n_months": 12,
                           "end": pd.to_datetime(["2022-08-31", "2023-08-31"])})
    return make_trend_years(counts, place="Vällingby centrum", category_names={"personran": "Personrån"},
                            context=CTX)


def test_a_chart_of_one_category_names_it_in_its_legend():
    """Plotly shows no legend for a single trace: an exported trend of personrån alone did not say
    which crimes it counts."""
    fig = go.Figure(_one_category_trend())
    assert fit.legend_entries(fig) == ["Personrån"] and fig.layout.showlegend is not False
    assert fig.data[0].showlegend is True  # plotly draws it (its default hides a lone trace)


@pytest.mark.parametrize("width_cm", [8, 10, 16])
def test_title_and_subtitle_are_wrapped_for_the_export_width(width_cm):
    """Only the source line was laid out again for the printed width: at 10 cm the title read
    'Anmälda brott per september–augus' and the subtitle ran off the edge."""
    fig = go.Figure(_one_category_trend())
    out = prepare_figure(fig, width_cm=width_cm)
    room = css_width(width_cm) - 32
    s = style.SIZES[False]
    title, sub = out.layout.title.text, out.layout.title.subtitle.text
    assert fit.text_px(title, s["title"], bold=True) <= room
    assert fit.text_px(sub, s["subtitle"]) <= room
    assert re.sub(r"<[^>]+>", " ", title).split() == ["Anmälda", "brott", "per", "september–augusti-år"]
    assert " ".join(sub.replace("<br>", " ").split()) == "Vällingby centrum · 2021–2022 och 2022–2023"
    # the top margin holds the wrapped title, subtitle and the legend above the plot
    lines = title.count("<br>") + sub.count("<br>")
    assert out.layout.margin.t >= s["top"] + lines * s["subtitle"] * fit.LINE_EM


@pytest.mark.parametrize("width_cm", [8, 10])
def test_a_narrow_export_keeps_room_for_its_plot(width_cm):
    """At 10 cm the height (62 % of the width) was less than the title block and the source line
    took: the bars were squeezed to a line."""
    from lagesbild.export.render import RenderJob

    out = prepare_figure(go.Figure(_one_category_trend()), width_cm=width_cm)
    job = RenderJob.for_size(out, "x.png", "png", width_cm=width_cm, dpi=150)
    assert job.height - out.layout.margin.t - out.layout.margin.b >= 150
    wide = RenderJob.for_size(prepare_figure(go.Figure(_one_category_trend())), "x.png", "png")
    assert wide.height == round(css_width(16) * 0.62)  # a Word column's chart keeps its shape


def test_a_number_is_never_split_over_two_lines_of_a_pdf_table(tmp_path):
    """The pack's comparison table headed a narrow column "Per 1 000 inv. och år" and reportlab broke
    it as "Per 1 / 000 inv."; thousands groups are joined by no-break spaces."""
    from lagesbild.export.sections import COMPARE_WIDTHS

    cols = ["Kategori", "Jämförelse", "Före", "Efter", "Förändring", "Förändring (%)",
            "Per 1 000 inv. och år", "p-värde", "Bedömning"]
    table = Table("jmf", cols, [["Inbrott", "2021–2022 → 2022–2023", "51", "32", "−19", "−37,3 %", "3,2",
                                 "0,346", "ingen säkerställd förändring"]],
                  widths=[COMPARE_WIDTHS[c] for c in cols])
    path = write_pdf(Document("Test").add(table), tmp_path / "t.pdf")
    lines = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert not any(line.rstrip().endswith("Per 1") or line.strip().startswith("000") for line in lines)
