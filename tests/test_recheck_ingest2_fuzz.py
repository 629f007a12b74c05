"""Property tests of the reader pieces changed by the ingest2 check: an XLSX number's text reads back
as the same number, a follow-up key either reads or says why, and a repeated-header remark names its
lines."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.ingest.report import repeated_headers_remark
from lagesbild.sources.followups import followup_key
from lagesbild.sources.numbers import parse_numbers
from lagesbild.sources.xlsxcells import cell_text


@settings(max_examples=300)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_an_xlsx_number_reads_back_as_the_same_number(value):
    text = cell_text(value)
    assert "." not in text  # Swedish Excel's decimal comma
    parsed = parse_numbers([text])
    assert not parsed.invalid[0] and not parsed.missing[0]
    assert parsed.value[0] == value


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=30), st.integers(-5000, 5000), st.none(),
                 st.tuples(st.sampled_from(["T1", "T2", "T3", "VB", "Q1", "K4", "tertial 2", "jan–apr",
                                            "maj–aug", "jan–dec", "sep–dec"]),
                           st.integers(1890, 2110)).map(lambda t: f"{t[0]} {t[1]}")))
def test_a_follow_up_key_is_read_or_refused_with_a_reason(key):
    year, period, reason = followup_key(key)
    if reason is None:
        assert 1900 <= year <= 2100 and period in (None, "T1", "T2", "VB")
    else:
        assert year is None and period is None and "T1 2023" in reason


@given(st.tuples(st.integers(2000, 2050), st.sampled_from([("T1", 1, 4), ("T2", 5, 8), ("VB", 1, 12)])))
def test_a_follow_up_period_read_from_its_dates_is_the_same(case):
    year, (period, first, last) = case
    end = (dt.date(year + (last == 12), last % 12 + 1, 1) - dt.timedelta(days=1))
    assert followup_key(f"{year}-{first:02d}-01–{end:%Y-%m-%d}") == (year, period, None)
    assert followup_key(f"{period} {year}") == (year, period, None)


@given(st.lists(st.integers(2, 10**6), min_size=1, max_size=12, unique=True))
def test_a_repeated_header_remark_names_the_first_lines(lines):
    lines = sorted(lines)
    said = repeated_headers_remark({"repeated_headers": len(lines), "repeated_header_lines": lines[:5]})
    assert all(str(n) in said for n in lines[:5])
    assert ("…" in said) == (len(lines) > 5)
