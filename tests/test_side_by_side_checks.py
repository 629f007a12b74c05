"""Jämför platser on small hand-made stores: the total's dispersion, the same place twice, cut periods
labelled, the total's name in the download, and similar places by the population the rates use.

References: statsmodels' quasi-Poisson GLM of the chosen categories summed (φ̂ = Pearson χ²/(n − p))
with the Satterthwaite degrees of freedom by hand, the equal-rate Poisson deviance from statsmodels,
scipy's F distribution; populations interpolated by hand with numpy; category shares counted from the
file written here.
"""

from __future__ import annotations

import io
import json
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from lagesbild.analysis import base
from lagesbild.analysis.side_by_side import SideBySideError, side_by_side, similar_places
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings

MONTHS = pd.date_range("2019-09-01", "2023-08-01", freq="MS")
PLACES = [("pa", "Provplats Alfa", 5000, 665800, 6575800), ("pb", "Provplats Beta", 2000, 666300, 6575800),
          ("pc", "Provplats Gamma", None, 665800, 6576300), ("pt", "Provplats Tvilling", 4000, 665300, 6576300)]
NAMES = {"skadegorelse": "Skadegörelse", "narkotikabrott": "Narkotikabrott", "inbrott": "Inbrott"}
CHOSEN = ["skadegorelse", "narkotikabrott"]
PERIODS = ["2021–2022", "2022–2023"]


def _square(x, y, h=200):
    return {"type": "Polygon", "coordinates": [[[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h],
                                                [x - h, y - h]]]}


def _counts() -> pd.DataFrame:
    """Monthly counts: Alfa and Beta with an 'Inbrott' that is wildly overdispersed (0 or 60 a month),
    never among the chosen categories; Gamma (no population) with Alfa's mix; Tvilling steady."""
    rng = np.random.default_rng(7)
    lam = {"pa": {"skadegorelse": 20, "narkotikabrott": 8}, "pb": {"skadegorelse": 10, "narkotikabrott": 4},
           "pc": {"skadegorelse": 20, "narkotikabrott": 8, "inbrott": 15}}
    rows = []
    for pid, name, *_ in PLACES:
        for m in MONTHS:
            for cat in ("skadegorelse", "narkotikabrott", "inbrott"):
                if pid == "pt":
                    k = 10 if cat != "inbrott" else 0
                elif cat == "inbrott" and pid in ("pa", "pb"):
                    k = int(rng.choice([0, 0, 0, 60]))
                else:
                    k = int(rng.poisson(lam[pid].get(cat, 0)))
                rows.append((name, NAMES[cat], m.strftime("%Y-%m"), k))
    return pd.DataFrame(rows, columns=["Område", "Brottstyp", "Månad", "Antal"])


def _build(folder, until: str, extracted: str):
    folder.mkdir()
    feats = [{"type": "Feature", "geometry": _square(x, y),
              "properties": {"place_id": p, "namn": n, "typ": "omrade", "stadsdelsomrade": "skarholmen",
                             **({"befolkning": pop} if pop else {})}} for p, n, pop, x, y in PLACES]
    (folder / "places.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        "features": feats}), encoding="utf-8")
    counts = _counts()
    counts[counts["Månad"] <= until].to_csv(folder / "brott.csv", index=False)
    # Beta grows from 2 000 (2019) to 2 600 (2023); its stored figure stays 2 000
    pd.DataFrame({"område": ["Provplats Beta", "Provplats Beta", "Provplats Alfa", "Provplats Alfa"],
                  "år": [2019, 2023, 2019, 2023], "folkmängd": [2000, 2600, 5000, 5000]}).to_csv(
        folder / "pop.csv", index=False)
    s = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"),
                      population_file=str(folder / "pop.csv"))
    store = open_store(s)
    ingest_file(store, "places", folder / "places.geojson")
    ingest_file(store, "crimes", folder / "brott.csv", extracted_at=extracted)
    return store, s, counts


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("jamfor") / "whole", "2023-08", "2023-09-05")


