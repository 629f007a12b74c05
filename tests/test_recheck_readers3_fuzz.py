"""Property tests of the three layouts fixed here, with the generator as the oracle: a police survey file
of one table per area, an action plan whose Aktivitet cells are merged down over rows, and a crime table
with a second table (another header) or the same header pasted again below it."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.sources.activities import read_activities
from lagesbild.sources.crimes import read_crimes
from lagesbild.sources.survey import read_survey

AREAS = ["Skärholmen", "Vårberg", "Rinkeby", "Tensta", "Husby", "Älvsjö"]
QUESTIONS = ["Nedskräpning", "Skadegörelse", "Berusade personer", "Platsen är otrygg"]
FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _comma(share: float) -> str:
    return f"{share:.1f}".replace(".", ",")


blocks = st.lists(st.tuples(st.sampled_from(AREAS),
                            st.lists(st.sampled_from(QUESTIONS), min_size=1, max_size=4, unique=True),
                            st.lists(st.integers(0, 1000).map(lambda n: n / 10), min_size=2, max_size=2),
                            st.lists(st.integers(1, 5000), min_size=2, max_size=2)),
                  min_size=1, max_size=4, unique_by=lambda b: b[0])


@FAST
@given(blocks=blocks, trailing=st.booleans())
def test_each_area_table_of_a_police_survey_file_keeps_its_own_numbers(tmp_path_factory, blocks, trailing):
    sep = ";;" if trailing else ""  # Excel's "save as CSV" fills a short line with delimiters
    text, expected = "Trygghetsmätning\n", []
    for area, questions, shares, respondents in blocks:
        text += f"Område: {area}{sep}\n\nFråga;2022;2023\n"
        for q in questions:
            text += f"{q};{_comma(shares[0])};{_comma(shares[1])}\n"
            expected += [(area, 2022, q, round(shares[0] / 100, 4), respondents[0]),
                         (area, 2023, q, round(shares[1] / 100, 4), respondents[1])]
        text += f"Antal svarande;{respondents[0]};{respondents[1]}\n\n"
    path = tmp_path_factory.mktemp("s") / "trygghet.csv"
    path.write_text(text + "Källa: Polisen\n", encoding="utf-8")
    result = read_survey(path)
    assert result.errors == []
    got = [(r.area, int(r.year), r.indicator, round(float(r.share), 4), int(r.respondents))
           for r in result.table.itertuples()]
    assert sorted(got) == sorted(expected)


plans = st.lists(st.tuples(st.text("abcdefghijklmnopqrstuvwxyzåäö ", min_size=3, max_size=12).map(str.strip)
                           .filter(lambda t: len(t) >= 3),
                           st.lists(st.sampled_from(AREAS), min_size=1, max_size=3, unique=True)),
                 min_size=1, max_size=4, unique_by=lambda p: p[0])


@FAST
@given(plan=plans)
def test_a_merged_activity_has_the_places_of_all_its_rows(tmp_path_factory, plan):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Aktivitet", "Plats", "Start"])
    row = 2
    for name, places in plan:
        for i, place in enumerate(places):
            ws.append([f"Aktivitet {name}" if i == 0 else None, place, dt.date(2024, 1, 1) if i == 0 else None])
        if len(places) > 1:
            ws.merge_cells(f"A{row}:A{row + len(places) - 1}")
            ws.merge_cells(f"C{row}:C{row + len(places) - 1}")
        row += len(places)
    path = tmp_path_factory.mktemp("a") / "plan.xlsx"
    wb.save(path)
    result = read_activities(path)
    assert result.errors == []
    assert [(a, list(p)) for a, p in zip(result.table["aktivitet"], result.table["places"], strict=True)] == [
        (f"Aktivitet {name}", places) for name, places in plan]


counts = st.lists(st.integers(0, 99_999), min_size=2, max_size=2)


@FAST
@given(first=counts, second=counts, other=st.sampled_from(["same", "rates", "years"]))
def test_a_second_table_is_refused_and_a_pasted_repeat_is_read(tmp_path_factory, first, second, other):
    head = "Område;Brottstyp;2022;2023\n"
    below = {"same": head, "rates": "Område;Brottstyp;2022 per 100 000;2023 per 100 000\n",
             "years": "Område;Brottstyp;2020;2021\n"}[other]
    path = tmp_path_factory.mktemp("c") / "brott.csv"
    path.write_text(f"{head}Stockholm;Misshandel;{first[0]};{first[1]}\n\n{below}"
                    f"Stockholm;Rån;{second[0]};{second[1]}\n", encoding="utf-8")
    if other != "same":
        with pytest.raises(InputError) as caught:
            read_crimes(path)
        assert [e.line for e in caught.value.errors] == [4]
        return
    table = read_crimes(path).table
    got = sorted((c, str(p)[:4], int(n)) for c, p, n in zip(table["category"], table["period_start"],
                                                             table["count"], strict=True))
    assert got == sorted([("misshandel", "2022", first[0]), ("misshandel", "2023", first[1]),
                          ("ran", "2022", second[0]), ("ran", "2023", second[1])])
