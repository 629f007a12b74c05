"""A weighted survey file gives the weighted share beside the unweighted one ("Oviktad andel (%)",
"Viktad andel (%)"), as survey tools export them. No share column was recognised, so the file was refused
asking for a mapping. The weighted share is the survey's result and is read; the unweighted one is not.
Hand-written file; the expected values are its cells."""

from __future__ import annotations

from lagesbild.sources.survey import read_survey


def test_the_weighted_share_is_read_not_the_unweighted(tmp_path):
    path = tmp_path / "trygghet.csv"
    path.write_text("Område;År;Indikator;Oviktad andel (%);Viktad andel (%);Antal svar\n"
                    "Skärholmen;2023;Otrygg utomhus sent en kväll;30,1;34,4;1066\n"
                    "Hässelby-Vällingby;2023;Otrygg utomhus sent en kväll;25,0;27,0;1390\n", encoding="utf-8")
    result = read_survey(path)
    assert result.errors == []
    assert [(r.area, round(r.share, 4), int(r.respondents)) for r in result.table.itertuples()] == [
        ("Skärholmen", 0.344, 1066), ("Hässelby-Vällingby", 0.27, 1390)]


def test_the_weighted_share_wins_over_a_plain_andel_beside_it(tmp_path):
    path = tmp_path / "trygghet.csv"
    path.write_text("Område;År;Indikator;Andel (%);Viktad andel (%)\n"
                    "Skärholmen;2023;Otrygg utomhus sent en kväll;30,1;34,4\n", encoding="utf-8")
    assert [round(s, 4) for s in read_survey(path).table["share"]] == [0.344]
