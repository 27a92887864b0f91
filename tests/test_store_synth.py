"""bench/synth.py: synthetic ROPA graphs follow the graph contract, stream, and are reproducible."""
from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import synth  # noqa: E402

from ropa.store import EmbeddedStore, find_queries, run_query  # noqa: E402

DPV = "https://w3id.org/dpv#"


@pytest.fixture(scope="module")
def store():
    st = EmbeddedStore()
    data = "".join(nq for _, nq in synth.generate(40, seed=7)).encode()
    st._store.load(data, format=ox.RdfFormat.N_QUADS)
    return st


def test_company_depends_only_on_index_and_seed():
    assert synth.company(5, 1) == synth.company(5, 1)
    assert list(synth.generate(2, seed=1, start=5))[0][1] == next(synth.generate(1, seed=1, start=5))[1]
    assert synth.company(5, 1)[2] != synth.company(5, 2)[2]


def test_one_named_graph_per_company_with_the_contract_shape(store):
    rows = run_query(store, find_queries("store/notices_in_store")[0]).dicts()
    assert len(rows) == 40 and all(str(r["hash"]).startswith("sha256:") for r in rows)
    acts = store.query(f"SELECT ?g (COUNT(?a) AS ?n) WHERE {{ GRAPH ?g {{ ?a a <{DPV}Process> ; "
                       f"<{DPV}hasDataController> ?c . ?c a <{DPV}DataController> }} }} GROUP BY ?g").dicts()
    assert len(acts) == 40 and all(3 <= int(r["n"]) <= 8 for r in acts)


def test_evidence_share_and_size_are_realistic(store):
    sizes = run_query(store, find_queries("store/triples_per_notice")[0]).dicts()
    total = sum(int(r["triples"]) for r in sizes)
    evidence = sum(int(r["evidence_nodes"]) for r in sizes) * 13
    assert 500 < total / 40 < 3000 and 0.75 < evidence / total < 0.95


def test_gaps_occur(store):
    no_basis = store.query(f"SELECT (COUNT(?a) AS ?n) WHERE {{ ?a a <{DPV}Process> "
                           f"FILTER NOT EXISTS {{ ?a <{DPV}hasLegalBasis> ?b }} }}").rows[0][0]
    assert int(no_basis) > 0


def test_write(tmp_path):
    n = synth.write(tmp_path / "s.nq.gz", 3)
    assert n > 1000 and (tmp_path / "s.nq.gz").stat().st_size > 1000
