#!/usr/bin/env python3
"""Store benchmark: load rate, store size, peak memory and the latency of every query in queries/, for rdflib (in
memory), the embedded store (Oxigraph on disk, as `ropa build --store` makes it) and a local SPARQL server
(`oxigraph serve-read-only` on the same store, queried over HTTP like any remote endpoint).

    python bench/store.py --sizes 1000,10000                      # all three engines (rdflib up to --rdflib-max)
    python bench/store.py --sizes 100000 --engines oxigraph --queries queries/gaps,queries/compare
    python bench/store.py --sizes 1000 --json bench/out/store-1k.json

Graphs come from bench/synth.py (realistic synthetic companies, ~1,550 triples each, 90% evidence). Each load
and each embedded query runs in its own process, so peak memory (max RSS, from wait4) is that phase's alone and
a runaway query can be stopped at --timeout. A query's latency is the time to the last row, materialised in
Python; "first" is its first run after opening the store, "best" the best of up to --repeat runs.
Results are printed as Markdown tables (for bench/RESULTS-store.md) and optionally saved as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402
from child import reap  # noqa: E402

BATCH = 500  # companies per bulk-load call (~170 MB of N-Quads)


# --- child processes ------------------------------------------------------------------------------------------


def child_load(size: int, seed: int, store: Path) -> dict:
    """Generate ``size`` companies and bulk-load them into a new on-disk store (as `ropa build --store` does)."""
    from ropa.store import bulk_create

    gen_s = load_s = 0.0
    quads = 0
    t_all = time.perf_counter()
    with bulk_create(store) as st:
        for start in range(0, size, BATCH):
            t0 = time.perf_counter()
            data = "".join(nq for _, nq in synth.generate(min(BATCH, size - start), seed, start)).encode()
            t1 = time.perf_counter()
            st.bulk_load(data)
            load_s += time.perf_counter() - t1
            gen_s += t1 - t0
            quads += data.count(b"\n")
            print(f"loaded {start + BATCH:,} companies, {quads:,} quads, {time.perf_counter() - t_all:.0f} s",
                  file=sys.stderr, flush=True)
        t_opt = time.perf_counter()
    finalise_s = time.perf_counter() - t_opt  # optimize + close + rename
    return {"quads": quads, "generate_s": gen_s, "load_s": load_s, "finalise_s": finalise_s,
            "wall_s": time.perf_counter() - t_all}


def child_query(store: Path, qfile: Path, binds: dict, repeat: int) -> dict:
    from ropa.store import EmbeddedStore
    from ropa.store.catalogue import load
    from ropa.store.ops import run_query

    q = load(qfile)
    times, rows = [], 0
    with EmbeddedStore(store, read_only=True) as st:
        budget = time.perf_counter() + 30
        for _ in range(repeat):
            t0 = time.perf_counter()
            rows = len(run_query(st, q, binds))
            times.append(time.perf_counter() - t0)
            if time.perf_counter() > budget:
                break
    return {"rows": rows, "first_s": times[0], "best_s": min(times)}


def child_rdflib(size: int, seed: int, qfiles: list[str], binds: dict, timeout: float) -> dict:
    """Load ``size`` companies into an rdflib Dataset and time each query (SIGALRM stops a slow one)."""
    from rdflib import Dataset

    from ropa.store import RdflibStore
    from ropa.store.catalogue import load
    from ropa.store.ops import run_query

    data = "".join(nq for _, nq in synth.generate(size, seed))
    t0 = time.perf_counter()
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    load_s = time.perf_counter() - t0
    del data
    st = RdflibStore(ds)

    def alarm(signum, frame):
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    out = {}
    for f in qfiles:
        q = load(Path(f))
        signal.setitimer(signal.ITIMER_REAL, timeout)
        t = time.perf_counter()
        try:
            rows = len(run_query(st, q, binds.get(f, {})))
            out[f] = {"rows": rows, "first_s": time.perf_counter() - t}
        except TimeoutError:
            out[f] = {"timeout": timeout}
        except Exception as err:  # noqa: BLE001  (a query rdflib cannot run is a result too)
            out[f] = {"error": f"{type(err).__name__}: {str(err)[:100]}"}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return {"load_s": load_s, "quads": len(ds), "queries": out}


# --- parent ---------------------------------------------------------------------------------------------------


def run_child(args: list[str], timeout: float) -> tuple[dict | None, float]:
    """Run ``bench/store.py <args>`` in a child; return (its JSON, its peak RSS in MiB), or (None, rss) on
    timeout or failure. The child is reaped with wait4, which reports its own peak RSS."""
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, __file__, *args], stdout=out, stderr=err, text=True)
        ru, _ = reap(proc, timeout)
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    rss = ru.ru_maxrss / 1024
    if proc.returncode != 0 and proc.returncode != -signal.SIGKILL:
        sys.stderr.write(errors[-800:])
    try:
        return json.loads(text.strip().splitlines()[-1]), rss
    except (ValueError, IndexError):
        return None, rss


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def query_files(groups: list[str]) -> list[Path]:
    out = []
    for g in groups:
        p = (ROOT / g) if not Path(g).is_absolute() else Path(g)
        out += sorted(p.rglob("*.rq")) if p.is_dir() else [p]
    return [p for p in out if "support" not in p.parts]


def bindings_for(qfile: Path, seed: int) -> dict | None:
    """Values for a query's required parameters (two synthetic companies), or None if it needs others."""
    from ropa.store.catalogue import load

    q = load(qfile)
    src0, g0, lines0 = synth.company(0, seed)
    _, g1, _ = synth.company(1, seed)
    name0 = next(line.split('"')[1] for line in lines0 if "#hasName>" in line and "/controller>" in line)
    values = {"g": g0, "g1": g0, "g2": g1, "graph": g0, "notice": g0, "property": "dpv:hasLegalBasis",
              "source": src0, "company": name0}
    out = {}
    for p in q.params:
        if p.required:
            if p.name not in values:
                return None
            out[p.name] = values[p.name]
    return out


