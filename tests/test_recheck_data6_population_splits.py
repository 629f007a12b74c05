"""SCB's population by kön and ålder together (Statistikdatabasen's BE0101N1 with both variables
selected, one row per kön × age band): a complete cross split was refused ("kolumnen 'kön' och 'ålder'
delar området … utan en rad för totalt"), with every line and value of the area listed in the message
(a table of every kommun by one-year ages gave a message of megabytes). It is now summed, as a complete
split by one of them was, and a refusal lists at most five lines and values. Sums are by hand."""

from __future__ import annotations

import json

import pytest

from lagesbild.errors import InputError
from lagesbild.sources.population import read_population

AGES = ["0-19 år", "20-64 år", "65+ år"]
#: män, then kvinnor, per age band, for 2024 and 2025
FIGURES = {("män", "0-19 år"): (100, 110), ("män", "20-64 år"): (300, 310), ("män", "65+ år"): (80, 85),
           ("kvinnor", "0-19 år"): (95, 96), ("kvinnor", "20-64 år"): (305, 306), ("kvinnor", "65+ år"): (90, 99)}
# 2024: 100 + 300 + 80 + 95 + 305 + 90 = 970; 2025: 110 + 310 + 85 + 96 + 306 + 99 = 1 006


def _csv(rows) -> str:
    lines = ['"Folkmängden per region, ålder, kön och år"', "", '"region";"ålder";"kön";"2024";"2025"']
    lines += [f'"0180 Stockholm";"{age}";"{sex}";{a};{b}' for (sex, age), (a, b) in rows.items()]
    return "\r\n".join(lines) + "\r\n"


def test_a_csv_split_by_kon_and_alder_is_summed(tmp_path):
    path = tmp_path / "folkmangd.csv"
    path.write_text(_csv(FIGURES), encoding="utf-8")
    frame = read_population(path)
    assert sorted((r.area, int(r.year), int(r.population)) for r in frame.itertuples()) == \
        [("0180", 2024, 970), ("0180", 2025, 1006)]
    assert "per ålder och kön (3 × 2 grupper)" in frame["note"].iloc[0]


def test_a_json_stat_table_by_kon_and_alder_is_summed(tmp_path):
    doc = {"version": "2.0", "class": "dataset", "id": ["Region", "Alder", "Kon", "Tid"], "size": [1, 3, 2, 2],
           "dimension": {"Region": {"label": "region", "category": {"index": ["0180"], "label": {"0180": "Stockholm"}}},
                         "Alder": {"label": "ålder", "category": {"index": AGES}},
                         "Kon": {"label": "kön", "category": {"index": ["1", "2"], "label": {"1": "män", "2": "kvinnor"}}},
                         "Tid": {"label": "år", "category": {"index": ["2024", "2025"]}}},
           "value": [v for age in AGES for sex in ("män", "kvinnor") for v in FIGURES[(sex, age)]]}
    path = tmp_path / "f.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    frame = read_population(path)
    assert sorted((int(r.year), int(r.population)) for r in frame.itertuples()) == [(2024, 970), (2025, 1006)]


def test_an_incomplete_cross_split_is_refused_listing_at_most_five_lines(tmp_path):
    rows = {(sex, f"{age} år"): (10, 11) for sex in ("män", "kvinnor") for age in range(6)}  # no open last band
    path = tmp_path / "folkmangd.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_population(path)
    message = info.value.message()
    assert "delar området '0180' år 2024 på flera rader (rad 4 och 5 och 6 och 7 och 8 … (12 rader))" in message
    assert 'värde "0 år, 1 år, 2 år, 3 år, 4 år … (6 värden)"' in message
