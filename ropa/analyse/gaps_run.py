"""Run the checks: SPARQL checks on the store, SHACL checks with pySHACL; each gives raw hits.

A hit is one row of a check: which notice, which activity or node, the message's values and the evidence
statement nodes it looked at. :mod:`ropa.analyse.gaps` turns hits into findings.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

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
    labels = Labels(store)
    try:
        rows = store.select(check.query, **{k: v for k, v in params.items() if f"?{k}" in check.query})
    except SyntaxError as err:
        raise CheckError(f"the query does not parse ({str(err).splitlines()[0][:160]}); fix it",
                         check.info.path) from err
    groups: dict[tuple, Hit] = {}
    for row in rows:
        if "notice" not in row:
            raise CheckError("a result row has no ?notice; every check query must select ?notice", check.info.path)
        msg = render(check.message, row, labels)
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


class Labels:
    """A concept's name for messages: its English rdfs:label (or skos:prefLabel) in the vocabulary, else its
    CURIE."""

    _PROPS = (ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.prefLabel)))

    def __init__(self, store: GapsStore | None = None):
        self.store, self.seen = store, {}

    def __call__(self, t: Term) -> str:
        if not isinstance(t, ox.NamedNode):
            return t.value
        if t.value not in self.seen:
            self.seen[t.value] = self._label(t) or curie(URIRef(t.value))
        return self.seen[t.value]

    def _label(self, t: ox.NamedNode) -> str | None:
        if self.store is None:
            return None
        for p in self._PROPS:
            found = [o for o in self.store.objects(t, p, ox.DefaultGraph()) if isinstance(o, ox.Literal)]
            best = [o for o in found if (o.language or "en").startswith("en")] or found
            if best:
                return best[0].value
        return None


def render(template: str, row: dict[str, Term], labels: Labels | None = None) -> str:
    """The message template with the row's values: concepts by their label (else CURIE), literals as their text."""
    show = labels or Labels()
    vals = _Values({k: show(t) for k, t in row.items() if k not in RESERVED})
    try:
        return string.Formatter().vformat(template, (), vals)
    except (ValueError, IndexError):
        return template


# ------------------------------------------------------------------------------------------------ SHACL

def run_shacl(store: GapsStore, cat: Catalogue, view_query: str, notice_of: dict[str, str]) -> list[Hit]:
    """Validate the structural view of the notice graphs against the SHACL checks' shapes; ``notice_of`` maps a
    graph IRI to its notice IRI."""
    if not cat.shacl:
        return []
    import pyshacl

    data, where = shacl_view(store, cat.shapes, view_query, notice_of)
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


def shacl_view(store: GapsStore, shapes: Graph, view_query: str,
               notice_of: dict[str, str]) -> tuple[Graph, dict[str, str]]:
    """The triples the shapes can look at (the target classes' nodes, the properties on their paths), as an rdflib
    graph, and each node's notice IRI. Evidence nodes (84% of a notice graph) stay out: pySHACL's cost grows with
    the data graph."""
    classes = {o for o in shapes.objects(None, SH.targetClass)} | {o for o in shapes.objects(None, SH["class"])}
    paths = {o for o in shapes.objects(None, SH.path) if isinstance(o, URIRef)}
    g, where = Graph(), {}
    for c in sorted(classes):
        for row in store.select(view_query, o=ox.NamedNode(str(c)), p=ox.NamedNode(str(RDF.type))):
            notice = notice_of.get(row["g"].value)
            if notice is not None:
                g.add((URIRef(row["s"].value), RDF.type, c))
                where[row["s"].value] = notice
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
