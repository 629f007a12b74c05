"""The one way a file reaches GDAL (geopandas/pyogrio): sniffed, bounded, opened with a named driver.

GDAL chooses its driver from a file's content, and some drivers follow what a file names: a VRT
(``<OGRVRTDataSource>``) opens any path or URL it lists (``/vsicurl/http://…``), a GeoJSON ``crs``
member of type ``link`` makes GDAL download the linked definition. A places file from an upload must
not make the server fetch a URL or read a local file, so :func:`read_geofile`

1. sniffs the bytes and accepts only the formats places files come in:

   * **GeoJSON** – JSON text (UTF-8, optionally with a byte-order mark; UTF-16/32 with a byte-order
     mark and Windows-1252 are converted to UTF-8); a bare list of features is read as the
     FeatureCollection it means; its ``crs`` member, when present, must be a *name*
     (``urn:ogc:def:crs:EPSG::3006``), never a link (:mod:`lagesbild.sources.geojson_text`);
   * **GeoPackage** – an SQLite database (``SQLite format 3``);
   * **Shapefile** – a ``.shp`` (its main-file header) with its ``.shx``/``.dbf``/``.prj`` beside it;
   * **a zip archive** holding either the parts of one Shapefile (``.shp``, ``.shx``, ``.dbf`` and
     optionally ``.prj``, ``.cpg``, ``.qpj``, ``.sbn``, ``.sbx``, ``.shp.xml``; folders in the archive
     and macOS's ``__MACOSX/`` entries are ignored) or a single GeoJSON or GeoPackage. The archive is
     checked by :func:`lagesbild.sources.zipguard.checked_members` (zip bomb) and its parts are
     unpacked under fixed names into a temporary folder, never opened by GDAL as an archive;

   and refuses everything else (XML such as a VRT, CSV, GML, KML …) with a Swedish reason;
2. opens the file with the driver its format names (``GeoJSON:``, ``GPKG:`` prefixes; a Shapefile by
   its header), so GDAL's content guess is never asked;
3. refuses a file with more features than ``max_features`` before reading them;
4. and, in depth, sets GDAL's configuration (:data:`GDAL_OFFLINE`) so that ``/vsicurl/`` and its kin
   open no URL and GDAL's other HTTP requests go to a closed local port.
"""

from __future__ import annotations

import codecs
import tempfile
import warnings
from pathlib import Path

import geopandas as gpd
import pyogrio

from lagesbild.errors import InputError, library_reason
from lagesbild.sources.geojson_text import check_geojson
from lagesbild.sources.numbers import format_number
from lagesbild.sources.zipguard import checked_members, extract

#: GDAL configuration set before any read: ``/vsicurl/`` (and ``/vsis3/`` … built on it) may open only
#: a file name no URL has; every other HTTP request of GDAL goes through a proxy on the discard port
#: (nothing listens there). A proxy bypass in ``no_proxy`` would let the latter through, so the sniffing
#: above is the first line of defence.
GDAL_OFFLINE = {
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/lagesbild/ingen-natverksatkomst",
    "GDAL_HTTP_PROXY": "127.0.0.1:9",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_ALLOW_REMOTE_RESOURCE_TO_ACCESS_LOCAL_FILE": "NO",
}
pyogrio.set_gdal_config_options(GDAL_OFFLINE)

FORMATS = "GeoJSON, GeoPackage, Shapefile eller ett zip-arkiv med en av dem"
SQLITE_MAGIC = b"SQLite format 3\x00"
SHP_MAGIC = b"\x00\x00\x27\x0a"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
UNICODE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: parts of a Shapefile unpacked from a zip archive (``.shp.xml`` metadata is ignored)
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qpj", ".sbn", ".sbx")
IGNORED_MEMBERS = (".shp.xml",)
#: a Shapefile's names and properties are in its .dbf part; without it every place would be nameless
NO_DBF = ("Shapefilen \"{shp}\" saknar sin .dbf-fil (platsernas namn och egenskaper); ta med .shp, .shx, "
          ".dbf och .prj med samma namn")
SINGLE_FILES = (".geojson", ".json", ".gpkg")
#: a zipped places file may unpack to no more than this, and hold no more members than this
MAX_PLACES_UNPACKED = 512 << 20
MAX_PLACES_MEMBERS = 50
#: what pyogrio/GDAL warns of a file, in Swedish (the beginning of its message: the note)
WARNINGS_SV = {
    "Measured (M) geometry types are not supported":
        "geometrin har mätvärden (M), som inte används; polygonerna läses som vanligt",
    # GeoJSON: a ring closed in x and y (sources.geojson_text checks that) but ending at another height
    "Non closed ring detected":
        "en polygonring slutar på en annan höjd (z) än den börjar; höjden används inte, och ringen är sluten "
        "utan den",
}


