"""``survey`` in text: the columns of differences name what the place is compared with. The demo's
district and city figures include the place's own answers, so the place is compared with the rest of
them (``core/survey.py``); the header said "mot stadsdel" of a difference against the rest. The district
is named (Hässelby torg's is Hässelby-Vällingby: the demo's places file), as Trygghet names it (3c174c4)."""

from __future__ import annotations

from lagesbild.cli import main


def test_the_survey_columns_say_the_rest_of_the_district_and_city(demo_store_path, capsys):
    capsys.readouterr()
    assert main(["--db", str(demo_store_path), "survey", "--place", "hasselby-torg"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert "mot resten av Hässelby-Vällingby" in header and "mot resten av staden" in header
    assert "mot stadsdel " not in header
