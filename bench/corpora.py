#!/usr/bin/env python3
"""Build ROPA graphs for the dev corpora and score them with the shared scorer; time the extractor.

    python bench/corpora.py --shared ../shared                 # all three corpora
    python bench/corpora.py --shared ../shared --corpus goppc150 --repeat 3

Writes bench/out/<corpus>.trig and <corpus>.json (scores), prints per-facet policy-level P/R/F1 and the
extraction rate (notices per second, one process = one core). The corpora are research-only data: they are read
where they lie and never copied into the project.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ropa import ingest  # noqa: E402
from ropa.extract import get  # noqa: E402
from ropa.graph.build import build_dataset  # noqa: E402
from ropa.graph.io import save  # noqa: E402

CORPORA = {"goppc150": "goppc150-dev", "gdprt200": "gdprt200-dev", "opp115": "opp115-dev"}


def extract_corpus(text_dir: Path, repeat: int) -> tuple[list, float, int]:
    paths = sorted(text_dir.glob("*.txt"))
    ex = get()
    best = float("inf")
    for _ in range(repeat):  # read and extract each notice, keeping nothing (as a store build or a worker does)
        t0 = time.process_time()
        for p in paths:
            ex.extract(ingest.read(p))
        best = min(best, time.process_time() - t0)
    docs = [ingest.read(p) for p in paths]
    records = [ex.extract(d) for d in docs]  # for scoring, untimed: 120 records held at once add GC time
    return records, best, sum(len(d.text) for d in docs)


def score(shared: Path, corpus: str, graph: Path, out_json: Path) -> dict:
    cmd = [sys.executable, str(shared / "eval" / "score.py"), "--graph", str(graph), "--corpus",
           str(shared / "corpora" / CORPORA[corpus]), "--kind", corpus, "--json", str(out_json),
           "--dpv", str(shared / "dpv")]
    if (ROOT / "ontology" / "ropa.ttl").is_file():
        cmd += ["--ontology", str(ROOT / "ontology" / "ropa.ttl")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"score.py failed for {corpus}: {proc.stderr.strip()[-500:]}")
    return json.loads(out_json.read_text())


def facet_rows(res: dict) -> list[tuple[str, dict]]:
    rows = [(k, v) for k, v in res["policy_level"].items()]
    rows.append(("ALL", res["policy_level_all"]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, required=True, help="the shared folder (corpora/, eval/, dpv/)")
    ap.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--repeat", type=int, default=1, help="timing repeats (best of)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for corpus in CORPORA if args.corpus == "all" else [args.corpus]:
        records, cpu, chars = extract_corpus(args.shared / "corpora" / CORPORA[corpus] / "text", args.repeat)
        graph = args.out / f"{corpus}.trig"
        save(build_dataset(records), graph)
        res = score(args.shared, corpus, graph, args.out / f"{corpus}.json")
        print(f"\n== {corpus}: {len(records)} notices, {chars / 1e6:.2f} M chars; ingest+extract CPU {cpu:.2f} s "
              f"= {len(records) / cpu:.1f} notices/s/core")
        print(f"{'facet':<36}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}")
        for name, r in facet_rows(res):
            print(f"{name:<36}{r['p']:7.3f}{r['r']:7.3f}{r['f1']:7.3f}{r['tp']:6d}{r['fp']:6d}{r['fn']:6d}")
        if "segment_level" in res:
            seg = res["segment_level"].get("all") or res["segment_level"].get("ALL") or {}
            if seg:
                print(f"segment level (all labels): P {seg.get('p', 0):.3f} R {seg.get('r', 0):.3f} F1 {seg.get('f1', 0):.3f}")


if __name__ == "__main__":
    main()
