"""Curation: an analyst's corrections, kept apart from extracted facts, marked with who and when (PROV-O), and
re-applied at every rebuild from a YAML overlay.

The notice's named graph stays the record every query reads (a corrected fact is asserted there, a retracted one
removed), so ``ropa show``, ``gaps`` and ``compare`` see the corrections. What was changed, by whom, when and from
which cell lives apart, in the notice's curation graph ``<notice graph>/curation``::

    <g/curation/rec/…> a rdf:Statement, ropa:Curation ;
        rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
        ropa:curationAction "added" | "removed" ;
        prov:wasAttributedTo <https://w3id.org/ropa/agent/jane-doe> ;
        prov:generatedAtTime "2024-05-01T10:00:00+00:00"^^xsd:dateTime ;
        prov:wasDerivedFrom ?notice ; dct:source "ropa.xlsx, sheet 'Acme A-S', cell E3" ; prov:value "the cell text" .
    <https://w3id.org/ropa/agent/jane-doe> a prov:Agent, prov:Person ; rdfs:label "Jane Doe" .

Extracted facts are the ones with evidence (``prov:wasGeneratedBy`` the extractor); curated ones have a record
here. The overlay file (``--curation curation.yaml``) holds the same changes as data, so a rebuild of the notice
applies them again (see docs/exports.md).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from rdflib import Dataset, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ropa.errors import UsageError
from ropa.graph.build import slug
from ropa.graph.namespaces import DATA, DPV, PREFIXES, ROPA, curie, iri

Triple = tuple[Node, Node, Node]
AGENT = "https://w3id.org/ropa/agent/"
OVERLAY_VERSION = 1


@dataclass
class Change:
    """One curated change of one notice: triples added and removed, by whom, when, from where."""

    graph: URIRef
    add: list[Triple] = field(default_factory=list)
    remove: list[Triple] = field(default_factory=list)
    by: str = "analyst"
    at: str = ""
    source: str = ""
    text: str | None = None


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def curation_graph_iri(graph: URIRef) -> URIRef:
    return URIRef(f"{graph}/curation")


def agent_iri(name: str) -> URIRef:
    return URIRef(AGENT + slug(name.lower()))


def apply(ds: Dataset, changes: Iterable[Change]) -> list[str]:
    """Apply changes to the notice graphs of ``ds`` and record them in the curation graphs; returns warnings."""
    warnings = []
    for ch in changes:
        g = ds.graph(ch.graph)
        if not len(g):
            warnings.append(f"curation for {ch.graph} not applied: the dataset has no such notice graph")
            continue
        for t in ch.remove:
            if t not in g:
                said = " ".join(curie(x) if isinstance(x, URIRef) else repr(str(x)) for x in t)
                warnings.append(f"curation ({ch.source or ch.graph}): {said} was to be removed but the graph no "
                                "longer states it")
            g.remove(t)
        for t in ch.add:
            g.add(t)
        _drop_orphans(g, ch.remove)
        record(ds.graph(curation_graph_iri(ch.graph)), g, ch)
    return warnings


def _drop_orphans(g: Graph, removed: list[Triple]) -> None:
    """A storage condition no longer linked from any activity goes with its duration node."""
    for _, p, o in removed:
        if p == DPV.hasStorageCondition and isinstance(o, URIRef) and (None, p, o) not in g:
            for d in list(g.objects(o, DPV.hasDuration)):
                if isinstance(d, URIRef):
                    g.remove((d, None, None))
            g.remove((o, None, None))


def record(cg: Graph, g: Graph, ch: Change) -> None:
    agent = agent_iri(ch.by)
    cg.add((agent, RDF.type, PROV.Agent))
    cg.add((agent, RDF.type, PROV.Person))
    cg.add((agent, RDFS.label, Literal(ch.by)))
    notice = next(iter(sorted(g.subjects(RDF.type, DPV.PrivacyNotice))), None)
    for action, triples in (("added", ch.add), ("removed", ch.remove)):
        for s, p, o in triples:
            key = hashlib.sha1(f"{action}|{s}|{p}|{o.n3()}|{ch.at}|{ch.by}".encode()).hexdigest()[:16]
            rec = URIRef(f"{cg.identifier}/rec/{key}")
            for t in ((rec, RDF.type, RDF.Statement), (rec, RDF.type, ROPA.Curation), (rec, RDF.subject, s),
                      (rec, RDF.predicate, p), (rec, RDF.object, o), (rec, ROPA.curationAction, Literal(action)),
                      (rec, PROV.wasAttributedTo, agent),
                      (rec, PROV.generatedAtTime, Literal(ch.at, datatype=XSD.dateTime))):
                cg.add(t)
            if notice is not None:
                cg.add((rec, PROV.wasDerivedFrom, notice))
            if ch.source:
                cg.add((rec, DCTERMS.source, Literal(ch.source)))
            if ch.text is not None:
                cg.add((rec, PROV.value, Literal(ch.text)))


# --- the overlay file ---------------------------------------------------------------------------------------------


def _term_out(t: Node, graph: URIRef) -> Any:
    if isinstance(t, Literal):
        out: dict[str, str] = {"literal": str(t)}
        if t.language:
            out["lang"] = t.language
        elif t.datatype:
            out["datatype"] = curie(URIRef(t.datatype))
        return out
    s, base = str(t), f"{graph}/"
    if s.startswith(base):
        return s[len(base):]
    c = curie(URIRef(s))
    return c if c != s else f"<{s}>"


def _term_in(v: Any, graph: URIRef, where: str) -> Node:
    if isinstance(v, dict) and "literal" in v:
        dt = v.get("datatype")
        return Literal(str(v["literal"]), lang=v.get("lang"), datatype=iri(dt) if dt and not v.get("lang") else None)
    if not isinstance(v, str) or not v.strip():
        raise UsageError(f"{where}: {v!r} is not a term; write a CURIE (pd:Name), <IRI>, a path under the notice "
                         "(activity/Customer) or {{literal: text}}")
    v = v.strip()
    if v.startswith("<") and v.endswith(">"):
        return URIRef(v[1:-1])
    prefix = v.partition(":")[0]
    if ":" in v and prefix in PREFIXES:
        return iri(v)
    return URIRef(f"{graph}/{v}")


def notice_key(graph: URIRef) -> str:
    return str(graph).removeprefix(str(DATA))


def to_overlay(changes: Iterable[Change]) -> dict[str, Any]:
    notices: dict[str, list[dict[str, Any]]] = {}
    for ch in changes:
        entry: dict[str, Any] = {"by": ch.by, "at": ch.at}
        if ch.source:
            entry["source"] = ch.source
        for name, triples in (("add", ch.add), ("remove", ch.remove)):
            if triples:
                entry[name] = [[_term_out(x, ch.graph) for x in t] for t in triples]
        notices.setdefault(notice_key(ch.graph), []).append(entry)
    return {"version": OVERLAY_VERSION, "notices": notices}


OVERLAY_HEADER = ("# ropa curation overlay: an analyst's corrections, re-applied after extraction by\n"
                  "#   ropa build NOTICES -o build/ropa.trig --curation THIS.yaml\n"
                  "# Terms: a CURIE (pd:Name), <IRI>, a path under the notice's graph (activity/Customer), or\n"
                  "# {literal: text, datatype: xsd:date | lang: en}. See docs/exports.md.\n")


def dump_overlay(changes: list[Change], path: Path | None = None) -> bytes:
    """The overlay YAML for ``changes``, appended to the entries already in ``path`` (if it exists)."""
    data = to_overlay(changes)
    if path is not None and Path(path).is_file():
        old = load_overlay_data(Path(path))
        for key, entries in data["notices"].items():
            old.setdefault("notices", {}).setdefault(key, []).extend(entries)
        data = old
    text = OVERLAY_HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
    return text.encode("utf-8")


def load_overlay_data(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise UsageError(f"cannot read the curation overlay ({str(err).splitlines()[0]}); fix the YAML or pass "
                         "another --curation file", path) from err
    if not isinstance(data, dict) or not isinstance(data.get("notices", {}), dict):
        raise UsageError("not a ropa curation overlay (expected 'version' and 'notices'); see docs/exports.md", path)
    return data


def load_overlay(path: Path) -> list[Change]:
    data = load_overlay_data(path)
    out = []
    for key, entries in (data.get("notices") or {}).items():
        graph = DATA[slug(str(key))]
        for i, e in enumerate(entries or []):
            where = f"{path}: notices/{key}[{i}]"
            if not isinstance(e, dict):
                raise UsageError(f"{where}: expected a mapping with add/remove, by and at")
            ch = Change(graph, by=str(e.get("by") or "analyst"), at=str(e.get("at") or now()), source=str(e.get("source") or path))
            for name in ("add", "remove"):
                for t in e.get(name) or []:
                    if not isinstance(t, list) or len(t) != 3:
                        raise UsageError(f"{where}: each {name} item is [subject, property, object]")
                    getattr(ch, name).append(tuple(_term_in(x, graph, where) for x in t))
            out.append(ch)
    return out


def apply_overlay_file(ds: Dataset, path: Path) -> list[str]:
    """``ropa build --curation FILE``: re-apply an overlay to freshly extracted notice graphs."""
    return apply(ds, load_overlay(Path(path)))