@pytest.fixture(scope="module")
def cut(tmp_path_factory):
    """Data to 30 June 2023: the latest Sep–Aug year is incomplete."""
    return _build(tmp_path_factory.mktemp("jamfor") / "cut", "2023-06", "2023-07-05")


def _series(counts, name, cats, until="2023-08"):
    sub = counts[(counts["Område"] == name) & counts["Brottstyp"].isin([NAMES[c] for c in cats])
                 & (counts["Månad"] <= until)]
    return sub.groupby("Månad")["Antal"].sum().sort_index()


def _quasi(y: pd.Series):
    """φ = max(1, Pearson χ²/(n − p)) of the trend + annual cycle model (statsmodels) and the
    Satterthwaite degrees of freedom of the squared Pearson residuals."""
    months = pd.DatetimeIndex(pd.to_datetime(y.index))
    t = (months.year - months.year.min()) + (months.month - months.month[0]) / 12
    angle = 2 * np.pi * (months.month - 1) / 12
    X = np.column_stack([np.ones(len(y)), t, np.sin(angle), np.cos(angle)])
    fit = sm.GLM(y.to_numpy(float), X, family=sm.families.Poisson()).fit(scale="X2")
    r2 = fit.resid_pearson ** 2
    df = len(y) - X.shape[1]
    nu = min(df, max(1.0, 2 * df / (r2.var() / r2.mean() ** 2)))
    return max(1.0, fit.scale), nu, fit.scale


def test_the_total_between_places_uses_the_dispersion_of_the_chosen_categories(whole):
    store, s, counts = whole
    res = side_by_side(store, s, places=["pa", "pb"], periods=PERIODS, categories=CHOSEN)
    row = res["between"].set_index("category").loc["alla"]
    (phi_a, nu_a, raw_a), (phi_b, nu_b, raw_b) = (_quasi(_series(counts, n, CHOSEN))
                                                  for n in ("Provplats Alfa", "Provplats Beta"))
    # the unchosen Inbrott would make the total look 20 times as variable: it is not in the count
    every = _quasi(_series(counts, "Provplats Beta", [*CHOSEN, "inbrott"]))[2]
    assert every > 10 and max(raw_a, raw_b) < 2
    # each place's dispersion weighed by its share of the variance of the log rate ratio (1/count),
    # Welch–Satterthwaite degrees of freedom
    wa, wb = phi_a / row["count_a"], phi_b / row["count_b"]
    assert row["phi"] == pytest.approx((wa + wb) / (1 / row["count_a"] + 1 / row["count_b"]), rel=1e-6)
    assert row["df"] == pytest.approx((wa + wb) ** 2 / (wa ** 2 / nu_a + wb ** 2 / nu_b), rel=1e-6)
    # the same dispersion as the change row of each place's total
    own = res["changes"].query("category == 'alla'").set_index("place_id")["dispersion"]
    assert (own.loc["pa"], own.loc["pb"]) == pytest.approx((raw_a, raw_b), rel=1e-6)
    y = np.array([row["count_a"], row["count_b"]], dtype=float)
    ea, eb = 1000 * row["count_a"] / row["rate_a"], 1000 * row["count_b"] / row["rate_b"]
    dev = sm.GLM(y, np.ones((2, 1)), family=sm.families.Poisson(), offset=np.log([ea, eb])).fit().deviance
    assert row["p_unadjusted"] == pytest.approx(stats.f.sf(dev / row["phi"], 1, row["df"]), rel=1e-6)
    # the counts are the chosen categories' sums in Sep 2022–Aug 2023
    assert row["count_a"] == _series(counts, "Provplats Alfa", CHOSEN).loc["2022-09":"2023-08"].sum()