def read_geofile(path: str | Path, name: str, *, layer: str | int | None = None,
                 max_features: int | None = None, notes: list[str] | None = None) -> gpd.GeoDataFrame:
    """Read a GeoJSON, GeoPackage, Shapefile or zip of one into a GeoDataFrame (see the module).

    Parameters
    ----------
    path : path-like
    name : str
        The file's name in messages.
    layer : str or int, optional
        Layer of a GeoPackage; default the first (a note says so when there are more).
    max_features : int, optional
        Refuse a file with more features than this.
    notes : list of str, optional
        Notes (in Swedish) are appended here.

    Raises
    ------
    InputError
        A missing file, a format not accepted, a zip bomb, too many features or a file GDAL cannot read.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "p.geojson")
    >>> _ = open(path, "w").write('<OGRVRTDataSource></OGRVRTDataSource>')
    >>> read_geofile(path, "p.geojson")
    Traceback (most recent call last):
    ...
    lagesbild.errors.InputError: p.geojson: filen är XML (t.ex. en GDAL VRT-fil); bara GeoJSON, GeoPackage, Shapefile eller ett zip-arkiv med en av dem tas emot
    """
    path = Path(path)
    notes = notes if notes is not None else []
    if not path.is_file():
        raise InputError(name, "filen finns inte")
    with tempfile.TemporaryDirectory(prefix="lagesbild-geo-") as tmp:
        source = _source(path, name, Path(tmp), inside_zip=False)
        return _read(source, name, layer, max_features, notes)


def _head(path: Path, n: int = 64) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def _source(path: Path, name: str, tmp: Path, *, inside_zip: bool) -> str:
    """The GDAL name (with its driver prefix) of the file at ``path`` after sniffing its bytes."""
    head = _head(path)
    if head.startswith(ZIP_MAGICS):
        if inside_zip:
            raise InputError(name, "zip-arkivet innehåller ett zip-arkiv; packa upp det inre först")
        return _source(_unzipped(path, name, tmp), name, tmp, inside_zip=True)
    if head.startswith(SQLITE_MAGIC):
        _refuse_view_layers(path, name)
        return "GPKG:" + str(path)
    if head.startswith(SHP_MAGIC) and path.suffix.lower() == ".shp":
        if not any(p.suffix.lower() == ".dbf" and p.stem == path.stem for p in path.parent.iterdir()):
            raise InputError(name, NO_DBF.format(shp=path.name))
        return str(path)
    text = _json_text(path, name, head)
    if text is None:
        xml = head.lstrip(codecs.BOM_UTF8).lstrip().startswith(b"<")
        what = "XML (t.ex. en GDAL VRT-fil)" if xml else "i ett okänt format"
        raise InputError(name, f"filen är {what}; bara {FORMATS} tas emot"
                         + ("" if xml else " (okänt eller skadat filformat)"))
    text = check_geojson(text, name)
    out = tmp / "platser-utf8.geojson"
    out.write_text(text, encoding="utf-8")
    return "GeoJSON:" + str(out)


def _refuse_view_layers(path: Path, name: str) -> None:
    """Refuse a GeoPackage whose layer is a view (a saved query) rather than a table: a view's query
    may never end (a 100 kB file with a recursive one held the ingest, and the upload, forever), and
    GDAL runs it to count and read the features. Read with SQLite itself, read-only; a file SQLite
    cannot read is left to GDAL, which says why."""
    import sqlite3
    from urllib.parse import quote

    try:
        con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
        try:
            views = [r[0] for r in con.execute(
                "SELECT c.table_name FROM gpkg_contents AS c JOIN sqlite_master AS m "
                "ON m.name = c.table_name AND m.type = 'view' ORDER BY c.table_name")]
        finally:
            con.close()
    except sqlite3.Error:
        return
    if views:
        raise InputError(name, f'GeoPackage-filens lager "{views[0]}" är en vy (en sparad fråga), inte en '
                               "tabell; spara lagret som en tabell (t.ex. Exportera i QGIS) och läs in den")


def _json_text(path: Path, name: str, head: bytes) -> str | None:
    """The file's text when it is JSON text (an object, or a list of features:
    :func:`lagesbild.sources.geojson_text.check_geojson`;
    :func:`~lagesbild.sources.textfile.read_text` decodes it), else None."""
    from lagesbild.sources.textfile import read_text

    if not head.startswith(UNICODE_BOMS) and not head.lstrip(codecs.BOM_UTF8).lstrip().startswith((b"{", b"[")):
        return None
    text = read_text(path, name)
    return text if text.lstrip("\ufeff \t\r\n").startswith(("{", "[")) else None


