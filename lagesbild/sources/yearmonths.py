"""A crime table with the year in a column and a column per month, as Brå's statistics database and
Excel pivot tables lay a year out: ``Kommun;Brott;År;Januari;…;December;Totalt``.

Each month column of a row is that month of the row's year; ``Totalt`` (or any other column that is
not a month) is no 13th month: it is left out and named in the report like a wide table's other
columns. A year cell that is not a year makes every month of its row "okänd period", naming the month
and the year as written.

Examples
--------
>>> month_columns(["Kommun", "Brott", "År", "Januari", "feb", "Totalt", "Mars¹"], {"Kommun", "Brott", "År"})
{'Januari': 1, 'feb': 2, 'Mars¹': 3}
"""

from __future__ import annotations

import pandas as pd

from lagesbild.sources.crimetext import FOOTNOTE_MARK
from lagesbild.sources.months import MONTH_ABBR, MONTH_NUMBERS


def month_columns(headers, used) -> dict[str, int]:
    """The headers (not among ``used``) that name a month without a year, each with its number."""
    out = {}
    for header in headers:
        if header in used or header == "line":
            continue
        text = " ".join(str(header or "").split())
        marked = FOOTNOTE_MARK.search(text)
        if marked:
            text = text[:marked.start()]
        number = MONTH_NUMBERS.get(text.strip(" .").casefold())
        if number:
            out[header] = number
    return out


def melt_year_months(df: pd.DataFrame, cols: dict, place: pd.Series, category: pd.Series
                     ) -> tuple[pd.DataFrame, list[str]]:
    """One row per row and month column (``place, category, period, count, line, period_col,
    count_col``), the period ``"jan 2024"``; and the other columns, which were not read.

    >>> df = pd.DataFrame({"Brott": ["Rån"], "År": ["2024"], "Jan": ["3"], "Feb": ["4"], "Totalt": ["7"],
    ...                    "line": [2]})
    >>> out, ignored = melt_year_months(df, {"category": "Brott", "period": "År"}, pd.Series(["X"]),
    ...                                 df["Brott"])
    >>> out[["period", "count", "count_col"]].values.tolist(), ignored
    ([['jan 2024', '3', 'Jan'], ['feb 2024', '4', 'Feb']], ['Totalt'])
    """
    used = set(cols.values()) | {"line"}
    months = month_columns(list(df.columns), used)
    ignored = [c for c in df.columns if c not in used and c not in months]
    frame = df[["line", *months]].copy()
    frame["place"], frame["category"] = place.to_numpy(), category.to_numpy()
    frame["_year"] = df[cols["period"]].astype("string").fillna("").str.strip().to_numpy()
    out = frame.melt(id_vars=["line", "place", "category", "_year"], value_vars=list(months),
                     var_name="count_col", value_name="count")
    out = out.sort_values("line", kind="stable").reset_index(drop=True)
    abbr = out["count_col"].map(lambda c: MONTH_ABBR[months[c] - 1])
    out["period"] = (abbr + " " + out["_year"].astype(str)).str.strip()
    out["period_col"] = out["count_col"]
    return out.drop(columns="_year"), ignored
