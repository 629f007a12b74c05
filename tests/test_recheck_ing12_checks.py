"""ing12: the incident checks that look at every row take a vectorised pass over the whole column and
fall back to the row-by-row path only where a value is suspicious; the answers stay those of the old
code, which is copied here as the reference.

- ``idhash.damaged_ids`` (U+FFFD in an id): ``pc.match_substring`` over every id only when the
  column's bytes hold 0xEF, the first byte of U+FFFD in UTF-8.
- ``timestamps.time_of_day_given`` (a date value with its own time): a colon at position 13
  (``2020-01-31 12:30``) is a time whatever the whitespace; only the other values go through the
  regular expression. A separate time column is "given" when its trimmed value is not empty.

The references below are the functions as they were before (commit ee205f9), verbatim.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.sources.idhash import damaged_ids
from lagesbild.sources.incidents import read_incidents
from lagesbild.sources.timestamps import time_of_day_given

_HAS_TIME = r":|[T ]\d"  # timestamps._HAS_TIME before the change


def old_damaged_ids(ids: pa.Array) -> np.ndarray:
    return np.asarray(pc.match_substring(ids, "\ufffd").fill_null(False), dtype=bool)


def old_time_of_day_given(dates: pd.Series, times: pd.Series | None = None, fmt: str | None = None):
    text = dates.astype("string[pyarrow]").fillna("").str.strip()
    own = np.asarray(text.str.contains(_HAS_TIME, regex=True), dtype=bool)
    if fmt is not None and "%H" not in fmt and "%I" not in fmt:
        own[:] = False
    if times is None:
        return own
    given = np.asarray(times.astype("string[pyarrow]").fillna("").str.strip() != "", dtype=bool)
    return own | given


#: what the cells of a hostile export hold: NUL (and the U+FFFD the CSV reader puts for it), control
#: characters, Unicode whitespace, a byte-order mark, letters, digits and the date/time punctuation
NASTY = st.sampled_from(list("0123456789:-T .,/Zz+\x00\ufffd\x01\x1f\x7f\x85\xa0\u2000\u3000\ufeff\t\r\nåÅé€k"))
CELL = st.one_of(
    st.text(alphabet=NASTY, max_size=22),
    st.builds(lambda d, sep, h, m, pad_l, pad_r: f"{pad_l}{d}{sep}{h:02d}{':'}{m:02d}{pad_r}",
              st.dates().map(str), st.sampled_from([" ", "T", "  ", ""]), st.integers(0, 29),
              st.integers(0, 70), st.sampled_from(["", " ", "\u00a0", "\t", "\ufeff"]),
              st.sampled_from(["", " ", "\u3000", "Z", "+01:00", "\x00"])),
    st.builds(lambda s: s[:13] + ":" + s[14:], st.text(alphabet=NASTY, min_size=14, max_size=20)),
)
COLUMN = st.lists(st.one_of(st.none(), CELL), max_size=40)
DTYPES = st.sampled_from(["string[pyarrow]", "object", "string[python]"])
FORMATS = st.sampled_from([None, "%Y-%m-%d %H:%M", "%d.%m.%Y", "%m/%d/%Y %I:%M %p"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(COLUMN, st.one_of(st.none(), COLUMN), DTYPES, FORMATS, st.integers(0, 5))
def test_time_of_day_given_as_before(dates, times, dtype, fmt, cut):
    dates_s = pd.Series(dates, dtype=dtype)
    # a slice: the pyarrow buffers then start inside the data (offsets not from 0)
    dates_s = dates_s.iloc[min(cut, len(dates_s)):]
    times_s = None
    if times is not None:
        times = (times + [""] * len(dates))[:len(dates)][min(cut, len(dates)):]
        times_s = pd.Series(times, dtype=dtype, index=dates_s.index)
    want = old_time_of_day_given(dates_s, times_s, fmt)
    got = time_of_day_given(dates_s, times_s, fmt)
    assert got.dtype == bool and got.tolist() == want.tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=NASTY, max_size=12), max_size=40), st.integers(0, 5),
       st.sampled_from([pa.string(), pa.large_string()]), st.booleans())
def test_damaged_ids_as_before(ids, cut, kind, chunked):
    arr = pa.array(ids, type=kind).slice(min(cut, len(ids)))
    values = pa.chunked_array([arr.slice(0, len(arr) // 2), arr.slice(len(arr) // 2)]) if chunked else arr
    assert damaged_ids(values).tolist() == old_damaged_ids(values).tolist()


def test_clean_columns_never_reach_the_row_by_row_search(monkeypatch):
    """Failed on the old code: every id went through ``pc.match_substring`` and every date through
    ``pc.match_substring_regex`` (pandas' ``str.contains``), 1.5 million each in the benchmark."""
    def refused(*args, **kwargs):
        raise AssertionError("the row-by-row search ran on a clean column")

    monkeypatch.setattr(pc, "match_substring", refused)
    monkeypatch.setattr(pc, "match_substring_regex", refused)
    ids = pa.array([f"5000-K{i:07d}-13" for i in range(1000)])
    dates = pd.Series([f"2013-09-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}" for i in range(1000)],
                      dtype="string[pyarrow]")
    times = pd.Series(["", " ", "09:30", "\u00a0"] * 250, dtype="string[pyarrow]")
    assert not damaged_ids(ids).any()
    assert time_of_day_given(dates).all()
    # the separate time column is "given" when it is not blank; the dates have their own times anyway
    assert time_of_day_given(dates, times).all()


def test_suspicious_values_take_the_exact_path():
    """A hand-made column: the fast pass must not decide these, and the answers are read off by eye
    (a time in the value after stripping: a colon, or a space/T followed by a digit)."""
    dates = pd.Series(["2020-01-31 12:30", "2020-01-31", " 2020-01-31 12.30", "          5",
                       "2020-01-31T9", "2020-01-31  ", "\u00a02020-01-31 12:30", None, ":"],
                      dtype="string[pyarrow]")
    assert time_of_day_given(dates).tolist() == [True, False, True, False, True, False, True, False, True]
    ids = pa.array(["A1", "A\ufffd2", "", "\u00ef", "\ufeff"])  # ï and the BOM start with 0xC3 / 0xEF
    assert damaged_ids(ids).tolist() == [False, True, False, False, False]


@pytest.mark.parametrize("text, reasons", [
    ("Id;Datum;Brottstyp;E;N\nA\x00;2020-01-05 22:10;Rån;674000;6580000\n"
     "A2;2020-01-05;Rån;674000;6580000\nA3;2020-01-05T07:10;Rån;674000;6580000\n",
     {2: ["id:t har ett skadat tecken (\ufffd: en NUL-byte eller ett tecken i fel teckenkodning); "
          "rätta id:t i filen"]}),
])
def test_messages_of_a_nasty_file(tmp_path, text, reasons):
    """A NUL in an id is refused naming file, line, column and value; the untimed row is counted."""
    path = tmp_path / "brott.csv"
    path.write_bytes(text.encode("cp1252"))
    res = read_incidents(path, crs=3006)
    got = {e.line: [e.reason] for e in res.errors}
    assert got == reasons
    assert [(e.column, e.value) for e in res.errors] == [("Id", "A\ufffd")]
    assert res.table["time_known"].tolist() == [False, True]
    assert res.meta["untimed"] == 1
