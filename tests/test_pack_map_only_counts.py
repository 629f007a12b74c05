"""The meeting pack's map of a place whose crimes are counts without a place says so, as Karta does.

A torg east of the demo's incidents whose crimes come from a file of monthly counts: the pack's map
said "det finns inga händelser med koordinater för urvalet" (or "För få brott (0)" when the box
around it held a few incidents outside it) beside the hundreds of crimes its own tables count. Karta
says that the map needs incidents with coordinates and that the place has only counts; the pack's map
and a chart export of the map now say the same, in the same words.
"""

from __future__ import annotations

import pytest

from lagesbild.core.periods import parse_period
from tests.square_place import demo_with_square_place

PLACE = "fjarran-torg"
NARKOTIKA = {(y, m): 40 + m for y in (2021, 2022, 2023) for m in range(1, 13) if (y, m) <= (2023, 8)}
CYKEL = {(y, m): 7 * m for y in (2021, 2022, 2023) for m in range(1, 13) if (y, m) <= (2023, 8)}


def _in_2022_2023(counts: dict) -> int:
    """Sep 2022 – Aug 2023, summed by hand."""
    return sum(n for (y, m), n in counts.items() if (y, m) >= (2022, 9) and (y, m) <= (2023, 8))


@pytest.fixture(scope="module")
def counted(demo_store_path, tmp_path_factory):
    rows = [("Narkotikabrott", y, m, n) for (y, m), n in NARKOTIKA.items()]
    rows += [("Cykelstöld", y, m, n) for (y, m), n in CYKEL.items()]
    settings, store = demo_with_square_place(  # some 20 km east of every demo incident
        demo_store_path, tmp_path_factory.mktemp("only-counts"), lon=18.40, lat=59.36, d=0.003, rows=rows,
        name="counted.sqlite", properties={"place_id": PLACE, "namn": "Fjärran torg", "typ": "torg",
                                           "befolkning": 2000, "ungefarlig": False})
    return settings, store


def _texts(fig) -> str:
    layout = fig.to_dict()["layout"]
    return " ".join(str(a.get("text", "")) for a in layout.get("annotations", [])).replace("<br>", " ")


def _only_counts(n: int) -> str:
    return ("kartan kräver brott på händelsenivå med koordinater; för Fjärran torg finns under perioden "
            f"bara antal per månad eller år ({n} brott), som inte har något läge")


def test_pack_map_of_a_place_with_only_counts_says_so(counted):
    settings, store = counted
    from lagesbild.export.content import Chart
    from lagesbild.export.data import ExportData
    from lagesbild.export.pack import build_document

    data = ExportData(store, settings)
    periods = [parse_period("2021–2022"), parse_period("2022–2023")]
    doc = build_document(data, [data.place(PLACE)], periods, meeting="Beredningsgrupp", date="2026-12-05")
    maps = [b for b in doc.blocks if isinstance(b, Chart) and b.name.startswith("Karta")]
    assert len(maps) == 1
    n = _in_2022_2023(NARKOTIKA) + _in_2022_2023(CYKEL)  # every category but the sensitive ones
    assert n == sum(40 + m for m in range(1, 13)) + sum(7 * m for m in range(1, 13)) == 1104
    text = _texts(maps[0].fig)
    assert _only_counts("1\u00a0104") in text
    assert "För få brott" not in text and "inga händelser med koordinater" not in text
    assert maps[0].data is not None and maps[0].data.empty  # no grid of empty cells behind it


def test_chart_export_of_the_map_says_what_karta_says(counted):
    settings, store = counted
    from lagesbild.analysis.maps import map_layers
    from lagesbild.export.charts import build_chart
    from lagesbild.export.data import ExportData

    data = ExportData(store, settings)
    chart = build_chart(data, "map", PLACE, [parse_period("2022–2023")], category="cykelstold")
    n = _in_2022_2023(CYKEL)
    assert n == 7 * 78 == 546
    assert _only_counts(str(n)) in _texts(chart.fig)
    web = map_layers(store, settings, area=PLACE, category=["cykelstold"], period="2022–2023")
    assert web["problem"] == _only_counts(str(n))  # Karta, word for word
