"""Numbers in the readers' messages, the Swedish way.

A message quotes a value as the user saw it in the file, and a number the message states of its own
is written the Swedish way. An XLSX number cell has no text of its own: Swedish Excel shows 52,5, but
the message quoted "52.5"; the coordinate ranges of an incident file whose system could not be decided
were "x 18.0654–674032"; the places limit and a damaged sheet's row count had no thousands spaces.
"""

from __future__ import annotations

import json

from openpyxl import Workbook

from lagesbild.cli import main
from lagesbild.settings import ROOT

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"


def _run(tmp_path, capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(["--db", str(tmp_path / "s.sqlite"), *map(str, args)])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_a_decimal_in_an_xlsx_cell_is_quoted_as_swedish_excel_shows_it(tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.append(["Område", "År", "Fråga", "Andel", "Antal svarande"])
    ws.append(["Vårberg", 2023, "Otrygg", 152.5, 400])
    ws.append(["Vårberg", 2023.5, "Trygg", 52.5, 300])
    wb.save(tmp_path / "trygghet.xlsx")
    assert _run(tmp_path, capsys, "ingest", "--no-progress", "places", PLACES)[0] == 0
    rc, out, err = _run(tmp_path, capsys, "ingest", "--no-progress", "survey", tmp_path / "trygghet.xlsx")
    assert rc == 2 and "Traceback" not in err
    assert 'rad 2, kolumn "Andel", värde "152,5": andelen ska ligga mellan 0 och 100 %' in err
    assert 'rad 3, kolumn "År", värde "2023,5": året ska vara ett årtal' in err
    assert "52.5" not in err and "2023.5" not in err


def test_xlsx_decimals_still_read_as_numbers(tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.append(["Område", "År", "Fråga", "Andel", "Antal svarande"])
    ws.append(["Vårberg", 2023, "Otrygg", 52.5, 400])
    ws.append(["Vårberg", 2023, "Trygg", 0.415, 400])
    ws.cell(row=3, column=4).number_format = "0.0%"
    wb.save(tmp_path / "trygghet.xlsx")
    assert _run(tmp_path, capsys, "ingest", "--no-progress", "places", PLACES)[0] == 0
    rc, out, err = _run(tmp_path, capsys, "ingest", "--no-progress", "survey", tmp_path / "trygghet.xlsx")
    assert rc == 0, err
    rc, out, err = _run(tmp_path, capsys, "survey", "--place", "Vårberg", "--format", "json")
    assert rc == 0, err
    rows = json.loads(out)
    rows = rows if isinstance(rows, list) else rows.get("rows", rows)
    shares = sorted(round(r["share"], 4) for r in rows if r.get("place_id", "varberg") == "varberg")
    assert shares == [0.415, 0.525]


def test_the_coordinate_ranges_of_an_undecided_system_are_swedish(tmp_path, capsys):
    path = tmp_path / "brott.csv"
    path.write_text("id;datum;kategori;x;y\n"
                    "a1;2023-01-05;Rån;1234,5;18,06543\n"
                    "a2;2023-01-06;Rån;2000,25;19,5\n", encoding="utf-8")
    rc, out, err = _run(tmp_path, capsys, "ingest", "--no-progress", "incidents", path)
    assert rc == 2 and "Traceback" not in err
    assert "kunde inte avgöra koordinatsystemet från värdena (x 1\u00a0234–2\u00a0000, y 18,0654–19,5)" in err, err


def test_a_places_file_outside_lon_lat_names_its_features(tmp_path, capsys):
    """A GeoJSON without a crs whose coordinates are no longitude/latitude was refused for the whole
    file; now the features out of range are named with their extent (the first five)."""
    def square(x, y, size):
        return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]

    feats = [{"type": "Feature", "properties": {"Namn": "Torget", "TYP": "torg"},
              "geometry": {"type": "Polygon", "coordinates": square(18.0, 59.3, 0.01)}}]
    feats += [{"type": "Feature", "properties": {"Namn": f"Ruta {i}", "TYP": "torg"},
               "geometry": {"type": "Polygon", "coordinates": square(674000.5 + i, 6580000, 100)}}
              for i in range(7)]
    path = tmp_path / "platser.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    rc, out, err = _run(tmp_path, capsys, "ingest", "--no-progress", "places", path)
    assert rc == 2 and "Traceback" not in err
    assert "ange koordinatsystemet med --crs" in err
    assert ('platser.geojson, rad 2, kolumn "geometry", värde "x 674\u00a0000–674\u00a0100, '
            'y 6\u00a0580\u00a0000–6\u00a0580\u00a0100": koordinaterna ligger utanför longitud') in err, err
    assert "rad 6," in err and "rad 7," not in err  # the first five
    rc, out, err = _run(tmp_path, capsys, "status", "--format", "json")
    assert json.loads(out)["antal_rader"]["places"] == 0
