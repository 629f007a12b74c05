"""Benchmark: the meeting pack for three places against rendering its charts in one kaleido batch call.

The pack (core computations, ~15 figures, PNG + SVG of each, DOCX, PDF, ZIP) is timed end to end.
The reference renders the very same prepared figures in the same formats and sizes with a single
``kaleido.write_fig_from_object_sync`` call (one browser start), in the same run. The ratio
pack / reference is printed; the aim is at most 1,5.

Run::

    .venv/bin/python benchmarks/bench_pack.py            # loads the demo data into a temporary store
    .venv/bin/python benchmarks/bench_pack.py --db FILE  # an existing store
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLACES = ("hasselby-torg", "varberg", "alvsjo-solberga")
PERIODS = ("2021–2022", "2022–2023")
AIM = 1.5


def _store(db: str | None, folder: Path):
    from lagesbild.demo.load import load_demo
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    settings = load_settings(db=db or str(folder / "demo.sqlite"), data_dir=str(folder))
    store = open_store(settings)
    if db is None:
        load_demo(store, settings)
    return settings, store


def _reference_jobs(store, settings, folder: Path) -> list:
    """The pack's render jobs (same figures, formats, sizes), built without rendering."""
    import datetime as dt

    from lagesbild.export.data import ExportData, parse_periods
    from lagesbild.export.pack import build_document, prepare_charts

    folder.mkdir(parents=True, exist_ok=True)
    data = ExportData(store, settings)
    places = [data.place(p) for p in PLACES]
    doc = build_document(data, places, parse_periods(PERIODS), meeting="Benchmark",
                         date=dt.date.today())
    return prepare_charts(doc.charts(), folder)


def _reference(jobs, chromium: str) -> float:
    import kaleido

    specs = [job.spec() for job in jobs]
    start = time.perf_counter()
    errors = kaleido.write_fig_from_object_sync(
        specs, kopts=dict(path=chromium, mathjax=False, n=2), cancel_on_error=True)
    seconds = time.perf_counter() - start
    if errors:
        raise RuntimeError(errors)
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="existing store (default: demo data in a temporary store)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (best is reported)")
    args = parser.parse_args(argv)

    from lagesbild.export.pack import build_pack

    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        folder = Path(tmp)
        settings, store = _store(args.db, folder)
        pack_times, ref_times = [], []
        for i in range(args.repeat):
            start = time.perf_counter()
            result = build_pack(store, settings, places=PLACES, periods=PERIODS,
                                out_dir=folder / f"pack{i}", meeting="Benchmark")
            pack_times.append(time.perf_counter() - start)
            jobs = _reference_jobs(store, settings, folder / f"ref{i}")
            ref_times.append(_reference(jobs, settings.chromium))
        pack, ref = min(pack_times), min(ref_times)
        print(f"platser: {', '.join(PLACES)}; perioder: {', '.join(PERIODS)}")
        print(f"diagram: {result.charts} (PNG + SVG = {len(jobs)} bilder), tabeller: {result.tables}")
        print(f"mötespaket (allt):                 {pack:6.1f} s".replace(".", ","))
        print(f"samma bilder i ett kaleido-anrop:  {ref:6.1f} s".replace(".", ","))
        ratio = pack / ref
        print(f"kvot: {ratio:.2f} (mål ≤ {AIM:.1f})".replace(".", ","))
    print(json.dumps({"benchmark": "pack", "pack_vs_kaleido_batch": round(ratio, 3)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
