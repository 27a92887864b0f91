"""Fast RDF I/O through pyoxigraph (Rust): rdflib terms <-> pyoxigraph terms, serialisation and parsing.

rdflib stays the in-memory model the code works with; its Turtle/TriG writer and parser are 10-50x slower than
Oxigraph's on ropa graphs, so files go through Oxigraph.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ropa.graph.namespaces import PREFIXES

FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE,
           "nt": ox.RdfFormat.N_TRIPLES}
QUAD_FORMATS = {"trig", "nquads"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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


def _converter():
    """rdflib term -> Oxigraph term; named nodes converted once per call (predicates, types and a notice's graph
    name repeat on every triple)."""
    named: dict[URIRef, ox.NamedNode] = {}

    def conv(term):
        if isinstance(term, URIRef):
            node = named.get(term)
            if node is None:
                node = named[term] = ox.NamedNode(str(term))
            return node
        return to_ox(term)

    return conv


def _graph_key(g) -> str:
    return "" if g.identifier == DATASET_DEFAULT_GRAPH_ID else str(g.identifier)


def _keyed(g, conv) -> Iterator[tuple[tuple[str, str, str, str], ox.Quad]]:
    """Each quad of graph ``g`` with its sort key, from the rdflib terms (cheaper than stringifying Oxigraph's)."""
    gkey = _graph_key(g)
    gid = ox.DefaultGraph() if not gkey else conv(g.identifier)
    for s, p, o in g:
        okey = f"{o}\x00{o.language or ''}\x00{o.datatype or ('' if o.language else _XSD_STRING)}" \
            if isinstance(o, Literal) else str(o)
        yield (gkey, str(s), str(p), okey), ox.Quad(conv(s), conv(p), conv(o), gid)


def _sorted_quads(ds: Dataset) -> Iterator[ox.Quad]:
    """The dataset's quads graph by graph, each graph's sorted: only one graph's keys are held at a time."""
    conv = _converter()
    for g in sorted(ds.graphs(), key=_graph_key):
        for _, quad in sorted(dict(_keyed(g, conv)).items(), key=_first):
            yield quad


def _sorted_triples(ds: Dataset) -> list[ox.Triple]:
    """All graphs' triples merged, sorted; a triple in two graphs once."""
    conv = _converter()
    keyed = {k[1:]: ox.Triple(q.subject, q.predicate, q.object) for g in ds.graphs() for k, q in _keyed(g, conv)}
    return [t for _, t in sorted(keyed.items(), key=_first)]


def serialize(ds: Dataset, fmt: str) -> bytes:
    """``fmt``: trig / nquads (the dataset) or turtle / nt (all graphs merged). Sorted: deterministic files, and
    each subject's triples together (written with ';')."""
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    items = _sorted_quads(ds) if fmt in QUAD_FORMATS else _sorted_triples(ds)
    out = ox.serialize(items, format=FORMATS[fmt], prefixes=prefixes if fmt in ("trig", "turtle") else None)
    return out or b""


def _first(pair):
    return pair[0]


def parse_into(ds: Dataset, path: Path, fmt: str) -> None:
    """Parse a file with Oxigraph into an rdflib Dataset (triples formats go to the default graph)."""
    for q in ox.parse(path=str(path), format=FORMATS[fmt]):
        g = ds.default_graph if isinstance(q.graph_name, ox.DefaultGraph) else ds.graph(from_ox(q.graph_name))
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
