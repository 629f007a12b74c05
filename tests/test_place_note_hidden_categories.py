"""Plats' family note says how many of its adjusted comparisons are shown and that the rest are not.

A place's categories are one Benjamini–Hochberg family whichever are shown (a verdict must not depend
on the choice), so the note under a table of two categories and their total said "5 jämförelser visas
samtidigt": two of the five were nowhere on the page (stats5's finding; ``family_note(hidden=)`` was
there, the comparison did not pass it). Counted by hand: Hässelby torg's four categories and the total
of the two shown.
"""

from __future__ import annotations

from lagesbild.core.compare import compare
from tests.test_compare import JAN_NOV, TORG, coverage, hasselby_frame, months


def test_the_note_counts_the_shown_and_the_other_categories():
    some = compare(hasselby_frame(), JAN_NOV, place_id=TORG, coverage=coverage(months("2018-01", "2019-11")),
                   categories=["valdsbrott", "narkotikabrott"])
    assert len(some) == 3  # two categories and their total
    note = some.attrs["fdr"]["note"]
    assert "visas samtidigt" not in note
    assert note.startswith("5 jämförelser har korrigerats för många test")
    assert "3 här, 2 för platsens övriga kategorier" in note


def test_every_category_shown_keeps_the_usual_note():
    """A guard: nothing hidden, the note as every other family's."""
    every = compare(hasselby_frame(), JAN_NOV, place_id=TORG, coverage=coverage(months("2018-01", "2019-11")))
    m = every.attrs["fdr"]["m"]
    assert every.attrs["fdr"]["note"].startswith(f"{m} jämförelser visas samtidigt")
