"""Ingestion speed: a typical notice in milliseconds, large and pathological inputs in linear time."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ropa.ingest import HTML, MARKDOWN, PLAIN, from_text, read, sentences

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


@pytest.mark.parametrize(("media_type", "unit"), [
    (PLAIN, "Heading Line\n"),
    (PLAIN, "a" * 2000 + "\n"),
    (PLAIN, "- item\n"),
    (PLAIN, "e.g. Art. No. x@y@z "),
    (MARKDOWN, "**a [b `c _d "),
    (HTML, "**a [b <c "),
    (HTML, "<!-- a > "),
    (HTML, "<a x='>b "),
])
def test_pathological_inputs_stay_linear(media_type: str, unit: str) -> None:
    def per_char(body: str) -> float:
        return _best_of(3, lambda: from_text(body, "x", media_type)) / len(body)

    small, large = unit * 200, unit * 1600
    assert per_char(large) < 4 * per_char(small) + 1e-7


def test_sentences_over_a_long_text() -> None:
    text = SAMPLE.read_text(encoding="utf-8") * 40
    assert _best_of(1, lambda: sentences(text)) < 2.0
    assert len(sentences(text)) > 1000


@pytest.mark.slow
def test_a_50_mb_text_file_reads_in_seconds(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    path = tmp_path / "big.txt"
    path.write_bytes(data * ((50 * 2**20 - 4096) // len(data)))
    start = time.perf_counter()
    doc = read(path)
    assert time.perf_counter() - start < 20
    assert len(doc.blocks) > 100_000
