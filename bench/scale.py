#!/usr/bin/env python3
"""End-to-end build speed-up with ``ropa build --workers N``: the same corpus built into a new store with 1, 2, ...
extraction processes, timed as a user runs it (a fresh ``ropa build`` process each time).

    python bench/scale.py --notices 10000 --workers 1,2                   # dev corpora texts, repeated
    python bench/scale.py --notices 500 --workers 1,2 --corpus data/notices
    python bench/scale.py --notices 10000 --workers 1,2 --output shards   # the workers write N-Quads shards

The corpus is the dev corpora's texts (../shared/corpora/*/text/*.txt, research-only: linked where they lie,
never copied into the project) or any folder given with --corpus, repeated under distinct file names until there
are --notices of them (symbolic links in --work). Each run reports wall time, notices per second, the speed-up
over the first worker count, peak memory of the build process tree (max RSS, from wait4) and the store's size;
it also checks that every run gives the same store (the same quads).

On a shared machine other processes take CPU, so each run also reports its CPU time (the build process and its
workers, from wait4) and the cores it kept busy on average (CPU / wall): a run that got less than ``workers``
cores was slowed by its neighbours, not by the pool. ``--repeat`` alternates the worker counts that many times.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"


def corpus_texts(corpus: Path | None) -> list[Path]:
    if corpus is not None:
        return sorted(p for p in Path(corpus).rglob("*") if p.suffix in (".txt", ".md", ".html") and p.is_file())
    return sorted(SHARED.glob("*/text/*.txt"))


def make_corpus(texts: list[Path], n: int, work: Path) -> Path:
    folder = work / f"notices-{n}"
    if folder.is_dir() and len(list(folder.iterdir())) == n:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(n):
        src = texts[i % len(texts)]
        os.symlink(src.resolve(), folder / f"{i:06d}_{src.name}")
    return folder


def build(folder: Path, store: Path, workers: int, output: str = "store", shard_size: int = 250) -> dict:
    shutil.rmtree(store, ignore_errors=True)
    flag = ["--store", str(store)] if output == "store" else ["--shards", str(store), "--shard-size", str(shard_size)]
    cmd = [str(Path(sys.executable).parent / "ropa"), "build", str(folder), *flag, "--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    out = (proc.stdout.read() if proc.stdout else "") + (proc.stderr.read() if proc.stderr else "")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 2):
        raise SystemExit(f"build failed ({code}): {out[-1000:]}")
    return {"workers": workers, "wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_mib": ru.ru_maxrss / 1024,
            "exit": code,
            "store_mib": sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) / 2**20,
            "summary": out.strip().splitlines()[-1] if out.strip() else ""}


def quads(store: Path) -> int:
    if not (store / "CURRENT").exists() and (store / "manifest.json").exists():  # shards: count their lines
        return sum(sum(1 for _ in open(f, "rb")) for f in store.glob("*.nq"))
    sys.path.insert(0, str(ROOT))
    from ropa.store import EmbeddedStore

    with EmbeddedStore(store, read_only=True) as st:
        return len(st)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notices", type=int, default=1000)
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    ap.add_argument("--corpus", type=Path, help="folder of notices (default: the dev corpora texts)")
    ap.add_argument("--repeat", type=int, default=1, help="alternate the worker counts this many times")
    ap.add_argument("--work", type=Path, default=Path("/tmp/ropa-scale"))
    ap.add_argument("--output", choices=("store", "shards"), default="store",
                    help="build into a new embedded store (default; the main process bulk-loads what the workers "
                         "extract) or into N-Quads shards (--shards: the workers write them, on Dask's process pool)")
    ap.add_argument("--shard-size", type=int, default=250, help="with --output shards: notices per shard (250)")
    args = ap.parse_args()
    texts = corpus_texts(args.corpus)
    if not texts:
        raise SystemExit("no notice texts found; pass --corpus FOLDER")
    folder = make_corpus(texts, args.notices, args.work)
    runs = []
    for w in [int(x) for x in args.workers.split(",")] * args.repeat:
        print(f"building {args.notices} notices with {w} worker(s) ...", file=sys.stderr, flush=True)
        r = build(folder, args.work / f"store-w{w}", w, args.output, args.shard_size)
        r["quads"] = quads(args.work / f"store-w{w}")
        runs.append(r)
        print(f"  {r['wall_s']:.0f} s, {r['cpu_s']:.0f} s CPU, {args.notices / r['wall_s']:.2f} notices/s; "
              f"{r['summary']}", file=sys.stderr)
        shutil.rmtree(args.work / f"store-w{w}", ignore_errors=True)
    base = runs[0]["wall_s"]
    cpu = os.cpu_count()
    print(f"{args.notices:,} notices ({len(texts)} distinct texts repeated), {cpu} cores, --{args.output}\n")
    print("| workers | wall | notices/s | speed-up | CPU | cores busy | peak memory | store size | quads |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in runs:
        rate = args.notices / r["wall_s"]
        print(f"| {r['workers']} | {r['wall_s']:.0f} s | {rate:.2f} | {base / r['wall_s']:.2f}x | {r['cpu_s']:.0f} s | "
              f"{r['cpu_s'] / r['wall_s']:.2f} | {r['peak_mib']:,.0f} MiB | {r['store_mib']:,.0f} MiB | "
              f"{r['quads']:,} |")
    if len({r["quads"] for r in runs}) != 1:
        print("\nWARNING: the stores differ in size between worker counts", file=sys.stderr)


if __name__ == "__main__":
    main()
