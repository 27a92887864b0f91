"""Run the checks: SPARQL checks on the store, SHACL checks with pySHACL; each gives raw hits.

A hit is one row of a check: which notice, which activity or node, the message's values and the evidence
statement nodes it looked at. :mod:`ropa.analyse.gaps` turns hits into findings.
"""
from __future__ import annotations

import string
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ropa.analyse.gaps_checks import GAPS, Catalogue, Check, CheckError
from ropa.analyse.gaps_store import GapsStore, Term
from ropa.graph.namespaces import DPV, curie

RESERVED = ("notice", "activity", "subject", "ev")


@dataclass(slots=True)
class Hit:
    check: Check
    notice: str  # notice IRI
    message: str
    activity: str | None = None
    subject: str | None = None
    evidence: list[str] = field(default_factory=list)  # evidence statement node IRIs
    focus: str | None = None  # a node whose own statements serve as evidence (SHACL)


# ------------------------------------------------------------------------------------------------ SPARQL

def run_sparql(store: GapsStore, check: Check, params: dict[str, Term]) -> list[Hit]:
    try:
        rows = store.select(check.query, **{k: v for k, v in params.items() if f"?{k}" in check.query})
    except SyntaxError as err:
        raise CheckError(f"the query does not parse ({str(err).splitlines()[0][:160]}); fix it",
                         check.info.path) from err
    groups: dict[tuple, Hit] = {}
    for row in rows:
        if "notice" not in row:
            raise CheckError("a result row has no ?notice; every check query must select ?notice", check.info.path)
        msg = render(check.message, row)
        key = (row["notice"].value, _v(row, "activity"), _v(row, "subject"), msg)
        hit = groups.get(key)
        if hit is None:
            hit = groups[key] = Hit(check, key[0], msg, key[1], key[2])
        ev = _v(row, "ev")
        if ev and ev not in hit.evidence:
            hit.evidence.append(ev)
    return list(groups.values())


def _v(row: dict[str, Term], name: str) -> str | None:
    t = row.get(name)
    return t.value if t is not None else None


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def render(template: str, row: dict[str, Term]) -> str:
    """The message template with the row's values: IRIs as CURIEs, literals as their text."""
    vals = _Values({k: _show(t) for k, t in row.items() if k not in RESERVED})
    try:
        return string.Formatter().vformat(template, (), vals)
    except (ValueError, IndexError):
        return template


def _show(t: Term) -> str:
    if isinstance(t, ox.NamedNode):
        return curie(URIRef(t.value))
    return t.value


# ------------------------------------------------------------------------------------------------ SHACL

def run_shacl(store: GapsStore, cat: Catalogue, view_query: str) -> list[Hit]:
    """Validate the structural view of the notice graphs against the SHACL checks' shapes."""
    if not cat.shacl:
        return []
    import pyshacl

    data, where = shacl_view(store, cat.shapes, view_query)
    if not len(data):
        return []
    _conforms, results, _text = pyshacl.validate(data, shacl_graph=cat.shapes, inference="none", advanced=False,
                                                 allow_warnings=True, inplace=True, abort_on_first=False)
    owner = _shape_owners(cat)
    hits = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        check = owner.get(results.value(r, SH.sourceShape))
        focus = results.value(r, SH.focusNode)
        if check is None or focus is None or str(focus) not in where:
            continue
        hits.append(_shacl_hit(store, check, str(focus), where[str(focus)], results.value(r, SH.resultMessage)))
    return _merge(hits)


def shacl_view(store: GapsStore, shapes: Graph, view_query: str) -> tuple[Graph, dict[str, str]]:
    """The triples the shapes can look at (the target classes' nodes, the properties on their paths), as an rdflib
    graph, and each node's notice IRI. Evidence nodes (84% of a notice graph) stay out: pySHACL's cost grows with
    the data graph."""
    classes = {o for o in shapes.objects(None, SH.targetClass)} | {o for o in shapes.objects(None, SH["class"])}
    paths = {o for o in shapes.objects(None, SH.path) if isinstance(o, URIRef)}
    g, where = Graph(), {}
    for c in sorted(classes):
        for row in store.select(view_query, o=ox.NamedNode(str(c)), p=ox.NamedNode(str(RDF.type))):
            g.add((URIRef(row["s"].value), RDF.type, c))
            where[row["s"].value] = row["notice"].value
    for p in sorted(paths):
        for row in store.select(view_query, p=ox.NamedNode(str(p))):
            if row["s"].value in where:
                g.add((URIRef(row["s"].value), p, _rdflib(row["o"])))
    return g, where


def _rdflib(t: Term):
    if isinstance(t, ox.Literal):
        dt = t.datatype.value if t.datatype else None
        return Literal(t.value, lang=t.language, datatype=None if t.language else dt)
    return URIRef(t.value)


def _shape_owners(cat: Catalogue) -> dict:
    """Every shape (node or property shape) -> the check whose node shape holds it."""
    by_id = {c.id: c for c in cat.shacl}
    out = {}
    for ns, cid in cat.shapes.subject_objects(GAPS.checkId):
        check = by_id.get(str(cid))
        out[ns] = check
        for ps in cat.shapes.objects(ns, SH.property):
            out[ps] = check
    return out


def _shacl_hit(store: GapsStore, check: Check, focus: str, notice: str, message) -> Hit:
    node = ox.NamedNode(focus)
    activity = focus if store.value(node, ox.NamedNode(str(RDF.type)), None) == ox.NamedNode(str(DPV.Process)) else None
    if activity is None:
        parent = next(store.subjects(ox.NamedNode(str(DPV.hasProcessing)), node), None)
        activity = parent.value if parent is not None else None
    subject = None if activity == focus else focus
    return Hit(check, notice, str(message) if message else check.message, activity, subject, focus=focus)


def _merge(hits: list[Hit]) -> list[Hit]:
    out: dict[tuple, Hit] = {}
    for h in hits:
        key = (h.check.id, h.notice, h.activity, h.subject, h.message)
        out.setdefault(key, h)
    return list(out.values())


def group_by_check(hits: list[Hit]) -> dict[str, list[Hit]]:
    out: dict[str, list[Hit]] = defaultdict(list)
    for h in hits:
        out[h.check.id].append(h)
    return out
