"""Before/after a start cuts the place's own windows from the place's own months; the comparison area's
months are asked only of the tests against it.

A place with its own file of many categories beside a district file of fewer: every category the
district lacked read "kan inte bedömas: inga månader med data att jämföra" for the place's OWN change,
though the place had 60 months of it (bilbrott 342 → 333 without the district, nothing with it).
References: the window sums by hand and the quasi-Poisson test from statsmodels
(:mod:`tests.stat_reference`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lagesbild.core.effects import before_after
from lagesbild.ingest import ingest_file
from tests.stat_reference import history_fit, quasi_two_period_p

TORG, DISTRICT = "hasselby-torg", "hasselby-vallingby"
MONTHS = pd.date_range("2019-01-01", periods=60, freq="MS")
START = "2022-01-15"  # windows Jan–Dec 2021 and Jan–Dec 2022
BEFORE, AFTER = ("2021-01-01", "2021-12-01"), ("2022-01-01", "2022-12-01")
PLACE_CATS, DISTRICT_CATS = ("bilbrott", "ran", "stold"), ("ran",)
NO_COMPARISON = "kan inte bedömas: jämförelseområdet saknar data för kategorin"


def _frames(seed=11, district_months=MONTHS):
    """The place's own file (three categories, 60 months) and the district's (one category)."""
    rng = np.random.default_rng(seed)
    rows, cover = [], []
    for c in PLACE_CATS:
        rows.append(pd.DataFrame({"place_id": TORG, "category": c, "month": MONTHS,
                                  "count": rng.poisson(28, len(MONTHS))}))
        cover.append(pd.DataFrame({"source": "platsfil", "place_id": TORG, "category": c, "month": MONTHS}))
    for c in DISTRICT_CATS:
        rows.append(pd.DataFrame({"place_id": DISTRICT, "category": c, "month": district_months,
                                  "count": rng.poisson(300, len(district_months))}))
        cover.append(pd.DataFrame({"source": "sdofil", "place_id": DISTRICT, "category": c,
                                   "month": district_months}))
    return pd.concat(rows, ignore_index=True), pd.concat(cover, ignore_index=True)


def _sum(monthly, place, cat, span):
    sel = monthly[(monthly["place_id"] == place) & (monthly["category"] == cat)
                  & monthly["month"].between(*map(pd.Timestamp, span))]
    return int(sel["count"].sum())


@pytest.mark.parametrize("seed", [11, 12])
def test_a_category_the_district_lacks_is_judged_at_the_place(seed):
    monthly, coverage = _frames(seed)
    alone = before_after(monthly, place_id=TORG, start=START, coverage=coverage).set_index("category")
    both = before_after(monthly, place_id=TORG, start=START, coverage=coverage,
                        district_id=DISTRICT).set_index("category")
    for cat in ("bilbrott", "stold"):
        a, b = _sum(monthly, TORG, cat, BEFORE), _sum(monthly, TORG, cat, AFTER)
        row = both.loc[cat]
        assert (row["count_before"], row["count_after"], row["months"]) == (a, b, 12)
        assert row["before_label"] == "jan 2021–dec 2021" and row["after_label"] == "jan 2022–dec 2022"
        # the place's own quasi-Poisson test, its dispersion from its own 60 months (statsmodels)
        own = monthly[(monthly["place_id"] == TORG) & (monthly["category"] == cat)].sort_values("month")
        phi, nu = history_fit(own["count"].to_numpy(), own["month"])
        assert row["p_value"] == pytest.approx(quasi_two_period_p(a, b, 1, 1, phi, nu), rel=1e-7)
        assert not row["verdict"].startswith("kan inte")
        # the same row as without the district, and no comparison to pretend
        cols = ["count_before", "count_after", "p_value", "q_value", "verdict"]
        assert row[cols].tolist() == alone.loc[cat, cols].tolist()
        assert row["relative_verdict"] == NO_COMPARISON
        assert pd.isna(row["comparison_before"]) and np.isnan(row["relative_p"]) and np.isnan(row["wdd"])
    # the category the district has is compared with its rest as before
    ran = both.loc["ran"]
    rest = (_sum(monthly, DISTRICT, "ran", BEFORE) - _sum(monthly, TORG, "ran", BEFORE),
            _sum(monthly, DISTRICT, "ran", AFTER) - _sum(monthly, TORG, "ran", AFTER))
    assert (ran["comparison_before"], ran["comparison_after"]) == rest and not np.isnan(ran["relative_p"])
    # the total sums all three at the place; the district lacks two of them
    total = both.loc["alla"]
    assert total["count_before"] == sum(_sum(monthly, TORG, c, BEFORE) for c in PLACE_CATS)
    assert total["relative_verdict"] == "kan inte bedömas: jämförelseområdet saknar data för någon av kategorierna"
    # the place's own family is the same family of tests as without the district; the relative one
    # holds the one category compared
    assert both.attrs["fdr"]["p_value"] == alone.attrs["fdr"]["p_value"]
    assert both.attrs["fdr"]["relative_p"]["m"] == 1


def test_a_district_ending_at_the_start_leaves_the_place_its_own_windows():
    """The district's data end in January 2022, the start's month: no window of three months or more
    can be compared with it, so the place is judged on its own twelve and the row says how many months
    the district lacks."""
    monthly, coverage = _frames(13, district_months=MONTHS[MONTHS <= "2022-01-01"])
    row = before_after(monthly, place_id=TORG, start=START, coverage=coverage, district_id=DISTRICT,
                       category="ran").iloc[0]
    assert row["months"] == 12 and row["count_after"] == _sum(monthly, TORG, "ran", AFTER)
    assert row["relative_verdict"] == (
        "kan inte bedömas: jämförelseområdet saknar data för kategorin i 11 av fönstrens 24 månader")
    # data to June 2022: both windows are cut to the six months the district has, as before
    monthly, coverage = _frames(13, district_months=MONTHS[MONTHS <= "2022-06-01"])
    row = before_after(monthly, place_id=TORG, start=START, coverage=coverage, district_id=DISTRICT,
                       category="ran").iloc[0]
    assert row["months"] == 6 and not np.isnan(row["relative_p"])


@pytest.fixture
def own_file_store(places_store, tmp_path):
    """Hässelby torg's own file of five categories (2019–2023) and Hässelby-Vällingby's of two."""
    rng = np.random.default_rng(5)
    months = [f"{y}-{m:02d}" for y in range(2019, 2024) for m in range(1, 13)]
    names = ["Narkotikabrott", "Skadegörelse", "Bilbrott", "Rån", "Misshandel"]
    place = tmp_path / "torg.csv"
    place.write_text("Plats;Brottskategori;Månad;Antal\n" + "".join(
        f"Hässelby torg;{c};{m};{rng.poisson(28)}\n" for c in names for m in months), encoding="utf-8")
    district = tmp_path / "sdo.csv"
    district.write_text("Plats;Brottskategori;Månad;Antal\n" + "".join(
        f"Hässelby-Vällingby;{c};{m};{rng.poisson(300)}\n" for c in names[:2] for m in months), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text("- id: a1\n  aktivitet: Platssamverkan\n  prioriterat område: Ordningsvakter\n"
                    "  plats: [hasselby-torg]\n  löptid: Tillsvidare\n  start: 2021-06-01\n", encoding="utf-8")
    for kind, path, source in (("crimes", place, "platsfil"), ("crimes", district, "sdofil"),
                               ("activities", plan, None)):
        assert ingest_file(places_store, kind, path, source=source).status == "ok"
    return places_store, place


def test_the_effect_question_judges_every_category_of_the_places_own_file(own_file_store):
    from lagesbild.analysis.plan import activity_effect

    store, path = own_file_store
    rows = pd.read_csv(path, sep=";")
    table = activity_effect(store, "a1").set_index("category")
    for cat, name in (("bilbrott", "Bilbrott"), ("ran", "Rån"), ("misshandel", "Misshandel")):
        own = rows[rows["Brottskategori"] == name]
        before = own[own["Månad"].between("2020-06", "2021-05")]["Antal"].sum()
        after = own[own["Månad"].between("2021-06", "2022-05")]["Antal"].sum()
        assert (table.loc[cat, "count_before"], table.loc[cat, "count_after"]) == (before, after)
        assert not table.loc[cat, "verdict"].startswith("kan inte")
        assert table.loc[cat, "relative_verdict"] == NO_COMPARISON
    assert not np.isnan(table.loc["skadegorelse", "relative_p"])
    assert table.loc["alla", "count_before"] == rows[rows["Månad"].between("2020-06", "2021-05")]["Antal"].sum()


def test_a_category_only_the_district_has_is_not_the_places_and_does_not_empty_its_total():
    """The district's file counts narkotikabrott, the place's own file does not: the place's total was
    'kan inte bedömas: inga månader med data att jämföra' (it summed a category the place has no month
    of) beside a narkotikabrott row of nothing."""
    monthly, coverage = _frames(14)
    rng = np.random.default_rng(14)
    monthly = pd.concat([monthly, pd.DataFrame({"place_id": DISTRICT, "category": "narkotikabrott",
                                                "month": MONTHS, "count": rng.poisson(90, len(MONTHS))})],
                        ignore_index=True)
    coverage = pd.concat([coverage, pd.DataFrame({"source": "sdofil", "place_id": DISTRICT,
                                                  "category": "narkotikabrott", "month": MONTHS})],
                         ignore_index=True)
    table = before_after(monthly, place_id=TORG, start=START, coverage=coverage,
                         district_id=DISTRICT).set_index("category")
    assert list(table.index) == [*sorted(PLACE_CATS), "alla"]
    total = table.loc["alla"]
    assert total["count_before"] == sum(_sum(monthly, TORG, c, BEFORE) for c in PLACE_CATS)
    assert total["count_after"] == sum(_sum(monthly, TORG, c, AFTER) for c in PLACE_CATS)
    assert total["months"] == 12 and not total["verdict"].startswith("kan inte")
