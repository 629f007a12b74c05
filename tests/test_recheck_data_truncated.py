"""A Brå download cut off mid-row (a download that stopped, a file copied while it was written) is
refused with the line as written, never read as if the table ended at the row before: Brå's reader cut
every line after the last data row off as a "note", so ``2024;Helår;2024;Skärh`` vanished and the
file loaded without a word. Notes under the table are still cut off."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from lagesbild.cli import main
from lagesbild.sources.crimes import read_crimes
from tests.test_fuzz_inputs import FUZZ

HEADER = "År;Periodtyp;Periodetikett;Område;Brott;Antal;Per100000\n"
ROWS = ["2024;Helår;2024;Skärholmen;Rån;5;0,3\n", "2024;Helår;2024;Skärholmen;Skadegörelsebrott;31;1,2\n",
        "2025;Helår;2025 prel.;Skärholmen;Rån;7;0,4\n"]
NOTES = ("\nKälla: Brottsförebyggande rådet (Brå), statistikdatabasen.\n"
         "Förklaring: .. = uppgift saknas, - = inget finns att redovisa.\n¹ Preliminära uppgifter för 2025.\n"
         "Statistik från Brå\n")


def test_a_truncated_bra_file_is_refused_with_the_line_and_nothing_is_written(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    good = tmp_path / "bra_hel.csv"
    good.write_text(HEADER + "".join(ROWS) + NOTES, encoding="utf-8")
    assert main(["--db", str(db), "ingest", "--no-progress", "crimes", str(good)]) == 0  # notes cut off
    assert "3 rader inlästa" in capsys.readouterr().out
    cut = tmp_path / "bra_avbruten.csv"
    cut.write_text(HEADER + "".join(ROWS[:2]) + "2025;Helår;2025 prel.;Skärh", encoding="utf-8")
    assert main(["--db", str(db), "ingest", "--no-progress", "crimes", str(cut)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fel: bra_avbruten.csv: 1 fel; inget lästes in"), err
    assert 'bra_avbruten.csv, rad 4, värde "2025;Helår;2025 prel.;Skärh": raden har 4 fält men rubrikraden har 7' in err
    assert "Traceback" not in err


def test_a_last_row_with_its_count_cut_off_is_not_dropped(tmp_path):
    path = tmp_path / "bra.csv"
    path.write_text(HEADER + ROWS[0] + "2024;Helår;2024;Skärholmen;Skadegörelsebrott;\n", encoding="utf-8")
    res = read_crimes(path)
    assert [(e.line, e.value) for e in res.errors] == [(3, "2024;Helår;2024;Skärholmen;Skadegörelsebrott;")]


@FUZZ
@given(cut=st.integers(0, len("".join(ROWS)) - 1), sep=st.sampled_from([";", ","]))
@example(cut=len(ROWS[0]) + 20, sep=";")
def test_a_file_cut_anywhere_in_its_rows_loses_no_row_in_silence(tmp_path_factory, cut, sep):
    body = "".join(ROWS)[:cut]
    text = (HEADER + body).replace(";", sep).replace("0,3", '"0,3"').replace("1,2", '"1,2"') \
        .replace("0,4", '"0,4"') if sep == "," else HEADER + body
    path = tmp_path_factory.mktemp("cut") / "bra.csv"
    path.write_text(text, encoding="utf-8")
    partial = body.split("\n")[-1]  # the line the cut ends inside ("" at a line's end)
    whole = body.count("\n")
    try:
        res = read_crimes(path)
    except Exception as exc:  # a file with no row at all is refused as a whole, in Swedish
        assert type(exc).__name__ == "InputError" and whole == 0, exc
        return
    lines = sorted(set(res.table["line"]))
    assert lines[:whole] == list(range(2, 2 + whole))
    if partial.count(";") + 1 < 7:  # the cut row has fewer fields than the header: said, not lost
        assert partial == "" or any(e.line == whole + 2 for e in res.errors), (partial, res.errors)


def test_a_wide_table_cut_inside_its_first_cell_is_refused(tmp_path):
    path = tmp_path / "bra.csv"
    path.write_text("Anmälda brott, antal\n\nOmråde;Brott;2023 Antal;2024 Antal\nSkärholmen;Rån;5;6\nSkärholm",
                    encoding="utf-8")
    res = read_crimes(path)
    assert [(e.line, e.value) for e in res.errors] == [(5, "Skärholm")]


def test_many_refused_rows_are_counted_with_swedish_thousands(tmp_path, capsys):
    path = tmp_path / "brott.csv"
    path.write_text("Plats;Brottskategori;Månad;Antal\n" + "Vårberg;Rån;2023-01;tre\n" * 1500, encoding="utf-8")
    assert main(["--db", str(tmp_path / "s.sqlite"), "ingest", "--no-progress", "crimes", str(path)]) == 2
    assert capsys.readouterr().err.startswith("Fel: brott.csv: 1\u00a0500 fel; inget lästes in")
