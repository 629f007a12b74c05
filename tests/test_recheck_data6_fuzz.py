"""Hypothesis on the readers data6 added or changed: SCB's JSON-stat 2.0 and PC-Axis population files
(:mod:`lagesbild.sources.jsonstat`, :mod:`lagesbild.sources.pcaxis`) and CSV in UTF-16 without a
byte-order mark (:mod:`lagesbild.sources.utf16`). Each file, valid or damaged anywhere, is read or
refused with the project's :class:`~lagesbild.errors.InputError` and a Swedish message; nothing else
escapes, and a file claiming a huge table is refused at once instead of being built."""

from __future__ import annotations

import json
import re
import time

from hypothesis import given
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.sources.population import read_population
from lagesbild.sources.tabular import open_table
from tests.test_fuzz_inputs import FUZZ, NASTY_TEXT

#: English words a message must not have (a library's text passed through)
ENGLISH = re.compile(r"\b(found|expected|could|cannot|while|the|Error|error|Exception|Expecting|line)\b")

JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(), st.sampled_from(NASTY_TEXT),
              st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=12)


def _valid() -> dict:
    return {"version": "2.0", "class": "dataset", "label": "Folkmängd", "id": ["Region", "Kon", "Tid"],
            "size": [2, 2, 2],
            "dimension": {
                "Region": {"label": "region", "category": {"index": {"0180": 0, "0184": 1},
                                                            "label": {"0180": "Stockholm", "0184": "Solna"}}},
                "Kon": {"label": "kön", "category": {"index": ["1", "2"], "label": {"1": "män", "2": "kvinnor"}}},
                "Tid": {"label": "år", "category": {"index": ["2024", "2025"]}}},
            "value": [1, 2, 3, 4, 5, 6, 7, 8], "status": {"3": ".."}, "role": {"time": ["Tid"]}}


PATHS = [("id",), ("size",), ("value",), ("status",), ("role",), ("dimension",), ("dimension", "Tid"),
         ("dimension", "Tid", "category"), ("dimension", "Tid", "category", "index"),
         ("dimension", "Region", "category", "index"), ("dimension", "Region", "category", "label"),
         ("dimension", "Kon", "label"), ("class",), ("value", 3), ("size", 0), ("id", 1)]


def _refused_in_swedish(exc: InputError) -> None:
    message = exc.message()
    assert message and not ENGLISH.search(message), message


def _read(path) -> None:
    started = time.monotonic()
    try:
        frame = read_population(path)
    except InputError as exc:
        _refused_in_swedish(exc)
    else:
        assert (frame["population"] >= 0).all()
    assert time.monotonic() - started < 30


@FUZZ
@given(path=st.sampled_from(PATHS), value=JSON_VALUE)
def test_a_json_stat_file_damaged_anywhere_is_read_or_refused_in_swedish(tmp_path_factory, path, value):
    doc = _valid()
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    file = tmp_path_factory.mktemp("js") / "f.json"
    file.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8")
    _read(file)


@FUZZ
@given(sizes=st.lists(st.integers(0, 10**12), min_size=1, max_size=5))
def test_a_json_stat_file_claiming_a_huge_table_is_refused_at_once(tmp_path_factory, sizes):
    doc = _valid()
    doc["size"] = sizes
    doc["id"] = [f"d{i}" for i in range(len(sizes))]
    file = tmp_path_factory.mktemp("js") / "f.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    _read(file)


PX = ('CHARSET="ANSI";\nCODEPAGE="utf-8";\nTITLE="Folkmängden efter region, kön och år";\n'
      'STUB="region","kön";\nHEADING="år";\nVALUES("region")="0180 Stockholm","0184 Solna";\n'
      'VALUES("kön")="män","kvinnor";\nVALUES("år")="2024","2025";\nTIMEVAL("år")=TLIST(A1),"2024","2025";\n'
      'CODES("region")="0180","0184";\nDATA=\n1 2\n3 4\n5 ".."\n7 8;\n')


@FUZZ
@given(at=st.integers(0, len(PX)), cut=st.integers(0, 12),
       insert=st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=10),
                        st.sampled_from(['"', ";", "=", ",", "(", ")", "DATA=", 'KEYS("region")=CODES;', "\n"])))
def test_a_px_file_damaged_anywhere_is_read_or_refused_in_swedish(tmp_path_factory, at, cut, insert):
    text = PX[:at] + insert + PX[at + cut:]
    file = tmp_path_factory.mktemp("px") / "f.px"
    file.write_bytes(text.encode("utf-8", "surrogatepass"))
    _read(file)


@FUZZ
@given(raw=st.binary(max_size=300), prefix=st.sampled_from([b"", b'CHARSET="ANSI";\n', b"{", b"DATA=\n"]))
def test_any_bytes_as_a_population_file_are_read_or_refused_in_swedish(tmp_path_factory, raw, prefix):
    file = tmp_path_factory.mktemp("any") / "f.px"
    file.write_bytes(prefix + raw)
    _read(file)


@FUZZ
@given(cells=st.lists(st.lists(st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=8)), min_size=1,
                               max_size=4), max_size=6),
       encoding=st.sampled_from(["utf-16-le", "utf-16-be"]), damage=st.binary(max_size=3))
def test_unmarked_utf16_tables_are_read_or_refused_in_swedish(tmp_path_factory, cells, encoding, damage):
    text = "Plats\tBrottskategori\tMånad\tAntal\r\n" + "".join("\t".join(r) + "\r\n" for r in cells)
    file = tmp_path_factory.mktemp("u16") / "f.txt"
    file.write_bytes(text.encode(encoding, "surrogatepass") + damage)
    try:
        table = open_table(file, accept=lambda c: "Antal" in c, expected="Plats, Antal", file_name="f.txt")
        table.read()
    except InputError as exc:
        _refused_in_swedish(exc)
