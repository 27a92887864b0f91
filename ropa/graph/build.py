"""Records -> RDF, following ../shared/GRAPH-CONTRACT.md: one named graph per notice, DPV properties, and an
evidence node (quote + offsets, extractor version) for every extracted triple.

IRIs are derived from the notice's file name (the named graph) and from content (evidence, storage nodes), never
from run order or time, so the same input gives the same graph.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ropa import __version__
from ropa.graph.namespaces import DATA, DPV, EU_GDPR, EXTRACTOR, LOC, OA, ROPA, bind, iri
from ropa.model import Activity, Evidence, Fact, NoticeRecord

ACTIVITY_PROPS = {
    "data_subjects": DPV.hasDataSubject, "personal_data": DPV.hasPersonalData, "purposes": DPV.hasPurpose,
    "legal_bases": DPV.hasLegalBasis, "recipients": DPV.hasRecipient, "sources": DPV.hasDataSource,
    "technologies": DPV.isImplementedUsingTechnology, "processing": DPV.hasProcessing,
    "measures": DPV.hasTechnicalOrganisationalMeasure,
}
CONTROLLER_PROPS = {"name": DPV.hasName, "identifier": DPV.hasIdentifier, "address": DPV.hasAddress,
                    "contact": DPV.hasContact}
# Evidence places kept per fact: the first ones extracted (in text order). A real notice states a fact a handful of times; a
# notice repeating one sentence thousands of times would otherwise grow the graph by 13 triples a repetition.
MAX_EVIDENCE = 50
DURATION_KINDS = {"until_event": DPV.UntilEventDuration, "indefinite": DPV.EndlessDuration}


def slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return s or hashlib.sha1(text.encode()).hexdigest()[:12]


def graph_iri(source: str) -> URIRef:
    """The named graph of a notice: from its file name only, so a rebuild of a changed notice replaces it."""
    return DATA[slug(source)]


def extractor_iri(name: str) -> URIRef:
    return EXTRACTOR[name]


class _Writer:
    """Adds facts with their evidence to one notice graph."""

    def __init__(self, g: Graph, base: str, notice: URIRef, extractor: URIRef):
        self.g, self.base, self.notice, self.extractor = g, base, notice, extractor
        self.places: Counter = Counter()  # evidence places written per (s, p, o)

    def node(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/" + "/".join(slug(p) for p in parts))

    def add(self, s: URIRef, p: URIRef, o, evidence: Iterable[Evidence] = ()) -> None:
        self.g.add((s, p, o))
        for ev in evidence:
            if self.places[s, p, o] >= MAX_EVIDENCE:
                return
            self.places[s, p, o] += 1
            self.evidence(s, p, o, ev)

    def evidence(self, s, p, o, ev: Evidence) -> None:
        key = hashlib.sha1(f"{s}|{p}|{o}|{ev.start}|{ev.end}".encode()).hexdigest()[:16]
        node = URIRef(f"{self.base}/ev/{key}")
        q, pos = URIRef(f"{node}/quote"), URIRef(f"{node}/position")
        g = self.g
        for t in ((node, RDF.type, RDF.Statement), (node, RDF.subject, s), (node, RDF.predicate, p),
                  (node, RDF.object, o), (node, PROV.wasDerivedFrom, self.notice),
                  (node, PROV.wasGeneratedBy, self.extractor), (node, OA.hasSelector, q), (node, OA.hasSelector, pos),
                  (q, RDF.type, OA.TextQuoteSelector), (q, OA.exact, Literal(ev.quote)),
                  (pos, RDF.type, OA.TextPositionSelector), (pos, OA.start, Literal(ev.start)),
                  (pos, OA.end, Literal(ev.end))):
            g.add(t)


def add_record(ds: Dataset, record: NoticeRecord) -> Graph:
    """Write one notice's record as its named graph in ``ds`` (replacing what was there)."""
    gid = graph_iri(record.document.source)
    ds.remove_graph(ds.graph(gid))
    g = ds.graph(gid)
    bind(g)
    _write_record(g, record)
    return g


def record_ntriples(record: NoticeRecord) -> bytes:
    """One notice's named graph as N-Triples, the same triples as :func:`add_record` writes, without building an
    rdflib graph (3x cheaper: what a store build or a shard spends per notice)."""
    triples = _TripleSet()
    _write_record(triples, record)
    return triples.ntriples()


