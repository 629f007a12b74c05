"""Property tests of the readers changed by the data recheck: Brå's "-" in a plain year table, SCB's
population table cut off anywhere, and "-" in the police's wide survey table. Each cell is read as
its file says it, counted for the report, or refused with its line; nothing else escapes."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.sources.crimes import read_crimes
from lagesbild.sources.population import read_population
from lagesbild.sources.survey import read_survey
from tests.test_fuzz_inputs import FUZZ

COUNT = st.one_of(st.sampled_from(["-", "–", "..", "0", "7", "1 204"]), st.integers(0, 5000).map(str))
CRIMES = ["Rån", "Skadegörelsebrott", "Narkotikabrott", "Bostadsinbrott"]


@FUZZ
@given(cells=st.lists(st.lists(COUNT, min_size=2, max_size=2), min_size=1, max_size=4),
       names_bra=st.booleans(), legend=st.booleans(), tmp=st.just(None))
def test_a_dash_is_zero_exactly_when_the_table_says_brå_and_is_always_counted(
        tmp_path_factory, cells, names_bra, legend, tmp):
    rows = [f"Skärholmen;{CRIMES[i]};{a};{b}" for i, (a, b) in enumerate(cells)]
    notes = (["Källa: Brottsförebyggande rådet (Brå)"] if names_bra else []) + (
        ["Förklaring: .. = uppgift saknas; - = inget finns att redovisa"] if legend else [])
    text = "Anmälda brott, antal\n\nOmråde;Brott;2023;2024\n" + "\n".join(rows) + "\n\n" + "\n".join(notes)
    path = tmp_path_factory.mktemp("dash") / "bra.csv"
    path.write_text(text, encoding="utf-8")
    res = read_crimes(path)
    assert not res.errors
    dashes = [(4 + i) for i, pair in enumerate(cells) for c in pair if c in ("-", "–")]
    assert res.meta["dash_cells"] == {"lines": dashes, "zero": names_bra or legend}
    got = res.table.set_index(["line", res.table["period_start"].dt.year])["count"]
    for i, pair in enumerate(cells):
        for year, cell in zip((2023, 2024), pair, strict=True):
            value = got[(4 + i, year)]
            if cell in ("-", "–"):
                assert (value == 0) if (names_bra or legend) else pd.isna(value)
            elif cell == "..":
                assert pd.isna(value)
            else:
                assert value == int(cell.replace(" ", ""))


POP = ('"Folkmängden efter region och år"\n\n"region","2022","2023"\n"0180 Stockholm","978770","984748"\n'
       '"0182 Nacka","105000","107000"\n"0184 Solna","83000","84000"\n')


@FUZZ
@given(cut=st.integers(POP.index('"0182'), len(POP) - 1))
def test_a_population_table_cut_anywhere_is_read_whole_or_refused_with_the_line(tmp_path_factory, cut):
    text = POP[:cut]
    path = tmp_path_factory.mktemp("pop") / "px.csv"
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    partial = lines[-1]
    whole_areas = {line[1:5] for line in lines[3:-1]}
    try:
        got = read_population(path)
    except InputError as err:  # only a row cut short (fewer fields than the header) is refused
        assert partial.count(",") < 2 and partial, (partial, err.message())
        assert any(e.line == len(lines) for e in err.errors), err.message()
        return
    areas = set(got["area"])
    assert whole_areas <= areas
    if partial.count(",") < 2 and partial.strip('"'):
        assert len(partial.strip('"')) <= 5 or not partial[1:5].isdigit() or partial[1:5] in areas


SHARE = st.sampled_from(["-", "–", "..", "", "12", "7,5", "40 %"])


@FUZZ
@given(shares=st.lists(st.lists(SHARE, min_size=2, max_size=2), min_size=1, max_size=4))
def test_wide_survey_dashes_are_counted_not_lost(tmp_path_factory, shares):
    questions = ["Otrygg", "Nedskräpning", "Berusade personer", "Klotter"]
    rows = [f"{questions[i]};{a};{b}" for i, (a, b) in enumerate(shares)]
    text = "Område: Vårberg\n\nFråga;2022;2023\n" + "\n".join(rows) + "\nAntal svarande;400;410\n"
    path = tmp_path_factory.mktemp("survey") / "polisen.csv"
    path.write_text(text, encoding="utf-8")
    try:
        res = read_survey(path)
    except InputError as err:  # a table with no published share at all
        assert all(c in ("-", "–", "..", "") for pair in shares for c in pair), err.message()
        return
    flat = [c for pair in shares for c in pair]
    assert res.meta["dash_shares"] == sum(c in ("-", "–") for c in flat)
    assert res.meta["not_published"] == flat.count("..")
    assert len(res.table) + len(res.errors) == sum(c not in ("-", "–", "..", "") for c in flat)
