#!/usr/bin/env python3
"""Time ``ropa compare`` (and ``ropa viz``) on synthetic datasets of growing size, as a user runs them.

    python bench/compare.py                        # 100 and 1,000 companies, 3 runs each, text output
    python bench/compare.py --sizes 1000 --runs 5 --format html --viz

Each run is a fresh ``ropa compare`` process (wall time, imports and loading included), on an N-Quads file from
bench/synth.py (kept in bench/out/). Also reported: the time of each step inside one process (load, each query,
the Python side), so a slow step shows. Results are recorded by hand in bench/RESULTS-compare.md.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def dataset(n: int, seed: int = 0) -> Path:
    import synth

    path = HERE / "out" / f"synth-{n}-{seed}.nq"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        synth.write(path, n, seed)
    return path


def wall(cmd: list[str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def steps(path: Path) -> list[tuple[str, float]]:
    """Seconds per step inside one process."""
    from ropa.analyse import compare as c
    from ropa.analyse import compare_render

    out = []
    t0 = time.perf_counter()
    store = c.open_store(path)
    out.append(("load (evidence skipped)", time.perf_counter() - t0))
    for name in ["companies", "labels", *c.FACETS, "retention_periods", "transfers"]:
        t0 = time.perf_counter()
        c.run(store, name)
        out.append((f"query {name}", time.perf_counter() - t0))
    t0 = time.perf_counter()
    cmp = c.compare(store)
    compare_render.text(cmp)
    out.append(("compare() + text, queries included", time.perf_counter() - t0))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000", help="companies per dataset, comma-separated")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--format", default="text", choices=("text", "csv", "json", "html"))
    ap.add_argument("--viz", action="store_true", help="also time `ropa viz -o page.html` (interactive page)")
    args = ap.parse_args()
    ropa = str(Path(sys.executable).with_name("ropa"))
    print("| companies | quads | command | median s | best s |\n|---:|---:|---|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        path = dataset(n)
        quads = sum(1 for _ in path.open("rb"))
        out = HERE / "out" / f"compare-{n}.{ {'text': 'txt'}.get(args.format, args.format) }"
        cmd = [ropa, "compare", str(path), "--format", args.format, "-o", str(out), "-q"]
        med, best = wall(cmd, args.runs)
        print(f"| {n:,} | {quads:,} | ropa compare --format {args.format} | {med:.2f} | {best:.2f} |")
        if args.viz:
            med, best = wall([ropa, "viz", str(path), "-o", str(HERE / "out" / f"graph-{n}.html"), "-q"], args.runs)
            print(f"| {n:,} | {quads:,} | ropa viz -o graph.html | {med:.2f} | {best:.2f} |")
    print()
    for name, sec in steps(dataset(max(int(s) for s in args.sizes.split(",")))):
        print(f"{name:<40} {sec:6.2f} s")


if __name__ == "__main__":
    main()
