"""A workbook whose only table sits on a sheet Excel hides (data12).

Found: a crime, incident or action-plan workbook whose only table was on a hidden sheet (the visible
sheet saying "Se bladet Data") was read from it with exit 0 and a report that said nothing of it: the
user who opens the file sees no table at all, and may have hidden an old one. The report says now that
the table was read from the hidden sheet, naming it ("mycket dolt" for a sheet hidden by VBA, which
Excel's Ta fram does not list). An action plan with a hidden sheet (an old plan) before the visible one
was read from the hidden sheet; it is read from the visible one now, as the crime reader already did.

Held (guards): a visible table beside a hidden one is read from the visible sheet without the remark;
a sheet named in a mapping file is read without it (the user chose it).
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.cli import main
from lagesbild.sources.activities import read_activities

CRIMES = [["Plats", "Brottskategori", "Månad", "Antal"], ["Botkyrka", "Inbrott", "2024-01", 5]]
# SWEREF 99 TM points in central Stockholm, as tests/data/incidenter_3006.csv
INCIDENTS = [["Händelse-id", "Brottsdatum", "Klockslag", "Brottskategori", "E", "N"],
             ["H-1", "2019-03-01", "20:15", "Narkotika", 661016.3, 6583721.2]]
PLAN = [["Aktivitet", "Plats"], ["Trygghetsvandring", "Hässelby torg"]]


def _book(path, sheets):
    """``sheets``: (title, state, rows) each; a sheet without rows holds a pointer to the table."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, state, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows or [["Se bladet Data"]]:
            ws.append(row)
        ws.sheet_state = state
    wb.save(path)
    return path


def _ingest(tmp_path, kind, path, capsys, *extra) -> tuple[int, str]:
    capsys.readouterr()
    db = tmp_path / "s.sqlite"
    if kind == "activities":
        assert main(["ingest", "places", "tests/data/places_4326.geojson", "--db", str(db),
                     "--no-progress"]) == 0
        capsys.readouterr()
    code = main(["ingest", kind, str(path), "--db", str(db), "--no-progress", *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize(("kind", "rows"), [("crimes", CRIMES), ("incidents", INCIDENTS),
                                            ("activities", PLAN)])
@pytest.mark.parametrize(("state", "how"), [("hidden", "som är dolt i Excel"),
                                            ("veryHidden", "som är mycket dolt i Excel")])
def test_the_report_says_the_only_table_was_read_from_a_hidden_sheet(tmp_path, capsys, kind, rows, state,
                                                                     how):
    path = _book(tmp_path / "bok.xlsx", [("Info", "visible", None), ("Data", state, rows)])
    code, text = _ingest(tmp_path, kind, path, capsys, *(["--crs", "3006"] if kind == "incidents" else []))
    assert code == 0, text
    assert f'Tabellen lästes från bladet "Data", {how}' in text, text


@pytest.mark.parametrize(("kind", "rows"), [("crimes", CRIMES), ("activities", PLAN)])
def test_guard_a_visible_table_beside_a_hidden_one_is_read_without_the_remark(tmp_path, capsys, kind, rows):
    old = [rows[0], [*rows[1][:-1], 9] if kind == "crimes" else ["Gammal aktivitet", "Hässelby torg"]]
    path = _book(tmp_path / "bok.xlsx", [("Data", "visible", rows), ("Gammal", "hidden", old)])
    code, text = _ingest(tmp_path, kind, path, capsys)
    assert code == 0 and "Tabellen lästes från bladet" not in text, text


def test_a_plan_is_read_from_the_visible_sheet_not_a_hidden_one_before_it(tmp_path):
    old = [PLAN[0], ["Gammal aktivitet", "Hässelby torg"]]
    path = _book(tmp_path / "plan.xlsx", [("Gammal", "hidden", old), ("Plan", "visible", PLAN)])
    result = read_activities(path)
    assert result.table["aktivitet"].tolist() == ["Trygghetsvandring"]
    assert result.meta["hidden_sheet"] is None


def test_guard_a_sheet_named_in_a_mapping_file_is_read_without_the_remark(tmp_path, capsys):
    path = _book(tmp_path / "bok.xlsx", [("Info", "visible", None), ("Data", "hidden", CRIMES)])
    mapping = tmp_path / "m.yaml"
    mapping.write_text("sheet: Data\n", encoding="utf-8")
    code, text = _ingest(tmp_path, "crimes", path, capsys, "--mapping", str(mapping))
    assert code == 0 and "Tabellen lästes från bladet" not in text, text


STATES = st.sampled_from(["visible", "hidden", "veryHidden"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states=st.lists(st.tuples(STATES, st.booleans()), min_size=1, max_size=4))
def test_fuzz_a_plan_is_read_from_a_visible_sheet_when_one_has_a_table_and_says_when_not(tmp_path, states):
    """Sheets in any order, each visible or hidden, with or without a plan (each plan its own name)."""
    sheets = [(f"Blad{i}", state, [PLAN[0], [f"Aktivitet {i}", "Hässelby torg"]] if has else None)
              for i, (state, has) in enumerate(states)]
    if all(state != "visible" for state, _, _ in sheets):  # Excel keeps at least one sheet visible
        sheets.append(("Info", "visible", None))
    with_plan = [(title, state) for title, state, rows in sheets if rows]
    path = _book(tmp_path / "plan.xlsx", sheets)
    if not with_plan:
        return
    result = read_activities(path)
    visible = [title for title, state in with_plan if state == "visible"]
    read = visible[0] if visible else with_plan[0][0]
    assert result.table["aktivitet"].tolist() == [f"Aktivitet {read.removeprefix('Blad')}"]
    hidden = result.meta["hidden_sheet"]
    assert (hidden is None) == bool(visible)
    assert hidden is None or hidden["name"] == read
    assert json.dumps(hidden)  # plain data, as the report keeps it
