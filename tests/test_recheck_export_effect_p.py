"""The before/after data file never rounds a p-value across α: 0,049996 beside "statistiskt
säkerställd" was written as 0,05 (four decimals), a p-value that is not below the 5 % the verdict
rests on."""

from __future__ import annotations

import pandas as pd

from lagesbild.export.data import ExportData
from lagesbild.export.sections import effects_data


def test_effect_p_values_in_the_data_file_agree_with_their_verdicts(places_store, settings):
    data = ExportData(places_store, settings)
    raw = pd.DataFrame({"aktivitet": ["Trygghetsvandring", "Trygghetsvandring"],
                        "category": ["skadegorelse", "narkotikabrott"],
                        "q_value": [0.049996, 0.43712], "relative_q": [0.0500004, 0.0123456],
                        "verdict": ["minskning, statistiskt säkerställd", "ingen säkerställd förändring"]})
    out = effects_data(raw, data, data.place("varberg"))
    assert out["p-värde"].tolist() == [0.049996, 0.4371]
    assert out["p-värde mot jämförelseområdet"].tolist() == [0.05, 0.0123]  # 0,0500004 is not below 5 %
    assert all((p < data.alpha) == ("säkerställd" in v and "ingen" not in v)
               for p, v in zip(out["p-värde"], out["Bedömning"], strict=True))
