"""Building a table from columns the cheap way.

``pd.DataFrame(data, columns=names)`` with a dict ``data`` goes through a Series of the columns
(``dict_to_mgr`` checks which names are missing with ``isna`` over the arrays themselves): ≈ 0.5 ms
more per table than the same dict in the order of ``names``. The place view builds a handful of such
tables per change.
"""

from __future__ import annotations

import pandas as pd


def frame(data: dict, columns) -> pd.DataFrame:
    """``pd.DataFrame(data, columns=columns)``: the same frame, built from the dict reordered when it
    holds exactly the ``columns`` (else as pandas would, missing columns NaN).

    Examples
    --------
    >>> frame({"b": [1, 2], "a": ["x", "y"]}, ["a", "b"]).equals(
    ...     pd.DataFrame({"b": [1, 2], "a": ["x", "y"]}, columns=["a", "b"]))
    True
    >>> frame({"a": [1]}, ["a", "b"])["b"].isna().all()
    np.True_
    """
    names = list(columns)
    if len(data) == len(names) and set(data) == set(names):
        return pd.DataFrame({name: data[name] for name in names})
    return pd.DataFrame(data, columns=names)
