"""A places file reaches GDAL only through lagesbild.sources.geofile: no URL is fetched (a real local
HTTP server listens and must receive nothing), only GeoJSON, GeoPackage, Shapefile and zips of one are
opened, a zip bomb is refused before it is unpacked, and the number of features is capped."""

from __future__ import annotations

import base64
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import warnings
import zipfile

import geopandas as gpd
import pyogrio
import pytest

from lagesbild.errors import InputError
from lagesbild.settings import ROOT, load_settings
from lagesbild.sources.places import read_places

GEOJSON = ROOT / "tests" / "data" / "places_4326.geojson"
NAMES = ["Skärholmen", "Vårberg", "Hässelby torg", "Älvsjö/Solberga"]


@pytest.fixture()
def listener():
    """A local HTTP server on a free loopback port; yields (port, the paths it was asked for)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


def _vrt(source: str) -> str:
    return (f'<OGRVRTDataSource><OGRVRTLayer name="p"><SrcDataSource>{source}</SrcDataSource>'
            "</OGRVRTLayer></OGRVRTDataSource>")


def _payloads(port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}"
    point = {"type": "Feature", "properties": {"namn": "a"}, "geometry": {"type": "Point",
                                                                         "coordinates": [18, 59]}}
    return {
        "vsicurl": _vrt(f"/vsicurl/{url}/ssrf-vsicurl.geojson"),
        "http": _vrt(f"{url}/ssrf-http.geojson"),
        "streaming": _vrt(f"/vsicurl_streaming/{url}/ssrf-streaming.geojson"),
        "local": _vrt("/etc/passwd"),
        "crs-link": json.dumps({"type": "FeatureCollection", "features": [point], "crs": {
            "type": "link", "properties": {"href": f"{url}/ssrf-crs.prj", "type": "proj4"}}}),
    }


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp", ".json", ".vrt"])
def test_no_places_file_makes_the_server_fetch_a_url(tmp_path, listener, suffix):
    port, hits = listener
    for key, text in _payloads(port).items():
        path = tmp_path / f"{key}{suffix}"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as info:
            read_places(path, crs=3006)
        assert info.value.message().startswith(path.name + ":")
        assert ("XML" in info.value.message()) == text.startswith("<")
    time.sleep(0.2)
    assert hits == []


def test_a_zip_holding_a_vrt_is_refused_without_a_request(tmp_path, listener):
    port, hits = listener
    path = tmp_path / "platser.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("platser.vrt", _payloads(port)["vsicurl"])
    with pytest.raises(InputError, match='platser.zip: zip-arkivet innehåller "platser.vrt"'):
        read_places(path)
    with zipfile.ZipFile(path, "w") as z:  # a VRT named like a GeoJSON is sniffed, not trusted
        z.writestr("platser.geojson", _payloads(port)["vsicurl"])
    with pytest.raises(InputError, match="platser.zip: filen är XML"):
        read_places(path)
    time.sleep(0.2)
    assert hits == []


def test_gdal_itself_is_kept_offline_for_a_file_that_reached_it(tmp_path, listener):
    """Defence in depth: were a VRT opened by GDAL anyway, its URLs are not fetched."""
    import lagesbild.sources.geofile  # noqa: F401  (sets GDAL's configuration)

    port, hits = listener
    for key in ("vsicurl", "http", "streaming"):
        path = tmp_path / f"{key}.vrt"
        path.write_text(_payloads(port)[key], encoding="utf-8")
        with pytest.raises(Exception):  # noqa: B017 (GDAL's own error types)
            pyogrio.read_dataframe(path)
    time.sleep(0.2)
    assert hits == []


def test_web_upload_and_cli_ingest_of_a_vrt_fetch_nothing(tmp_path, listener):
    from flask_login import login_user

    from lagesbild.store import Store, accounts
    from lagesbild.web import create_app
    from lagesbild.web.auth import User

    port, hits = listener
    vrt = _payloads(port)["vsicurl"].encode()
    cfg = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite"))
    store = Store(cfg.db_url)
    accounts.add_user(store, "ann", "analytikerns-lösenord", "analytiker")
    app = create_app(cfg, store)
    data_page = sys.modules["lagesbild.web.pages.data"]
    contents = "data:application/octet-stream;base64," + base64.b64encode(vrt).decode()
    with app.server.test_request_context("/"):
        login_user(User("ann", "analytiker"))
        report, pending, disabled, *_ = data_page.validate(contents, "places", "p.geojson", None, None)
    assert "filen är XML" in str(report) and pending is None and disabled is True

    path = tmp_path / "p.geojson"
    path.write_bytes(vrt)
    res = subprocess.run([sys.executable, "-m", "lagesbild", "ingest", "places", str(path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env={**os.environ, "LAGESBILD_DB": str(tmp_path / "cli.sqlite")})
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "p.geojson: filen är XML" in res.stderr
    time.sleep(0.2)
    assert hits == []


def _shapefile_zip(tmp_path, *, junk: bool = False):
    folder = tmp_path / "shp"
    folder.mkdir()
    with warnings.catch_warnings():  # Shapefile field names are cut to ten bytes
        warnings.simplefilter("ignore")
        gpd.read_file(GEOJSON).to_crs(3011).to_file(folder / "Mina platser.shp")
    path = tmp_path / "platser.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part in sorted(folder.iterdir()):
            z.write(part, f"export/{part.name}")
        if junk:
            z.writestr("__MACOSX/export/._Mina platser.shp", b"\0\5\26\7")
            z.writestr("export/Mina platser.shp.xml", "<metadata/>")
    return path


def test_zipped_shapefile_and_zipped_geojson_are_read(tmp_path):
    result = read_places(_shapefile_zip(tmp_path, junk=True))
    assert result.errors == [] and result.table["name"].tolist() == NAMES
    path = tmp_path / "geojson.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(GEOJSON, "platser.geojson")
    assert read_places(path).table["name"].tolist() == NAMES


def test_a_zip_with_other_files_or_two_shapefiles_is_refused(tmp_path):
    path = _shapefile_zip(tmp_path)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("export/andra.shp", b"\x00\x00\x27\x0a")
    with pytest.raises(InputError, match="precis en Shapefile"):
        read_places(path)
    many = tmp_path / "många.zip"
    with zipfile.ZipFile(many, "w") as z:
        for i in range(60):
            z.writestr(f"d/{i}.prj", "x")
    with pytest.raises(InputError, match="zip-arkivet har 60 filer; högst 50"):
        read_places(many)


def test_a_zip_bomb_is_refused_quickly_before_it_is_unpacked(tmp_path):
    """A GeoJSON padded to 200 MB packs to a few hundred KB; refused from the zip's directory."""
    path = tmp_path / "bomb.zip"
    head = json.loads(GEOJSON.read_text(encoding="utf-8"))
    text = json.dumps(head)
    pad = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("platser.geojson", "w") as fh:
        fh.write(text[:-1].encode())
        for _ in range(200):
            fh.write(pad)
        fh.write(b"}")
    assert path.stat().st_size < 1 << 20
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"bomb.zip: zip-arkivet packas upp till 200 MB.*zip-bomb"):
        read_places(path)
    assert time.perf_counter() - started < 2


def test_too_many_features_are_refused_before_they_are_read(tmp_path, monkeypatch):
    one = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"][0]
    features = [{**one, "properties": {"namn": f"Plats {i}"}} for i in range(30)]
    path = tmp_path / "många.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    with pytest.raises(InputError, match="många.geojson: filen har 30 objekt; högst 20 platser"):
        read_places(path, max_features=20)
    monkeypatch.setenv("LAGESBILD_MAX_PLACE_FEATURES", "29")
    with pytest.raises(InputError, match="LAGESBILD_MAX_PLACE_FEATURES"):
        read_places(path)
    monkeypatch.setenv("LAGESBILD_MAX_PLACE_FEATURES", "30")
    assert len(read_places(path).table) == 30
    assert load_settings({}).max_place_features == 20_000