@pytest.mark.parametrize("twice", [["pa", "Provplats Alfa", "pb"], ["pa", "PA", "pb"], ["pa", "pb", "pa"]])
def test_the_same_place_twice_counts_once(whole, twice):
    store, s, _ = whole
    res = side_by_side(store, s, places=twice, periods=PERIODS, categories=CHOSEN)
    ref = side_by_side(store, s, places=["pa", "pb"], periods=PERIODS, categories=CHOSEN)
    assert [p["place_id"] for p in res["places"]] == ["pa", "pb"]
    assert len(res["between"]) == 3 and not (res["between"]["place_a"] == res["between"]["place_b"]).any()
    # 3 changes per place and 3 differences (two families): 9 tests, as without the repetition
    assert res["fdr"]["m"] == ref["fdr"]["m"] == 9
    assert np.allclose(res["between"]["p_value"], ref["between"]["p_value"])


def test_one_place_given_twice_is_refused_in_swedish_on_the_page_and_in_the_download(whole):
    from lagesbild.web.views.side_by_side import compare_view

    store, s, _ = whole
    with pytest.raises(SideBySideError, match="olika platser.*Provplats Alfa"):
        side_by_side(store, s, places=["pa", "Provplats Alfa"], periods=PERIODS, similar=0)
    page = compare_view(store, s, places=["pa", "provplats alfa"], periods=PERIODS, categories=CHOSEN)
    text = _texts(page)
    assert "Välj mellan 2 och 4 olika platser" in text and "Samma plats är vald mer än en gång" in text
    assert not [n for n in _walk(page) if _numbers(n) is not None]  # nothing to download, no error
    # two places, one of them twice under another spelling: the page is the page of the two
    page = compare_view(store, s, places=["pa", "PA", "pb"], periods=PERIODS, categories=CHOSEN)
    table = next(n for n in _walk(page) if getattr(n, "id", None) == "cmp-table")
    assert [r["Plats"] for r in table.data] == ["Provplats Alfa"] * 3 + ["Provplats Beta"] * 3


def _walk(node):
    if isinstance(node, (list, tuple)):
        for n in node:
            yield from _walk(n)
        return
    yield node
    kids = getattr(node, "children", None)
    if kids is not None and not isinstance(kids, str):
        yield from _walk(kids)


def _texts(page) -> str:
    """Every text a page shows (its components' string children), one per line."""
    out = []
    for n in _walk(page):
        if isinstance(n, str):
            out.append(n)
        elif isinstance(getattr(n, "children", None), str):
            out.append(n.children)
    return "\n".join(out)


def _numbers(node):
    from lagesbild.web.numbers import numbers_of

    return numbers_of(node)


