#!/usr/bin/env python3
"""Before/after timing of catalogue queries on one store, under the same load: each query runs alternately as it
was at a git revision (with the per-solution result conversion of that time) and as it is in the working tree,
in one process, best of N; wall and CPU time to the last row materialised in Python (``EmbeddedStore.query``).
Prints Markdown table rows for bench/RESULTS-store.md.

    python bench/query_ab.py /tmp/ropa-bench/store-10000 2a26429 2 compare/network gaps/art13_1_c_activity_legal_basis
"""
from __future__ import annotations

import gc
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ropa.store.embedded as embedded  # noqa: E402
from ropa.store import EmbeddedStore  # noqa: E402
from ropa.store.results import QueryResult, from_ox_term, from_oxigraph  # noqa: E402


def per_solution(res: Any) -> QueryResult:
    """The result conversion as it was at 2a26429 (one rdflib term per distinct Oxigraph term, row by row)."""
    if not isinstance(res, ox.QuerySolutions):
        return from_oxigraph(res)
    names = [v.value for v in res.variables]
    seen: dict = {None: None}

    def conv(t: Any) -> Any:
        node = seen.get(t, seen)
        if node is seen:
            node = seen[t] = from_ox_term(t)
        return node

    cols = range(len(names))
    return QueryResult("select", names, [tuple([conv(sol[i]) for i in cols]) for sol in res])


def main(store: str, rev: str, repeat: int, names: list[str]) -> None:
    st = EmbeddedStore(Path(store), read_only=True)
    print("| query | rows before | rows after | wall before | wall after | CPU before | CPU after |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in names:
        old = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:queries/{name}.rq"], capture_output=True,
                             text=True, check=True).stdout
        new = (ROOT / "queries" / f"{name}.rq").read_text()
        wall: dict[str, float] = {}
        cpu: dict[str, float] = {}
        rows: dict[str, int] = {}
        for _ in range(repeat):
            for label, text, conv in (("before", old, per_solution), ("after", new, from_oxigraph)):
                embedded.from_oxigraph = conv  # type: ignore[assignment]
                gc.collect()
                c0, w0 = time.process_time(), time.perf_counter()
                rows[label] = len(st.query(text).rows)
                wall[label] = min(wall.get(label, 1e9), time.perf_counter() - w0)
                cpu[label] = min(cpu.get(label, 1e9), time.process_time() - c0)
        embedded.from_oxigraph = from_oxigraph  # type: ignore[assignment]
        print(f"| {name} | {rows['before']:,} | {rows['after']:,} | {wall['before']:.2f} s | {wall['after']:.2f} s "
              f"| {cpu['before']:.2f} s | {cpu['after']:.2f} s |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:])