def oxigraph_server(store: Path) -> tuple[subprocess.Popen, str] | None:
    exe = Path(sys.executable).parent / "oxigraph"
    exe_s = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not exe_s:
        return None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe_s, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph", "--timeout-s", "120"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}/query"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    return None


def server_latency(url: str, qfile: Path, binds: dict, timeout: float, repeat: int) -> dict:
    from ropa.store import EndpointError, RemoteStore
    from ropa.store.catalogue import load
    from ropa.store.ops import run_query

    remote = RemoteStore(url, timeout=timeout)
    q = load(qfile)
    times, rows = [], 0
    try:
        for _ in range(repeat):
            t0 = time.perf_counter()
            rows = len(run_query(remote, q, binds))
            times.append(time.perf_counter() - t0)
            if sum(times) > 30:
                break
    except EndpointError as err:
        return {"error": str(err)[:120]} if "no answer" not in str(err) else {"timeout": timeout}
    return {"rows": rows, "first_s": times[0], "best_s": min(times)}


def bench_size(size: int, args: argparse.Namespace, qfiles: list[Path]) -> dict:
    res: dict = {"size": size, "queries": {}}
    binds = {str(f): bindings_for(f, args.seed) for f in qfiles}
    runnable = [f for f in qfiles if binds[str(f)] is not None]
    if "rdflib" in args.engines and size <= args.rdflib_max:
        print(f"[{size}] rdflib: load + {len(runnable)} queries ...", file=sys.stderr, flush=True)
        out, rss = run_child(["_rdflib", str(size), str(args.seed), json.dumps([str(f) for f in runnable]),
                              json.dumps(binds), str(args.timeout)], timeout=args.timeout * (len(runnable) + 20))
        if out:
            res["rdflib"] = {"load_s": out["load_s"], "quads": out["quads"], "peak_mib": rss}
            for f, r in out["queries"].items():
                res["queries"].setdefault(f, {})["rdflib"] = r
    store = Path(args.work) / f"store-{size}"
    if {"oxigraph", "server"} & set(args.engines):
        if args.reuse and (store / "CURRENT").exists():
            print(f"[{size}] reusing {store}", file=sys.stderr)
            res["oxigraph"] = json.loads((store.parent / f"store-{size}.json").read_text())
        else:
            shutil.rmtree(store, ignore_errors=True)
            print(f"[{size}] embedded store: bulk load ...", file=sys.stderr, flush=True)
            out, rss = run_child(["_load", str(size), str(args.seed), str(store)], timeout=6 * 3600)
            if out is None:
                raise SystemExit(f"loading {size} companies failed")
            res["oxigraph"] = {**out, "peak_mib": rss, "store_bytes": du(store)}
            (store.parent / f"store-{size}.json").write_text(json.dumps(res["oxigraph"]))
    if "oxigraph" in args.engines:
        for f in runnable:
            print(f"[{size}] oxigraph {f.relative_to(ROOT)}", file=sys.stderr, flush=True)
            out, rss = run_child(["_query", str(store), str(f), json.dumps(binds[str(f)]), str(args.repeat)],
                                 timeout=args.timeout)
            res["queries"].setdefault(str(f), {})["oxigraph"] = out or {"timeout": args.timeout}
    if "server" in args.engines:
        started = oxigraph_server(store)
        if started is None:
            print("oxigraph server not installed: skipping the server engine", file=sys.stderr)
        else:
            proc, url = started
            try:
                for f in runnable:
                    print(f"[{size}] server {f.relative_to(ROOT)}", file=sys.stderr, flush=True)
                    res["queries"].setdefault(str(f), {})["server"] = server_latency(url, f, binds[str(f)],
                                                                                      args.timeout, args.repeat)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    for f in qfiles:
        if binds[str(f)] is None:
            res["queries"][str(f)] = {"skipped": "needs parameters the benchmark has no value for"}
    return res


