"""Survey tables as they are published: withheld shares ("..", "*", "x") and footnote marks on values.

Stockholm stad's and the police's survey tables print a mark instead of a share that is withheld (too
few respondents) and put footnote marks after values. A withheld share is no result and no error; a
marked value is the number without its mark. The expected shares are read from the file with the csv
module and the marks cut by hand.
"""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from lagesbild.ingest import ingest_file
from lagesbild.sources.survey import read_survey

HEADER = "Område;Nivå;År;Indikator;Andel (%);Antal svarande"
ROWS = [
    "Hässelby torg;plats;2019;Otrygg utomhus;23;112",
    "Hässelby torg;plats;2020;Otrygg utomhus;..;",
    "Hässelby torg;plats;2021;Otrygg utomhus;*;8",
    "Hässelby torg;plats;2022;Otrygg utomhus;x;4",
    "Hässelby torg;plats;2023;Otrygg utomhus;31*;140",
    "Hässelby torg;plats;2024;Otrygg utomhus;29¹;151",
    "Hässelby torg;plats;2025;Otrygg utomhus;27,5 1);160",
]
WITHHELD = {"..", "*", "x"}


def _write(tmp_path, rows, name="trygghet.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _expected(path):
    """Year -> share, by hand: withheld rows out, the mark cut off the value."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            cell = row["Andel (%)"].strip()
            if cell in WITHHELD:
                continue
            number = cell.split("*")[0].split("¹")[0].split(" ")[0].replace(",", ".")
            out[int(row["År"])] = float(number) / 100
    return out


def test_withheld_shares_are_left_out_not_refused(tmp_path):
    path = _write(tmp_path, ROWS)
    r = read_survey(path)
    assert r.errors == []
    assert dict(zip(r.table["year"], r.table["share"], strict=True)) == pytest.approx(_expected(path))
    assert r.meta["not_published"] == 3 and r.meta["marked_shares"] == 3


def test_the_ingest_says_what_it_left_out(tmp_path, store):
    ingest_file(store, "places", _places(tmp_path))
    rep = ingest_file(store, "survey", _write(tmp_path, ROWS))
    assert (rep.accepted, rep.rejected) == (4, 0)
    assert sum(rep.skipped.values()) == 3 and "inte redovisas" in next(iter(rep.skipped))
    assert any("fotnotsmarkering" in r for r in rep.remarks)
    s = store.survey().set_index("year")["share"].to_dict()
    assert s == pytest.approx(_expected(tmp_path / "trygghet.csv"))


def test_an_empty_share_is_still_an_error(tmp_path):
    r = read_survey(_write(tmp_path, ["Hässelby torg;plats;2019;Otrygg utomhus;;112"]))
    assert [e.reason for e in r.errors] == ["andelen saknas"]


def test_marks_do_not_decide_the_scale(tmp_path):
    """0,23* and 0,31 under a plain "Andel" are fractions; the withheld "*" plays no part."""
    path = tmp_path / "andelar.csv"
    path.write_text("Område;Nivå;År;Indikator;Andel;Antal svarande\n"
                    "Vårberg;plats;2019;Otrygg utomhus;0,23*;100\n"
                    "Vårberg;plats;2020;Otrygg utomhus;0,31;90\n"
                    "Vårberg;plats;2021;Otrygg utomhus;*;3\n", encoding="utf-8")
    r = read_survey(path)
    assert r.errors == [] and r.meta["share_scale"] == "fraction"
    assert r.table["share"].tolist() == pytest.approx([0.23, 0.31])


def test_wide_layout_counts_withheld_years(tmp_path):
    path = tmp_path / "polisen.csv"
    path.write_text("Lokalpolisområde Skärholmen\n\nFråga;2019;2021;2023\n"
                    "Otrygg utomhus;30;*;28¹\nNedskräpning;..;41;40\nAntal svarande;812;790;803\n"
                    "Källa: fiktiva siffror\n", encoding="utf-8")
    r = read_survey(path)
    assert r.errors == [] and r.meta["layout"] == "polisen"
    got = {(i, y): s for i, y, s in r.table[["indicator", "year", "share"]].itertuples(index=False)}
    assert got == pytest.approx({("Otrygg utomhus", 2019): 0.30, ("Otrygg utomhus", 2023): 0.28,
                                 ("Nedskräpning", 2021): 0.41, ("Nedskräpning", 2023): 0.40})
    assert r.meta["not_published"] == 2 and r.meta["marked_shares"] == 1


def test_cli_exits_0_and_says_so(tmp_path):
    db = tmp_path / "s.sqlite"
    run = [sys.executable, "-m", "lagesbild", "--db", str(db), "ingest"]
    subprocess.run([*run, "places", str(_places(tmp_path))], check=True, capture_output=True)
    p = subprocess.run([*run, "survey", str(_write(tmp_path, ROWS))], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "3 rader hoppades över" in p.stdout and "Traceback" not in p.stderr


def _places(tmp_path):
    path = tmp_path / "platser.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                    '{"name": "Hässelby torg", "kind": "torg"}, "geometry": {"type": "Polygon", '
                    '"coordinates": [[[17.83, 59.36], [17.85, 59.36], [17.85, 59.37], [17.83, 59.37], '
                    '[17.83, 59.36]]]}}, {"type": "Feature", "properties": {"name": "Vårberg", "kind": '
                    '"omrade"}, "geometry": {"type": "Polygon", "coordinates": [[[17.88, 59.27], '
                    '[17.90, 59.27], [17.90, 59.28], [17.88, 59.28], [17.88, 59.27]]]}}]}',
                    encoding="utf-8")
    return path


MIXED = ("Område;Nivå;År;Indikator;{header};Antal svarande\nVårberg;plats;2019;Otrygg;38;100\n"
         "Vårberg;plats;2020;Otrygg;0,41;100\nVårberg;plats;2021;Otrygg;0;100\n")


def test_a_fraction_among_percents_is_refused_when_only_the_values_decide(tmp_path):
    """"0,41" beside "38" under a plain "Andel" was read as 0,41 %; it is 41 % as likely."""
    path = tmp_path / "blandad.csv"
    path.write_text(MIXED.format(header="Andel"), encoding="utf-8")
    r = read_survey(path)
    assert [(e.line, e.value) for e in r.errors] == [(3, "0,41")]
    assert "blandar andelar" in r.errors[0].reason and "share: fraction eller percent" in r.errors[0].reason
    # the file's own word decides: a percent header, or the mapping's option
    path.write_text(MIXED.format(header="Andel (%)"), encoding="utf-8")
    assert read_survey(path).table["share"].tolist() == pytest.approx([0.38, 0.0041, 0.0])
    path.write_text(MIXED.format(header="Andel"), encoding="utf-8")
    r = read_survey(path, mapping={"options": {"share": "percent"}})
    assert r.errors == [] and r.table["share"].tolist() == pytest.approx([0.38, 0.0041, 0.0])


def test_the_cli_refuses_the_mixed_column_with_exit_2(tmp_path):
    db = tmp_path / "s.sqlite"
    run = [sys.executable, "-m", "lagesbild", "--db", str(db), "ingest"]
    subprocess.run([*run, "places", str(_places(tmp_path))], check=True, capture_output=True)
    path = tmp_path / "blandad.csv"
    path.write_text(MIXED.format(header="Andel"), encoding="utf-8")
    p = subprocess.run([*run, "survey", str(path)], capture_output=True, text=True)
    assert p.returncode == 2 and 'rad 3, kolumn "Andel", värde "0,41"' in p.stderr
    assert "Traceback" not in p.stderr
