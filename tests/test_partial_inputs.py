"""Odd inputs read through the CLI: a file that starts and ends mid-month, one category only, a place
without any crime, and the views of the meeting features on them.

The store is built with ``python -m lagesbild ingest`` from files written here (places in SWEREF 99 TM,
incidents of one category from 10 March 2021 to 15 June 2023). Expected numbers are counted here from
the rows written, never by the package; BH references come from statsmodels.
"""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import box, mapping

from lagesbild.settings import ROOT, load_settings
from lagesbild.store import Store
from tests.sheets import numbers_rows

BOXES = {  # place id -> (name, kind, district, population, bounds in EPSG:3006)
    "norrby": ("Norrby", "Stadsdelsområde", None, 30000, (662000, 6572000, 668000, 6578000)),
    "torget-a": ("Torget A", "torg", "Norrby", 2500, (663000, 6573000, 663600, 6573600)),
    "parken-b": ("Parken B", "centrum", "Norrby", 4000, (665000, 6575000, 665800, 6575800)),
    "tomma": ("Tomma platsen", "torg", "Norrby", 800, (667000, 6577000, 667400, 6577400)),
}
FIRST_DAY, LAST_DAY = "2021-03-10", "2023-06-15"  # both mid-month


def _incidents() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    rows = []
    for day in pd.date_range(FIRST_DAY, LAST_DAY, freq="D"):
        for pid, lam in (("torget-a", 0.6 if day < pd.Timestamp("2022-09-01") else 1.2), ("parken-b", 0.5)):
            b = BOXES[pid][4]
            for _ in range(rng.poisson(lam)):
                rows.append((day.date().isoformat(), f"{rng.integers(1, 24):02d}:{rng.integers(0, 60):02d}",
                             "Bostadsinbrott", rng.uniform(b[0] + 1, b[2] - 1), rng.uniform(b[1] + 1, b[3] - 1),
                             pid))
    df = pd.DataFrame(rows, columns=["Brottsdatum", "Klockslag", "Brottskategori", "E", "N", "place"])
    df.insert(0, "Händelse-id", [f"E-{i}" for i in range(len(df))])
    return df


def _cli(db, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), *args], capture_output=True,
                         text=True, env=env, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    return res.stdout


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """(settings, store, incidents as written, app) on a store built through the CLI."""
    folder = tmp_path_factory.mktemp("partial")
    features = [{"type": "Feature", "geometry": mapping(box(*b)),
                 "properties": {"Kod": k, "Namn": n, "TYP": t, "Stadsdelsområde": d, "Befolkning": p,
                                "Ungefärlig": False, "Källa": "test"}}
                for k, (n, t, d, p, b) in BOXES.items()]
    (folder / "platser.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": features,
         "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}}), encoding="utf-8")
    inc = _incidents()
    inc.drop(columns="place").to_csv(folder / "incidenter.csv", index=False)
    db = folder / "store.sqlite"
    _cli(db, "ingest", "places", str(folder / "platser.geojson"), "--crs", "3006", "--no-progress")
    _cli(db, "ingest", "crimes", str(folder / "incidenter.csv"), "--crs", "3006", "--source", "egen",
         "--no-progress")
    cfg = load_settings({}, data_dir=str(folder), db=str(db))
    store = Store(cfg.db_url)
    from lagesbild.web import create_app

    return cfg, store, inc, create_app(cfg, store)


def _hand(inc, place, start, end) -> pd.DataFrame:
    day = pd.to_datetime(inc["Brottsdatum"])
    return inc[(inc["place"] == place) & (day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))]


# ----- patterns: month of year -------------------------------------------------------------------
def test_month_of_year_counts_only_months_with_whole_data(env):
    """2022–2023 runs to August 2023, the data to 15 June 2023: June is incomplete and July and August
    have no data at all, so none of them may read as a month with (few or) no crimes."""
    settings, store, inc, _ = env
    from lagesbild.analysis.meeting import incident_patterns

    res = incident_patterns(store, settings, place="torget-a", period="2022–2023")
    m = res["month_of_year"].set_index("month")
    assert m.loc[[6, 7, 8], "months_covered"].tolist() == [0, 0, 0]
    assert m.loc[[6, 7, 8], "per_month"].isna().all()
    rows = _hand(inc, "torget-a", "2022-09-01", "2023-05-31")
    by_month = pd.to_datetime(rows["Brottsdatum"]).dt.month.value_counts()
    for month in (9, 10, 11, 12, 1, 2, 3, 4, 5):
        assert m.loc[month, "months_covered"] == 1
        assert m.loc[month, "count"] == by_month.get(month, 0)
        assert m.loc[month, "per_month"] == pytest.approx(by_month.get(month, 0))


