"""A recheck of real Swedish data as it comes (issue 12) with files the project had not seen: Brå's
statistics database downloads and their re-exports as a kommun writes them (Windows-1252 or UTF-8
with BOM, semicolons, title lines, Brå's notes, spaces as thousands separators, ".."), read through
the CLI into fresh stores. The numbers are made up; the layouts are the published ones."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from scipy.stats import binomtest

from lagesbild import analysis
from lagesbild.cli import main
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings

BRA_NOTES = ["", "Källa: Brottsförebyggande rådet (Brå), statistikdatabasen över anmälda brott.",
             "Förklaring: .. = uppgift saknas; - = inget finns att redovisa"]
# Stockholm's stadsdelsområden as Brå names them, with Brå's crime names (yearly table)
SDO_YEARS = {  # area -> crime -> counts 2022..2025
    "Stockholms kommun": {"Totalt antal brott": [108755, 100659, 124063, 96990],
                          "Misshandel inkl. grov": [7911, 7380, 6420, 7823]},
    "Skarpnäck": {"Totalt antal brott": [7505, 9578, 10475, 10016],
                  "Misshandel inkl. grov": [660, 594, 522, 669],
                  "Rån inkl. grovt": [76, None, 104, 101]},
    "Hässelby-Vällingby": {"Totalt antal brott": [8120, 8433, 8011, 8290],
                           "Misshandel inkl. grov": [480, 502, 455, 470]},
}


def _thousands(n) -> str:
    return ".." if n is None else f"{n:,}".replace(",", " ")


def write_sdo_years(path, encoding="cp1252"):
    """Brå's yearly table of Stockholm's stadsdelsområden, one column per year (as downloaded and
    saved from Excel: Windows-1252, CRLF, title lines, notes under the table)."""
    lines = ["Anmälda brott, antal. Stockholms kommun och stadsdelsområden", "Period: 2022–2025", "",
             "Område;Brott;2022;2023;2024;2025"]
    for area, crimes in SDO_YEARS.items():
        for crime, counts in crimes.items():
            lines.append(";".join([area, crime, *map(_thousands, counts)]))
    path.write_text("\r\n".join(lines + BRA_NOTES) + "\r\n", encoding=encoding)
    return path


def write_sdo_measures(path, encoding="utf-8-sig"):
    """The same table downloaded with both of Brå's measures, 'Antal' and 'Per 100 000 inv.' per year
    (a layout recognised as Brå's by its headers)."""
    lines = ["Anmälda brott, antal och per 100 000 invånare", "",
             "Område;Brott;2024 Antal;2024 Per 100 000 inv.;2025 Antal;2025 Per 100 000 inv."]
    for area, crimes in SDO_YEARS.items():
        for crime, counts in crimes.items():
            lines.append(";".join([area, crime, _thousands(counts[2]), "12,5", _thousands(counts[3]), "13,1"]))
    path.write_text("\n".join(lines + BRA_NOTES) + "\n", encoding=encoding)
    return path


def _cli(db, *args) -> int:
    return main(["--db", str(db), *args])


def _store(tmp_path, db):
    return open_store(load_settings({}, data_dir=str(tmp_path), db=str(db)))


def test_brå_table_with_plain_year_columns_is_cited_as_brå(tmp_path):
    """Brå's yearly table with plain year columns has no column only Brå's layouts have; its own source
    line says Brå, and the charts cited it as 'Källa: Polisen'."""
    db = tmp_path / "s.sqlite"
    assert _cli(db, "ingest", "--no-progress", "crimes", str(write_sdo_years(tmp_path / "bra.csv"))) == 0
    store = _store(tmp_path, db)
    crime_sources = store.sources().query("kind == 'crimes'")["source"].tolist()
    assert crime_sources == ["bra-brott"]
    assert analysis.base.facts(store)["crime_source"] == "Brå, anmälda brott"


def test_yearly_counts_read_as_written_and_tested_as_scipy_does(tmp_path, capsys):
    """Spaces as thousands separators, '..' as missing (never zero), Brå's names; 2024 against 2025 by
    the exact conditional test with the years' days as exposure (scipy)."""
    db = tmp_path / "s.sqlite"
    assert _cli(db, "ingest", "--no-progress", "crimes", str(write_sdo_years(tmp_path / "bra.csv"))) == 0
    capsys.readouterr()
    assert _cli(db, "compare", "--place", "Skarpnäck", "--periods", "2022", "2023", "2024", "2025",
                "--format", "json") == 0
    rows = pd.DataFrame(json.loads(capsys.readouterr().out))
    ms = rows[(rows["category"] == "misshandel") & (rows["period_a"] == "2024")].iloc[0]
    assert (ms["count_a"], ms["count_b"]) == (522, 669)
    assert ms["p_unadjusted"] == pytest.approx(binomtest(669, 522 + 669, 0.5).pvalue, rel=1e-9)
    ran = rows[rows["category"] == "ran"].set_index("period_a")
    assert ran.loc["2022", "verdict"].startswith("kan inte bedömas") and pd.isna(ran.loc["2022", "count_b"])
    assert (ran.loc["2024", "count_a"], ran.loc["2024", "count_b"]) == (104, 101)


def test_extraction_date_of_a_brå_table_is_kept_and_the_police_date_left_alone(tmp_path):
    """The ingest wrote --extracted to the source it was called with ('polisen-brott') after the Brå
    handler had renamed it 'bra-brott': Brå's date was lost, and a police file's date was overwritten
    (or erased, when the Brå table came without one)."""
    db = tmp_path / "s.sqlite"
    police = tmp_path / "polisen.csv"
    police.write_text("Plats;Brottskategori;Månad;Antal\n"
                      + "".join(f"Skarpnäck;Misshandel;2026-{m:02d};{40 + m}\n" for m in range(1, 9)),
                      encoding="utf-8")
    assert _cli(db, "ingest", "--no-progress", "--extracted", "2026-09-03", "crimes", str(police)) == 0
    assert _cli(db, "ingest", "--no-progress", "crimes", str(write_sdo_measures(tmp_path / "bra.csv"))) == 0
    days = _store(tmp_path, db).sources().set_index("source")["extracted_at"]
    assert pd.Timestamp(days["polisen-brott"]).date().isoformat() == "2026-09-03"
    assert pd.isna(days["bra-brott"])
    assert _cli(db, "ingest", "--no-progress", "--extracted", "2026-02-20", "crimes",
                str(write_sdo_measures(tmp_path / "bra2.csv", encoding="cp1252"))) == 0
    days = _store(tmp_path, db).sources().set_index("source")["extracted_at"]
    assert pd.Timestamp(days["bra-brott"]).date().isoformat() == "2026-02-20"
    assert pd.Timestamp(days["polisen-brott"]).date().isoformat() == "2026-09-03"


def test_a_year_not_over_at_the_extraction_is_not_compared_with_a_whole_year(tmp_path, capsys):
    """A kommun's re-export of yearly counts taken out on 15 Sep 2026 holds 2026 so far (January to
    mid-September). It was stored as the whole year: 'data t.o.m. 2026-12-31' and every category
    'minskning, statistiskt säkerställd' by about a third, which is only the missing months."""
    db = tmp_path / "s.sqlite"
    rows = ["year;area;crime_type;count"]
    for crime, (y24, y25, y26) in {"Misshandel inkl. grov": (250, 248, 172),
                                    "Narkotikabrott": (520, 519, 361)}.items():
        rows += [f"2024;Göteborg;{crime};{y24}", f"2025;Göteborg;{crime};{y25}", f"2026;Göteborg;{crime};{y26}"]
    path = tmp_path / "gbg_ar.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert _cli(db, "ingest", "--no-progress", "--extracted", "2026-09-15", "--format", "json", "crimes",
                str(path)) == 0
    report = json.loads(capsys.readouterr().out)
    text = json.dumps(report, ensure_ascii=False)
    assert "2026" in text and "inte slut" in text  # the report says which period was left out and why
    store = _store(tmp_path, db)
    assert store.data_until() == pd.Timestamp("2025-12-31").date()
    out = analysis.place_comparison(store, "goteborg", ["2025", "2026"])
    assert not out["significant"].fillna(False).astype(bool).any()
    assert out["verdict"].str.startswith("kan inte bedömas").all()
    # the whole years are there and compared
    whole = analysis.place_comparison(store, "goteborg", ["2024", "2025"]).set_index("category")
    assert (whole.loc["narkotikabrott", "count_a"], whole.loc["narkotikabrott", "count_b"]) == (520, 519)