def _unzipped(path: Path, name: str, tmp: Path) -> Path:
    """Unpack the one places file in the zip archive under a fixed name; return the file to open."""
    members = checked_members(path, name, what="zip-arkivet", max_unpacked=MAX_PLACES_UNPACKED,
                              max_members=MAX_PLACES_MEMBERS,
                              not_zip="filen ser ut som ett zip-arkiv men kunde inte öppnas (skadad fil)")
    files = [m for m in members if not m.is_dir() and not _ignored(m.filename)]
    suffixes = [_suffix(m.filename) for m in files]
    wrong = [m.filename for m, s in zip(files, suffixes, strict=True)
             if s not in SHAPEFILE_PARTS + SINGLE_FILES]
    if wrong:
        raise InputError(name, f"zip-arkivet innehåller \"{wrong[0]}\"; ett zip-arkiv med platser får bara "
                               "innehålla en Shapefile (.shp, .shx, .dbf, .prj, .cpg) eller en "
                               "GeoJSON- eller GeoPackage-fil")
    singles = [m for m, s in zip(files, suffixes, strict=True) if s in SINGLE_FILES]
    shps = [m for m, s in zip(files, suffixes, strict=True) if s == ".shp"]
    if len(singles) + len(shps) != 1 or (singles and len(files) > 1):
        raise InputError(name, "zip-arkivet ska innehålla precis en Shapefile, GeoJSON- eller "
                               f"GeoPackage-fil; det innehåller {len(files)} filer")
    if singles:
        return extract(path, name, singles[0], tmp / ("platser" + suffixes[files.index(singles[0])]))
    stem = shps[0].filename[:-len(".shp")]
    if ".dbf" not in suffixes:
        raise InputError(name, NO_DBF.format(shp=shps[0].filename))
    out = None
    for member, suffix in zip(files, suffixes, strict=True):
        if member.filename[:-len(suffix)] != stem:
            raise InputError(name, f"zip-arkivet innehåller \"{member.filename}\", som inte hör till "
                                   f"\"{shps[0].filename}\"")
        target = extract(path, name, member, tmp / ("platser" + suffix))
        out = target if suffix == ".shp" else out
    return out


def _ignored(filename: str) -> bool:
    base = filename.rsplit("/", 1)[-1]
    return (filename.startswith("__MACOSX/") or base.startswith("._")
            or filename.lower().endswith(IGNORED_MEMBERS))


def _suffix(filename: str) -> str:
    base = filename.rsplit("/", 1)[-1]
    return ("." + base.rsplit(".", 1)[-1].lower()) if "." in base else ""


def _said(message: str) -> str | None:
    """The Swedish note of a known GDAL warning (:data:`WARNINGS_SV`), else None.

    >>> _said("Measured (M) geometry types are not supported. Original type 'Measured 3D Polygon' is converted")
    'geometrin har mätvärden (M), som inte används; polygonerna läses som vanligt'
    """
    return next((sv for en, sv in WARNINGS_SV.items() if message.startswith(en)), None)


#: said when a GeoPackage has several layers and none was asked for (in the ingest report too)
LAYER_NOTE = 'filen har {n} lager; det första, "{layer}", lästes (lägg platserna i ett eget lager om det är fel lager)'


def _open(source: str, name: str, layer, max_features: int | None, notes: list[str]) -> gpd.GeoDataFrame:
    if source.startswith("GPKG:") and layer is None:
        layers = pyogrio.list_layers(source)
        if len(layers) > 1:  # the first, named (pyogrio would warn in English and read it anyway)
            layer = str(layers[0][0])
            notes.append(f"{name}: {LAYER_NOTE.format(n=len(layers), layer=layer)}")
    if max_features is not None:
        count = pyogrio.read_info(source, layer=layer)["features"]
        if count > max_features:
            raise InputError(name, f"filen har {format_number(count)} objekt; högst "
                                   f"{format_number(max_features)} platser tas emot "
                                   "i en fil (inställningen LAGESBILD_MAX_PLACE_FEATURES)")
    return gpd.read_file(source, layer=layer, engine="pyogrio")


def _read(source: str, name: str, layer, max_features: int | None, notes: list[str]) -> gpd.GeoDataFrame:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = _open(source, name, layer, max_features, notes)
        for w in caught:  # what GDAL says of the file in Swedish, when it is known; else passed on
            said = _said(str(w.message))
            if said is None:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            elif f"{name}: {said}" not in notes:
                notes.append(f"{name}: {said}")
        return table
    except InputError:
        raise
    except Exception as exc:  # pyogrio raises many types for unreadable files
        raise InputError(name, "filen kunde inte läsas som GeoJSON, GeoPackage eller Shapefile "
                         f"({library_reason(exc)})") from None
