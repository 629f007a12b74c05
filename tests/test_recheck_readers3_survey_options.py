"""A survey file with a column of answer options (Svarsalternativ: "Mycket otrygg", "Vet ej", …), as
survey tools export a share per option, had that column ignored without a word: with one option per
question the share of "Mycket otrygg" (12 %) was stored as the question's result, and with several the
file was refused as repeated rows. The option is now part of the indicator ("… – Mycket otrygg"), so
each share is stored as what it is. Hand-written file; the expected values are its cells."""

from __future__ import annotations

from lagesbild.sources.survey import read_survey

Q = "Hur trygg känner du dig ute sent en kväll?"


def test_the_answer_option_is_part_of_the_indicator(tmp_path):
    path = tmp_path / "trygghet.csv"
    path.write_text("Område;År;Fråga;Svarsalternativ;Andel (%);Antal svar\n"
                    f"Skärholmen;2023;{Q};Mycket otrygg;12;1066\n"
                    f"Skärholmen;2023;{Q};Ganska otrygg;22;1066\n"
                    f"Skärholmen;2023;{Q};Vet ej;3;1066\n"
                    "Skärholmen;2023;Oroar du dig för brott?;;40;1066\n", encoding="utf-8")
    result = read_survey(path)
    assert result.errors == []
    got = [(r.indicator, round(r.share, 4)) for r in result.table.itertuples()]
    assert got == [(f"{Q} – Mycket otrygg", 0.12), (f"{Q} – Ganska otrygg", 0.22), (f"{Q} – Vet ej", 0.03),
                   ("Oroar du dig för brott?", 0.40)]


def test_one_option_per_question_is_not_stored_as_the_question(tmp_path):
    path = tmp_path / "trygghet.csv"
    path.write_text("Område;År;Fråga;Svar;Andel (%)\n"
                    f"Skärholmen;2023;{Q};Mycket otrygg;12\n", encoding="cp1252")
    assert read_survey(path).table["indicator"].tolist() == [f"{Q} – Mycket otrygg"]