def test_a_quarter_still_running_today_is_left_out_without_an_extraction_date(tmp_path):
    """Without an extraction date the day of reading is the limit: a quarter ending after it is a part."""
    import datetime as dt

    from lagesbild import clock

    today = clock.today()
    q = (today.month - 1) // 3 + 1
    last_q = (q - 2) % 4 + 1
    last_y = today.year if q > 1 else today.year - 1
    path = tmp_path / "kv.csv"
    path.write_text("Område;Brott;Period;Antal\n"
                    f"Göteborg;Narkotikabrott;Q{last_q} {last_y};130\n"
                    f"Göteborg;Narkotikabrott;Q{q} {today.year};40\n", encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert _cli(db, "ingest", "--no-progress", "crimes", str(path)) == 0
    store = _store(tmp_path, db)
    assert store.data_until() < today and store.data_until() >= dt.date(last_y, 3 * last_q - 2, 1)


def write_bra_months(path, year=2025, extracted_line=True):
    """Brå's monthly table of one kommun for one calendar year, in Brå's long layout (UTF-8 with BOM,
    Periodtyp and Periodetikett, Per100000 beside Antal, notes under the table)."""
    months = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]
    lines = ["Anmälda brott, antal och per 100 000 invånare, efter kommun, brottstyp och månad", "",
             "År;Månad;Periodtyp;Periodetikett;Preliminär;Kommun;Brott;Antal;Per100000"]
    for m, name in enumerate(months, start=1):
        lines.append(f"{year};{m};Månad;{year}, {name};Nej;Boden;Totalt antal brott;{280 + m};98{m % 10},0")
        lines.append(f"{year};{m};Månad;{year}, {name};Nej;Boden;Narkotikabrott;{20 + m % 4};7{m % 10},1")
    path.write_text("\n".join(lines + BRA_NOTES) + "\n", encoding="utf-8-sig")
    return path


