"""A wide crime table (one column per month) counted its refused and skipped *cells* as lines (data10).

Measured on the old code with the file below (4 data lines, 3 month columns):
- '"Bus" (3 rader, första på rad 4)' — "Bus" is on one line, with three values;
- '3 rader hoppades över … summarader (Totalt/Summa) (3)' — one "Totalt" line;
- '6 värden inlästa från 2 rader (en kolumn per period), 2 avvisade' — 2 is lines, beside values;
- 'wide.csv: 4 fel; inget lästes in' — 4 cells on 2 lines.
Every count below is read off the file by hand.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

WIDE = ("Område;Brottstyp;2024-01;2024-02;2024-03\n"
        "Boden;Stöld;3;4;5\n"       # line 2: read, 3 values
        "Totalt;Stöld;3;4;5\n"      # line 3: a sum line, skipped (1 line)
        "Boden;Bus;1;1;1\n"         # line 4: unknown category (1 line, 3 values)
        "Bodenx;Rån;1;1;1\n"        # line 5: unknown place (1 line, 3 values)
        "Boden;Rån;2;..;2\n")       # line 6: read, 3 values ('..' is a value not published)


def _ingest(tmp_path, capsys, text, *extra, name="wide.csv"):
    from lagesbild.cli import main

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code = main(["ingest", "crimes", str(path), "--db", str(tmp_path / "s.sqlite"), "--no-progress", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_refusal_counts_errors_and_the_lines_they_are_on(tmp_path, capsys):
    code, _, err = _ingest(tmp_path, capsys, WIDE)
    assert code == 2 and "Traceback" not in err
    assert err.startswith("Fel: wide.csv: 4 fel på 2 rader; inget lästes in"), err  # 1 + 3 cells, lines 4, 5
    assert '"Bus" (1 rad, på rad 4)' in err, err


def test_keep_valid_says_values_read_lines_refused_and_lines_skipped(tmp_path, capsys):
    code, out, err = _ingest(tmp_path, capsys, WIDE, "--keep-valid")
    assert code == 0, err
    assert out.startswith("wide.csv: 6 värden inlästa från 2 rader (en kolumn per period), 2 rader avvisade. "
                          "1 rad hoppades över (inga fel, men räknas inte): summarader (Totalt/Summa) (1)."), out


def test_the_json_report_keeps_lines_and_values_apart(tmp_path, capsys):
    code, out, err = _ingest(tmp_path, capsys, WIDE, "--keep-valid", "--format", "json")
    report = json.loads(out)[0]
    assert (report["godkända_rader"], report["lästa_rader"], report["avvisade_rader"]) == (6, 2, 2)
    assert report["överhoppade"] == {"summarader (Totalt/Summa)": 1}


def test_an_unfinished_period_column_counts_values(tmp_path, capsys):
    """A period not ended is a column of a wide table: its cells are values of lines read otherwise."""
    text = "Område;Brottstyp;2024;2026\nBoden;Stöld;3;4\nBoden;Rån;1;1\nLuleå;Stöld;2;2\n"
    code, out, err = _ingest(tmp_path, capsys, text, "--extracted", "2026-06-30")
    assert code == 0, err
    assert "3 värden inlästa från 3 rader" not in out  # one value a line: said as lines
    assert "3 värden hoppades över (inga fel, men räknas inte): perioden \"2026\"" in out, out


@settings(max_examples=25, deadline=None)
@given(bad=st.lists(st.lists(st.booleans(), min_size=4, max_size=4), min_size=1, max_size=6))
def test_any_pattern_of_bad_cells_is_counted_in_errors_and_lines(tmp_path_factory, bad):
    """Negative counts at random cells of a 4-month wide table: the refusal counts the cells and the
    lines holding them, the --keep-valid summary the lines."""
    from lagesbild.cli import main

    tmp = tmp_path_factory.mktemp("w")
    lines = ["Område;Brottstyp;2024-01;2024-02;2024-03;2024-04"]
    cats = ["Stöld", "Rån", "Inbrott", "Bilbrott", "Cykelstöld", "Misshandel"]
    for cat, row in zip(cats, bad, strict=False):
        lines.append(f"Boden;{cat};" + ";".join("-1" if b else "2" for b in row))
    path = tmp / "w.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cells, rows = sum(map(sum, bad)), sum(1 for r in bad if any(r))
    import io
    from contextlib import redirect_stderr, redirect_stdout

    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        code = main(["ingest", "crimes", str(path), "--db", str(tmp / "s.sqlite"), "--no-progress"])
    if not cells:
        assert code == 0
        return
    first = err.getvalue().splitlines()[0]
    r = "rad" if rows == 1 else "rader"
    assert code == 2 and first == (f"Fel: w.csv: {cells} fel" + (f" på {rows} {r}" if rows < cells else "")
                                   + "; inget lästes in"), first
    with redirect_stderr(err), redirect_stdout(out):
        code = main(["ingest", "crimes", str(path), "--db", str(tmp / "s.sqlite"), "--no-progress",
                     "--keep-valid"])
    said = f", {rows} rader avvisade" if rows > 1 else ", 1 rad avvisad"
    if rows == len(bad):  # nothing read: no values beside the lines, which are said as before
        said = "w.csv: 0 rader inlästa, " + (f"{rows} avvisade" if rows > 1 else "1 avvisad")
    assert code == 0 and said in out.getvalue(), (out.getvalue(), err.getvalue())
