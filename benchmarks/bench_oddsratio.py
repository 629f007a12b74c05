"""Benchmark: the conditional odds ratio and its exact interval, against scipy's, on the tables of
activity effects (a place's counts before and after against its comparison area's).

A plain script (not a test)::

    .venv/bin/python benchmarks/bench_oddsratio.py [--tables 40] [--runs 5]

Random tables with place counts 10–1 000 and comparison counts 100–10 000 (seeded); each of
:func:`lagesbild.core.oddsratio.conditional_odds_ratio` and :func:`scipy.stats.contingency.odds_ratio`
(``kind="conditional"``, then ``confidence_interval(0.95)``, the reference a user would call) computes
the estimate and interval of every table; median of ``--runs`` runs each, in the same process. The
physical limit printed beside it is one pass of numpy over each table's support (one evaluation of
the distribution, where a root finder needs ≈ 50). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ms, sv
from scipy.stats.contingency import odds_ratio

from lagesbild.core.oddsratio import _Table, conditional_odds_ratio


def tables(n: int, seed: int = 1) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    place = rng.integers(10, 1000, size=(n, 2))
    area = rng.integers(100, 10000, size=(n, 2))
    return [np.array([[p[1], p[0]], [a[1], a[0]]]) for p, a in zip(place, area, strict=True)]


def timed(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = tables(args.tables)

    def ours():
        return [conditional_odds_ratio(t, 0.95) for t in data]

    def scipys():
        out = []
        for t in data:
            res = odds_ratio(t, kind="conditional")
            ci = res.confidence_interval(0.95)
            out.append((res.statistic, ci.low, ci.high))
        return out

    a, b = np.array(ours(), dtype=float), np.array(scipys(), dtype=float)
    worst = float(np.nanmax(np.abs(a - b) / np.abs(b)))
    t_ours, t_scipy = timed(ours, args.runs), timed(scipys, args.runs)
    dists = [_Table(t) for t in data]
    t_pass = timed(lambda: [d.cdf(1.0) for d in dists], args.runs)
    print(f"{sv(args.tables)} tabeller, median av {args.runs} körningar")
    print(f"  lagesbild {ms(t_ours)}, scipy {ms(t_scipy)}: kvot {sv(t_ours / t_scipy, 4)}")
    print(f"  en genomräkning av fördelningen per tabell {ms(t_pass, 2)}: "
          f"lagesbild är {sv(t_ours / t_pass)} sådana")
    print(f"  största relativa skillnad mot scipy: {worst:.1e}".replace(".", ","))
    print(json.dumps({"benchmark": "oddsratio", "ratio_to_scipy": round(t_ours / t_scipy, 4),
                      "passes_of_numpy": round(t_ours / t_pass, 1), "max_rel_diff": worst}))


if __name__ == "__main__":
    main()