def test_month_chart_numbers_say_missing_where_there_is_no_data(env):
    """The Excel download of the month chart on Mönster: the same per-month numbers, July and August
    empty (no data), not zero."""
    from lagesbild.web.export_controls import chart_download

    sent, message = chart_download({"fmt": "xlsx", "graph": "pat-month", "path": "/monster",
                                    "search": "?plats=torget-a&per=2022-2023"})
    assert message == ""
    ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))["Siffror"]
    header = [c.value for c in ws[1]]
    rows = {r[header.index("Månad")]: dict(zip(header, r, strict=True))
            for r in ws.iter_rows(min_row=2, max_row=13, values_only=True)}
    assert rows[7]["Per månad med data"] is None and rows[8]["Per månad med data"] is None
    assert rows[7]["Månader med data"] == 0


# ----- side by side: the numbers behind the table -------------------------------------------------
def _sheet_rows(sent) -> list[dict]:
    return numbers_rows(base64.b64decode(sent["content"]))


def test_side_by_side_table_download_holds_the_verdicts_and_p_values_it_shows(env):
    """The table on Jämför shows each place's change with its verdict and adjusted p-value; its Excel
    file must hold them, equal to the analysis and to BH (statsmodels) over the table's family (its
    changes; the differences between places are another family, tests/test_recheck_stats5_compare_family.py)."""
    from statsmodels.stats.multitest import multipletests

    from lagesbild.analysis.side_by_side import side_by_side
    from lagesbild.web.export_controls import chart_download

    settings, store, inc, _ = env
    search = "?plats=torget-a&plats=parken-b&per=2021-2022&per=2022-2023"
    sent, message = chart_download({"fmt": "xlsx", "graph": "cmp-table", "path": "/jamfor", "search": search})
    assert message == ""
    rows = _sheet_rows(sent)
    assert not {"Plats", "Namn"} <= set(rows[0]), "the place's name once, not as both Plats and Namn"
    res = side_by_side(store, settings, places=["torget-a", "parken-b"], periods=["2021–2022", "2022–2023"])
    raw = list(res["changes"]["p_unadjusted"])
    adjusted = multipletests(raw, alpha=settings.alpha, method="fdr_bh")[1]
    by_place = dict(zip(res["changes"]["place_id"], adjusted, strict=False))
    for pid in ("torget-a", "parken-b"):
        later = next(r for r in rows if r["Plats-id"] == pid and r["Period"] == "2022–2023")
        change = res["changes"].set_index("place_id").loc[pid]
        assert later["Bedömning"] == change["verdict"]
        assert later["p-värde"] == pytest.approx(by_place[pid], rel=1e-9)
        # the counts are the like-for-like months (Sep–May: June 2023 is incomplete), counted here
        assert later["Antal"] == len(_hand(inc, pid, "2022-09-01", "2023-05-31"))
        earlier = next(r for r in rows if r["Plats-id"] == pid and r["Period"] == "2021–2022")
        assert earlier["Antal"] == len(_hand(inc, pid, "2021-09-01", "2022-05-31"))


# ----- empty states ------------------------------------------------------------------------------
def _text(node) -> str:
    if node is None:
        return ""
    if isinstance(node, (str, int, float)):
        return str(node)
    if isinstance(node, (list, tuple)):
        return " ".join(_text(c) for c in node)
    return _text(getattr(node, "children", None))


def test_a_place_without_any_crime_data_says_so_not_that_no_category_is_chosen(env):
    """Tomma platsen has no incident inside it: the page must say the place has no crime data (the user
    chose nothing wrong); a place with data whose categories are cleared still asks for a category."""
    from lagesbild.web.chart_source import _content

    empty = _text(_content("/plats/tomma", ""))
    assert "ingen kategori är vald" not in empty
    assert "inga anmälda brott" in empty and "Tomma platsen" in empty
    from lagesbild.web.pages import place as page

    cleared = _text(page.update("torget-a", [], ["2021–2022", "2022–2023"], False))
    assert "ingen kategori är vald" in cleared


# ----- since the last meeting --------------------------------------------------------------------
def test_since_a_meeting_before_any_data_reads_once_and_has_the_overview_numbers(env):
    """A meeting the day before the data were read: every significant verdict is new, worded once
    ("inga data vid mötet", not "vid mötet inga data vid mötet"), with the overview's own counts."""
    import datetime as dt

    from lagesbild.analysis.overview import overview_table
    from lagesbild.analysis.since_meeting import since_last_meeting

    settings, store, inc, _ = env
    read = max(pd.Timestamp(f).date() for f in store.ingest_log()["finished_at"])
    res = since_last_meeting(store, settings, meeting_date=read - dt.timedelta(days=1), today=read)
    assert res["until_then"] is None and res["changes"]
    table = overview_table(store, settings)["comparison"].set_index(["place_id", "category"])
    for change in res["changes"]:
        assert "vid mötet inga data vid mötet" not in change["text"]
        assert change["text"].count("vid mötet") == 1 and "inga data vid mötet" in change["text"]
        row = table.loc[(change["place_id"], change["category"])]
        assert (change["count_a"], change["count_b"]) == (row["count_a"], row["count_b"])
    torget = next(c for c in res["changes"] if c["place_id"] == "torget-a")
    assert torget["count_b"] == len(_hand(inc, "torget-a", "2022-09-01", "2023-05-31"))
