"""The meeting pack on the demo data, built once through the CLI and kept under ``artifacts/``.

The DOCX is opened with python-docx (headings, comparison tables against ``core.compare``, images),
the PDF is rendered with pdftoppm (pages), the ZIP is opened (PNG size read from the file, title and
source line in the SVG, CSV and XLSX per chart). Suppression for external packs is checked on the
content model, without rendering.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import load_workbook
from PIL import Image

from lagesbild.cli import main
from lagesbild.core import compare as cmp
from lagesbild.demo.load import load_demo
from lagesbild.export.charts import months_chart, trend_chart
from lagesbild.export.data import ExportData, parse_periods
from lagesbild.export.safety import SUPPRESSED
from lagesbild.export.sections import comparison_table
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
ARTIFACT = ROOT / "artifacts" / "motespaket-demo"
PLACES = {"varberg": "Vårberg"}  # one place keeps the test to ten renders; the benchmark runs three
PERIODS = ["2021–2022", "2022–2023"]
CHARTS_PER_PLACE = 5
ARROWS = ("▲ ", "▼ ")
SOURCE = "Källa: Polisen, anmälda brott; bearbetning Stadsdelsförvaltningen, data t.o.m. 31 aug 2023"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pack")
    settings = load_settings({}, db=str(folder / "demo.sqlite"), data_dir=str(folder))
    store = open_store(settings)
    load_demo(store, settings)
    return settings, store


@pytest.fixture(scope="module")
def pack(demo):
    settings, _ = demo
    shutil.rmtree(ARTIFACT, ignore_errors=True)
    code = main(["--db", settings.db, "pack", "--places", *PLACES, "--periods", "2021-2022",
                 "2022–2023", "--out", str(ARTIFACT), "--date", "2023-10-05", "--no-progress"])
    assert code == 0
    files = {p.suffix: p for p in ARTIFACT.iterdir()}
    assert set(files) == {".docx", ".pdf", ".zip"}
    assert files[".docx"].stem == "Mötespaket Beredningsgrupp 2023-10-05"
    return files


def _reference(store, settings, place_id):
    population = store.places().set_index("place_id").loc[place_id, "population"]
    return cmp.compare(store.monthly_counts(), PERIODS, place_id=place_id, coverage=store.coverage(),
                       alpha=settings.alpha, population=int(population))


def _svg_text(raw: bytes) -> str:
    """The text an SVG shows, tags removed, entities decoded, whitespace (no-break too) collapsed."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", raw.decode("utf-8")))
    return " ".join(text.split())


def _category_names(store):
    names = dict(zip(store.categories()["category_id"], store.categories()["name"], strict=False))
    return names | {"alla": "Alla valda kategorier"}


# ----- DOCX ------------------------------------------------------------------------------------
def test_docx_sections(pack):
    d = docx.Document(pack[".docx"])
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert h1 == [*PLACES.values(), "Metod och läsanvisning"]
    per_place = ["Jämförelse mellan perioderna", "Utveckling över tid", "Trygghetsmätning",
                 "Heta punkter och åtgärdsplanens aktiviteter", "Åtgärdsplanens aktiviteter och uppföljning"]
    methods = ["Perioder", "Statistiska test", "Källor och uttagsdatum", "Vad siffrorna inte kan visa"]
    assert h2 == per_place * len(PLACES) + methods
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Data t.o.m.: 31 aug 2023" in text and "Datum: 5 okt 2023" in text
    assert "FIKTIVA DEMODATA" in text
    assert "α = 5\u00a0%" in text and "Samband är inte effekt" in text


