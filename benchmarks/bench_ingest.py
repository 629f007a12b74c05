"""Benchmark: ingesting 1.5 million incidents against the bare pyarrow parse of the same file.

A plain script (not a test)::

    .venv/bin/python benchmarks/bench_ingest.py

Uses ``benchmarks/out/city_incidents.csv`` and ``city_places.geojson`` (made by
``make_city_incidents.py`` first if missing). Each measurement runs in its own child process, so that
every peak memory figure (``ru_maxrss``) is that measurement's alone, in this order:

1. the bare parse: ``pyarrow.csv.read_csv`` of the whole file with the same options the file needs
   (Windows-1252, ``;``, the comment line skipped, every column, pyarrow's own type inference);
2. the ingest (twice, alternating with the parse): a fresh SQLite store (``benchmarks/out/city.sqlite``, kept for ``bench_compare.py`` and
   ``bench_dashboard.py``), the places first, then ``ingest_file(store, "incidents", …)``: reading,
   validation, duplicate-id check, point-in-polygon assignment to all places, writing, coverage, in
   one transaction;
3. the bare parse again, then the second ingest;
4. the stages alone, one after the other on one thread and without a store: reading and validating
   (``iter_incidents``), counting per place (``PlaceIndex.monthly_counts``), packing the month blocks
   (``lagesbild.store.blocks``). Their sum against the ingest shows what the overlap of the stages in
   the ingest (three threads) gains, and which stage to work on next.

The ratio is the faster of the two ingests over the faster of the two parses (like with like: the
machine is shared, and a single run of either can be slowed by others). Memory: the ingest's peak RSS, and its
peak in the first half of the run against the whole run (equal when memory does not grow with the
number of rows), next to the bare parse's peak (which holds the whole table).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import CSV, PLACES, STORE, ensure_data, load_store, peak_rss_mb, sv


def current_rss_mb() -> float:
    """Resident memory now (Linux ``/proc/self/statm``), in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child_parse(csv: Path) -> dict:
    import pyarrow.csv as pacsv

    start = time.perf_counter()
    table = pacsv.read_csv(csv, read_options=pacsv.ReadOptions(skip_rows=1, encoding="cp1252"),
                           parse_options=pacsv.ParseOptions(delimiter=";"))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": table.num_rows, "peak_mb": peak_rss_mb()}


def child_ingest(csv: Path, places: Path, db: Path) -> dict:
    import lagesbild.ingest.run  # noqa: F401  (imports outside the timing)

    samples: list[tuple[float, float]] = []

    def sample():
        while True:
            samples.append((time.perf_counter(), current_rss_mb()))
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()
    start = time.perf_counter()
    result = load_store(db, csv, places)
    end = time.perf_counter()
    half = start + (end - start) / 2
    result.update(peak_mb=peak_rss_mb(),
                  half_peak_mb=max((m for t, m in samples if t <= half), default=0.0),
                  start_mb=samples[0][1] if samples else 0.0)
    return result


def child_stages(csv: Path, places: Path) -> dict:
    """Each stage of the ingest alone, one after the other on one thread (no store)."""
    import pandas as pd
    import shapely

    from lagesbild.ingest.assign import PlaceIndex
    from lagesbild.sources.incidents import iter_incidents
    from lagesbild.sources.places import read_places
    from lagesbild.store import blocks

    gdf = read_places(places).table
    index = PlaceIndex(pd.DataFrame({"place_id": gdf["place_id"],
                                     "wkt_3006": shapely.to_wkt(gdf.geometry.values)}))
    out = {"read_s": 0.0, "count_s": 0.0, "encode_s": 0.0}
    start = time.perf_counter()
    for res in iter_incidents(csv):
        mid = time.perf_counter()
        out["read_s"] += mid - start
        index.monthly_counts(res.table, "s")
        done = time.perf_counter()
        out["count_s"] += done - mid
        for _, part in blocks.month_slices(blocks.to_arrow(res.table)):
            blocks.encode(part)
        start = time.perf_counter()
        out["encode_s"] += start - done
    return out


def in_child(kind: str, args) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--csv", str(args.csv), "--places",
           str(args.places), "--db", str(args.db)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=CSV)
    parser.add_argument("--places", type=Path, default=PLACES)
    parser.add_argument("--db", type=Path, default=STORE)
    parser.add_argument("--child", choices=["parse", "ingest", "stages"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "parse":
        print(json.dumps(child_parse(args.csv)))
        return
    if args.child == "ingest":
        print(json.dumps(child_ingest(args.csv, args.places, args.db)))
        return
    if args.child == "stages":
        print(json.dumps(child_stages(args.csv, args.places)))
        return
    if args.csv == CSV:
        ensure_data()
    size_mb = args.csv.stat().st_size / 1e6
    print(f"Fil: {args.csv.name}, {sv(size_mb)} MB; {os.cpu_count()} kärnor", flush=True)
    parse1 = in_child("parse", args)
    ingest1 = in_child("ingest", args)
    parse2 = in_child("parse", args)
    ingest2 = in_child("ingest", args)
    ingest = min(ingest1, ingest2, key=lambda r: r["incidents_s"])
    stages = in_child("stages", args)
    parse = min(parse1["seconds"], parse2["seconds"])
    rate = ingest["accepted"] / ingest["incidents_s"]
    print(f"pyarrow.csv.read_csv (hela filen):  {sv(parse, 2)} s  "
          f"({sv(parse1['seconds'], 2)} s och {sv(parse2['seconds'], 2)} s), "
          f"{sv(parse1['rows'])} rader, högsta RSS {sv(parse1['peak_mb'])} MB")
    print(f"inläsning av platserna:             {sv(ingest['places_s'], 2)} s")
    print(f"inläsning av brotten (ingest_file): {sv(ingest['incidents_s'], 2)} s "
          f"({sv(ingest1['incidents_s'], 2)} s och {sv(ingest2['incidents_s'], 2)} s), "
          f"{sv(ingest['accepted'])} rader ({sv(rate)} rader/s), {ingest['rejected']} avvisade")
    print(f"  högsta RSS {sv(ingest['peak_mb'])} MB (första halvan {sv(ingest['half_peak_mb'])} MB, "
          f"vid start {sv(ingest['start_mb'])} MB)")
    print("stegen var för sig, i en tråd (utan lager): "
          f"läsa och granska {sv(stages['read_s'], 2)} s, räkna per plats {sv(stages['count_s'], 2)} s, "
          f"packa block {sv(stages['encode_s'], 2)} s")
    print(f"kvot inläsning / pyarrow-tolkning (bästa av två mot bästa av två): "
          f"{sv(ingest['incidents_s'] / parse, 1)} (mål ≤ 3)")
    print(f"Lagret ligger kvar i {args.db} (för bench_compare.py och bench_dashboard.py)")
    print(json.dumps({"benchmark": "ingest", "ingest_vs_parse": round(ingest["incidents_s"] / parse, 3),
                      "peak_rss_mb": round(ingest["peak_mb"]), "half_peak_rss_mb": round(ingest["half_peak_mb"])}))


if __name__ == "__main__":
    main()
