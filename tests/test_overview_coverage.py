"""Översikt by what each place has data for: a category a place has no source for is not a row of
that place and does not block its ``alla``; a place whose months are covered with no crimes is shown
(0 → 0). The references: the files' own numbers summed by hand, and the table before the unrelated
incident file was read in."""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis.overview import overview_table, split_notes
from lagesbild.ingest import ingest_file
from lagesbild.web.views.overview import overview_view
from tests.test_ingest import INCIDENT_HEADER, TORG, write

MONTHS = pd.date_range("2021-09-01", "2023-08-01", freq="MS")  # 2021–2022 and 2022–2023
COUNTS = {  # place -> category -> one count per month
    "Vårberg": {"Narkotika": [3, 5, 2, 4] * 3 + [1, 2, 3, 2] * 3,
                "Skadegörelse": [6, 4, 7, 5] * 3 + [5, 6, 4, 6] * 3},
    "Hässelby torg": {"Narkotika": [2, 1, 3, 2] * 6, "Skadegörelse": [4, 5, 3, 6] * 6},
    "Fruängen": {"Narkotika": [0] * 24, "Skadegörelse": [0] * 24},
}


def crimes_file(tmp_path):
    lines = ["Område;Brottstyp;Månad;Antal"]
    for place, cats in COUNTS.items():
        for cat, values in cats.items():
            lines += [f"{place};{cat};{m:%Y-%m};{v}" for m, v in zip(MONTHS, values, strict=True)]
    return write(tmp_path, "brott.csv", "\n".join(lines) + "\n", encoding="utf-8")


def by_year(place):
    """(2021–2022, 2022–2023) of each category and of their sum, from the file's numbers."""
    out = {cat: (sum(v[:12]), sum(v[12:])) for cat, v in COUNTS[place].items()}
    out["alla"] = tuple(sum(x) for x in zip(*out.values(), strict=True))
    return out


def rows_of(table, place_id):
    return table[table["place_id"] == place_id].set_index("category")


def test_one_incident_elsewhere_leaves_every_other_place_and_its_total_alone(places_store, settings, tmp_path):
    ingest_file(places_store, "crimes", crimes_file(tmp_path), extracted_at="2023-09-05")
    before = overview_table(places_store, settings, period="2022–2023")["comparison"]
    # one "Våld i nära relation" incident at Hässelby torg, March 2023
    incident = write(tmp_path, "händelser.csv", INCIDENT_HEADER + "V1;2023-03-10 12:00;Våld i nära relation;"
                     f"{TORG[0]:.1f};{TORG[1]:.1f}\n".replace(".", ","), encoding="utf-8")
    ingest_file(places_store, "incidents", incident, extracted_at="2023-09-05")
    res = overview_table(places_store, settings, period="2022–2023")
    table = res["comparison"]
    assert "vald_nara_relation" in set(table["category"])  # the incident file's category is a column

    varberg = rows_of(table, "varberg")
    assert list(varberg.index) == ["narkotikabrott", "skadegorelse", "alla"]  # no row without a source
    want = by_year("Vårberg")
    assert varberg.loc["alla", ["count_a", "count_b"]].tolist() == list(want["alla"]) == [42 + 66, 24 + 63]
    assert varberg.loc["narkotikabrott", ["count_a", "count_b"]].tolist() == list(want["Narkotika"])
    assert not varberg.loc["alla", "verdict"].startswith("kan inte bedömas")
    # the same test and verdict as before the incident file: nothing it holds concerns Vårberg
    old = rows_of(before, "varberg")
    for col in ("count_a", "count_b", "p_value", "p_unadjusted", "verdict"):
        assert varberg[col].tolist() == old[col].tolist(), col

    torg = rows_of(table, "hasselby-torg")
    assert torg.loc["vald_nara_relation", "verdict"].startswith("kan inte bedömas: data saknas")
    # its total sums the categories with data in both years, not the one covered in March 2023 only
    assert torg.loc["alla", ["count_a", "count_b"]].tolist() == list(by_year("Hässelby torg")["alla"])
    assert torg.loc["alla", "p_value"] == rows_of(before, "hasselby-torg").loc["alla", "p_value"]
    assert "summan av Narkotikabrott och Skadegörelse" in torg.loc["alla", "note"]
    assert "summan av" not in varberg.loc["narkotikabrott", "note"]
    _, lines = split_notes(table, res["rows"], res["category_names"])
    assert any(line.startswith("Alla för ") and "Vårberg" in line and "Hässelby torg" in line
               and "summan av Narkotikabrott och Skadegörelse, de kategorier som har data där båda åren" in line
               for line in lines)
    assert any("Alla för" in line for line in lines if line in str(overview_view(places_store, settings,
                                                                                 period="2022–2023")))


def test_a_place_with_covered_months_and_no_crimes_is_in_the_overview(places_store, settings, tmp_path):
    ingest_file(places_store, "crimes", crimes_file(tmp_path), extracted_at="2023-09-05")
    res = overview_table(places_store, settings, period="2022–2023")
    zero = rows_of(res["comparison"], "fruangen")
    assert list(zero.index) == ["narkotikabrott", "skadegorelse", "alla"]
    assert zero["count_a"].tolist() == [0, 0, 0] and zero["count_b"].tolist() == [0, 0, 0]
    assert zero["change"].tolist() == [0, 0, 0]
    # 0 of 0 crimes: the exact test's p is 1 (every outcome as likely as the one seen), adjusted too
    assert zero["p_unadjusted"].tolist() == [1.0, 1.0, 1.0] and zero["p_value"].tolist() == [1.0, 1.0, 1.0]
    assert set(zero["verdict"]) == {"ingen säkerställd förändring"}
    assert "Fruängen" in str(overview_view(places_store, settings, period="2022–2023"))
    # a place without any data in the two years is still left out
    assert "vallingby-centrum" not in set(res["comparison"]["place_id"])