def test_docx_comparison_tables_have_the_core_verdicts(pack, demo):
    settings, store = demo
    d = docx.Document(pack[".docx"])
    tables = [t for t in d.tables if [c.text for c in t.rows[0].cells][:2] == ["Kategori", "Jämförelse"]]
    assert len(tables) == len(PLACES)
    names = _category_names(store)
    for table, place_id in zip(tables, PLACES, strict=False):
        ref = _reference(store, settings, place_id)
        # the demo's year-to-year changes are within the ordinary variation once each category's
        # dispersion and the table's many tests are taken into account: the verdicts must still match
        expected = {names[c]: (v, a, b) for c, v, a, b in
                    zip(ref["category"], ref["verdict"], ref["count_a"], ref["count_b"], strict=True)}
        header = [c.text for c in table.rows[0].cells]
        got = {}
        for row in table.rows[1:]:
            cells = dict(zip(header, (c.text for c in row.cells), strict=False))
            verdict = cells["Bedömning"]
            for arrow in ARROWS:
                verdict = verdict.removeprefix(arrow)
            got[cells["Kategori"]] = (verdict, int(cells["Före"].replace("\u00a0", "")),
                                      int(cells["Efter"].replace("\u00a0", "")))
        assert got == expected
    # the note under the tables names the test the verdicts come from (quasi-Poisson with each
    # category's dispersion, BH over the table), not a test the table does not use
    methods = set(_reference(store, settings, next(iter(PLACES)))["method"].dropna())
    text = "\n".join(p.text for p in d.paragraphs)
    assert methods == {"kvasi-Poisson"}
    assert "kvasi-Poisson-test med platsens och kategorins egen variation" in text
    assert "Benjamini–Hochberg" in text and "exakt villkorat test" not in text


def test_docx_has_one_image_per_chart_and_followup_tables(pack):
    d = docx.Document(pack[".docx"])
    assert len(d.inline_shapes) == CHARTS_PER_PLACE * len(PLACES)
    for shape in d.inline_shapes:
        assert abs(shape.width.cm - 16.0) < 0.01
    followups = [t for t in d.tables if [c.text for c in t.rows[0].cells] == ["Aktivitet", "År", "T1",
                                                                             "T2", "VB"]]
    assert followups and all(len(t.rows) > 1 for t in followups)


def test_docx_is_swedish_with_alt_text_and_navigable_headings(pack):
    from docx.oxml.ns import qn

    d = docx.Document(pack[".docx"])
    styles = d.styles.element
    langs = [el.get(qn("w:val")) for el in styles.iter(qn("w:lang"))]
    assert langs and set(langs) == {"sv-SE"}  # defaults and every style that names a language
    default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert default.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
    assert d.core_properties.language == "sv-SE"
    body = d.element.body
    assert not [el for el in body.iter(qn("w:lang")) if el.get(qn("w:val")) != "sv-SE"]
    for shape in d.inline_shapes:
        doc_pr = shape._inline.docPr
        assert doc_pr.get("descr", "").startswith("Diagram: ") and len(doc_pr.get("descr")) > 20
        assert doc_pr.get("title")
    for level in (1, 2):
        ppr = d.styles[f"Heading {level}"].element.pPr
        assert ppr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level - 1)


