"""Safety of exports: small-number suppression, formula neutralisation, safe file names, CSV/XLSX."""

import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from lagesbild.export.safety import (
    COMPARE_DEPENDENTS,
    DANGEROUS_FIRST,
    RESERVED_NAMES,
    SUPPRESSED,
    SUPPRESSED_VERDICT,
    neutralise,
    neutralise_frame,
    safe_filename,
    suppress_counts,
)
from lagesbild.export.tables import csv_text, write_csv, write_xlsx

WINDOWS_FORBIDDEN = set('<>:"|?*/\\') | {chr(i) for i in range(32)}


# ----- neutralisation --------------------------------------------------------------------------
@given(st.sampled_from(DANGEROUS_FIRST), st.text())
def test_any_text_starting_with_a_dangerous_character_is_neutralised(first, rest):
    value = first + rest
    out = neutralise(value)
    assert out == "'" + value
    assert not out.startswith(DANGEROUS_FIRST)


@given(st.text())
def test_neutralise_changes_only_dangerous_text(value):
    out = neutralise(value)
    if value.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert out == "'" + value
    else:
        assert out == value


def test_numbers_are_not_neutralised():
    assert neutralise(-3) == -3 and neutralise(-2.5) == -2.5


def _cells_from_csv(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@settings(max_examples=60)
@given(st.lists(st.text(min_size=1), min_size=1, max_size=5))
def test_csv_text_cells_never_start_a_formula(values):
    df = pd.DataFrame({"värde": values, "tal": [-1.5] * len(values)})
    rows = _cells_from_csv(csv_text(df))
    for row, original in zip(rows[1:], values, strict=False):
        assert not row[0].startswith(("=", "+", "-", "@", "\t", "\r"))
        assert row[0] in (original, "'" + original) or "\r" in original or "\n" in original
        assert row[1] == "-1,5"  # a number keeps its sign and gets a decimal comma


def test_csv_format_swedish_excel(tmp_path):
    df = pd.DataFrame({"Kategori": ["=cmd|' /C calc'!A0", "Rån"], "Andel": [0.25, None],
                       "Antal": pd.array([12345, None], dtype="Int64"),
                       "Månad": pd.to_datetime(["2022-08-01", "2022-09-01"])})
    raw = write_csv(df, tmp_path / "a.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = _cells_from_csv(raw.decode("utf-8"))
    assert rows[0] == ["Kategori", "Andel", "Antal", "Månad"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "0,25", "12345", "2022-08-01"]
    assert rows[2] == ["Rån", "", "", "2022-09-01"]


def test_xlsx_neutralises_text_keeps_numbers(tmp_path):
    df = pd.DataFrame({"@namn": ["+46 8 508 00", "Vårberg"], "antal": [3, 4], "andel": [0.5, 0.25]})
    path = write_xlsx({"Data: Vårberg/Bredäng": df}, tmp_path / "a.xlsx", notes={
        "Data: Vårberg/Bredäng": ["=källa"]})
    ws = load_workbook(path).worksheets[0]
    assert ws.title == "Data- Vårberg-Bredäng"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["'@namn", "antal", "andel"]
    assert values[1] == ["'+46 8 508 00", 3, 0.5]
    assert values[2] == ["Vårberg", 4, 0.25]
    assert values[-1][0] == "'=källa"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_neutralise_frame_column_names_and_cells():
    out = neutralise_frame(pd.DataFrame({"-x": ["@y", "z"], "n": [1, 2]}))
    assert list(out.columns) == ["'-x", "n"] and out["'-x"].tolist() == ["'@y", "z"]


# ----- file names ------------------------------------------------------------------------------
def test_safe_filename_examples():
    assert safe_filename("Älvsjö/Solberga 2019–2020") == "Älvsjö-Solberga 2019–2020"
    assert safe_filename("..\\..\\Windows\\system32") == "Windows-system32"
    assert safe_filename("CON") == "_CON" and safe_filename("lpt1.docx") == "_lpt1.docx"
    assert safe_filename("Vårberg. ") == "Vårberg"
    assert safe_filename('a<b>c:"d"|e?f*g') == "a-b-c-d-e-f-g"
    assert safe_filename("") == "fil" and safe_filename("...") == "fil"
    assert len(safe_filename("ö" * 500)) == 100


@settings(max_examples=400)
@given(st.text(max_size=300))
def test_safe_filename_is_safe_and_idempotent(text):
    name = safe_filename(text)
    assert name and not set(name) & WINDOWS_FORBIDDEN
    assert name not in (".", "..")
    assert name.split(".")[0].rstrip(" ").upper() not in RESERVED_NAMES
    assert not name.endswith((".", " ")) and not name.startswith((".", "-", " "))
    assert len(name) <= 100 and len(name.encode("utf-8")) <= 200
    assert safe_filename(name) == name


@given(st.sampled_from(sorted(RESERVED_NAMES)), st.sampled_from(["", ".txt", ".csv", " .png"]),
       st.booleans())
def test_reserved_names_never_come_out(name, ext, lower):
    text = (name.lower() if lower else name) + ext
    out = safe_filename(text)
    assert out.split(".")[0].rstrip(" ").upper() not in RESERVED_NAMES
    assert safe_filename(out) == out


def test_swedish_letters_are_kept():
    assert safe_filename("Hässelby torg – Åtgärder") == "Hässelby torg – Åtgärder"


# ----- suppression -----------------------------------------------------------------------------
def _comparison():
    # count_a, count_b per category; 'alla' is the total of the two
    return pd.DataFrame({
        "category": ["vald_nara_relation", "personran", "alla"],
        "count_a": [3, 40, 43], "count_b": [7, 38, 45], "change": [4, -2, 2],
        "pct_change": [133.3, -5.0, 4.7], "rate_a": [1.5, 20.0, 21.5], "rate_b": [3.5, 19.0, 22.5],
        "p_value": [0.34, 0.9, 0.9], "significant": [False, False, False],
        "verdict": ["ingen säkerställd förändring"] * 3})


def test_small_sensitive_counts_are_hidden_with_everything_that_reveals_them():
    out, n = suppress_counts(_comparison(), count_columns=["count_a", "count_b"],
                             sensitive={"vald_nara_relation"}, threshold=5,
                             dependents=COMPARE_DEPENDENTS)
    assert n == 1
    row = out.iloc[0]
    assert row["count_a"] == SUPPRESSED and row["count_b"] == 7  # 7 >= 5 stays
    for col in ("change", "pct_change", "rate_a", "p_value", "significant"):
        assert row[col] == SUPPRESSED
    assert row["verdict"] == SUPPRESSED_VERDICT and row["rate_b"] == 3.5
    # the total would give the hidden count away (43 - 40): hidden in the same column
    assert out.iloc[2]["count_a"] == SUPPRESSED and out.iloc[2]["count_b"] == 45
    # other categories untouched
    assert out.iloc[1].tolist() == _comparison().iloc[1].tolist()


@given(st.lists(st.integers(0, 30), min_size=1, max_size=20), st.integers(0, 10))
def test_suppression_hides_exactly_the_small_sensitive_counts(counts, threshold):
    cats = ["vald_nara_relation" if i % 2 == 0 else "skadegorelse" for i in range(len(counts))]
    df = pd.DataFrame({"category": cats, "count": counts})
    out, n = suppress_counts(df, count_columns=["count"], sensitive={"vald_nara_relation"},
                             threshold=threshold, total_category=None)
    expected = [SUPPRESSED if c == "vald_nara_relation" and v < threshold else v
                for c, v in zip(cats, counts, strict=False)]
    assert out["count"].tolist() == expected
    assert n == sum(1 for e in expected if e == SUPPRESSED)


def test_threshold_zero_turns_suppression_off():
    out, n = suppress_counts(_comparison(), count_columns=["count_a"], sensitive={"vald_nara_relation"},
                             threshold=0)
    assert n == 0 and out.equals(_comparison())


@pytest.mark.parametrize("value", ["–"])
def test_suppressed_mark_survives_csv(value, tmp_path):
    df, _ = suppress_counts(pd.DataFrame({"category": ["vald_nara_relation"], "count": [2]}),
                            count_columns=["count"], sensitive={"vald_nara_relation"}, threshold=5)
    rows = _cells_from_csv(csv_text(df))
    assert rows[1] == ["vald_nara_relation", value]
