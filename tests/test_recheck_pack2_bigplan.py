"""A large action plan (23 activities at one place, 19 crime categories) keeps the meeting pack a
meeting document: the before/after table shows each activity's total and its categories whose change
is säkerställd, and says that every category's numbers are in the pack's zip file; the activity
timeline's export fits A4 pages."""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile

import numpy as np
import pytest

from lagesbild.analysis.place import place_effects
from lagesbild.export.content import Table
from lagesbild.export.data import ExportData
from lagesbild.export.pack import build_pack
from lagesbild.export.sections import effects_table
from lagesbild.ingest import ingest_file

CATEGORIES = ["Narkotikabrott", "Våld i offentlig miljö", "Våld i nära relation", "Personrån",
              "Bedrägeri mot äldre", "Skadegörelse", "Tillgrepp i butik", "Våldsbrott", "Misshandel",
              "Olaga hot", "Ofredande", "Stöld", "Rån", "Inbrott", "Bilbrott", "Cykelstöld", "Sexualbrott",
              "Bedrägeri", "Vapenbrott"]
AREAS = ["Riktat arbete mot avgränsade platser och utsatta områden", "Unga i risk för kriminalitet",
         "Skolan som brottsplats", "Ordningsvakter"]


def months(first: str, last: str) -> list[str]:
    import pandas as pd

    return [m.strftime("%Y-%m") for m in pd.period_range(first, last, freq="M").to_timestamp()]


def big_plan_store(store, folder, *, place="Vårberg", place_id="varberg", n_activities=23, seed=7):
    """``store`` (with places) given monthly counts of 19 categories at ``place`` (Sep 2019 – Aug 2024)
    and an action plan of ``n_activities`` activities there, started one to a few months apart."""
    rng = np.random.default_rng(seed)
    crimes = folder / "brott.csv"
    lines = ["Plats;Brottskategori;Månad;Antal"]
    for i, cat in enumerate(CATEGORIES):
        level = 4 + 3 * (i % 7)
        for k, m in enumerate(months("2019-09", "2024-08")):
            drop = 0.6 if (i % 5 == 0 and k > 30) else 1.0  # a few categories fall: säkerställd changes
            lines.append(f"{place};{cat};{m};{rng.poisson(level * drop)}")
    crimes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = folder / "atgardsplan.yaml"
    entries = []
    for a in range(n_activities):
        year, month = 2020 + (a * 2) // 12, 1 + (a * 2) % 12
        entries.append(
            f"- id: akt-{a:02d}\n"
            f"  aktivitet: Aktivitet {a + 1} – trygghetsvandringar och samverkan med fastighetsägare "
            f"kring {place}\n"
            f"  prioriterat område: {AREAS[a % len(AREAS)]}\n"
            f"  plats: [{place_id}]\n"
            f"  löptid: {'Tillsvidare' if a % 3 else '2024-06-30'}\n"
            f"  start: {year}-{month:02d}-01\n"
            f"  mötesfrekvens: 1 gång per månad\n"
            f"  sammankallande: Förvaltningen\n"
            f"  uppföljning:\n"
            f"    {year}:\n"
            f"      VB:\n"
            f"        mål uppfyllt: delvis\n"
            f"        genomförda aktiviteter: Fyra möten och två trygghetsvandringar.\n")
    plan.write_text("".join(entries), encoding="utf-8")
    assert ingest_file(store, "crimes", crimes).status == "ok"
    assert ingest_file(store, "activities", plan).status == "ok"
    return store


@pytest.fixture
def big_plan(places_store, settings, tmp_path):
    """(settings, store) with 23 activities at Vårberg and 19 categories of monthly counts."""
    return settings, big_plan_store(places_store, tmp_path)


def _effects(settings, store):
    data = ExportData(store, settings)
    place = data.place("varberg")
    return data, place, effects_table(data, place), place_effects(store, settings, "varberg")