def _write_record(g, record: NoticeRecord) -> None:
    base = str(graph_iri(record.document.source))
    notice = URIRef(base + "/notice")
    w = _Writer(g, base, notice, extractor_iri(record.extractor))
    _notice(w, record)
    ctrl = _controller(w, record)
    for act in record.activities:
        _activity(w, act, ctrl)


class _TripleSet:
    """What :class:`_Writer` needs of a graph (``add``), as an insertion-ordered set of rdflib triples."""

    def __init__(self) -> None:
        self.triples: dict[tuple, None] = {}

    def add(self, triple: tuple) -> None:
        self.triples[triple] = None

    def ntriples(self) -> bytes:
        named: dict[URIRef, str] = {}  # predicates, types and the notice's nodes repeat on every line

        def term(t) -> str:
            if isinstance(t, URIRef):
                out = named.get(t)
                if out is None:
                    out = named[t] = f"<{t}>"
                return out
            return _nt_literal(t)

        return "".join(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in self.triples).encode("utf-8")


_XSD_STRING = str(XSD.string)
_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt_literal(lit: Literal) -> str:
    """A literal in N-Triples: the four characters the grammar forbids raw (quote, backslash, LF, CR) escaped."""
    text = f'"{str(lit).translate(_NT_ESCAPES)}"'
    if lit.language:
        return f"{text}@{lit.language}"
    if lit.datatype is not None and str(lit.datatype) != _XSD_STRING:
        return f"{text}^^<{lit.datatype}>"
    return text


def _notice(w: _Writer, r: NoticeRecord) -> None:
    doc, g, n = r.document, w.g, w.notice
    g.add((n, RDF.type, DPV.PrivacyNotice))
    g.add((n, DCTERMS.source, Literal(doc.source)))
    g.add((n, DCTERMS.format, Literal(doc.media_type)))
    g.add((n, ROPA.contentHash, Literal("sha256:" + doc.sha256)))
    g.add((n, PROV.wasGeneratedBy, w.extractor))
    g.add((w.extractor, RDF.type, PROV.SoftwareAgent))
    g.add((w.extractor, RDFS.label, Literal(f"ropa extractor {r.extractor} (ropa {__version__})")))
    g.add((w.extractor, DCTERMS.hasVersion, Literal(__version__)))
    for f in _first_each(r.notice_facts, "modified"):
        dtype = XSD.date if len(f.value) == 10 else XSD.gYearMonth
        w.add(n, DCTERMS.modified, Literal(f.value, datatype=dtype), [f.evidence])
    for f in r.notice_facts:
        if f.facet == "rights":
            w.add(n, DPV.hasRight, iri(f.value), [f.evidence])
        elif f.facet == "authority":
            _authority(w, f)
        elif f.facet == "defects":
            w.add(n, ROPA.hasDefect, Literal(f.value), [f.evidence])
        elif f.facet == "provision":
            w.add(n, ROPA.statesProvisionRequirement, Literal(True), [f.evidence])
        elif f.facet == "adm":
            w.add(n, ROPA.automatedDecisionMaking, Literal(f.value), [f.evidence])


def _authority(w: _Writer, f: Fact) -> None:
    sa = w.node("authority", f.value)
    w.add(w.notice, DPV.hasAuthority, sa, [f.evidence])
    w.g.add((sa, RDF.type, EU_GDPR.DataProtectionAuthority))
    w.add(sa, DPV.hasCountry, LOC[f.value], [f.evidence])
    if f.get("name"):
        w.add(sa, DPV.hasName, Literal(f.get("name")), [f.evidence])


def _first_each(facts: list[Fact], facet: str) -> list[Fact]:
    return [f for f in facts if f.facet == facet][:1]


def _controller(w: _Writer, r: NoticeRecord) -> URIRef:
    ctrl = w.node("controller")
    w.g.add((ctrl, RDF.type, DPV.DataController))
    w.g.add((ctrl, DPV.hasNotice, w.notice))
    facts = r.controller.facts
    for f in facts:
        if f.facet in CONTROLLER_PROPS and (f.facet != "name" or f is _first_each(facts, "name")[0]):
            w.add(ctrl, CONTROLLER_PROPS[f.facet], Literal(f.value), [f.evidence])
        elif f.facet == "country":
            w.add(ctrl, DPV.hasCountry, iri(f.value), [f.evidence])
        elif f.facet == "parent":
            parent = w.node("parent")
            w.g.add((parent, RDF.type, DPV.ParentLegalEntity))
            w.add(parent, DPV.hasName, Literal(f.value), [f.evidence])
            w.add(parent, DPV.hasSubsidiary, ctrl, [f.evidence])
    _roles(w, r, ctrl)
    return ctrl


