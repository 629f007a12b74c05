"""A GeoJSON file's ``crs`` member as GDAL can read it, or a Swedish refusal.

GDAL reads a ``crs`` named by an EPSG code or URN (``EPSG:3006``, ``urn:ogc:def:crs:EPSG::3006``) and
follows links, which are refused. Other forms written by real tools are rewritten to the EPSG code
they name (table below), so the file's own coordinate system is used: GDAL had taken a name it does
not know (``SWEREF99 TM``) as the GeoJSON default WGS 84, and the user read "filen anger WGS 84".
"""

from __future__ import annotations

from lagesbild.errors import InputError

#: crs names GDAL resolves without the network (EPSG codes, OGC CRS84)
CRS_NAME_PREFIXES = ("urn:ogc:def:crs:", "epsg:", "http://www.opengis.net/def/crs/",
                     "https://www.opengis.net/def/crs/")
#: the forms rewritten to ``EPSG:<code>``:
#:   ``{"type": "name", "properties": {"name": "SWEREF99 TM"}}`` (a name PROJ knows, any spacing/case)
#:   ``{"type": "EPSG", "properties": {"code": 3006}}`` (the GeoJSON draft's form, old PostGIS)
#:   ``"EPSG:3006"`` (a bare string)
LINK_REASON = ("GeoJSON-filens \"crs\" är ingen namngiven referens (länkar och adresser följs inte); ta "
               "bort \"crs\" och ange koordinatsystemet med --crs")


def gdal_crs_name(crs: object, name: str) -> str | None:
    """The ``EPSG:<code>`` to write in place of the file's ``crs`` member, or None to leave it.

    Examples
    --------
    >>> gdal_crs_name({"type": "name", "properties": {"name": "SWEREF 99 TM"}}, "p.geojson")
    'EPSG:3006'
    >>> gdal_crs_name({"type": "EPSG", "properties": {"code": 3011}}, "p.geojson"), gdal_crs_name("EPSG:3006", "p")
    ('EPSG:3011', 'EPSG:3006')
    >>> gdal_crs_name({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}, "p") is None
    True
    >>> gdal_crs_name({"type": "name", "properties": {"name": "Stockholms lokala"}}, "p.geojson")
    Traceback (most recent call last):
    lagesbild.errors.InputError: p.geojson: GeoJSON-filens "crs" namnger ett okänt koordinatsystem ("Stockholms lokala"); skriv t.ex. "EPSG:3006" där, eller ta bort "crs" och ange koordinatsystemet med --crs
    """
    if isinstance(crs, dict) and str(crs.get("type", "")).upper() == "EPSG":
        code = str((crs.get("properties") or {}).get("code", "")).strip()
        if code.isdigit():
            return f"EPSG:{int(code)}"
        raise InputError(name, LINK_REASON)
    if isinstance(crs, str):
        text = crs
    elif isinstance(crs, dict) and crs.get("type") == "name":
        text = (crs.get("properties") or {}).get("name")
        if not isinstance(text, str):
            raise InputError(name, LINK_REASON)
    else:
        raise InputError(name, LINK_REASON)
    if text.strip().lower().startswith(CRS_NAME_PREFIXES):
        _known(text, name)  # GDAL took an unknown code (EPSG:30066) for WGS 84 without a word
        return None if isinstance(crs, dict) else text.strip()
    if "://" in text:
        raise InputError(name, LINK_REASON)
    if text.lstrip().startswith("+") or "[" in text:  # a PROJ string or WKT: GDAL reads it
        return None if isinstance(crs, dict) else text
    return _epsg_of(text, name)


def _unknown(text: str, name: str) -> InputError:
    shown = " ".join(text.split())[:80]
    return InputError(name, f"GeoJSON-filens \"crs\" namnger ett okänt koordinatsystem (\"{shown}\"); skriv "
                            "t.ex. \"EPSG:3006\" där, eller ta bort \"crs\" och ange koordinatsystemet med --crs")


def _known(text: str, name: str) -> None:
    """Refuse an EPSG code or URN that PROJ does not know.

    >>> _known("urn:ogc:def:crs:EPSG::3006", "p.geojson")
    >>> _known("EPSG:30066", "p.geojson")
    Traceback (most recent call last):
    lagesbild.errors.InputError: p.geojson: GeoJSON-filens "crs" namnger ett okänt koordinatsystem ("EPSG:30066"); skriv t.ex. "EPSG:3006" där, eller ta bort "crs" och ange koordinatsystemet med --crs
    """
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        CRS.from_user_input(text.strip())
    except CRSError:
        raise _unknown(text, name) from None


def _epsg_of(text: str, name: str) -> str:
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        epsg = CRS.from_user_input(" ".join(text.split())).to_epsg()
    except CRSError:
        epsg = None
    if epsg is None:
        raise _unknown(text, name)
    return f"EPSG:{epsg}"