def fmt_s(r: dict | None) -> str:
    if not r:
        return ""
    if "timeout" in r:
        return f"> {r['timeout']:g} s"
    if "error" in r:
        return "error"
    if "skipped" in r:
        return "skipped"
    best = r.get("best_s", r["first_s"])
    return f"{best * 1000:.0f} ms" if best < 1 else f"{best:.2f} s"


def markdown(results: list[dict], machine: str) -> str:
    lines = [f"Machine: {machine}", "", "| companies | engine | quads | load | load rate | peak memory | store size |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for r in results:
        if "rdflib" in r:
            x = r["rdflib"]
            lines.append(f"| {r['size']:,} | rdflib (memory) | {x['quads']:,} | {x['load_s']:.1f} s | "
                         f"{x['quads'] / x['load_s'] / 1000:.0f} k quads/s | {x['peak_mib']:,.0f} MiB | - |")
        if "oxigraph" in r:
            x = r["oxigraph"]
            total = x["load_s"] + x["finalise_s"]
            lines.append(f"| {r['size']:,} | oxigraph (disk) | {x['quads']:,} | {total:.1f} s | "
                         f"{x['quads'] / total / 1000:.0f} k quads/s ({r['size'] / total:.0f} companies/s) | "
                         f"{x['peak_mib']:,.0f} MiB | {x['store_bytes'] / 2**20:,.0f} MiB |")
    lines += ["", "Query latency (best of the runs, to the last row):", ""]
    sizes = [r["size"] for r in results]
    engines = ["rdflib", "oxigraph", "server"]
    head = "| query | " + " | ".join(f"{e} {s:,}" for s in sizes for e in engines
                                       if any(e in q for r in results if r["size"] == s
                                              for q in r["queries"].values())) + " |"
    cols = [(s, e) for s in sizes for e in engines
            if any(e in q for r in results if r["size"] == s for q in r["queries"].values())]
    lines += [head, "|---|" + "---:|" * len(cols)]
    names = sorted({q for r in results for q in r["queries"]})
    for name in names:
        cells = []
        for s, e in cols:
            r = next(r for r in results if r["size"] == s)["queries"].get(name, {})
            cells.append(fmt_s(r.get(e)) if "skipped" not in r else "skipped")
        lines.append(f"| {Path(name).parent.name}/{Path(name).stem} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.0f} GiB RAM, Python {sys.version.split()[0]}"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        mode, rest = sys.argv[1], sys.argv[2:]
        if mode == "_load":
            out = child_load(int(rest[0]), int(rest[1]), Path(rest[2]))
        elif mode == "_query":
            out = child_query(Path(rest[0]), Path(rest[1]), json.loads(rest[2]), int(rest[3]))
        else:
            out = child_rdflib(int(rest[0]), int(rest[1]), json.loads(rest[2]), json.loads(rest[3]), float(rest[4]))
        print(json.dumps(out))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000", help="comma-separated numbers of companies (default 1000)")
    ap.add_argument("--engines", default="rdflib,oxigraph,server", help="rdflib, oxigraph, server")
    ap.add_argument("--queries", default="queries/gaps,queries/compare,queries/store",
                    help="comma-separated query folders or files")
    ap.add_argument("--rdflib-max", type=int, default=1000, help="largest size to load into rdflib (default 1000)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per query (default 120)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per query (default 3; best is reported)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", default="/tmp/ropa-bench", help="folder for the stores (default /tmp/ropa-bench)")
    ap.add_argument("--reuse", action="store_true", help="reuse a store already loaded in --work")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    args.engines = args.engines.split(",")
    Path(args.work).mkdir(parents=True, exist_ok=True)
    qfiles = query_files(args.queries.split(","))
    results = [bench_size(int(s), args, qfiles) for s in args.sizes.split(",")]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": machine(), "results": results}, indent=1))
    print(markdown(results, machine()))


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
