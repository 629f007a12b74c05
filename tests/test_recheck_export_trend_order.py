"""The years chart draws its periods in time order whatever category comes first: a category whose
data begin later (a monthly file beside older incident data) put 2017–2018 and 2018–2019 after
2022–2023 on the x axis of an exported pack."""

from __future__ import annotations

import pandas as pd

from lagesbild.figures.trend import make_trend_years


def _drawn_order(fig: dict) -> list[str]:
    """The x axis's categories in the order plotly draws them: the layout's ``categoryarray`` when
    ``categoryorder`` is "array", else (plotly's default, "trace") in order of first appearance over
    the traces."""
    axis = fig["layout"].get("xaxis", {})
    if axis.get("categoryorder") == "array":
        drawn = {x for trace in fig["data"] for x in (trace.get("x") or []) if x is not None}
        return [x for x in axis["categoryarray"] if x in drawn]
    return list(dict.fromkeys(x for trace in fig["data"] for x in (trace.get("x") or []) if x is not None))


def test_years_are_drawn_in_time_order_when_the_first_category_begins_later():
    years = ["2017–2018", "2018–2019", "2019–2020", "2020–2021"]
    starts = pd.to_datetime(["2017-09-01", "2018-09-01", "2019-09-01", "2020-09-01"])
    rows = [("sexualbrott", y, s, 120_000 + i, 0 if i >= 2 else 12) for i, (y, s) in enumerate(zip(years, starts, strict=True))]
    rows += [("skadegorelse", y, s, 30 + i, 0) for i, (y, s) in enumerate(zip(years, starts, strict=True))]
    counts = pd.DataFrame(rows, columns=["category", "period", "start", "count", "months_missing"])
    counts = counts.assign(n_months=12, end=counts["start"] + pd.DateOffset(years=1, days=-1))
    fig = make_trend_years(counts, data_until="2021-08-31", place="Östra Ängby-Åkeshov")
    assert _drawn_order(fig) == years
    # the subtitle spans the same years
    assert "2017–2018 till 2020–2021" in str(fig["layout"])
