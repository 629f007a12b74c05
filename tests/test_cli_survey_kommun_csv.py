"""``lagesbild survey --format csv`` headed a kommun's city-level shares "Andel i staden" (desk9's
fictitious Mölnbo in Södertälje), after the page's download had been made to name the kommun: the CSV
names Södertälje too. Stockholm's demo keeps "staden"."""

from __future__ import annotations

import csv
import io

from lagesbild.cli import main
from tests.test_recheck_desk9_survey_kommun import _store


def _header(capsys, db, place) -> list[str]:
    assert main(["--db", str(db), "survey", "--place", place, "--format", "csv"]) == 0
    lines = [ln for ln in capsys.readouterr().out.lstrip("\ufeff").splitlines() if not ln.startswith("#")]
    return next(csv.reader(io.StringIO(lines[0]), delimiter=";"))


def test_the_survey_csv_names_the_kommun(tmp_path, capsys):
    header = _header(capsys, _store(tmp_path), "molnbo")
    assert "Andel i Södertälje" in header and "Skillnad mot Södertälje (procentenheter)" in header, header
    assert not any("staden" in h for h in header), header


def test_stockholm_keeps_staden(demo_store_path, capsys):
    header = _header(capsys, demo_store_path, "varberg")
    assert "Andel i staden" in header, header