def _xlsx(store, s, page, item):
    from lagesbild.web.numbers import xlsx_bytes

    numbers = next(_numbers(n) for n in _walk(page) if getattr(n, "id", None) == item)
    content, _ = xlsx_bytes(numbers, store, s, page="/jamfor")
    ws = openpyxl.load_workbook(io.BytesIO(content))["Siffror"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    body = [r for r in rows[1:] if r and r[0] is not None and len([v for v in r if v is not None]) > 1]
    return pd.DataFrame(body, columns=head)


def test_a_cut_period_is_labelled_on_the_page_chart_and_download(cut):
    from lagesbild.web.views.side_by_side import compare_view

    store, s, counts = cut
    page = compare_view(store, s, places=["pa", "pb"], periods=PERIODS, categories=["skadegorelse"],
                        measure="antal")
    table = next(n for n in _walk(page) if getattr(n, "id", None) == "cmp-table")
    alfa = next(r for r in table.data if r["Plats"] == "Provplats Alfa")
    # both years are counted Sep–Jun (the latest ends 30 June 2023), and marked as on Plats
    sep_jun = _series(counts, "Provplats Alfa", ["skadegorelse"]).loc["2021-09":"2022-06"].sum()
    assert alfa["2021–2022*"] == f"{sep_jun:,}".replace(",", "\u00a0")
    assert "2021–2022" not in alfa and "2022–2023*" in alfa
    text = _texts(page)
    assert "Jämförelsen avser sep–jun i varje period eftersom data för hela månader bara finns t.o.m. 30 juni 2023." in text
    assert "* Samma månader i varje period" in text
    assert "Provplats Beta: Befolkningen ändrades med +6\u00a0% mellan perioderna" in text
    assert "Skillnader mellan platserna 2022–2023*" in text and "Antalen avser sep 2022–jun 2023" in text
    chart = next(n for n in _walk(page) if getattr(n, "id", None) == "cmp-chart")
    subtitle = json.dumps(chart.figure if isinstance(chart.figure, dict) else chart.figure.to_plotly_json(),
                          default=str, ensure_ascii=False)
    assert "2022–2023*" in subtitle and "sep 2022–jun 2023" in subtitle
    x = _xlsx(store, s, page, "cmp-table").set_index(["Plats-id", "Kategori-id", "Period"])
    one = x.loc[("pa", "skadegorelse", "2021–2022")]
    assert (str(one["Från"])[:10], str(one["Till"])[:10]) == ("2021-09-01", "2022-06-30")
    assert one["Antal"] == sep_jun and one["Samma månader"] == "ja"
    later = x.loc[("pb", "skadegorelse", "2022–2023")]
    assert "sep–jun" in later["Not"] and "Befolkningen ändrades med +6" in later["Not"]


def test_the_download_names_the_total_as_the_page_does(whole):
    from lagesbild.web.views.side_by_side import compare_view

    store, s, counts = whole
    page = compare_view(store, s, places=["pa", "pb"], periods=PERIODS, categories=CHOSEN)
    for item in ("cmp-table", "cmp-chart", "cmp-between"):
        x = _xlsx(store, s, page, item)
        total = x[x["Kategori-id"] == "alla"]
        assert len(total) and set(total["Kategori"]) == {"Alla valda kategorier"}, item
    x = _xlsx(store, s, page, "cmp-table").set_index(["Plats-id", "Kategori-id", "Period"])
    # the chosen categories only (Inbrott is not among them)
    assert x.loc[("pa", "alla", "2022–2023"), "Antal"] == \
        _series(counts, "Provplats Alfa", CHOSEN).loc["2022-09":"2023-08"].sum()


def _mean_population(known: dict, months) -> float:
    years = sorted(known)
    return float(np.mean(np.interp(pd.DatetimeIndex(months).year, years, [known[y] for y in years])))


@pytest.mark.parametrize("label", ["2021–2022", "2022–2023"])
def test_similar_places_leave_out_unknown_populations_and_use_the_rates_population(whole, label):
    store, s, counts = whole
    periods = base.parse_periods([label])
    months = periods[0].whole_months
    got = similar_places(store, s, "pa", periods, k=10).set_index("place_id")
    # Gamma has no population: its rates can never be compared, so it is not proposed
    assert "pc" not in got.index and set(got.index) == {"pt", "pb"}
    pop_b = _mean_population({2019: 2000, 2023: 2600}, months)
    assert got.loc["pb", "population"] == pytest.approx(pop_b)

    def shares(name):
        sub = counts[(counts["Område"] == name) & counts["Månad"].isin([f"{m:%Y-%m}" for m in months])]
        sums = sub.groupby("Brottstyp")["Antal"].sum()
        return sums / sums.sum()

    for pid, name, pop in (("pb", "Provplats Beta", pop_b), ("pt", "Provplats Tvilling", 4000.0)):
        a, b = shares("Provplats Alfa"), shares(name)
        tv = 0.5 * (a.reindex(a.index.union(b.index), fill_value=0)
                    - b.reindex(a.index.union(b.index), fill_value=0)).abs().sum()
        assert got.loc[pid, "distance"] == pytest.approx(abs(math.log(pop / 5000)) + tv, abs=1e-12)
    # the population is the one Beta's rate in that period divides by
    res = side_by_side(store, s, places=["pb", "pa"], periods=[label], categories=["skadegorelse"])
    row = res["table"].query("place_id == 'pb' and category == 'skadegorelse'").iloc[0]
    assert 1000 * row["count"] / row["rate"] == pytest.approx(pop_b)
    # a place without population (Gamma) has only the mix: every candidate with crimes is proposed
    assert {"pa", "pb", "pt"} <= set(similar_places(store, s, "pc", periods, k=10)["place_id"])
