"""The trend table's interval as a wall can show it.

Found on Plats of a place with nineteen categories over four Sep–Aug years: with few periods the
interval of a change per period is very wide (the t quantile of one or two degrees of freedom at the
family's 99,75 % level), and its upper bound was written out in full, "−22,0 % (99,75 % KI −100,0 %
till 9 864 473 593 595 108 595 737 821 184,0 %)", two lines of digits in one cell. A bound above
+1 000 % is now written "över +1 000 %"; the numbers behind the table (its Excel) keep the value.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.figures.tables import make_trend_table


def trends(ci_high: float, ci_low: float = 0.0001, rate_ratio: float = 0.78) -> pd.DataFrame:
    return pd.DataFrame({"category": ["cykelstold"], "n_periods": [3], "rate_ratio": [rate_ratio],
                         "ci_low": [ci_low], "ci_high": [ci_high], "p_value": [0.673], "significant": [False],
                         "verdict": ["ingen säkerställd trend"], "note": [""], "ci_level": [0.9975]})


def test_an_upper_bound_beyond_a_thousand_percent_is_said_in_words():
    cell = make_trend_table(trends(9.864473593595109e25)).iloc[0]["Förändring per period"]
    assert cell == "−22,0\u00a0% (99,75\u00a0% KI −100,0\u00a0% till över +1\u00a0000\u00a0%)"


def test_an_ordinary_interval_is_written_as_before():
    cell = make_trend_table(trends(1.157, ci_low=0.957, rate_ratio=1.053)).iloc[0]["Förändring per period"]
    assert cell == "+5,3\u00a0% (99,75\u00a0% KI −4,3\u00a0% till 15,7\u00a0%)"
    # the largest bound still written as a number: +1 000,0 %
    assert make_trend_table(trends(11.0)).iloc[0]["Förändring per period"].endswith("till 1\u00a0000,0\u00a0%)")
