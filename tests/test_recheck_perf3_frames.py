"""perf3's cheaper table building (issue 10): ``core.frames.frame`` gives exactly the frame
``pd.DataFrame(dict, columns=...)`` gives, for the column kinds the comparison, share and quick
tables hold. A guard: pandas' own constructor is the reference."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lagesbild.core.frames import frame


def _data(n: int) -> dict:
    rng = np.random.default_rng(n)
    dates = np.empty(n, dtype=object)
    dates[:] = [dt.date(2021, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 900, n)]
    return {
        "place_id": np.full(n, "torg", dtype=object), "count": rng.integers(0, 50, n),
        "share": rng.random(n), "maybe": np.where(rng.random(n) < 0.3, np.nan, rng.random(n)),
        "significant": rng.random(n) < 0.5, "verdict": ["ökning"] * n,
        "category": pd.array(["rån"] * n, dtype=object), "start": dates,
        "stamp": pd.to_datetime(["2021-09-01"] * n).to_numpy(), "method": [None] * n,
    }


@pytest.mark.parametrize("n", [0, 1, 7, 40])
def test_frame_is_pandas_frame_with_columns(n):
    data = _data(n)
    order = ["verdict", "place_id", "start", "count", "share", "maybe", "significant", "category", "stamp",
             "method"]
    got, want = frame(data, order), pd.DataFrame(data, columns=order)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert list(got.columns) == order and got.dtypes.tolist() == want.dtypes.tolist()
    # a column asked for but not given, and one given but not asked for: as pandas does it
    fewer = {k: v for k, v in data.items() if k != "maybe"}
    pd.testing.assert_frame_equal(frame(fewer, order), pd.DataFrame(fewer, columns=order), check_exact=True)
    pd.testing.assert_frame_equal(frame(data, order[:3]), pd.DataFrame(data, columns=order[:3]), check_exact=True)
