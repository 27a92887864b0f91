"""Fuzz ingestion + extraction for a bounded time (hypothesis at high example counts; no atheris needed).

    .venv/bin/python bench/fuzz.py --seconds 600            # all targets, round robin, 10 minutes
    .venv/bin/python bench/fuzz.py --seconds 60 --target pdf

Targets:
  text   notice phrases mixed with controls, zero-width / bidi marks, RTL scripts, markup -> from_text (txt/md/html)
  html   deeply nested, unclosed and malformed HTML -> from_text(HTML)
  bytes  text in several encodings joined together, BOMs and binary noise -> a file -> ingest.read
  pdf    a small valid PDF with random byte flips, truncations and insertions -> ingest.read
Every input must either be refused with a one-line NoticeError naming the file, or go through extraction and graph
building with every evidence offset inside the text and ``text[start:end] == quote`` (the properties of
tests/test_reliability_properties.py, imported from there). A failure is shrunk by hypothesis and written to
``--out`` (traceback + falsifying example); the run goes on with the next batch. The slowest input per target is
reported too, to catch near-hangs. Prints a JSON summary at the end (the figures in bench/RESULTS-reliability.md).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import tempfile
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import test_reliability_properties as props  # noqa: E402
from test_ingest_pdf import make_pdf  # noqa: E402

from ropa.errors import NoticeError  # noqa: E402
from ropa.ingest import HTML, from_text  # noqa: E402

REFUSED = "refused"  # what a target returns when the notice was refused with a one-line NoticeError


class Stats:
    def __init__(self) -> None:
        self.examples: dict[str, int] = {}
        self.refused: dict[str, int] = {}
        self.slowest: dict[str, tuple[float, str]] = {}
        self.crashes: list[dict] = []

    def timed(self, target: str, fn, describe) -> None:
        t0 = time.perf_counter()
        try:
            if fn() == REFUSED:
                self.refused[target] = self.refused.get(target, 0) + 1
        except NoticeError:
            self.refused[target] = self.refused.get(target, 0) + 1
        finally:
            dt = time.perf_counter() - t0
            self.examples[target] = self.examples.get(target, 0) + 1
            if dt > self.slowest.get(target, (0.0, ""))[0]:
                self.slowest[target] = (dt, describe())


STATS = Stats()


def _read_bytes(data: bytes, suffix: str) -> str | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        doc = props.read_or_refused(path)
        if doc is None:
            return REFUSED
        props.check_record(doc)
        return None


def target_text(batch: int):
    @settings(max_examples=batch, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(props.TEXT, props.MEDIA)
    def run(text: str, media: str) -> None:
        STATS.timed("text", lambda: props.check_record(from_text(text, "fuzz.txt", media)),
                    lambda: f"{media} {len(text)} chars")
    return run


def target_html(batch: int):
    @settings(max_examples=batch, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.integers(0, 400), st.sampled_from(props.MARKUP), props.TEXT), max_size=8),
           st.integers(0, 5000))
    def run(pieces: list[tuple[int, str, str]], depth: int) -> None:
        text = "<html><body>" + "<div>" * depth + "".join(tag * n + inner for n, tag, inner in pieces)
        STATS.timed("html", lambda: props.check_record(from_text(text, "fuzz.html", HTML)),
                    lambda: f"{len(text)} chars, depth {depth}")
    return run


def target_bytes(batch: int):
    @settings(max_examples=batch, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(props.TEXT, st.sampled_from(props.ENCODINGS)), min_size=1, max_size=5),
           st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff",
                            b"<html><meta charset='koi8-r'>", b"<meta charset=bogus>"]),
           st.just(b"") | st.binary(max_size=200), st.sampled_from([".txt", ".md", ".html", ".htm", ".pdf", ""]))
    def run(parts, prefix: bytes, noise: bytes, suffix: str) -> None:
        data = prefix + b"".join(t.encode(enc, "replace") for t, enc in parts) + noise
        STATS.timed("bytes", lambda: _read_bytes(data, suffix), lambda: f"{len(data)} bytes {suffix}")
    return run


PDF_SEED = make_pdf([["Privacy Policy", "Acme Ltd is the data controller.", "We collect your email address "
                      "for marketing based on your consent."], ["We keep it for 5 years.", "Art. 6(1)(f) GDPR"]])


def target_pdf(batch: int):
    edit = st.tuples(st.sampled_from(["flip", "cut", "insert", "delete"]), st.integers(0, len(PDF_SEED) - 1),
                     st.binary(min_size=1, max_size=16))

    @settings(max_examples=batch, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(edit, min_size=1, max_size=6))
    def run(edits) -> None:
        data = bytearray(PDF_SEED)
        for op, at, blob in edits:
            at = min(at, max(len(data) - 1, 0))
            if op == "flip":
                data[at : at + len(blob)] = blob
            elif op == "cut":
                del data[at:]
            elif op == "insert":
                data[at:at] = blob
            else:
                del data[at : at + len(blob)]
        STATS.timed("pdf", lambda: _read_bytes(bytes(data), ".pdf"), lambda: f"{len(data)} bytes, {edits!r}"[:300])
    return run


TARGETS = {"text": target_text, "html": target_html, "bytes": target_bytes, "pdf": target_pdf}


def _record_crash(target: str, err: BaseException, out: Path) -> None:
    tb = "".join(traceback.format_exception(err))
    key = hashlib.sha1(tb.encode()).hexdigest()[:10]
    out.mkdir(parents=True, exist_ok=True)
    (out / f"crash-{target}-{key}.txt").write_text(tb, encoding="utf-8")
    STATS.crashes.append({"target": target, "error": f"{type(err).__name__}: {str(err)[:200]}",
                          "file": str(out / f"crash-{target}-{key}.txt")})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=300, help="time budget in seconds (default 300)")
    ap.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    ap.add_argument("--batch", type=int, default=400, help="examples per hypothesis run (default 400)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "fuzz", help="where crashes are written")
    args = ap.parse_args(argv)
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # damaged PDFs are the point; keep the log quiet
    names = list(TARGETS) if args.target == "all" else [args.target]
    deadline = time.monotonic() + args.seconds
    t0, runs = time.monotonic(), 0
    while time.monotonic() < deadline:
        name = names[runs % len(names)]
        runs += 1
        try:
            TARGETS[name](args.batch)()
        except Exception as err:  # noqa: BLE001  (a crash is the finding; record it and go on)
            _record_crash(name, err, args.out)
    summary = {"seconds": round(time.monotonic() - t0, 1), "batches": runs, "examples": STATS.examples,
               "refused_with_notice_error": STATS.refused, "crashes": STATS.crashes,
               "slowest": {k: {"seconds": round(v[0], 3), "input": v[1]} for k, v in STATS.slowest.items()}}
    print(json.dumps(summary, indent=2))  # noqa: T201
    return 1 if STATS.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
