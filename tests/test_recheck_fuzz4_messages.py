"""Three messages that did not say what they found:

- an action plan YAML holding a lone string or number said "filen ska innehålla en lista…" without the
  value;
- a formula cell without a computed value was named by its column letter ("D") only, not by the header
  the user knows the column by;
- GeoJSON coordinates written as text said "geometrin saknas eller är tom"; now the feature, its line and
  the text are named.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from lagesbild.errors import InputError
from lagesbild.sources.activities import read_activities
from lagesbild.sources.crimes import read_crimes
from lagesbild.sources.places import read_places


@pytest.mark.parametrize(("text", "found"), [
    ("hej\n", '; den innehåller bara värdet "hej"'),
    ("42\n", '; den innehåller bara värdet "42"'),
    ("Platssamverkan Vårberg och Skärholmen med polisen och bostadsbolagen\n",
     '; den innehåller bara värdet "Platssamverkan Vårberg och Skärholmen me…"'),
    ("~\n", "; den innehåller inga värden"),
    ("# bara en kommentar\n", "; den innehåller inga värden"),
])
def test_a_plan_without_a_list_quotes_what_it_holds(tmp_path, text, found):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_activities(path, file_name=path.name)
    assert info.value.message() == (
        "plan.yaml: filen ska innehålla en lista med aktiviteter eller nyckeln 'aktiviteter'" + found)


def _workbook(path, rows):
    book = openpyxl.Workbook()  # openpyxl writes a formula without a computed value, as a script would
    for row in rows:
        book.active.append(row)
    book.save(path)


def test_a_formula_without_a_value_is_named_by_its_header_and_cell(tmp_path):
    path = tmp_path / "brott.xlsx"
    _workbook(path, [["Anmälda brott"], [], ["Plats", "Brottskategori", "Månad", "Kommentar", "Källa", "Antal"],
                     ["Hässelby torg", "Våldsbrott", "februari 2018", None, None, 62],
                     ["Hässelby torg", "Våldsbrott", "mars 2018", None, None, "=30+32"]])
    with pytest.raises(InputError) as info:
        read_crimes(path, file_name=path.name)
    assert info.value.message() == (
        'brott.xlsx: bladet "Sheet" har formler utan beräknade värden; öppna filen i Excel och spara den igen '
        "så att värdena räknas ut\n"
        '  brott.xlsx, blad "Sheet", rad 5, kolumn "Antal", värde "=30+32": formeln i cell F5 har inget '
        "beräknat värde")


def test_a_header_of_formulas_is_still_said_by_letter(tmp_path):
    """Guard: formulas where the header should be (no header found) are named by letter, as before."""
    path = tmp_path / "brott.xlsx"
    _workbook(path, [['="Pla"&"ts"', "Brottskategori", "Månad", "Antal"],
                     ["Hässelby torg", "Våldsbrott", "februari 2018", 62]])
    with pytest.raises(InputError) as info:
        read_crimes(path, file_name=path.name)
    assert info.value.message().endswith(
        '  brott.xlsx, blad "Sheet", rad 1, kolumn "A", värde "="Pla"&"ts"": formeln har inget beräknat värde')


FIXTURES = Path(__file__).parent / "fixtures" / "fuzz4"


def test_geojson_coordinates_written_as_text_are_said_so_with_feature_and_line():
    """The third feature's second polygon has one latitude in quotes (line 10 of the file): GDAL read the
    geometry as empty and the message was "geometrin saknas eller är tom"."""
    with pytest.raises(InputError) as info:
        read_places(FIXTURES / "places_text_coordinates.geojson", file_name="platser.geojson")
    assert info.value.message() == (
        'platser.geojson: objekt 3 ("Tredje torget"), rad 10: koordinaterna är skrivna som text ("59.28" inom '
        "citattecken), inte som tal; skriv talen utan citattecken: [17.98, 59.28]")
