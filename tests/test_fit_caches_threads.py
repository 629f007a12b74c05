"""The bounded caches of dispersion fits (``core.dispersion._FITTED``, ``core.year_level._FITTED``), of
populations per period (``core.pair_table._POPULATIONS``), of Fisher tests (``core.shares._FISHER``) and
of empty figures
(``figures.finishing._EMPTY``) are shared by the server's threads. Once full, one thread dropping the
oldest entry while another read it raised ``KeyError`` out of a view (reproduced here with small caches
and many threads; in the server it needed thousands of entries and two callbacks at once). Reads and
writes now hold a lock."""

from __future__ import annotations

import sys
import threading

import numpy as np
import pandas as pd
import pytest

from lagesbild.core import dispersion, pair_table, shares, year_level
from lagesbild.core.exact import fisher_tests
from lagesbild.core.periods import parse_period
from lagesbild.figures import finishing

MONTHS = pd.date_range("2019-01-01", periods=36, freq="MS")
BLOCKS = [np.arange(0, 12), np.arange(12, 24), np.arange(24, 36)]


@pytest.fixture
def busy_threads(monkeypatch):
    monkeypatch.setattr(dispersion, "FITTED_SIZE", 4)
    monkeypatch.setattr(year_level, "FITTED_SIZE", 4)
    monkeypatch.setattr(dispersion, "_FITTED", {})
    monkeypatch.setattr(year_level, "_FITTED", {})
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    yield
    sys.setswitchinterval(old)


def _hammer(work) -> list:
    errors = []

    def run(seed: int) -> None:
        try:
            work(seed)
        except Exception as err:  # any error of a thread is the finding
            errors.append(repr(err))

    threads = [threading.Thread(target=run, args=(seed,)) for seed in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_full_fit_caches_read_and_written_by_many_threads_give_every_fit(busy_threads):
    def work(seed: int) -> None:
        rng = np.random.default_rng(seed)
        for _ in range(600):
            y = rng.poisson(5, (3, 36))
            got = [d.phi_raw for d in dispersion.estimate_many(y, MONTHS)]
            alone = [d.phi_raw for d in dispersion.estimate_many(y, MONTHS, cache={})]
            assert np.allclose(got, alone, rtol=0, atol=0, equal_nan=True), (got, alone)
            year_level._dispersions(rng.poisson(5, (3, 36)).astype(float), BLOCKS)

    assert _hammer(work) == []
    assert len(dispersion._FITTED) <= 4 and len(year_level._FITTED) <= 4


def test_a_full_population_cache_shared_by_threads_gives_every_population(busy_threads, monkeypatch):
    monkeypatch.setattr(pair_table, "POPULATIONS_SIZE", 3)
    monkeypatch.setattr(pair_table, "_POPULATIONS", {})
    table = pd.DataFrame({"place_id": "a", "year": list(range(2015, 2025)),
                          "population": [2000 + 100 * i for i in range(10)]})
    periods = [parse_period(f"{y}-{y + 1}") for y in range(2015, 2024)]
    expected = pair_table.populations(["a"], periods, table, [None])

    def work(seed: int) -> None:
        rng = np.random.default_rng(seed)
        for _ in range(400):
            picked = sorted(rng.choice(len(periods), 3, replace=False).tolist())
            got = pair_table.populations(["a"], [periods[i] for i in picked], table, [None])[0]
            assert got == [expected[0][i] for i in picked], (got, picked)

    assert _hammer(work) == []


def test_a_full_cache_of_empty_figures_shared_by_threads_gives_every_figure(busy_threads, monkeypatch):
    monkeypatch.setattr(finishing, "EMPTY_KEPT", 2)
    monkeypatch.setattr(finishing, "_EMPTY", {})

    def work(seed: int) -> None:
        for i in range(150):
            reason = f"data saknas {(seed + i) % 5}"
            fig = finishing.empty_figure(reason, title="Karta")
            assert reason in fig.layout.annotations[0].text

    assert _hammer(work) == []


def test_a_full_cache_of_fisher_tests_shared_by_threads_gives_every_p_value(busy_threads, monkeypatch):
    monkeypatch.setattr(shares, "FISHER_KEPT", 4)
    monkeypatch.setattr(shares, "_FISHER", {})

    def work(seed: int) -> None:
        rng = np.random.default_rng(seed)
        for _ in range(300):
            a, b, c, d = (rng.integers(0, 6, 3) for _ in range(4))
            got = shares._fisher(a, b, c, d)
            np.testing.assert_array_equal(got, fisher_tests(a, b, c, d))

    assert _hammer(work) == []
