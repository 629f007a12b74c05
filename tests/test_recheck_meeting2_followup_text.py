"""A follow-up with what was done but no "mål uppfyllt" (a VB written as free text only).

Found reading a Södertälje action plan (XLSX, column "VB 2025 genomförda aktiviteter" filled, no
"VB 2025 mål uppfyllt") in the meeting pack and on Åtgärdsplan: the pack's follow-up table said
"Mål uppfyllt: . Belysning klar, fortsatt samverkan." (an empty status and a stray full stop), and
Åtgärdsplan's table left the VB cell empty, as if nothing had been followed up (the text was only in
the cell's tooltip). Now the pack's cell is the text alone, and the table's cell the text (shortened at
a word), as for a free-text status; a follow-up with neither is "–".
"""

from __future__ import annotations

import pandas as pd

from lagesbild.export.sections import _followup_cell
from lagesbild.figures.activities import make_plan_table

ACTS = pd.DataFrame({"activity_id": ["a"], "aktivitet": ["Platssamverkan Ronna"], "priority_area": ["Trygga platser"],
                     "start_date": [pd.Timestamp("2025-09-01").date()], "end_date": [None], "open_ended": [True]})
LINKS = pd.DataFrame({"activity_id": ["a"], "place_id": ["ronna"]})


def _followups(goal, done):
    return pd.DataFrame({"activity_id": ["a"], "year": [2025], "period": ["VB"], "goal_met": [goal],
                         "carried_out": [done]})


def test_the_pack_says_what_was_done_without_an_empty_status():
    for goal in ("", None, float("nan")):
        cell = _followup_cell(_followups(goal, "Belysning klar, fortsatt samverkan."))
        assert cell == "Belysning klar, fortsatt samverkan.", (goal, cell)
    assert _followup_cell(_followups("", "")) == "–"
    # unchanged where there is a status
    assert _followup_cell(_followups("ja", "Klart")) == "Mål uppfyllt: ja. Klart"
    assert _followup_cell(_followups("delvis", None)) == "Mål uppfyllt: delvis"


def test_the_plan_table_shows_a_follow_up_of_text_only():
    for goal in ("", None, float("nan")):
        table = make_plan_table(ACTS, LINKS, _followups(goal, "Belysning klar, fortsatt samverkan."),
                                place_names={"ronna": "Ronna"})
        assert table.iloc[0]["VB 2025"] == "Belysning klar, fortsatt samverkan.", goal
        assert table.iloc[0]["_t VB 2025"] == "Belysning klar, fortsatt samverkan."
    empty = make_plan_table(ACTS, LINKS, _followups("", ""), place_names={"ronna": "Ronna"})
    assert empty.iloc[0]["VB 2025"] == "–"
    marked = make_plan_table(ACTS, LINKS, _followups("Ja", "Klart"), place_names={"ronna": "Ronna"})
    assert marked.iloc[0]["VB 2025"] == "● ja"  # guard: a status keeps its mark
