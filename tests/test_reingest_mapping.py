"""A mapping given with a file read in before: refused when it cannot be read, and a corrected one read.

A file is read in once (its checksum); reading it again changes nothing. With ``--mapping`` the no-op
did not open the mapping at all: a mapping file that did not exist gave exit 0, and a corrected mapping
was passed over in silence ("redan inläst; inget ändrades"), as if it had been applied.
"""

from __future__ import annotations

from lagesbild.cli import main
from lagesbild.ingest import open_store
from lagesbild.ingest.run import MAPPING_NOT_USED
from lagesbild.settings import ROOT, load_settings

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"
ROWS = [("2023-01", 7), ("2023-02", 4), ("2023-03", 9)]


def _totals(folder, db) -> dict:
    store = open_store(load_settings({}, data_dir=str(folder), db=str(db)))
    return store.monthly_counts().groupby("category")["count"].sum().to_dict()


def _store_with_file(tmp_path):
    db, crimes = tmp_path / "s.sqlite", tmp_path / "brott.csv"
    crimes.write_text("Plats;Brottskategori;Månad;Antal\n"
                      + "".join(f"Vårberg;Eget bruk av narkotika;{m};{n}\n" for m, n in ROWS), encoding="utf-8")
    wrong = tmp_path / "fel.yaml"
    wrong.write_text('categories:\n  "Eget bruk av narkotika": skadegorelse\n', encoding="utf-8")
    assert main(["--db", str(db), "ingest", "--no-progress", "places", str(PLACES)]) == 0
    assert main(["--db", str(db), "ingest", "--no-progress", "crimes", str(crimes), "--mapping", str(wrong)]) == 0
    assert _totals(tmp_path, db) == {"skadegorelse": 20}
    return db, crimes


def test_a_corrected_mapping_reads_a_file_read_before_again(tmp_path, capsys):
    """A corrected mapping is part of what was read: the file is read again with it, the report says
    so, and the rows the old mapping put under another category are replaced with it (since ingest2's
    1fe813b: exactly what the earlier read of the file wrote), which the report says too."""
    db, crimes = _store_with_file(tmp_path)
    right = tmp_path / "rätt.yaml"
    right.write_text('categories:\n  "Eget bruk av narkotika": narkotikabrott\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", str(db), "ingest", "--no-progress", "crimes", str(crimes), "--mapping", str(right)]) == 0
    out = capsys.readouterr().out
    assert "Filen lästes in förut med en annan mappning (inläsning nr 2)" in out
    assert "De 3 rader som den förra inläsningen av filen skrev togs bort först" in out
    assert "redan inläst" not in out and MAPPING_NOT_USED not in out
    assert _totals(tmp_path, db) == {"narkotikabrott": 20}
    # the same mapping again changes nothing
    assert main(["--db", str(db), "ingest", "--no-progress", "crimes", str(crimes), "--mapping", str(right)]) == 0
    assert "redan inläst" in capsys.readouterr().out
    # replacing the source leaves only what the corrected mapping reads
    assert main(["--db", str(db), "ingest", "--no-progress", "crimes", str(crimes), "--mapping", str(right),
                 "--replace-source"]) == 0
    capsys.readouterr()
    assert _totals(tmp_path, db) == {"narkotikabrott": 20}


def test_a_mapping_that_cannot_be_read_is_refused_for_a_file_read_before(tmp_path, capsys):
    db, crimes = _store_with_file(tmp_path)
    capsys.readouterr()
    missing = tmp_path / "finns-inte.yaml"
    assert main(["--db", str(db), "ingest", "--no-progress", "crimes", str(crimes), "--mapping", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fel: ") and "finns-inte.yaml" in err and "Traceback" not in err
    broken = tmp_path / "trasig.yaml"
    broken.write_text("categories: [\n", encoding="utf-8")
    assert main(["--db", str(db), "ingest", "--no-progress", "crimes", str(crimes), "--mapping", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "trasig.yaml" in err and "Traceback" not in err
    assert _totals(tmp_path, db) == {"skadegorelse": 20}
