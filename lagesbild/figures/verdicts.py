"""The words every table shares: a verdict's class (``okning``, ``minskning``, ``ingen``, ``saknas``)
and its arrow, so colour is never the only cue, and a category's Swedish name in a table.

Used by the comparison tables (:mod:`lagesbild.figures.tables`, which re-exports these names), the trend
table (:mod:`lagesbild.figures.trend_table`) and the activities' tables.

Examples
--------
>>> klass = verdict_class(True, "ökning, statistiskt säkerställd")
>>> ARROWS[klass] + category_label({}, "alla")
'▲ Alla valda kategorier'
"""

from __future__ import annotations

import pandas as pd

from lagesbild.core.compare import ALL  # the label of the total over the categories

ALL_NAME = "Alla valda kategorier"
ARROWS = {"okning": "▲ ", "minskning": "▼ ", "ingen": "", "saknas": ""}


def verdict_class(significant, verdict: str) -> str:
    """``okning``, ``minskning`` (significant only), ``saknas`` (not assessable) or ``ingen``.

    Examples
    --------
    >>> verdict_class(True, "minskning, statistiskt säkerställd"), verdict_class(False, "ingen …")
    ('minskning', 'ingen')
    """
    text = str(verdict or "")
    if text.startswith("kan inte"):
        return "saknas"
    if bool(significant) and not pd.isna(significant):
        if text.startswith("ökning"):
            return "okning"
        if text.startswith("minskning"):
            return "minskning"
    return "ingen"


def category_label(names: dict, cat: str) -> str:
    """A category's Swedish name in a table ("Alla valda kategorier" for the total).

    Examples
    --------
    >>> category_label({"ran": "Rån"}, "ran"), category_label({}, "alla"), category_label({}, "x")
    ('Rån', 'Alla valda kategorier', 'x')
    """
    return ALL_NAME if cat == ALL else names.get(cat, cat)
