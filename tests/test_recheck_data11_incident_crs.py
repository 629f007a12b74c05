"""Incident files in WGS 84 where SWEREF 99 TM is expected, and the other way round (data11).

Found: a file whose columns are ``Lat``/``Lon`` (read as WGS 84) holding SWEREF 99 TM metres was refused
row by row as 'koordinaten ligger utanför Sverige (läst som WGS 84)' with no word of what the values
are; the reason now adds 'värdena passar SWEREF 99 TM (EPSG:3006): ange --crs 3006'. A file with X/Y
columns holding degrees was read as WGS 84 (right: the values tell) but the report did not say which
system was read, as a places file's does; it says so now.

Held (guards): the degrees land where SWEREF 99 TM puts them (pyproj's own transform, below, is the
reference), ``--crs 3006`` on degrees and ``--crs 4326`` on metres are refused naming each row, and the
store is unchanged after a refusal.
"""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from lagesbild.cli import main
from lagesbild.errors import InputError
from lagesbild.sources.incidents import read_incidents

DEGREES = [(18.05, 59.33), (18.06, 59.331), (18.07, 59.332)]  # lon, lat: central Stockholm
METRES = [(674000, 6580000), (674100, 6580100), (674200, 6580200)]  # E, N in SWEREF 99 TM


def _file(tmp_path, name, head, points) -> object:
    path = tmp_path / name
    dates = ["2024-01-05 10:00", "2024-01-06 11:00", "2024-02-06 11:00"]
    path.write_text(f"Id;Datum;Brottskategori;{head}\n" + "".join(
        f"A{i + 1};{d};Inbrott;{a};{b}\n" for i, (d, (a, b)) in enumerate(zip(dates, points, strict=True))),
        encoding="utf-8")
    return path


def _run(args, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_lat_lon_columns_holding_metres_are_refused_with_the_system_they_fit(tmp_path, capsys):
    path = _file(tmp_path, "latlon.csv", "Lat;Lon", [(n, e) for e, n in METRES])
    code, _, err = _run(["ingest", "incidents", str(path), "--db", str(tmp_path / "s.sqlite"), "--no-progress"],
                        capsys)
    assert code == 2 and "Traceback" not in err
    assert ('latlon.csv, rad 2, kolumn "Lon/Lat", värde "674000 6580000": koordinaten ligger utanför Sverige '
            "(läst som WGS 84); värdena passar SWEREF 99 TM (EPSG:3006): ange --crs 3006") in err, err


def test_with_the_advised_crs_the_same_file_loads_the_metres_as_written(tmp_path):
    path = _file(tmp_path, "latlon.csv", "Lat;Lon", [(n, e) for e, n in METRES])
    t = read_incidents(path, crs=3006).table
    assert list(zip(t["x"], t["y"], strict=True)) == [(float(e), float(n)) for e, n in METRES]


def test_degrees_under_x_y_are_read_as_wgs84_and_the_report_says_so(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    path = _file(tmp_path, "xy.csv", "X;Y", DEGREES)
    code, out, err = _run(["ingest", "incidents", str(path), "--db", str(db), "--no-progress"], capsys)
    assert code == 0, err
    assert ("Koordinaterna lästes som WGS 84 (EPSG:4326) efter värdena och räknades om till SWEREF 99 TM; "
            "ange --crs om det är fel.") in out, out
    t = read_incidents(path).table
    ref = Transformer.from_crs(4326, 3006, always_xy=True)
    ex, ey = ref.transform([p[0] for p in DEGREES], [p[1] for p in DEGREES])
    assert np.allclose(t["x"], ex, atol=0.01) and np.allclose(t["y"], ey, atol=0.01)
    # inside the city, about 500 m west-north-west of the SWEREF points above: not outside Sweden
    assert t["x"].min() > 673_000 and t["x"].max() < 675_000 and 6_580_000 < t["y"].min() < 6_582_000


def test_metres_say_nothing_about_the_system(tmp_path, capsys):
    path = _file(tmp_path, "xy.csv", "X;Y", METRES)
    code, out, _ = _run(["ingest", "incidents", str(path), "--db", str(tmp_path / "s.sqlite"), "--no-progress"],
                        capsys)
    assert code == 0 and "Koordinaterna lästes som" not in out, out


def test_guard_a_crs_given_wrong_is_refused_and_the_store_is_unchanged(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    good = _file(tmp_path, "forra.csv", "X;Y", METRES)
    assert _run(["ingest", "incidents", str(good), "--db", str(db), "--no-progress"], capsys)[0] == 0
    code, before, _ = _run(["status", "--db", str(db), "--format", "json"], capsys)
    degrees = _file(tmp_path, "grader.csv", "X;Y", DEGREES)
    code, _, err = _run(["ingest", "incidents", str(degrees), "--db", str(db), "--crs", "3006", "--no-progress"],
                        capsys)
    assert code == 2 and err.count("koordinaten ligger utanför Sverige (läst som SWEREF 99 TM)") == 3, err
    assert json.loads(_run(["status", "--db", str(db), "--format", "json"], capsys)[1]) == json.loads(before)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e7, 1e8, allow_nan=False), st.floats(-1e7, 1e8, allow_nan=False)),
                min_size=1, max_size=4),
       st.sampled_from(["X;Y", "Lat;Lon", "E;N"]))
def test_fuzz_points_load_inside_sweden_or_are_refused(tmp_path_factory, points, head):
    path = tmp_path_factory.mktemp("crs") / "f.csv"
    path.write_text("Id;Datum;Brottskategori;" + head + "\n" + "".join(
        f"A{i};2024-01-05 10:00;Inbrott;{a!r};{b!r}\n" for i, (a, b) in enumerate(points)), encoding="utf-8")
    try:
        r = read_incidents(path)
    except InputError:
        return
    t = r.table
    assert ((t["x"] >= 181_896) & (t["x"] <= 1_086_313) & (t["y"] >= 6_090_353) & (t["y"] <= 7_689_479)).all()
    assert len(t) + len({e.line for e in r.errors}) == len(points)
