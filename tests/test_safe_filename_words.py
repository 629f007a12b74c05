"""File names from long titles are cut between words (feat's "noticed": "…Stockholm 2.xlsx").

A download's name is its title, place and periods, cut to 100 characters: the cut fell inside
"2022–2023". It now falls at the last space or hyphen when one lies in the last third.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lagesbild.export.safety import MAX_NAME_CHARS, safe_filename


def test_a_long_title_is_cut_between_words():
    title = ("Anmälda brott och brott per 1 000 invånare per period Bredäng Vårberg Fruängen "
             "Älvsjö/Solberga Stockholm 2021–2022 2022–2023")
    name = safe_filename(title)
    assert len(name) <= MAX_NAME_CHARS
    assert title.replace("/", "-").startswith(name)
    assert title[len(name)] in " -"  # the next character of the title is a space or hyphen: a whole word


@given(st.lists(st.text("abcåäö", min_size=1, max_size=12), min_size=1, max_size=30).map(" ".join))
def test_cut_names_end_on_a_word_and_stay_fixed(title):
    name = safe_filename(title)
    assert safe_filename(name) == name and len(name) <= MAX_NAME_CHARS
    if len(title) > MAX_NAME_CHARS:
        assert title.startswith(name) and title[len(name)] == " "
