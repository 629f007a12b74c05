"""The family note of a table adjusted together with tests it does not show (recheck of issue #11 by
stats5). Plats adjusts a place's shown categories with its other categories (so a verdict does not
depend on which categories are shown), and its note said "27 jämförelser visas samtidigt" above a table
of 15: a user could not find 12 of them. ``family_note(..., hidden=)`` says how many are shown and that
the rest are not; the counts below are by hand (15 + 12, 5 % of 27)."""

from __future__ import annotations

from lagesbild.core.fdr import family_note


def test_a_note_with_hidden_tests_says_how_many_are_shown():
    note = family_note(27, 0, 0.05, hidden=12)
    assert "visas samtidigt" not in note
    assert "27 jämförelser har korrigerats för många test" in note
    assert "15 här, 12 för platsens övriga kategorier" in note
    assert "omkring 1,4 slumpfynd" in note  # 0.05 × 27
    with_finds = family_note(27, 2, 0.05, hidden=12)
    assert "2 är statistiskt säkerställda" in with_finds and "högst 0,1 vara slumpfynd" in with_finds


def test_without_hidden_tests_the_note_is_unchanged():
    """A guard: the wording every other family uses stays as it was."""
    assert family_note(12, 3, 0.05) == ("12 jämförelser visas samtidigt och har korrigerats för många test "
                                        "(Benjamini–Hochberg, 5\u00a0%). 3 är statistiskt säkerställda; av dem "
                                        "väntas i genomsnitt högst 0,2 vara slumpfynd.")
    assert family_note(12, 3, 0.05, hidden=0) == family_note(12, 3, 0.05)
