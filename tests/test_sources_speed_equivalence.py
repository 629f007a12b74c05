"""The fast paths of lagesbild.sources agree with the reference (slow) paths on generated inputs.

Fast paths: Windows-1252 transcoding with numpy (``cp1252``), whitespace trimming and plain numbers
(``numbers``), ISO timestamps read from the bytes (``isodates.fast_iso``), id hashing of one length
(``idhash``), and reading a Windows-1252 CSV as bytes (``csvrows``).
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.sources.cp1252 import column_to_utf8, first_undefined, to_utf8
from lagesbild.sources.idhash import SeenIds, hash_strings
from lagesbild.sources.isodates import fast_iso
from lagesbild.sources.numbers import _general, _plain, as_arrow, parse_numbers, trim
from lagesbild.sources.tabular import open_table
from lagesbild.sources.timestamps import (
    _OFFSET,
    _TIME_OK,
    LOCAL_TZ,
    TIME_REWRITES,
    parse_timestamps,
)

CP1252_TEXT = st.text(alphabet=st.characters(codec="cp1252"), max_size=12)
WHITESPACE = " \t\r\n\x0b\x0c\x1c\x1f\x85\u00a0\u1680\u2000\u2007\u200a\u2028\u202f\u205f\u3000"


def reference_timestamps(dates: pd.Series, times: pd.Series | None = None):
    """parse_timestamps as it was before the fast path (pandas only; a separate time is added only to
    dates without a time of their own, as parse_timestamps documents)."""
    text = dates.astype("string[pyarrow]").str.strip()
    bad_time = np.zeros(len(text), dtype=bool)
    if times is not None:
        t = times.astype("string[pyarrow]").str.strip()
        for pattern, repl in TIME_REWRITES:
            t = t.str.replace(pattern, repl, regex=True)
        has = (t != "") & ~text.str.contains(r":|[T ]\d", regex=True, na=False)
        bad_time = np.asarray(has & ~t.str.match(_TIME_OK), dtype=bool)
        text = text.where(~(has & ~pd.Series(bad_time, index=t.index)), text + " " + t)
    offset = np.asarray(text.str.contains(_OFFSET, regex=True), dtype=bool)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if (~offset).any():
        naive = pd.to_datetime(text[~offset], format="ISO8601", errors="coerce")
        out[~offset] = naive.astype("datetime64[ns]")
    if offset.any():
        aware = pd.to_datetime(text[offset], format="ISO8601", errors="coerce", utc=True)
        out[offset] = aware.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None).astype("datetime64[ns]")
    return out, np.asarray(out.isna(), dtype=bool), bad_time


# ----- Windows-1252 ------------------------------------------------------------------------------

@settings(deadline=None)
@given(st.binary(max_size=64))
def test_to_utf8_matches_the_codec(raw):
    try:
        expected = raw.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError as exc:
        assert first_undefined(raw) == exc.start
        with pytest.raises(UnicodeDecodeError) as info:
            to_utf8(raw)
        assert str(info.value) == str(exc)
        return
    assert first_undefined(raw) is None
    assert to_utf8(raw) == expected


@settings(deadline=None)
@given(st.lists(st.lists(CP1252_TEXT, max_size=5), min_size=1, max_size=3))
def test_column_to_utf8_matches_the_codec(chunks):
    column = pa.chunked_array([[v.encode("cp1252") for v in c] for c in chunks], pa.binary())
    assert column_to_utf8(column).to_pylist() == [v for c in chunks for v in c]


# ----- numbers and whitespace --------------------------------------------------------------------

NUMBER_ODDITIES = ["", " ", "-", "+", ".", "..", "5.", ".5", "-.5", "+5", "1e5", "1E-2", "inf", "nan",
                   "1,5,3", "1.234,5", "1 234", "1\u00a0234,5", "\u22125", "12 prel.", "23 %", "0x1",
                   "--5", "5-", "00012,50", "-0", "1/2", "٣", "1_000"]
PLAIN = st.builds(lambda sign, whole, sep, frac: f"{sign}{whole}{sep}{frac}" if sep else f"{sign}{whole}",
                  st.sampled_from(["", "-", "+"]), st.integers(0, 10**9),
                  st.sampled_from(["", ",", "."]), st.integers(0, 999))
NUMBERS = st.lists(st.one_of(PLAIN, PLAIN, st.sampled_from(NUMBER_ODDITIES),
                             st.text(alphabet="0123456789,.+- e%\u00a0", max_size=8)), max_size=8)


def assert_same_numbers(a, b):
    for field in ("value", "missing", "invalid", "preliminary", "percent"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)


@settings(deadline=None)
@given(NUMBERS)
def test_parse_numbers_fast_path_matches_general_rules(values):
    assert_fast_path_agrees(values)


def assert_fast_path_agrees(values):
    """The fast path (when it takes the values) and parse_numbers equal the general rules."""
    arr = as_arrow(values)
    fast = _plain(arr)
    if fast is not None:
        assert_same_numbers(fast, _general(arr))
    assert_same_numbers(parse_numbers(values), _general(arr))


@settings(deadline=None)
@given(st.lists(PLAIN, min_size=1, max_size=8))
def test_plain_numbers_take_the_fast_path(values):
    assert _plain(as_arrow(values)) is not None


@settings(deadline=None)
@given(st.lists(PLAIN, max_size=6), st.sampled_from(NUMBER_ODDITIES), st.integers(0, 6))
def test_plain_numbers_with_one_odd_value(values, odd, at):
    values.insert(min(at, len(values)), odd)
    assert_fast_path_agrees(values)


@settings(deadline=None)
@given(st.lists(st.text(alphabet="ab1 å" + WHITESPACE, max_size=6), max_size=8),
       st.integers(0, 3), st.booleans())
def test_trim_matches_pyarrow(values, skip, large):
    arr = pa.array(values, pa.large_string() if large else pa.string())[min(skip, len(values)):]
    assert trim(arr).to_pylist() == pc.utf8_trim_whitespace(arr).to_pylist()


# ----- timestamps --------------------------------------------------------------------------------

def _two(lo, hi):
    return st.integers(lo, hi).map(lambda v: f"{v:02d}")


ISO = st.builds(
    lambda y, mo, d, sep, h, mi, s, form: (f"{y}-{mo}-{d}" + ("" if form == 0 else f"{sep}{h}:{mi}")
                                           + (f":{s}" if form == 2 else "")),
    st.one_of(st.sampled_from(["0000", "1677", "1678", "1899", "1900", "2000", "2020", "2100",
                               "2261", "2262", "9999"]), st.integers(0, 9999).map(lambda v: f"{v:04d}")),
    _two(0, 13), _two(0, 32), st.sampled_from([" ", "T", "t", "_", "  "]), _two(0, 25), _two(0, 61),
    _two(0, 61), st.integers(0, 2))
ODD_DATES = ["", "  ", "2020-1-5", "2020-01-05 9:30", "20200105", "2020-01-05 12", "2020-01-05T12:00Z",
             "2020-01-05T12:00+01:00", "2020-07-05 12:00:00-0130", "2020-01-05 12:00:00.5",
             "2020-01-05 12:00 UTC", "05/01/2020", "2020-02-29", "2021-02-29 10:00",
             "\u00a02020-01-05 10:00", "2020-01-05 10:00\t", "2020-0１-05", "2020-10-25 02:30"]
DATES = st.lists(st.one_of(ISO, ISO, st.sampled_from(ODD_DATES),
                           st.text(alphabet="0123456789-: T", max_size=19)), max_size=8)


def assert_same_timestamps(new, old):
    pd.testing.assert_series_equal(new[0], old[0])
    np.testing.assert_array_equal(new[1], old[1])
    np.testing.assert_array_equal(new[2], old[2])


def compare_with_reference(dates, times=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            old = reference_timestamps(dates, times)
        except (TypeError, ValueError):
            # pandas cannot mix these values in one column; parse_timestamps reads them one by one
            values, bad, _ = parse_timestamps(dates, times)
            assert values.dtype == "datetime64[ns]" and bad.tolist() == values.isna().tolist()
            return
        assert_same_timestamps(parse_timestamps(dates, times), old)


@settings(deadline=None, max_examples=200)
@given(DATES)
def test_parse_timestamps_matches_the_pandas_path(values):
    compare_with_reference(pd.Series(values, dtype="string[pyarrow]"))


@settings(deadline=None)
@given(DATES, st.lists(st.sampled_from(["", "9", "09:30", "0930", "9.30", "24:00", "x", " 12:00"]),
                       min_size=8, max_size=8))
def test_parse_timestamps_with_time_column_matches_the_pandas_path(values, times):
    compare_with_reference(pd.Series(values, dtype="string[pyarrow]"),
                           pd.Series(times[:len(values)], dtype="string[pyarrow]"))


@settings(deadline=None)
@given(st.lists(ISO, min_size=1, max_size=8))
def test_fast_iso_equals_pandas_where_it_reads(values):
    ns, ok = fast_iso(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = pd.to_datetime(pd.Series(values)[ok], format="ISO8601", errors="coerce")
    assert expected.notna().all()
    np.testing.assert_array_equal(ns[ok], expected.to_numpy().astype("datetime64[ns]").view(np.int64))


def test_parse_timestamps_mixed_offsets_fail_as_before():
    dates = pd.Series(["2020-01-01 12:00", "2020-01-01T12:00+01"], dtype="string[pyarrow]")
    compare_with_reference(dates)
    compare_with_reference(dates[1:])


# ----- id hashes ---------------------------------------------------------------------------------

@settings(deadline=None)
@given(st.lists(st.text(alphabet="aK0-å\x00", max_size=20), min_size=1, max_size=12), st.booleans())
def test_hash_strings_same_for_any_layout(ids, large):
    arr = pa.array(["pad"] + ids, pa.large_string() if large else pa.string())[1:]
    together = hash_strings(arr)
    alone = np.array([hash_strings(pa.array([v]))[0] for v in ids], dtype=np.uint64)
    np.testing.assert_array_equal(together, alone)
    distinct = pd.Series(ids).duplicated().to_numpy()
    assert pd.Series(together).duplicated().to_numpy().tolist() == distinct.tolist()


@settings(deadline=None)
@given(st.lists(st.sampled_from(["K1", "K2", "K10", "", "Kåå", "K1 "]), max_size=40),
       st.integers(1, 7))
def test_seen_ids_with_mask_match_pandas(ids, chunk):
    seen = SeenIds()
    lines = np.arange(3, len(ids) + 3)
    dups, firsts = [], []
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        d, f = seen.check(pa.array(part), lines[start:start + chunk], [v != "" for v in part])
        dups += d.tolist()
        firsts += f.tolist()
    s = pd.Series(ids, dtype=object)
    used = s != ""
    assert dups == (s.duplicated() & used).tolist()
    first = pd.Series(lines).groupby(s.to_numpy()).transform("min") if ids else pd.Series([])
    assert firsts == [int(f) if u else int(n) for f, u, n in zip(first, used, lines, strict=False)]


# ----- CSV: Windows-1252 read as bytes == the same text as UTF-8 ----------------------------------

# without "Ã": "Ã¥" in a Windows-1252 file is å written as UTF-8, refused as mixed encodings (csvrows)
CELL = st.one_of(CP1252_TEXT.filter(lambda t: "Ã" not in t),
                 st.sampled_from(['"', '"a;b"', '"x""y"', "\x00", " ", "Rån – grov"]))


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=4), max_size=8), chunk=st.integers(1, 4))
def test_cp1252_csv_reads_as_its_utf8_copy(write_text, rows, chunk):
    text = "Id;Namn;Värde\n" + "".join(";".join(r) + "\n" for r in rows)
    accept = lambda cells: "Värde" in cells  # noqa: E731
    results = []
    for encoding, name in (("cp1252", "a.csv"), ("utf-8", "b.csv")):
        try:
            opened = open_table(write_text(text, name=name, encoding=encoding), accept=accept,
                                expected="Id;Namn;Värde", file_name="fil.csv")
            parts = list(opened.chunks(chunk))
        except InputError as exc:
            results.append(("error", str(exc)))
            continue
        results.append([(p.table.astype(object).values.tolist(), p.errors) for p in parts])
    assert results[0] == results[1]


@settings(deadline=None)
@given(st.binary(max_size=40))
def test_unreadable_file_names_the_line_as_before(raw):
    data = b"Id;Datum\n" + raw + b"\n"
    try:
        data.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
    path = Path(tempfile.mkdtemp()) / "x.csv"
    path.write_bytes(data)
    with pytest.raises(InputError, match=f"okänt tecken på rad {line}\\)"):
        open_table(path, accept=lambda cells: True, expected="Id")