# ----- PDF -------------------------------------------------------------------------------------
def test_pdf_pages_render(pack, tmp_path):
    info = subprocess.run(["pdfinfo", str(pack[".pdf"])], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pack[".pdf"]), str(tmp_path / "p")], check=True)
    rendered = sorted(tmp_path.glob("p-*.png"))
    assert len(rendered) == pages
    # cover + at least two pages per place (table, charts) + methods
    assert pages >= 2 + 2 * len(PLACES)
    with Image.open(rendered[0]) as im:
        assert abs(im.size[0] / im.size[1] - 210 / 297) < 0.01  # A4 portrait
    text = subprocess.run(["pdftotext", str(pack[".pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    for name in [*PLACES.values(), "Metod och läsanvisning", "FIKTIVA DEMODATA", "ingen säkerställd"]:
        assert name in text


def _words(pdf: Path) -> list[list[tuple[str, float, float, float]]]:
    """Per page, its words as (text, xMin, xMax, yMin) from ``pdftotext -bbox`` (poppler)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = out.split("<page ")[1:]
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')
    return [[(html.unescape(t), float(x0), float(x1), float(y0)) for x0, y0, x1, t in word.findall(page)]
            for page in pages]


def test_the_count_columns_are_right_aligned_in_the_pdf_and_the_docx(pack):
    """The comparison table's numbers were left-aligned in both files (139 and 57 began in line and
    ended apart); a column of numbers is now right-aligned, its header too, so the digits line up."""
    page = next(p for p in _words(pack[".pdf"]) if {"Före", "Efter", "Bedömning"} <= {w[0] for w in p})
    before = next(w for w in page if w[0] == "Före")
    after = next(w for w in page if w[0] == "Efter")
    lines = {round(before[3])} | {round(y0) for t, _, _, y0 in page if t == "→"}  # header, table rows
    rows: dict[int, list] = {}
    for _, x0, x1, y0 in page:  # the words between the two headers' left edges, per line
        if round(y0) in lines and x0 >= before[1] - 12 and x1 <= after[1]:
            rows.setdefault(round(y0), []).append((x0, x1))
    rights = [max(x1 for _, x1 in r) for r in rows.values()]
    widths = {round(max(x1 for _, x1 in r) - min(x0 for x0, _ in r)) for r in rows.values()}
    assert len(rights) >= 3 and len(widths) >= 2, rows  # counts of different lengths, and the header
    assert max(rights) - min(rights) < 0.5, rows

    d = docx.Document(pack[".docx"])
    table = next(t for t in d.tables if [c.text for c in t.rows[0].cells][:2] == ["Kategori", "Jämförelse"])
    header = [c.text for c in table.rows[0].cells]
    for row in table.rows:
        align = {h: c.paragraphs[0].alignment for h, c in zip(header, row.cells, strict=True)}
        assert all(align[h] == WD_ALIGN_PARAGRAPH.RIGHT for h in ("Före", "Efter", "Förändring", "p-värde"))
        assert align["Kategori"] != WD_ALIGN_PARAGRAPH.RIGHT and align["Bedömning"] != WD_ALIGN_PARAGRAPH.RIGHT


# ----- ZIP -------------------------------------------------------------------------------------
def test_zip_has_images_and_numbers(pack):
    with zipfile.ZipFile(pack[".zip"]) as zf:
        names = zf.namelist()
        pngs = [n for n in names if n.startswith("diagram/") and n.endswith(".png")]
        svgs = [n for n in names if n.startswith("diagram/") and n.endswith(".svg")]
        assert len(pngs) == len(svgs) == CHARTS_PER_PLACE * len(PLACES)
        for png in pngs:
            with Image.open(io.BytesIO(zf.read(png))) as im:
                assert im.size[0] == 1890  # 16 cm at 300 dpi
        for svg in svgs:
            text = _svg_text(zf.read(svg))
            assert "FIKTIVA DEMODATA" in text and "Källa: " in text
            assert any(place in text for place in PLACES.values())
        trend = _svg_text(zf.read(next(s for s in svgs if "Trend Vårberg" in s)))
        assert "Anmälda brott per september–augusti-år" in trend and SOURCE in trend
        assert "Vårberg · 2017–2018 till 2022–2023" in trend
        csvs = [n for n in names if n.endswith(".csv")]
        xlsxs = [n for n in names if n.endswith(".xlsx")]
        assert len(csvs) == len(xlsxs) >= CHARTS_PER_PLACE * len(PLACES) + len(PLACES)
        raw = zf.read(next(n for n in csvs if "Jämförelse Vårberg" in n))
        assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]
        wb = load_workbook(io.BytesIO(zf.read(next(n for n in xlsxs if "Trend Vårberg" in n))))
        assert wb.worksheets[0].cell(1, 1).value == "Kategori"
        assert "LÄSMIG.txt" in names


# ----- external: suppression -------------------------------------------------------------------
def test_external_pack_suppresses_small_sensitive_counts(demo):
    settings, store = demo
    data = ExportData(store, settings, external=True)
    periods = parse_periods(PERIODS)
    place = data.place("hasselby-torg")
    ref = _reference(store, settings, "hasselby-torg")
    small = ref[(ref["category"] == "vald_nara_relation")]
    assert (small[["count_a", "count_b"]] < settings.suppress_below).any(axis=None)  # demo has them
    table = comparison_table(data, place, periods)
    row = next(r for r in table.rows if r[0] == "Våld i nära relation")
    cells = dict(zip(table.columns, row, strict=False))
    assert SUPPRESSED in (cells["Före"], cells["Efter"])
    assert cells["Förändring"] == SUPPRESSED and cells["Bedömning"] == "visas inte (litet antal)"
    assert any(n.startswith("– = färre än 5") for n in table.notes)
    frame = table.data[table.data["Kategori"] == "Våld i nära relation"]
    assert SUPPRESSED in frame[["Antal A", "Antal B"]].values
    internal = comparison_table(ExportData(store, settings), place, periods)
    row = dict(zip(internal.columns, next(r for r in internal.rows if r[0] == "Våld i nära relation"), strict=False))
    assert [row["Före"], row["Efter"]] == [str(int(small["count_a"].iloc[0])), str(int(small["count_b"].iloc[0]))]
    assert not any(n.startswith("– = färre än") for n in internal.notes)


def test_external_chart_numbers_are_suppressed(demo):
    settings, store = demo
    data = ExportData(store, settings, external=True)
    place = data.place("hasselby-torg")
    chart = months_chart(data, place, parse_periods(PERIODS), category="vald_nara_relation")
    counts = chart.data["Antal anmälda brott"]
    assert (counts == SUPPRESSED).any()
    numeric = pd.to_numeric(counts[counts != SUPPRESSED])
    assert (numeric >= settings.suppress_below).all()
    ys = [y for t in chart.fig.data if t.name == "Våld i nära relation" for y in t.y if y is not None]
    assert all(y >= settings.suppress_below for y in ys)
    assert chart.notes and chart.notes[0].startswith("– = färre än 5")
    trend = trend_chart(data, place, parse_periods(PERIODS), category="vald_nara_relation")
    hidden = trend.data["Antal anmälda brott"] == SUPPRESSED
    assert hidden.any() == bool(trend.notes)


# ----- single chart and CLI errors -------------------------------------------------------------
def test_cli_chart_pdf_has_title_and_source(demo, tmp_path):
    settings, _ = demo
    out = tmp_path / "trend"
    assert main(["--db", settings.db, "chart", "--chart", "trend", "--place", "Vårberg", "--periods",
                 *PERIODS, "--format", "pdf", "--out", str(out)]) == 0
    pdf = tmp_path / "trend.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "c")], check=True)
    assert len(list(tmp_path.glob("c-*.png"))) == 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\u00a0", " ")
    for expected in ("Anmälda brott per september–augusti-år", "Vårberg", "Källa: Polisen",
                     "FIKTIVA DEMODATA"):
        assert expected in " ".join(text.split())


@pytest.mark.parametrize("args, message", [
    (["pack", "--places", "atlantis", "--periods", *PERIODS, "--out", "X"], "Okänd plats"),
    (["pack", "--places", "varberg", "--periods", "2022–2023", "--out", "X"], "minst två"),
    (["pack", "--places", "varberg", "--periods", "hösten", "--out", "X"], "Okänd period"),
    (["chart", "--chart", "map", "--place", "varberg", "--category", "vald_nara_relation",
      "--out", "X"], "visas inte på karta"),
])
def test_cli_errors_are_swedish_messages(demo, tmp_path, capsys, args, message):
    settings, _ = demo
    args = [str(tmp_path / a) if a == "X" else a for a in args]
    assert main(["--db", settings.db, *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fel: ") and message in err and "Traceback" not in err


def test_pack_has_the_activities_before_after_results(demo):
    from lagesbild.analysis import base
    from lagesbild.core.effects import activity_effects
    from lagesbild.export.sections import effects_table, place_section
    from lagesbild.figures.format import fmt_p

    settings, store = demo
    data = ExportData(store, settings)
    place = data.place("hasselby-torg")
    blocks = effects_table(data, place)
    assert len(blocks) == 1 and blocks[0].caption == "Före och efter aktiviteternas start"
    table = blocks[0]
    links = store.activity_places()
    ref = activity_effects(store.monthly_counts(), data.activities_for("hasselby-torg"),
                           links[links["place_id"] == "hasselby-torg"], store.places(),
                           months=settings.effect_months, coverage=store.coverage(), alpha=settings.alpha,
                           data_end=base.data_end(store))
    assert len(table.rows) == len(ref) > 0
    for row, (_, r) in zip(table.rows, ref.iterrows(), strict=True):
        cells = dict(zip(table.columns, row, strict=True))
        assert cells["Före"].startswith(f"{r['count_before']:,}".replace(",", "\u00a0") + " (")
        assert cells["Efter"].startswith(f"{r['count_after']:,}".replace(",", "\u00a0") + " (")
        assert cells["Bedömning"].endswith(str(r["verdict"]))
        assert cells["p-värde"] == fmt_p(r["q_value"])  # the Benjamini–Hochberg adjusted p-value
    assert ref.attrs["fdr"]["note"] in table.notes  # said once, under the table
    # the note describes the rows: one per category and their total (it said "all categories together")
    kinds = {dict(zip(table.columns, row, strict=True))["Kategori"] for row in table.rows}
    assert len(kinds) > 2 and "per brottskategori" in table.notes[0]
    assert "Före och efter aktiviteternas start" in [
        b.caption for b in place_section(data, place, parse_periods(PERIODS)) if hasattr(b, "caption")]


def test_pack_map_lists_the_activities_and_whether_they_lie_in_a_hot_spot(demo):
    from lagesbild.export.charts import map_chart

    settings, store = demo
    data = ExportData(store, settings)
    chart = map_chart(data, data.place("hasselby-torg"), parse_periods(PERIODS))
    note = next(n for n in chart.notes if n.startswith("Åtgärdsplanens aktiviteter på platsen"))
    for name in data.activities_for("hasselby-torg")["aktivitet"]:
        assert f"{name} – ja – het punkt" in note or f"{name} – nej" in note
    # the map names the place and numbers the activities' rings as the note does
    labels = {a.text for a in chart.fig.layout.annotations if a.name == "map_label"}
    assert "Hässelby torg" in labels and "1" in labels and "1 " in note


def test_map_chart_carries_the_family_note_and_refuses_a_sensitive_category(demo):
    """The exported map says how far its classes can be trusted, as the map page does (the note was
    only on screen), and a sensitive category is refused with the map page's words."""
    from lagesbild.analysis import base
    from lagesbild.export.charts import map_chart
    from lagesbild.export.data import ExportError

    settings, store = demo
    data = ExportData(store, settings)
    chart = map_chart(data, data.place("skarholmen"), parse_periods(PERIODS))
    assert chart.notes[0].startswith(f"{len(chart.data):,} rutor testas".replace(",", "\u00a0"))  # the cells the table lists
    hidden = sorted(base.sensitive_categories(store))[0]
    with pytest.raises(ExportError, match="av hänsyn till brottsoffren"):
        map_chart(data, data.place("skarholmen"), parse_periods(PERIODS), category=hidden)


def test_external_pack_hides_small_sensitive_counts_before_and_after_activities(demo):
    """The external pack hid "Våld i nära relation" 4 → 5 in its comparison but showed it in "Före och
    efter aktiviteternas start" (PDF, DOCX) and in the zip's data file, which also had English headers
    and sixteen decimals. Both now hide it, keep the periods, say why, and the file is Swedish."""
    from lagesbild.analysis.place import place_effects
    from lagesbild.export.sections import effects_table

    settings, store = demo
    raw = place_effects(store, settings, "hasselby-torg")
    small = raw[(raw["category"] == "vald_nara_relation")
                & ((raw["count_before"] < settings.suppress_below) | (raw["count_after"] < settings.suppress_below))]
    assert len(small)  # the demo has such a row: the case that leaked
    data = ExportData(store, settings, external=True)
    table = effects_table(data, data.place("hasselby-torg"))[0]
    rows = [dict(zip(table.columns, r, strict=True)) for r in table.rows]
    for (_, r), row in zip(raw.iterrows(), rows, strict=True):
        if r["category"] != "vald_nara_relation" or r.name not in small.index:
            continue
        for column, count in (("Före", "count_before"), ("Efter", "count_after")):
            assert row[column].startswith("– (") == (r[count] < settings.suppress_below), row
        assert row["Förändring"] == SUPPRESSED and row["Bedömning"] == "visas inte (litet antal)"
    assert any(n.startswith("– = färre än 5") for n in table.notes)
    frame = table.data
    assert {"Aktivitet", "Kategori", "Antal före", "Antal efter", "p-värde", "Bedömning"} <= set(frame.columns)
    assert not [c for c in frame.columns if c.isascii() and "_" in c]  # no frame column names
    hidden = frame.loc[small.index]
    assert (hidden[["Förändring", "p-värde"]] == SUPPRESSED).all(axis=None)
    assert hidden["Bedömning"].str.startswith("visas inte").all()
    assert ((hidden[["Antal före", "Antal efter"]] == SUPPRESSED).to_numpy()
            == (small[["count_before", "count_after"]] < settings.suppress_below).to_numpy()).all()
    shown = frame[frame["Kategori"] != "Våld i nära relation"]["Förändring (%)"]
    assert all(v == SUPPRESSED or pd.isna(v) or round(float(v), 1) == float(v) for v in shown)
    internal = effects_table(ExportData(store, settings), data.place("hasselby-torg"))[0]
    assert any(dict(zip(internal.columns, r, strict=True))["Kategori"] == "Våld i nära relation"
               and not r[2].startswith("–") for r in internal.rows)


def test_a_pack_that_fails_at_its_last_file_leaves_no_half_pack(demo, tmp_path, capsys):
    """The Word file and the PDF were written into the folder before the ZIP; when the ZIP could not
    be written (here: a folder has its name) they stayed behind as a pack without its numbers."""
    settings, _ = demo
    out = tmp_path / "paket"
    (out / "Mötespaket Beredningsgrupp 2023-10-05.zip").mkdir(parents=True)
    code = main(["--db", settings.db, "pack", "--places", "varberg", "--out", str(out),
                 "--date", "2023-10-05", "--no-progress"])
    assert code == 2
    assert "det är en mapp" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["Mötespaket Beredningsgrupp 2023-10-05.zip"]


def test_a_place_named_twice_has_one_section(demo, tmp_path, capsys):
    """``--places varberg Vårberg VARBERG`` made three Vårberg sections (15 charts)."""
    settings, _ = demo
    out = tmp_path / "paket"
    assert main(["--db", settings.db, "pack", "--places", "varberg", "Vårberg", "VARBERG", "--out", str(out),
                 "--date", "2023-10-05", "--no-progress"]) == 0
    assert f"({CHARTS_PER_PLACE} diagram," in capsys.readouterr().out
    word = docx.Document(str(next(out.glob("*.docx"))))
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"].count("Vårberg") == 1


def test_periods_without_any_data_are_refused_before_a_pack_is_written(demo, tmp_path, capsys):
    """``--periods 2030–2031 2031–2032`` wrote a whole pack of "saknas" with exit code 0."""
    settings, _ = demo
    out = tmp_path / "paket"
    capsys.readouterr()
    assert main(["--db", settings.db, "pack", "--places", "Vårberg", "--periods", "2030–2031", "2031–2032",
                 "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "Ingen av perioderna (2030–2031, 2031–2032) har data: brottsdata finns" in err
    assert not out.exists() or not any(out.iterdir())
