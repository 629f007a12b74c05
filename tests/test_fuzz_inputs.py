"""Property-based fuzzing of every importer: any input is accepted or refused with an InputError.

For random bytes, random CSV-like text, random YAML and JSON structures, mutated valid files and
damaged XLSX archives, each importer (through :func:`lagesbild.ingest.ingest_file`, as the CLI and the
web upload use it) either reads the file or raises :class:`~lagesbild.errors.InputError` with a Swedish
message; a refusal leaves the store exactly as it was, and never reaches the last-resort guard (a
store refusal or a recursion/memory error would mean a reader let something through). A few examples
run through the command line too (exit code 0 or 2, no traceback).

Examples per test: ``FUZZ_EXAMPLES`` (default 20); derandomized so CI runs the same examples every
time (set ``FUZZ_RANDOM=1`` to explore new ones).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.ingest.guard import STORE_REFUSED, TOO_COMPLEX
from lagesbild.settings import ROOT, load_settings

DATA = ROOT / "tests" / "data"
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")), deadline=None,
                derandomize=os.environ.get("FUZZ_RANDOM") != "1", database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])

SEEDS = {  # kind -> (suffix, valid file)
    "crimes": [(".csv", DATA / "brott_bred.csv"), (".tsv", DATA / "brott_ar.tsv"),
               (".csv", DATA / "brott_semikolon_cp1252.csv")],
    "incidents": [(".csv", DATA / "incidenter_3006.csv"), (".tsv", DATA / "incidenter_4326.tsv")],
    "survey": [(".csv", DATA / "trygghet_andel.csv"), (".csv", DATA / "trygghet_cp1252.csv")],
    "places": [(".geojson", DATA / "places_4326.geojson")],
    "activities": [(".yaml", DATA / "atgardsplan_ny.yaml"), (".yaml", DATA / "atgardsplan_2017.yaml")],
    "events": [(".json", DATA / "polisen_events_sample.json")],
}
SUFFIX = {"crimes": ".csv", "incidents": ".csv", "survey": ".csv", "places": ".geojson",
          "activities": ".yaml", "events": ".json"}
NASTY_TEXT = ["\x00", "\ufeff", "\ud800", "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "\t", "\r",
              "Ö" * 200, "9" * 40, "1e400", "NaN", "..", "prel.", "2020-02-30", "&a", "*a", "[[[[",
              "{", '"', "'", ";", ",", "\n", "Vårberg", "Hässelby torg", "narkotika", "2020-01"]


READ_BACK = ("places", "activities", "activity_places", "followups", "events", "survey", "data_until")


class Target:
    """A store with the demo places, re-used by every example of one test."""

    def __init__(self, folder: Path):
        self.folder = folder
        settings_ = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"))
        self.store = open_store(settings_)
        self.n = 0

    def file(self, data: bytes, suffix: str) -> Path:
        self.n += 1
        path = self.folder / f"f{self.n}{suffix}"
        path.write_bytes(data)
        return path

    def check(self, kind: str, data: bytes, suffix: str, **options) -> None:
        """The property: accepted (and the store reads back), or refused cleanly with the store
        unchanged."""
        path = self.file(data, suffix)
        before = self.store.dump()
        try:
            ingest_file(self.store, kind, path, keep_valid=options.pop("keep_valid", False),
                        report_path=self.folder / "avvisade.csv", **options)
            for read in READ_BACK:  # what was accepted can be read by every page
                getattr(self.store, read)()
        except InputError as exc:
            message = exc.message()
            assert STORE_REFUSED not in message and TOO_COMPLEX not in message, message
            assert self.store.dump() == before
        finally:
            path.unlink()


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    t = Target(tmp_path_factory.mktemp("fuzz"))
    ingest_file(t.store, "places", ROOT / "geodata" / "places.geojson")
    return t


def _mutate(data: bytes, edits) -> bytes:
    out = bytearray(data)
    for op, pos, text in edits:
        pos = pos % (len(out) + 1)
        piece = text.encode("utf-8", "surrogatepass")
        if op == "insert":
            out[pos:pos] = piece
        elif op == "delete":
            del out[pos:pos + len(piece) + 1]
        elif op == "replace":
            out[pos:pos + len(piece)] = piece
        else:  # truncate
            del out[pos:]
    return bytes(out)


EDITS = st.lists(st.tuples(st.sampled_from(["insert", "delete", "replace", "truncate"]),
                           st.integers(0, 1 << 16),
                           st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=8))),
                 min_size=1, max_size=6)
CELL = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=12),
                 st.integers(-10**12, 10**12).map(str), st.floats(allow_nan=True).map(str))
CSV_TEXT = st.tuples(
    st.sampled_from([";", ",", "\t"]),
    st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=8),
    st.sampled_from(["Plats;Brottskategori;Månad;Antal", "Område;År;Indikator;Andel;Svarande",
                     "id;datum;kategori;x;y", "", "Brottskategori;jan 2020;feb 2020"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
).map(lambda t: (t[2] + "\n" + "\n".join(t[0].join(r) for r in t[1])).encode(t[3], "replace"))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(),
                   st.sampled_from(NASTY_TEXT), st.text(max_size=20))
TREE = st.recursive(SCALAR, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
    st.one_of(st.text(max_size=8), st.sampled_from(NASTY_TEXT)), kids, max_size=4), max_leaves=25)
ACTIVITY_KEYS = ["aktivitet", "åtgärd", "plats", "id", "löptid", "start", "slut", "uppföljning",
                 "mall", "arbetsgrupp", "ansvarig", "prioriterat område", "T1", "2021", "mål uppfyllt"]
ACTIVITY = st.dictionaries(st.sampled_from(ACTIVITY_KEYS), TREE, max_size=8)
EVENT_KEYS = ["id", "datetime", "name", "summary", "url", "type", "location"]
EVENT = st.dictionaries(st.sampled_from(EVENT_KEYS), st.one_of(
    TREE, st.fixed_dictionaries({"name": SCALAR, "gps": st.one_of(SCALAR, st.just("59.3,18.0"))})),
    max_size=7)


def _yaml(value) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True).encode("utf-8", "surrogatepass")


@FUZZ
@given(kind=st.sampled_from(sorted(SUFFIX)), data=st.binary(max_size=3000))
def test_random_bytes_are_refused_or_read(target, kind, data):
    target.check(kind, data, SUFFIX[kind])


@FUZZ
@given(kind=st.sampled_from(["crimes", "survey", "incidents"]), data=CSV_TEXT,
       keep_valid=st.booleans())
def test_random_csv_text_is_refused_or_read(target, kind, data, keep_valid):
    target.check(kind, data, ".csv", keep_valid=keep_valid)


@FUZZ
@given(kind=st.sampled_from(sorted(SEEDS)), which=st.integers(0, 2), edits=EDITS,
       keep_valid=st.booleans())
def test_mutated_valid_files_are_refused_or_read(target, kind, which, edits, keep_valid):
    suffix, path = SEEDS[kind][which % len(SEEDS[kind])]
    target.check(kind, _mutate(path.read_bytes(), edits), suffix, keep_valid=keep_valid)


@FUZZ
@given(plan=st.one_of(st.lists(ACTIVITY, max_size=5), TREE,
                      st.fixed_dictionaries({"aktiviteter": st.lists(ACTIVITY, max_size=4)})))
def test_random_action_plans_are_refused_or_read(target, plan):
    try:
        data = _yaml(plan)
    except UnicodeEncodeError:
        data = b"- aktivitet: x\n"
    target.check("activities", data, ".yaml")


@FUZZ
@given(field=st.sampled_from(["start", "slut", "löptid"]), day=st.one_of(st.dates(), st.datetimes()),
       flow=st.booleans())
def test_any_date_an_action_plan_can_hold_is_refused_or_read_back(target, field, day, flow):
    """YAML dates (years 1–9999) outside the years a period may have never reach the store."""
    plan = {"aktiviteter": [{"id": "datum", "aktivitet": "A", "plats": "Vårberg", field: day}]}
    data = yaml.safe_dump(plan, allow_unicode=True, default_flow_style=flow).encode("utf-8")
    target.check("activities", data, ".yaml")


@FUZZ
@given(events=st.one_of(st.lists(EVENT, max_size=5), TREE))
def test_random_event_lists_are_refused_or_read(target, events):
    data = json.dumps(events, ensure_ascii=True).encode("utf-8")
    target.check("events", data, ".json")


@FUZZ
@given(mapping=st.one_of(TREE, st.fixed_dictionaries(
    {"columns": st.dictionaries(st.sampled_from(["place", "category", "period", "count"]), SCALAR),
     "categories": st.dictionaries(st.text(max_size=10), SCALAR, max_size=3),
     "sheet": SCALAR})))
def test_random_mapping_files_are_refused_or_read(target, mapping):
    try:
        data = _yaml(mapping)
    except UnicodeEncodeError:
        data = b"columns: {}\n"
    path = target.file(data, ".yaml")
    target.check("crimes", (DATA / "brott_bred.csv").read_bytes(), ".csv", mapping=str(path))


HUGE = st.sampled_from([10**30, 2**63, 2**31, 1e30, 20_000_001, -5, 1.5])  # beyond what columns hold
PLACE_PROPERTIES = st.fixed_dictionaries({"namn": st.one_of(st.sampled_from(["Vårberg", "Nytt torg"]),
                                                             SCALAR)},
                                         optional={"befolkning": st.one_of(SCALAR, st.integers(), HUGE),
                                                   "typ": SCALAR, "ungefärlig": SCALAR})


@FUZZ
@given(properties=st.lists(PLACE_PROPERTIES, min_size=1, max_size=3))
def test_random_place_properties_are_refused_or_read(target, properties):
    ring = [[17.9, 59.27], [17.91, 59.27], [17.91, 59.275], [17.9, 59.27]]
    features = [{"type": "Feature", "properties": p, "geometry": {"type": "Polygon", "coordinates": [ring]}}
                for p in properties]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode("utf-8")
    target.check("places", data, ".geojson")


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_SEEDS = {
    "survey": _xlsx([["Område", "År", "Indikator", "Andel", "Svarande"],
                     ["Vårberg", 2020, "Otrygg", 0.2, 100]]),
    "crimes": _xlsx([["Plats", "Brottskategori", "Månad", "Antal"], ["Vårberg", "Narkotika", "2020-01", 3]]),
    "activities": _xlsx([["Aktivitet", "Plats", "T1 2021 mål uppfyllt"],
                         ["Trygghetsvandring", "Vårberg", "ja"]]),
}


def _damage_zip(data: bytes, member_edits, zip_edits) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for i, info in enumerate(archive.infolist()):
            content = archive.read(info.filename)
            if i % 3 == len(member_edits) % 3:
                content = _mutate(content, member_edits)
            new.writestr(info.filename, content)
    return _mutate(out.getvalue(), zip_edits) if zip_edits else out.getvalue()


@FUZZ
@given(kind=st.sampled_from(sorted(XLSX_SEEDS)), member_edits=EDITS,
       zip_edits=st.one_of(st.just([]), EDITS))
def test_damaged_xlsx_files_are_refused_or_read(target, kind, member_edits, zip_edits):
    target.check(kind, _damage_zip(XLSX_SEEDS[kind], member_edits, zip_edits), ".xlsx")


@settings(max_examples=4, deadline=None, derandomize=True, database=None)
@given(kind=st.sampled_from(sorted(SEEDS)), edits=EDITS)
def test_cli_exits_0_or_2_without_traceback(tmp_path_factory, kind, edits):
    folder = tmp_path_factory.mktemp("cli")
    suffix, seed = SEEDS[kind][0]
    path = folder / f"fil{suffix}"
    path.write_bytes(_mutate(seed.read_bytes(), edits))
    env = {**os.environ, "LAGESBILD_DB": str(folder / "s.sqlite")}
    res = subprocess.run([sys.executable, "-m", "lagesbild", "ingest", kind, str(path)],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert res.returncode in (0, 2), res.stderr
    assert "Traceback" not in res.stderr
    if res.returncode == 2:
        assert res.stderr.startswith("Fel: ")
    shutil.rmtree(folder)
