"""Determinism: the same notices, built twice, in another order and over 1 or 2 worker processes, give the same
graph (isomorphic, and with no blank nodes the very same set of quads)."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic

from ropa.pipeline import build

NOTICES = Path(__file__).resolve().parent.parent / "data" / "notices"


def quads(path: Path) -> set[str]:
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


@pytest.mark.slow
def test_order_and_worker_count_do_not_change_the_graph(tmp_path, sample_paths):
    runs = {"folder-w1": ([NOTICES], 1), "reversed-w2": (list(reversed(sample_paths)), 2),
            "shuffled-w1": ([sample_paths[i] for i in (3, 0, 4, 2, 1)], 1), "folder-w2-again": ([NOTICES], 2)}
    out = {}
    for name, (inputs, workers) in runs.items():
        out[name] = tmp_path / f"{name}.nq"
        build(inputs, out[name], workers=workers)
    first = quads(out["folder-w1"])
    assert len(first) > 10_000
    for name, path in out.items():
        assert quads(path) == first, f"{name} differs from folder-w1"
    a, b = Dataset(), Dataset()
    a.parse(out["folder-w1"], format="nquads")
    b.parse(out["reversed-w2"], format="nquads")
    graphs = [g for g in a.graphs() if len(g)]
    assert len(graphs) == len(sample_paths)
    for g in graphs:
        assert isomorphic(g, b.graph(g.identifier))


def test_the_same_build_twice_writes_the_same_bytes(tmp_path, sample_paths):
    one, two = tmp_path / "one.trig", tmp_path / "two.trig"
    build(sample_paths[:2], one)
    build(list(reversed(sample_paths[:2])), two)
    assert one.read_bytes() == two.read_bytes()
