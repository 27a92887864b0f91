"""Fast RDF I/O through pyoxigraph (Rust): rdflib terms <-> pyoxigraph terms, serialisation and parsing.

rdflib stays the in-memory model the code works with; its Turtle/TriG writer and parser are 10-50x slower than
Oxigraph's on ropa graphs, so files go through Oxigraph.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ropa.graph.namespaces import PREFIXES

FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE,
           "nt": ox.RdfFormat.N_TRIPLES}
QUAD_FORMATS = {"trig", "nquads"}


def to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt == "http://www.w3.org/2001/XMLSchema#string" else Literal(
            term.value, datatype=URIRef(dt))
    raise TypeError(f"unsupported term {term!r}")


def quads(ds: Dataset) -> Iterator[ox.Quad]:
    for g in ds.graphs():
        gid = ox.DefaultGraph() if g.identifier == DATASET_DEFAULT_GRAPH_ID else to_ox(g.identifier)
        for s, p, o in g:
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), gid)


def serialize(ds: Dataset, fmt: str) -> bytes:
    """``fmt``: trig / nquads (the dataset) or turtle / nt (all graphs merged)."""
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    items: Iterable = quads(ds) if fmt in QUAD_FORMATS else (ox.Triple(q.subject, q.predicate, q.object) for q in quads(ds))
    # sorted: deterministic files, and each subject's triples together (written with ';')
    items = sorted(set(items), key=_order)
    out = ox.serialize(items, format=FORMATS[fmt], prefixes=prefixes if fmt in ("trig", "turtle") else None)
    return out or b""


def _order(item) -> tuple[str, str, str, str]:
    graph = str(item.graph_name) if isinstance(item, ox.Quad) else ""
    return graph, str(item.subject), str(item.predicate), str(item.object)


def parse_into(ds: Dataset, path: Path, fmt: str) -> None:
    """Parse a file with Oxigraph into an rdflib Dataset (triples formats go to the default graph)."""
    for q in ox.parse(path=str(path), format=FORMATS[fmt]):
        g = ds.default_graph if isinstance(q.graph_name, ox.DefaultGraph) else ds.graph(from_ox(q.graph_name))
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