def test_data_end_of_a_calendar_year_read_later_is_the_year_end(tmp_path):
    """Brå's months of calendar year 2025, taken out on 15 Sep 2026: the last day of complete data is
    31 Dec 2025, where the data end (it said 31 Aug 2026, the month before the extraction date, eight
    months after the last month any source covers)."""
    db = tmp_path / "s.sqlite"
    assert _cli(db, "ingest", "--no-progress", "--extracted", "2026-09-15", "--source", "bra-boden",
                "crimes", str(write_bra_months(tmp_path / "boden.csv"))) == 0
    store = _store(tmp_path, db)
    assert analysis.base.data_until(store) == pd.Timestamp("2025-12-31").date()
    assert analysis.base.data_end(store) == pd.Timestamp("2025-12-31").date()


def test_a_refused_brå_period_is_named_as_the_file_writes_it(tmp_path, capsys):
    """Brå's quarter labels ("2026 prel., Kv 4") were named in the message as the reader rewrote them
    ("Q4 2026 prel."), a text the user cannot find in the file."""
    path = tmp_path / "kvartal.csv"
    path.write_text("Periodetikett;Kommun;Brott;Antal;Per100000\n"
                    "\"2025, Kv 4\";Boden;Narkotikabrott;30;10,5\n"
                    "\"2026, Kv 1\";Boden;Narkotikabrott;25;8,7\n"
                    "\"2026 prel., Kv 4\";Boden;Narkotikabrott;20;7,0\n", encoding="utf-8")
    assert _cli(tmp_path / "s.sqlite", "ingest", "--no-progress", "--extracted", "2026-09-15", "crimes",
                str(path)) == 2
    err = capsys.readouterr().err
    assert 'rad 4, kolumn "Periodetikett", värde "2026 prel., Kv 4": perioden börjar efter uttagsdatumet' in err


def test_the_month_still_running_is_not_counted_as_a_whole_month(tmp_path, capsys):
    """A police export of monthly counts made today holds this month's first days. Without an
    extraction date the month was stored as whole: 'data t.o.m.' the month's last day (in the future)
    and a calendar year against the one before counted that part month as a whole one."""
    from lagesbild import clock

    today = pd.Timestamp(clock.today())
    this_month = today.to_period("M")
    months = [this_month - k for k in range(24, -1, -1)]
    path = tmp_path / "polisen_manad.csv"
    path.write_text("Plats;Brottskategori;Månad;Antal\n" + "".join(
        f"Skarpnäck;Narkotikabrott;{m.strftime('%Y-%m')};{6 if m == this_month else 40}\n" for m in months),
        encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert _cli(db, "ingest", "--no-progress", "crimes", str(path)) == 0
    assert f'"{this_month.strftime("%Y-%m")}" var inte slut' in capsys.readouterr().out
    store = _store(tmp_path, db)
    assert store.data_until() == (this_month - 1).to_timestamp(how="end").date()
    counts = store.monthly_counts(["skarpnack"])
    assert len(counts) == 24 and (counts["count"] == 40).all()
