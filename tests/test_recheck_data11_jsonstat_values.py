"""SCB's JSON-stat 2 from PxWebApi, as population files (data11), values by hand.

Found: a value written NaN, Infinity or 1e400 (JSON that Python's reader accepts; PxWebApi writes null)
was refused rightly but quoted wrong: NaN and Infinity both as 'värde "nan"', 1e400 as "inf". The value
is now quoted as the file writes it.

Held (guards): a dataset with two ContentsCodes (Folkmängd, Folkökning) takes Folkmängd only, a Kön
dimension without a total is summed once (män + kvinnor), with a total the total is taken, never both;
a month ("2024M01") as the time is refused; a byte-order mark and UTF-16 are read.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.sources.population import read_population


def _doc(kon: dict, values: list, contents: dict | None = None, time: str = "2024") -> dict:
    ids, sizes = ["Region", "Kon"], [1, len(kon)]
    dims = {"Region": {"label": "region", "category": {"index": {"0180": 0}, "label": {"0180": "Stockholm"}}},
            "Kon": {"label": "kön", "category": {"index": {k: i for i, k in enumerate(kon)}, "label": kon}}}
    if contents:
        ids.append("ContentsCode")
        sizes.append(len(contents))
        dims["ContentsCode"] = {"label": "tabellinnehåll", "category": {
            "index": {k: i for i, k in enumerate(contents)}, "label": contents}}
    ids.append("Tid")
    sizes.append(1)
    dims["Tid"] = {"label": "år", "category": {"index": {time: 0}, "label": {time: time}}}
    return {"version": "2.0", "class": "dataset", "label": "Folkmängd efter region, kön och år", "source": "SCB",
            "id": ids, "size": sizes, "dimension": dims, "value": values}


def _write(tmp_path, doc, raw: str | None = None, encoding="utf-8") -> str:
    path = tmp_path / "befolkning.json"
    path.write_bytes((raw if raw is not None else json.dumps(doc)).encode(encoding))
    return path


@pytest.mark.parametrize("written", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_value_no_float_holds_is_refused_quoted_as_written(tmp_path, written):
    raw = json.dumps(_doc({"1": "män", "2": "kvinnor"}, [111, 222])).replace("111", written)
    with pytest.raises(InputError) as caught:
        read_population(_write(tmp_path, None, raw))
    text = str(caught.value)
    assert f'värde "{written}": $.value[0] (region 0180, kön 1, år 2024): befolkningen måste vara ett heltal' \
        in text, text


def test_two_contents_take_the_population_and_sum_the_sexes_once(tmp_path):
    # order: kön (män, kvinnor) × contents (Folkmängd, Folkökning): 100, 5, 200, 7 -> 100 + 200
    doc = _doc({"1": "män", "2": "kvinnor"}, [100, 5, 200, 7],
               {"BE0101N1": "Folkmängd", "BE0101N2": "Folkökning"})
    frame = read_population(_write(tmp_path, doc))
    assert frame[["area", "year", "population"]].values.tolist() == [["0180", 2024, 300]]


def test_a_total_beside_the_sexes_is_taken_not_added(tmp_path):
    doc = _doc({"1": "män", "2": "kvinnor", "1+2": "totalt"}, [100, 200, 301])
    assert read_population(_write(tmp_path, doc))["population"].tolist() == [301]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_byte_order_mark_is_read(tmp_path, encoding):
    doc = _doc({"1": "män", "2": "kvinnor"}, [100, 200])
    assert read_population(_write(tmp_path, doc, encoding=encoding))["population"].tolist() == [300]


def test_a_month_as_the_time_is_refused(tmp_path):
    doc = _doc({"1": "män", "2": "kvinnor"}, [100, 200], time="2024M01")
    with pytest.raises(InputError, match='har tiden "2024M01", inget år'):
        read_population(_write(tmp_path, doc))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-5, 10**7), st.floats(allow_nan=True, allow_infinity=True),
                          st.sampled_from(["..", "1 234", "12,5", "x", "", "NaN"])), min_size=2, max_size=2))
def test_fuzz_values_load_as_their_sum_or_are_refused(tmp_path_factory, values):
    """Either the sum of two whole numbers ≥ 0 (a missing one leaves the year out) or an InputError."""
    path = tmp_path_factory.mktemp("js") / "b.json"
    path.write_text(json.dumps(_doc({"1": "män", "2": "kvinnor"}, values)), encoding="utf-8")
    try:
        frame = read_population(path)
    except InputError as err:
        assert "Traceback" not in str(err)
        return
    whole = []
    for v in values:
        if isinstance(v, str):
            v = v.replace(" ", "")
        whole.append(int(float(v)))
    assert frame["population"].tolist() == [sum(whole)], (values, frame)
