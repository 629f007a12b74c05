"""The columns of an incident file (:mod:`lagesbild.sources.incidents`): the names each is known by, which
are required, the coordinate pairs, and the reader's output columns."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from lagesbild.sources.mapping import match_columns
from lagesbild.sources.rows import STRING

COLUMNS = {
    "incident_id": ["Id", "Händelse-id", "Händelseid", "Diarienummer", "Anmälningsnummer",
                    "Ärendenummer", "Brotts-id", "incident_id", "Incident id", "Händelsenummer",
                    "Händelsenr", "Anmälningsnr", "Ärendenr", "Diarienr", "Dnr", "K-nummer", "K-nr"],
    "date": ["Tidpunkt", "Brottsdatum", "Datum", "Händelsedatum", "Date", "Datetime", "occurred_at",
             "Timestamp"],
    "time": ["Tid", "Klockslag", "Klocka", "Brottstid", "Time"],
    "category": ["Brottskategori", "Brottstyp", "Brott", "Kategori", "Brottsrubrik", "Category"],
    "e": ["E", "Easting", "Öst", "E-koordinat", "Ostkoordinat"],
    "n": ["N", "Northing", "Nord", "N-koordinat", "Nordkoordinat"],
    "x": ["X", "X-koordinat", "Xkoord"],
    "y": ["Y", "Y-koordinat", "Ykoord"],
    "lon": ["Lon", "Longitud", "Longitude", "Long", "Lng"],
    "lat": ["Lat", "Latitud", "Latitude"],
}
REQUIRED = ("date", "category")  # without an id column, ids are made from each row's content
CONTENT_ID_PREFIX = "h-"
AXES = (("e", "n"), ("x", "y"), ("lon", "lat"))  # (easting column, northing column), first found wins
#: no incident before this is real (1900-01-01 is a system's empty date; the crime series begin in 1950)
EARLIEST = pd.Timestamp("1950-01-01")
OUTPUT = ["incident_id", "occurred_at", "category", "x", "y", "time_known", "line"]


def accept_columns(overrides: Mapping[str, str]):
    """Whether a row of cells is an incident header: a date, a category and one coordinate pair."""
    def accept(cells):
        found = match_columns(cells, COLUMNS, overrides)
        return set(REQUIRED) <= set(found) and any(a in found and b in found for a, b in AXES)
    return accept


def empty_table() -> pd.DataFrame:
    """The reader's table with no rows, its columns typed."""
    return pd.DataFrame({"incident_id": pd.Series([], dtype=STRING),
                         "occurred_at": pd.Series([], dtype="datetime64[ns]"),
                         "category": pd.Series([], dtype=object), "x": pd.Series([], dtype=float),
                         "y": pd.Series([], dtype=float), "time_known": pd.Series([], dtype=bool),
                         "line": pd.Series([], dtype="int64")})


def expected_columns() -> str:
    """The columns an incident file needs, for the message when no header is found."""
    return ("id, datum, brottskategori och koordinater (E/N, X/Y eller Lat/Lon), t.ex. "
            "Id;Datum;Brottskategori;E;N")
