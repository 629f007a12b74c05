"""The bounded caches of dispersion fits (``core.dispersion._FITTED``, ``core.year_level._FITTED``) are
shared by the server's threads. Once full, one thread dropping the oldest fit while another read it
raised ``KeyError`` out of a place view (reproduced here with small caches and many threads; in the
server it needed 20,000 fits and two callbacks at once). Reads and writes now hold one lock."""

from __future__ import annotations

import sys
import threading

import numpy as np
import pandas as pd
import pytest

from lagesbild.core import dispersion, year_level

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


def test_full_fit_caches_read_and_written_by_many_threads_give_every_fit(busy_threads):
    errors, wrong = [], []

    def work(seed: int) -> None:
        rng = np.random.default_rng(seed)
        try:
            for _ in range(600):
                y = rng.poisson(5, (3, 36))
                got = [d.phi_raw for d in dispersion.estimate_many(y, MONTHS)]
                alone = [d.phi_raw for d in dispersion.estimate_many(y, MONTHS, cache={})]
                if not np.allclose(got, alone, rtol=0, atol=0, equal_nan=True):
                    wrong.append((got, alone))
                year_level._dispersions(rng.poisson(5, (3, 36)).astype(float), BLOCKS)
        except Exception as err:  # any error of a thread is the finding
            errors.append(repr(err))

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and wrong == []
    assert len(dispersion._FITTED) <= 4 and len(year_level._FITTED) <= 4