def test_a_long_before_after_table_shows_totals_and_saekerstaellda_and_says_where_the_rest_is(big_plan):
    settings, store = big_plan
    data, place, blocks, raw = _effects(settings, store)
    assert len(raw) == 23 * 20  # 19 categories and their total per activity (the old table's rows)
    table = next(b for b in blocks if isinstance(b, Table))
    rows = [dict(zip(table.columns, r, strict=True)) for r in table.rows]
    for before, row in zip(rows, rows[1:], strict=False):  # the whole name on its activity's first row
        if row["Aktivitet"].endswith(" …"):
            assert before["Aktivitet"].startswith(row["Aktivitet"][:-2])
            row["Aktivitet"] = before["Aktivitet"]
    assert all(r["Aktivitet"] in set(raw["aktivitet"]) for r in rows)
    # hand count from the core's frame: each activity's total, and each category's säkerställd change
    found = raw[(raw["category"] != "alla") & raw["significant"].astype(bool)
                & raw["verdict"].str.contains("statistiskt säkerställd")]
    assert len(found) > 0  # the store has some (a few categories fall by 40 %)
    assert len(rows) == 23 + len(found) < 60
    assert sum(r["Kategori"] == "Alla valda kategorier" for r in rows) == 23
    for _, f in found.iterrows():
        name = data.category_names[f["category"]]
        assert any(r["Aktivitet"] == f["aktivitet"] and r["Kategori"] == name
                   and r["Bedömning"].endswith(f["verdict"]) for r in rows)
    # where the rest is, right under the table (not in the data file, which keeps every row)
    assert blocks[blocks.index(table) + 1].text == (f"Tabellen visar {len(rows)} av 460 rader: för varje aktivitet alla kategorier "
                              "tillsammans och de kategorier vars egen förändring är statistiskt säkerställd. "
                              "Före och efter för varje kategori finns i paketets zip-fil, data/Före och "
                              "efter Vårberg.csv och .xlsx.")
    assert table.name == "Före och efter Vårberg" and len(table.data) == 460
    assert not any("Tabellen visar" in n for n in table.notes)


def test_a_short_before_after_table_still_shows_every_category(places_store, settings, tmp_path):
    settings_, store = settings, big_plan_store(places_store, tmp_path, n_activities=1)
    _data, _place, blocks, raw = _effects(settings_, store)
    table = next(b for b in blocks if isinstance(b, Table))
    assert len(table.rows) == len(raw) == 20
    assert blocks == [table]  # no note on rows left out


@pytest.mark.browser
@pytest.mark.slow
def test_the_pack_of_a_large_plan_stays_a_meeting_document(big_plan, tmp_path):
    """23 × 20 before/after rows made the pack 51 pages (40 of them the table)."""
    import docx

    settings, store = big_plan
    result = build_pack(store, settings, places=["varberg"], periods=["2022–2023", "2023–2024"],
                        out_dir=tmp_path / "paket", date=dt.date(2024, 10, 5))
    info = subprocess.run(["pdfinfo", str(result.pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages <= 20
    word = docx.Document(str(result.docx))
    effects = next(t for t in word.tables if t.rows[0].cells[1].text == "Kategori"
                   and t.rows[0].cells[2].text == "Före")
    assert len(effects.rows) - 1 < 60
    text = "\n".join(p.text for p in word.paragraphs)
    assert "data/Före och efter Vårberg.csv och .xlsx" in text
    with zipfile.ZipFile(result.zip) as zf:
        rows = zf.read("data/Före och efter Vårberg.csv").decode("utf-8-sig").splitlines()
    assert len([r for r in rows if not r.startswith("#")]) == 1 + 460
    assert not any(r.startswith("# Tabellen visar") for r in rows)


@pytest.mark.browser
@pytest.mark.slow
def test_the_timeline_of_a_large_plan_exports_as_a4_pages_and_page_sized_images(big_plan, tmp_path):
    """The timeline of 23 activities was one image 70 cm tall at 16 cm wide (PNG 1890 × 8335 px),
    and its PDF one page 71 cm tall."""
    from PIL import Image

    from lagesbild.analysis.plan import plan_view
    from lagesbild.export.figure import export_figure, prepare_figure
    from lagesbild.figures.activities import make_activity_timeline

    settings, store = big_plan
    res = plan_view(store, settings)
    fig = make_activity_timeline(res["activities"], res["followups"], place=res["title"],
                                 until=dt.date(2024, 8, 31))
    pdf = export_figure(fig, tmp_path / "tidslinje.pdf", fmt="pdf")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = [line.split(":", 1)[1].split("pts")[0].strip() for line in info.splitlines()
             if line.startswith("Page") and "size" in line]
    assert len(sizes) > 1 and all(s == "595.276 x 841.89" for s in sizes)  # A4 portrait
    from lagesbild.export.figure import export_pages  # new with the split
    from lagesbild.export.pages import split_rows

    pngs = export_pages(fig, tmp_path / "tidslinje.png", fmt="png")
    assert len(pngs) == len(sizes)
    for path in pngs:
        with Image.open(path) as im:
            assert im.width == 1890 and im.height / 300 * 2.54 <= 21.0 + 0.05
    # every activity on one part, in order, none twice
    parts = split_rows(prepare_figure(fig))
    rows = [label.replace("<br>", " ") for p in parts for label in reversed(p.layout.yaxis.categoryarray)]
    assert rows == [f"Aktivitet {a + 1} – trygghetsvandringar och samverkan med fastighetsägare kring Vårberg"
                    for a in range(23)]  # re-wrapped for the export's width
    assert parts[0].layout.title.subtitle.text.endswith(f"del 1 av {len(parts)}: rad 1–"
                                                        f"{len(parts[0].layout.yaxis.categoryarray)} av 23")
