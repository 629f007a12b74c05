"""A count with a footnote mark ("8 100*", "8 200¹", as an analyst marks a preliminary or uncertain figure
in a table saved from Excel) was refused as "antalet kunde inte tolkas som ett tal", which does not say
what is wrong with a number. The refusal now names the mark and where a footnote on the period goes.
The file is still refused (nothing written): a mark may mean the figure is not final."""

from __future__ import annotations

import sqlite3

from lagesbild.cli import main


def test_a_count_with_a_footnote_mark_is_refused_saying_so(tmp_path, capsys):
    path = tmp_path / "brott.csv"
    path.write_text("Anmälda brott, antal\n\nOmråde;Brott;2022 Antal;2023 Antal\n"
                    "Stockholm;Misshandel inkl. grov;8\u00a0100*;8\u202f200¹\nStockholm;Narkotikabrott;9 100;abc\n"
                    "\nKälla: Brå\n", encoding="utf-8-sig")
    db = tmp_path / "s.sqlite"
    rc = main(["--db", str(db), "ingest", "--no-progress", "crimes", str(path)])
    err = capsys.readouterr().err
    assert rc == 2
    lines = [x for x in err.splitlines() if "rad " in x]
    assert len(lines) == 3, err
    assert "fotnotstecken" in lines[0] and "8\u00a0100*" in lines[0], err
    assert "fotnotstecken" in lines[1], err
    assert "fotnotstecken" not in lines[2] and "kunde inte tolkas som ett tal" in lines[2], err
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from crime_counts").fetchone()[0] == 0
