"""An action plan in XLSX whose Aktivitet cell is merged down over two rows (one activity at two places,
a place per row, as plans are laid out in Excel) was read as two activities with the same text
("platssamverkan" and "platssamverkan-2"), each with one place: the plan showed the activity twice and
its effect was split. The rows of one merged Aktivitet cell are now one activity with the places of
every row; a row of the merge that gives another value for a field is refused, naming the cell."""

from __future__ import annotations

import datetime as dt

import openpyxl

from lagesbild.sources.activities import read_activities


def _plan(tmp_path, rows, merges):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Prioriterat område", "Aktivitet", "Plats", "Start", "Slut", "Sammankallande"])
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    return path


def test_one_merged_activity_over_two_rows_is_one_activity_with_both_places(tmp_path):
    path = _plan(tmp_path, [
        ["Trygga platser", "Platssamverkan", "Hässelby torg", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "SDF"],
        [None, None, "Vårberg", None, None, None],
        [None, "Städdag", "Skärholmen", dt.date(2024, 4, 1), None, "SDF"]],
        ["A2:A4", "B2:B3", "D2:D3", "E2:E3", "F2:F3"])
    table = read_activities(path).table
    assert table["aktivitet"].tolist() == ["Platssamverkan", "Städdag"]
    assert [list(p) for p in table["places"]] == [["Hässelby torg", "Vårberg"], ["Skärholmen"]]
    assert table["priority_area"].tolist() == ["Trygga platser", "Trygga platser"]
    assert str(table["start_date"].iloc[0])[:10] == "2024-01-01"
    assert str(table["end_date"].iloc[0])[:10] == "2024-12-31"


def test_a_row_of_the_merge_with_another_value_is_refused_naming_it(tmp_path):
    path = _plan(tmp_path, [
        ["Trygga platser", "Platssamverkan", "Hässelby torg", dt.date(2024, 1, 1), None, "SDF"],
        [None, None, "Vårberg", None, None, "Polisen"]],
        ["A2:A3", "B2:B3"])
    errors = read_activities(path).errors
    assert [(e.line, e.column, e.value) for e in errors] == [(3, "Sammankallande", "Polisen")]
    assert "sammanslagen över raderna 2–3" in errors[0].message() and '"SDF"' in errors[0].message()


def test_guard_two_activities_with_the_same_text_unmerged_stay_two(tmp_path):
    path = _plan(tmp_path, [
        ["Trygga platser", "Platssamverkan", "Hässelby torg", dt.date(2024, 1, 1), None, "SDF"],
        ["Trygga platser", "Platssamverkan", "Vårberg", dt.date(2024, 1, 1), None, "SDF"]], [])
    assert len(read_activities(path).table) == 2
