"""Put the notices' activities and transfers into the defined classes of ``gaps_classes.ttl``.

Each defined class is an ``owl:equivalentClass`` of an intersection of named classes and ``someValuesFrom`` /
``hasValue`` restrictions (``dpv:Process and (dpv:hasLegalBasis some gaps:ConsentBasis)``). Once the concepts are
classified (:mod:`ropa.analyse.reasoning`), an individual is in such a class exactly when the OWL 2 RL rules
``cls-int1``, ``cls-svf1`` and ``cls-hv1`` say so; this module applies those rules to the facts it reads from the
store, until nothing changes. It is a forward chainer for that fragment only: an axiom outside it raises
:class:`UnsupportedAxiom` instead of being ignored. Run on the whole dataset at once, it takes milliseconds per
thousand activities, where a JVM start alone takes seconds.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ropa import resources
from ropa.analyse.gaps_store import GapsStore


class UnsupportedAxiom(ValueError):
    """A class definition outside the fragment this classifier implements."""


@dataclass(frozen=True, slots=True)
class Named:
    iri: str


@dataclass(frozen=True, slots=True)
class Some:
    prop: str
    filler: Expr


@dataclass(frozen=True, slots=True)
class HasValue:
    prop: str
    value: str


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple[Expr, ...]


Expr = Named | Some | HasValue | And | Or


def definitions(tbox: Graph) -> dict[str, Expr]:
    """Defined class IRI -> its class expression, for every ``owl:equivalentClass`` in the axioms."""
    return {str(c): _expr(tbox, e) for c, e in tbox.subject_objects(OWL.equivalentClass) if isinstance(c, URIRef)}


def superclasses(tbox: Graph) -> dict[str, set[str]]:
    """Named class -> its named superclasses (transitively), from ``rdfs:subClassOf`` between named classes."""
    direct: dict[str, set[str]] = defaultdict(set)
    for s, o in tbox.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            direct[str(s)].add(str(o))
    return {c: _closure(c, direct) for c in direct}


def _closure(c: str, direct: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), list(direct.get(c, ()))
    while todo:
        x = todo.pop()
        if x not in seen:
            seen.add(x)
            todo += direct.get(x, ())
    return seen


def _expr(g: Graph, node) -> Expr:
    if isinstance(node, URIRef):
        return Named(str(node))
    if not isinstance(node, BNode):
        raise UnsupportedAxiom(f"a literal where a class expression was expected: {node!r}")
    for op, kind in ((OWL.intersectionOf, And), (OWL.unionOf, Or)):
        lst = g.value(node, op)
        if lst is not None:
            return kind(tuple(_expr(g, x) for x in Collection(g, lst)))
    prop = g.value(node, OWL.onProperty)
    if prop is not None and g.value(node, OWL.someValuesFrom) is not None:
        return Some(str(prop), _expr(g, g.value(node, OWL.someValuesFrom)))
    if prop is not None and g.value(node, OWL.hasValue) is not None:
        return HasValue(str(prop), str(g.value(node, OWL.hasValue)))
    raise UnsupportedAxiom(f"class expression {sorted(set(g.predicates(node)))} is outside the supported fragment "
                           "(intersectionOf, unionOf, someValuesFrom, hasValue); rewrite it or extend gaps_classify")


def _props(e: Expr) -> set[str]:
    if isinstance(e, Some):
        return {e.prop} | _props(e.filler)
    if isinstance(e, HasValue):
        return {e.prop}
    if isinstance(e, And | Or):
        return set().union(*(_props(p) for p in e.parts))
    return set()


def _named(e: Expr) -> set[str]:
    if isinstance(e, Named):
        return {e.iri}
    if isinstance(e, Some):
        return _named(e.filler)
    if isinstance(e, And | Or):
        return set().union(*(_named(p) for p in e.parts))
    return set()


class _Facts:
    """Types and property values of the nodes, as sets, with the rules' conclusions added as they come."""

    def __init__(self) -> None:
        self.types: dict[str, set[str]] = defaultdict(set)
        self.values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def holds(self, x: str, e: Expr) -> bool:
        if isinstance(e, Named):
            return e.iri in self.types.get(x, ())
        if isinstance(e, HasValue):
            return e.value in self.values[e.prop].get(x, ())
        if isinstance(e, Some):
            return any(self.holds(v, e.filler) for v in self.values[e.prop].get(x, ()))
        if isinstance(e, And):
            return all(self.holds(x, p) for p in e.parts)
        return any(self.holds(x, p) for p in e.parts)


def classify(store: GapsStore, tbox: Graph, concept_types: dict[str, set[str]]) -> dict[str, set[str]]:
    """Node IRI -> the defined classes it is in (only the inferred ones), for every notice graph in scope."""
    defs = definitions(tbox)
    sup = superclasses(tbox)
    facts = _Facts()
    for c, ks in concept_types.items():
        facts.types[c] |= ks
    _read(store, facts, defs, sup)
    return _fixpoint(facts, defs, sup)


def _read(store: GapsStore, facts: _Facts, defs: dict[str, Expr], sup: dict[str, set[str]]) -> None:
    q = resources.queries_dir() / "gaps" / "support"
    prop_q = (q / "property_facts.rq").read_text(encoding="utf-8")
    type_q = (q / "typed_nodes.rq").read_text(encoding="utf-8")
    for p in sorted(set().union(*(_props(e) for e in defs.values())) if defs else set()):
        for row in store.select(prop_q, p=ox.NamedNode(p)):
            if isinstance(row.get("o"), ox.NamedNode | ox.BlankNode):
                facts.values[p][row["s"].value].add(row["o"].value)
    wanted = set().union(*(_named(e) for e in defs.values())) if defs else set()
    asserted = wanted | {c for c, ups in sup.items() if ups & wanted}
    for c in sorted(asserted - set(defs)):
        for row in store.select(type_q, type=ox.NamedNode(c)):
            facts.types[row["s"].value] |= {c} | sup.get(c, set())


def _fixpoint(facts: _Facts, defs: dict[str, Expr], sup: dict[str, set[str]]) -> dict[str, set[str]]:
    inferred: dict[str, set[str]] = defaultdict(set)
    changed = True
    while changed:
        changed = False
        candidates = set(facts.types) | {s for per in facts.values.values() for s in per}
        for cls, e in defs.items():
            for x in candidates:
                if cls not in facts.types.get(x, ()) and facts.holds(x, e):
                    new = {cls} | sup.get(cls, set())
                    facts.types[x] |= new
                    inferred[x] |= new
                    changed = True
    return dict(inferred)


def classification_triples(inferred: dict[str, set[str]]) -> list[tuple[str, str, str]]:
    return [(x, str(RDF.type), c) for x, cs in sorted(inferred.items()) for c in sorted(cs)]
