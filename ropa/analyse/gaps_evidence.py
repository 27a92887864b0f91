"""Evidence for findings: the quotes and offsets of the evidence statements (``rdf:Statement`` nodes with
``oa:TextQuoteSelector`` / ``oa:TextPositionSelector``) a check looked at.

Direct store look-ups (no SPARQL): a finding names a handful of evidence nodes, each a few quads away.
"""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF

from ropa.analyse.gaps_report import Evidence
from ropa.analyse.gaps_store import GapsStore
from ropa.graph.namespaces import DATA, OA, curie

MAX_EVIDENCE = 5
_SELECTOR, _EXACT, _START, _END = (ox.NamedNode(str(x)) for x in (OA.hasSelector, OA.exact, OA.start, OA.end))
_SUBJECT, _PREDICATE, _OBJECT = (ox.NamedNode(str(x)) for x in (RDF.subject, RDF.predicate, RDF.object))


def evidence(store: GapsStore, nodes: Iterable[str]) -> tuple[Evidence, ...]:
    """The quotes of ``nodes`` in text order, one per passage, at most ``MAX_EVIDENCE``."""
    seen: dict[tuple, Evidence] = {}
    for iri in nodes:
        ev = _one(store, ox.NamedNode(iri))
        if ev is not None:
            seen.setdefault((ev.start, ev.end, ev.quote), ev)
    ordered = sorted(seen.values(), key=lambda e: (e.start if e.start is not None else 1 << 62, e.quote))
    return tuple(ordered[:MAX_EVIDENCE])


def statements_about(store: GapsStore, focus: str) -> list[str]:
    """Evidence statement nodes whose subject (or object) is ``focus``: what was read about that node."""
    node = ox.NamedNode(focus)
    out = [s.value for s in store.subjects(_SUBJECT, node) if isinstance(s, ox.NamedNode)]
    out += [s.value for s in store.subjects(_OBJECT, node) if isinstance(s, ox.NamedNode)]
    return out


def _one(store: GapsStore, node: ox.NamedNode) -> Evidence | None:
    quote, start, end = None, None, None
    for sel in store.objects(node, _SELECTOR):
        quote = quote if quote is not None else _text(store.value(sel, _EXACT))
        start = start if start is not None else _int(store.value(sel, _START))
        end = end if end is not None else _int(store.value(sel, _END))
    if quote is None:
        return None
    return Evidence(quote, start, end, _about(store, node))


def _about(store: GapsStore, node: ox.NamedNode) -> str:
    p, o = store.value(node, _PREDICATE), store.value(node, _OBJECT)
    if p is None:
        return ""
    if isinstance(o, ox.NamedNode):
        obj = "" if o.value.startswith(str(DATA)) else curie(URIRef(o.value))  # a node of the notice: no name
    else:
        obj = o.value if isinstance(o, ox.Literal) else ""
    return f"{curie(URIRef(p.value))} {obj}".strip()


def _text(t) -> str | None:
    return t.value if isinstance(t, ox.Literal) else None


def _int(t) -> int | None:
    try:
        return int(t.value) if isinstance(t, ox.Literal) else None
    except ValueError:
        return None
