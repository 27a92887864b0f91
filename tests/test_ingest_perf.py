"""Ingestion speed: a typical notice in milliseconds, large and pathological inputs in linear time."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ropa.ingest import from_text, read, sentences

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "notices" / "004_078deb46ad01e314.txt"


def _best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def test_a_20_kb_notice_reads_in_milliseconds() -> None:
    assert 15_000 < SAMPLE.stat().st_size < 25_000
    # Typically 2-4 ms; the bound leaves room for slow CI machines.
    assert _best_of(15, lambda: read(SAMPLE)) < 0.015


def test_pathological_inputs_stay_linear() -> None:
    text = SAMPLE.read_text(encoding="utf-8")

    def per_char(body: str) -> float:
        return _best_of(3, lambda: from_text(body, "x.txt")) / len(body)

    for unit in ("Heading Line\n", "a" * 5000 + "\n", "- item\n", "x " * 10 + "\n\n", "e.g. Art. No. "):
        small, large = unit * 400, unit * 4000
        assert per_char(large) < 4 * per_char(small) + 1e-7, f"superlinear on {unit[:20]!r}"
    spans = sentences(text * 40)
    assert len(spans) > 1000


@pytest.mark.slow
def test_a_50_mb_text_file_reads_in_seconds(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    path = tmp_path / "big.txt"
    path.write_bytes(data * ((50 * 2**20 - 4096) // len(data)))
    start = time.perf_counter()
    doc = read(path)
    assert time.perf_counter() - start < 20
    assert len(doc.blocks) > 100_000
