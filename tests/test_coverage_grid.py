"""Coverage written as a grid (places × categories × months) by the database itself stores exactly
the cells the row-by-row path stores, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lagesbild.store import Store

PLACES = ["torg", "sdo", "ort"]
CATEGORIES = ["narkotika", "ran"]
MONTHS = [dt.date(2023, m, 1) for m in (1, 2, 4)]  # March is a gap: not covered


@pytest.fixture(scope="module")
def pg_url():
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


def _cells(store: Store) -> pd.DataFrame:
    cols = ["source", "place_id", "category", "month", "grain"]
    return store.all_coverage()[cols].sort_values(cols).reset_index(drop=True)


def _cross(places, categories, months) -> pd.DataFrame:
    return pd.MultiIndex.from_product([places, categories, pd.to_datetime(months)],
                                      names=["place_id", "category", "month"]).to_frame(index=False)


def _check(url: str, other_url: str) -> None:
    grid, rows = Store(url), Store(other_url)
    with grid.transaction() as w:
        assert w.add_coverage_grid("fil", PLACES, CATEGORIES, MONTHS) == 18
        w.add_coverage_grid("annan", ["torg"], ["ran"], MONTHS[:1])
    with rows.transaction() as w:
        w.add_coverage("fil", _cross(PLACES, CATEGORIES, MONTHS).assign(grain="month"))
        w.add_coverage("annan", _cross(["torg"], ["ran"], MONTHS[:1]).assign(grain="month"))
    pd.testing.assert_frame_equal(_cells(grid), _cells(rows))
    assert len(_cells(grid)) == 19
    assert pd.Timestamp("2023-03-01") not in set(_cells(grid)["month"])

    # again with fewer months for one place: that place's cells in the span are replaced, the others
    # and the other source's are kept; the same as add_coverage's replacement
    with grid.transaction() as w:
        w.add_coverage_grid("fil", ["torg"], CATEGORIES, MONTHS[:1] + MONTHS[2:])
    with rows.transaction() as w:
        w.add_coverage("fil", _cross(["torg"], CATEGORIES, MONTHS[:1] + MONTHS[2:]).assign(grain="month"))
    pd.testing.assert_frame_equal(_cells(grid), _cells(rows))
    torg = _cells(grid).query("source == 'fil' and place_id == 'torg'")
    assert sorted(set(torg["month"].dt.month)) == [1, 4]
    # a monthly read sees the grid's cells with their dates
    cov = grid.coverage()
    assert set(cov.loc[cov["source"] == "annan", "month"]) == {pd.Timestamp("2023-01-01")}


def test_a_coverage_grid_stores_the_cells_of_its_cross_product_on_sqlite(tmp_path):
    _check(f"sqlite:///{tmp_path / 'grid.sqlite'}", f"sqlite:///{tmp_path / 'rows.sqlite'}")


def test_a_coverage_grid_stores_the_cells_of_its_cross_product_on_postgresql(pg_url, tmp_path):
    # the grid on PostgreSQL, the row-by-row path on SQLite: the same cells
    _check(pg_url, f"sqlite:///{tmp_path / 'rows.sqlite'}")


def test_a_grid_larger_than_the_parameter_limit_is_written_in_parts(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'big.sqlite'}")
    places = [f"ruta-{i:04d}" for i in range(1200)]
    months = [dt.date(y, m, 1) for y in range(2014, 2024) for m in range(1, 13)]
    with store.transaction() as w:
        w._max_params = lambda: 999  # PostgreSQL's drivers and old SQLite builds: parts of places
        assert w.add_coverage_grid("fil", places, ["ran"], months) == 1200 * 120
    cells = _cells(store)
    assert len(cells) == 1200 * 120
    assert cells.groupby("place_id").size().eq(120).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=30),
       st.integers(13, 40))
@example([(6, 0)] * 10 + [(1, 0), (1, 0)], 13)  # no month of the window's last two qualifies: whole history
@example([(0, 6)] * 20 + [(3, 3), (6, 0)], 13)  # the two sources' cells overlap: counted once
def test_data_until_counted_in_a_window_equals_the_whole_history(months, window):
    """``Store.data_until`` counts the last ``UNTIL_WINDOW`` months first and falls back to the whole
    history; either way its answer is the rule applied to every coverage cell (two sources that
    overlap counted once)."""
    import tempfile

    from lagesbild.store import data_until as store_module  # the reads live beside their rule
    from lagesbild.store.data_until import cells_per_month, until_from_cells

    places = [f"p{i}" for i in range(6)]
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        mp.setattr(store_module, "UNTIL_WINDOW", window)
        store = Store(f"sqlite:///{tmp}/s.sqlite")
        with store.transaction() as w:
            for i, (a, b) in enumerate(months):
                month = (pd.Timestamp("2020-01-01") + pd.DateOffset(months=i)).date()
                w.add_coverage_grid("a", places[:a], ["ran"], [month])
                w.add_coverage_grid("b", places[6 - b:], ["ran"], [month])  # overlaps a's cells
        expected = until_from_cells(cells_per_month(store.all_coverage()))
        assert store.data_until() == expected
        store.engine.dispose()
