"""A file read in with a wrong mapping can be read in again with the corrected one.

The ingest's no-op check looked at the file's checksum only, so the same file with a corrected
``--mapping`` did nothing ("redan inläst; inget ändrades") and the wrong categories stayed. Now the
mapping is part of the checksum (the same file and the same mapping is still a no-op), and
``--replace-source`` empties the source first, so rows the wrong mapping put under another category go
too."""

from __future__ import annotations

import json

from lagesbild.cli import main
from lagesbild.ingest import open_store
from lagesbild.settings import ROOT, load_settings

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"
CRIMES = ("Plats;Brottskategori;Månad;Antal\n" + "".join(
    f"Vårberg;Eget bruk av narkotika;2023-0{m};{n}\n" for m, n in ((1, 7), (2, 4), (3, 9)))
    + "Vårberg;Rån;2023-01;2\n")


def _totals(tmp_path, db) -> dict:
    store = open_store(load_settings({}, data_dir=str(tmp_path), db=str(db)))
    counts = store.monthly_counts()
    return counts.groupby("category")["count"].sum().to_dict()


def _ingest(db, capsys, *args) -> tuple[int, str]:
    capsys.readouterr()
    rc = main(["--db", str(db), "ingest", "--no-progress", "--format", "json", *map(str, args)])
    out = capsys.readouterr()
    return rc, (json.loads(out.out)[0]["meddelande"] if out.out.strip() else out.err)


def _setup(tmp_path, capsys):
    db, crimes = tmp_path / "s.sqlite", tmp_path / "brott.csv"
    crimes.write_text(CRIMES, encoding="utf-8")
    wrong, right = tmp_path / "fel.yaml", tmp_path / "rätt.yaml"
    wrong.write_text('categories:\n  "Eget bruk av narkotika": skadegorelse\n', encoding="utf-8")
    right.write_text('categories:\n  "Eget bruk av narkotika": narkotikabrott\n', encoding="utf-8")
    assert _ingest(db, capsys, "places", PLACES)[0] == 0
    assert _ingest(db, capsys, "crimes", crimes, "--mapping", wrong)[0] == 0
    assert _totals(tmp_path, db) == {"skadegorelse": 20, "ran": 2}
    return db, crimes, right


def test_a_corrected_mapping_reads_the_file_again_and_says_what_stays(tmp_path, capsys):
    db, crimes, right = _setup(tmp_path, capsys)
    rc, said = _ingest(db, capsys, "crimes", crimes, "--mapping", right)
    assert rc == 0 and "redan inläst" not in said, said
    assert "Filen lästes in förut med en annan mappning (inläsning nr 2)" in said
    assert "De 4 rader som den förra inläsningen av filen skrev togs bort först; andra filers rader står kvar." in said
    assert _totals(tmp_path, db) == {"narkotikabrott": 20, "ran": 2}
    # the same mapping again, written another way in a file of another name: nothing to do
    same = tmp_path / "samma.yml"
    same.write_text("# rättad\ncategories: {'Eget bruk av narkotika': narkotikabrott}\n", encoding="utf-8")
    rc, said = _ingest(db, capsys, "crimes", crimes, "--mapping", same)
    assert rc == 0 and "redan inläst" in said and "inläsning nr 3" in said
    # --replace-source: the source's earlier rows go, the wrong category with them
    rc, said = _ingest(db, capsys, "crimes", crimes, "--mapping", right, "--replace-source")
    assert rc == 0 and "Källan polisen-brott tömdes först (--replace-source): 4 rader" in said, said
    assert _totals(tmp_path, db) == {"narkotikabrott": 20, "ran": 2}


def test_a_file_read_without_a_mapping_is_still_read_once(tmp_path, capsys):
    db, crimes = tmp_path / "s.sqlite", tmp_path / "brott.csv"
    crimes.write_text(CRIMES.replace("Eget bruk av narkotika", "Narkotikabrott"), encoding="utf-8")
    assert _ingest(db, capsys, "places", PLACES)[0] == 0
    assert _ingest(db, capsys, "crimes", crimes)[0] == 0
    rc, said = _ingest(db, capsys, "crimes", crimes)
    assert rc == 0 and "redan inläst" in said
    empty = tmp_path / "tom.yaml"  # a mapping that says nothing is no mapping
    empty.write_text("categories: {}\n", encoding="utf-8")
    rc, said = _ingest(db, capsys, "crimes", crimes, "--mapping", empty)
    assert rc == 0 and "redan inläst" in said


def test_replace_source_empties_the_source_a_bra_table_is_stored_under(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    table = tmp_path / "bra.csv"
    text = ("Anmälda brott, antal\n\nÅr;Periodtyp;Periodetikett;Område;Brott;Antal;Per100000\n"
            "2024;Helår;2024;Skärholmen;Skadegörelsebrott;31;1,2\n"
            "2024;Helår;2024;Skärholmen;Rån;5;0,3\n")
    table.write_text(text, encoding="utf-8")
    assert _ingest(db, capsys, "crimes", table)[0] == 0
    assert _totals(tmp_path, db) == {}  # yearly counts: not monthly
    table.write_text(text.replace(";Rån;5;0,3", ";Narkotikabrott;9;0,5"), encoding="utf-8")
    rc, said = _ingest(db, capsys, "crimes", table, "--replace-source")
    assert rc == 0 and "Källan bra-brott tömdes först (--replace-source): 2 rader" in said, said
    store = open_store(load_settings({}, data_dir=str(tmp_path), db=str(db)))
    got = store.period_counts()
    assert sorted(zip(got["category"], got["count"], strict=True)) == [("narkotikabrott", 9),
                                                                     ("skadegorelse", 31)]
