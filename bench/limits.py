"""Resource bounds and kill survival of ``ropa build``: peak memory (max RSS of the child) and wall time per case.

    .venv/bin/python bench/limits.py                       # every case (about 15 minutes on 2 cores)
    .venv/bin/python bench/limits.py --case list-items --case files
    .venv/bin/python bench/limits.py --case kills --kills 50

Cases (each one ``ropa build`` child process, measured with ``os.wait4``):
  big-default   a 200 MB plain-text notice with the default --max-size 50: refused before reading
  big           a --big-mb notice (default 200) with --max-size raised above it: read, extracted and written, or
                the time or memory limit it hits (extraction costs about 5 s of CPU per MB, linear in size)
  list-items    a notice with 100,000 list items (about 5 MB)
  files         a folder of 10,000 small notices, to a TriG file (--workers 1 and 2) and to a store
  kills         SIGKILL ``ropa build -o FILE`` at random moments: the previous file stays intact and parseable,
                and the next build completes
The inputs are generated under --work (default a temp folder, removed afterwards). Prints a Markdown table, and
the JSON of every measure with --json (the figures in bench/RESULTS-reliability.md).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from child import reap  # noqa: E402

NOTICES = ROOT / "data" / "notices"
ROPA = [sys.executable, "-m", "ropa.cli"]
MB = 2**20

PARAGRAPH = ("Acme Ltd is the data controller. We collect your name, email address and IP address to provide our "
             "services and for marketing, based on your consent or our legitimate interest (Art. 6(1)(f) GDPR). "
             "We keep your data for 5 years. We transfer data to the United States under standard contractual "
             "clauses. You have the right to access and to object, and to complain to the supervisory authority.\n\n")


def run(args: list[str], timeout: float, mem_limit: int | None = None) -> dict:
    """Run ``ropa ARGS`` to completion (or ``timeout``); its exit code, wall time, peak RSS and last error line."""

    def limit() -> None:
        if mem_limit:
            resource.setrlimit(resource.RLIMIT_AS, (mem_limit, mem_limit))

    t0 = time.monotonic()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen([*ROPA, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, preexec_fn=limit)
    usage, timed_out = reap(proc, timeout)
    err.seek(0)
    lines = err.read().decode("utf-8", "replace").strip().splitlines()
    return {"rc": proc.returncode, "seconds": round(time.monotonic() - t0, 1),
            "peak_mb": round(usage.ru_maxrss / 1024), "stderr": lines[-1][:300] if lines else "",
            "timed_out": timed_out}


def big_notice(work: Path, size_mb: int = 200) -> Path:
    path = work / "big.txt"
    if not path.exists():
        block = ("Privacy Policy\n\n" + PARAGRAPH * 40).encode()
        with open(path, "wb") as fh:
            for _ in range(size_mb * MB // len(block)):
                fh.write(block)
    return path


def _sized(big: Path, work: Path, size_mb: int) -> Path:
    """The first ``size_mb`` MB of the big notice, cut at a paragraph."""
    path = work / f"big-{size_mb}.txt"
    data = big.read_bytes()[: size_mb * MB]
    path.write_bytes(data[: data.rfind(b"\n\n") + 2])
    return path


def list_notice(work: Path, items: int = 100_000) -> Path:
    path = work / "list-items.txt"
    lines = ["Privacy Policy", "", "Personal data we collect", ""]
    kinds = ["your name", "your email address", "your IP address", "your phone number", "your postal address"]
    lines += [f"- {kinds[i % len(kinds)]} (item {i})" for i in range(items)]
    path.write_text("\n".join(lines) + "\n\nWe keep it for 5 years.\n", encoding="utf-8")
    return path


def many_files(work: Path, count: int = 10_000) -> Path:
    folder = work / f"files-{count}"
    if not folder.exists():
        folder.mkdir()
        rng = random.Random(count)
        for i in range(count):
            company = f"Company {i} Ltd"
            body = PARAGRAPH.replace("Acme Ltd", company).replace("5 years", f"{rng.randint(1, 10)} years")
            (folder / f"notice-{i:05d}.txt").write_text(f"Privacy Policy of {company}\n\n{body}", encoding="utf-8")
    return folder


def case_big_default(work: Path, timeout: float) -> list[dict]:
    big = big_notice(work)
    return [{"case": "200 MB notice, default --max-size 50", "input_mb": round(big.stat().st_size / MB),
             **run(["build", str(big), "-o", str(work / "big-default.trig")], timeout)}]


def case_big(work: Path, timeout: float, size_mb: int) -> list[dict]:
    big = big_notice(work, size_mb) if size_mb == 200 else _sized(big_notice(work), work, size_mb)
    res = run(["build", str(big), "-o", str(work / "big.trig"), "--max-size", str(size_mb + 1)], timeout,
              mem_limit=16 * 2**30)
    out = work / "big.trig"
    return [{"case": f"{size_mb} MB notice, --max-size {size_mb + 1} (16 GiB address-space limit)",
             "input_mb": round(big.stat().st_size / MB), "output_mb": round(out.stat().st_size / MB, 1)
             if out.exists() else 0, **res}]


def case_list_items(work: Path, timeout: float) -> list[dict]:
    path = list_notice(work)
    out = work / "list.trig"
    res = run(["build", str(path), "-o", str(out)], timeout)
    return [{"case": "notice with 100,000 list items", "input_mb": round(path.stat().st_size / MB, 1),
             "output_mb": round(out.stat().st_size / MB, 1) if out.exists() else 0, **res}]


def case_files(work: Path, timeout: float, count: int = 10_000) -> list[dict]:
    folder = many_files(work, count)
    rows = []
    for workers in (1, 2):
        out = work / f"files-w{workers}.trig"
        res = run(["build", str(folder), "-o", str(out), "--workers", str(workers)], timeout)
        rows.append({"case": f"folder of {count:,} notices -> TriG, --workers {workers}",
                     "output_mb": round(out.stat().st_size / MB, 1) if out.exists() else 0, **res})
    store = work / "files-store"
    res = run(["build", str(folder), "--store", str(store), "--workers", "2"], timeout)
    rows.append({"case": f"folder of {count:,} notices -> store, --workers 2", **res})
    return rows


def case_kills(work: Path, timeout: float, kills: int) -> list[dict]:
    """SIGKILL the build at random moments; after each, the output is the previous one or the complete new one."""
    from rdflib import Dataset

    out, full = work / "kill.trig", work / "kill-full.trig"
    names = sorted(NOTICES.glob("*.txt"))
    first = run(["build", str(names[0]), str(names[1]), "-o", str(out), "-q"], timeout)
    assert first["rc"] == 0, first
    t0 = time.monotonic()
    assert run(["build", str(NOTICES), "-o", str(full), "-q"], timeout)["rc"] == 0
    full_time = time.monotonic() - t0
    previous, complete = out.read_bytes(), full.read_bytes()
    rng = random.Random(kills)
    kept = replaced = 0
    for _ in range(kills):
        out.write_bytes(previous)  # each kill starts from the two-notice output
        proc = subprocess.Popen([*ROPA, "build", str(NOTICES), "-o", str(out), "-q"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, full_time * 1.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = out.read_bytes()
        assert now in (previous, complete), "a killed build left a partial output"
        Dataset().parse(out, format="trig")
        kept += now == previous
        replaced += now == complete
    final = run(["build", str(NOTICES), "-o", str(out), "-q"], timeout)
    litter = [p.name for p in work.glob(".kill.trig.*")]
    return [{"case": f"SIGKILL of `ropa build -o` at {kills} random moments", "kills": kills,
             "output_intact": kept + replaced, "killed_before_rename": kept, "finished_before_kill": replaced,
             "next_build_rc": final["rc"], "next_build_complete": out.read_bytes() == complete,
             "temp_files_left": len(litter), "rc": final["rc"], "seconds": round(full_time, 1),
             "peak_mb": final["peak_mb"]}]


CASES = ["big-default", "big", "list-items", "files", "kills"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", action="append", choices=CASES, help="run only this case (repeat for more)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per build (default 900)")
    ap.add_argument("--big-mb", type=int, default=200, help="size of the notice in the big case (default 200)")
    ap.add_argument("--files", type=int, default=10_000, help="notices in the folder case (default 10,000)")
    ap.add_argument("--kills", type=int, default=30, help="SIGKILLs in the kills case (default 30)")
    ap.add_argument("--work", type=Path, help="keep the generated inputs here (default: a temp folder, removed)")
    ap.add_argument("--json", action="store_true", help="print every measure as JSON too")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="ropa-limits-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    try:
        for case in args.case or CASES:
            if case == "big-default":
                rows += case_big_default(work, args.timeout)
            elif case == "big":
                rows += case_big(work, args.timeout, args.big_mb)
            elif case == "list-items":
                rows += case_list_items(work, args.timeout)
            elif case == "files":
                rows += case_files(work, args.timeout, args.files)
            else:
                rows += case_kills(work, args.timeout, args.kills)
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)  # noqa: T201
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print("| case | exit | wall s | peak RSS MB | note |\n| --- | --- | --- | --- | --- |")  # noqa: T201
    for r in rows:
        print(f"| {r['case']} | {r['rc']} | {r['seconds']} | {r['peak_mb']} | {r.get('stderr', '')} |")  # noqa: T201
    if args.json:
        print(json.dumps(rows, indent=2))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
