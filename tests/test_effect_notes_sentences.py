"""An effect row's note and warnings read as sentences side by side (same3: "…båda fönstren har kortats
till 4 månader Säsong: fönstren är 4 månader…" on Plats' and Åtgärdsplan's before/after tables)."""

from __future__ import annotations

import pandas as pd

from lagesbild.core.effects import NOTE_SHORTENED
from lagesbild.core.relative import WARN_SEASON
from lagesbild.figures.effects_table import make_effects_table


def test_note_and_warning_are_two_sentences():
    note, warning = NOTE_SHORTENED.format(k=4, side="efter"), WARN_SEASON.format(k=4)
    e = pd.DataFrame({"aktivitet": ["Trygghetsvandring"], "category": ["alla"], "before_label": ["2026"],
                      "after_label": ["2026"], "count_before": [40], "count_after": [30], "change": [-10],
                      "pct_change": [-25.0], "p_value": [0.2], "q_value": [0.2], "significant": [False],
                      "verdict": ["ingen säkerställd förändring"], "relative_q": [None],
                      "relative_verdict": [None], "wdd_verdict": [None], "note": [note], "warnings": [warning]})
    text = make_effects_table(e).iloc[0]["_not"]
    assert text == "Data täcker bara 4 månader efter start; båda fönstren har kortats till 4 månader. " + warning
