"""Helpers shared by the benchmark scripts: Swedish number formats, timing, peak memory, paths."""

from __future__ import annotations

import math
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def sv(value: float, decimals: int = 0) -> str:
    """Swedish number format: space between thousands, decimal comma.

    Examples
    --------
    >>> sv(1234567.891, 1)
    '1 234 567,9'
    """
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def ms(seconds: float, decimals: int = 1) -> str:
    """A duration in milliseconds, Swedish format."""
    return f"{sv(seconds * 1000, decimals)} ms"


def best_of(repeat: int, func, *args, **kwargs):
    """Smallest wall time of `repeat` calls of `func` and the last result."""
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best, result


def timed(func, *args, **kwargs):
    """(wall time, result) of one call."""
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - start, result


def percentile(times, q: float) -> float:
    """The `q`-th percentile (0–100) of a list of times, by linear interpolation."""
    data = sorted(times)
    pos = (len(data) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CSV = OUT / "city_incidents.csv"
PLACES = OUT / "city_places.geojson"
STORE = OUT / "city.sqlite"


def ensure_data() -> tuple[Path, Path]:
    """The benchmark files, generated first (about a minute) when missing."""
    if not (CSV.exists() and PLACES.exists()):
        from make_city_incidents import generate

        print(f"Genererar {CSV.name} och {PLACES.name} (make_city_incidents.py) …", flush=True)
        generate(OUT)
    return CSV, PLACES


def remove_store(path: Path = STORE) -> None:
    """Delete an SQLite store file with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def load_store(path: Path = STORE, csv: Path = CSV, places: Path = PLACES) -> dict:
    """Ingest the places, then the incidents, into a fresh store at `path`; return the timings."""
    from lagesbild.ingest.run import ingest_file, sync_categories
    from lagesbild.store import Store

    remove_store(path)
    store = Store(f"sqlite:///{path}")
    sync_categories(store)
    t_places, _ = timed(ingest_file, store, "places", places)
    t_incidents, report = timed(ingest_file, store, "incidents", csv)
    store.engine.dispose()
    return {"places_s": t_places, "incidents_s": t_incidents, "accepted": report.accepted,
            "rejected": report.rejected}


def ensure_store(path: Path = STORE):
    """The benchmark store (places and 1.5 million incidents), built first when missing."""
    from lagesbild.store import Store

    ensure_data()
    if path.exists():
        store = Store(f"sqlite:///{path}")
        if store.counts()["incidents"] > 0:
            return store
        store.engine.dispose()
    print(f"Läser in {CSV.name} i {path.name} (som bench_ingest.py) …", flush=True)
    load_store(path)
    return Store(f"sqlite:///{path}")