def _roles(w: _Writer, r: NoticeRecord, ctrl: URIRef) -> None:
    for f in r.notice_facts:
        if f.facet == "dpo" and f.value == "named":
            dpo = w.node("dpo")
            w.g.add((dpo, RDF.type, DPV.DataProtectionOfficer))
            w.add(ctrl, DPV.hasDataProtectionOfficer, dpo, [f.evidence])
            if f.get("contact"):
                w.add(dpo, DPV.hasContact, Literal("mailto:" + f.get("contact", "")), [f.evidence])
        elif f.facet == "dpo":
            w.add(ctrl, ROPA.dpoStatement, Literal("not appointed"), [f.evidence])
        elif f.facet == "roles" and f.value == "processor":
            w.add(ctrl, ROPA.alsoActsAs, DPV.DataProcessor, [f.evidence])
        elif f.facet == "roles":
            w.add(ctrl, ROPA.mentionsJointControllers, Literal(True), [f.evidence])


def _activity(w: _Writer, act: Activity, ctrl: URIRef) -> None:
    a = w.node("activity", act.key)
    g = w.g
    g.add((a, RDF.type, DPV.Process))
    g.add((a, DCTERMS.title, Literal(act.title)))
    g.add((a, DPV.hasNotice, w.notice))
    g.add((a, DPV.hasDataController, ctrl))
    for f in act.facts:
        if f.facet in ACTIVITY_PROPS:
            o = iri(f.value)
            w.add(a, ACTIVITY_PROPS[f.facet], o, [f.evidence])
            if f.get("defect"):
                w.add(a, ROPA.citationDefect, Literal(f.get("defect", "")), [f.evidence])
        elif f.facet == "retention":
            _retention(w, a, f)
        elif f.facet == "storage":  # a storage location or deletion: a storage condition beside the durations
            kind = iri(f.value)
            sc = URIRef(f"{a}/storage/{slug(str(kind).rsplit('#', 1)[-1])}")
            w.g.add((sc, RDF.type, kind))
            w.add(a, DPV.hasStorageCondition, sc, [f.evidence])
    for t in act.transfers:
        node = w.node("activity", t.key)
        g.add((node, RDF.type, DPV.CrossBorderTransfer))
        ev = [f.evidence for f in t.destinations + t.safeguards]
        w.add(a, DPV.hasProcessing, node, ev[:1])
        for f in t.destinations:
            w.add(node, DPV.hasThirdCountry, iri(f.value), [f.evidence])
        for f in t.safeguards:
            w.add(node, DPV.hasLegalBasis, iri(f.value), [f.evidence])
        for f in t.statements[:1]:
            w.add(node, ROPA.safeguardCopyAvailable, Literal(True), [f.evidence])


def _retention(w: _Writer, a: URIRef, f: Fact) -> None:
    key = hashlib.sha1(f"{f.value}|{f.detail}".encode()).hexdigest()[:12]
    sc = URIRef(f"{a}/storage/{key}")
    w.g.add((sc, RDF.type, DPV.StorageDuration))
    w.add(a, DPV.hasStorageCondition, sc, [f.evidence])
    if f.value.startswith("P"):
        w.add(sc, DPV.hasDuration, Literal(f.value, datatype=XSD.duration), [f.evidence])
    else:
        dur = URIRef(f"{sc}/duration")
        w.g.add((dur, RDF.type, DURATION_KINDS.get(f.value, DPV.IndeterminateDuration)))
        w.add(sc, DPV.hasDuration, dur, [f.evidence])
        if f.get("description"):
            w.g.add((dur, DCTERMS.description, Literal(f.get("description"), lang="en")))
    for key_, prop in (("bound", ROPA.bound), ("trigger", ROPA.trigger), ("law", ROPA.legalReference)):
        if f.get(key_):
            w.g.add((sc, prop, Literal(f.get(key_))))


def build_dataset(records: Iterable[NoticeRecord]) -> Dataset:
    ds = Dataset()
    bind(ds)
    for r in records:
        add_record(ds, r)
    return ds
