"""Concept IRIs <-> the words an analyst reads in a ROPA cell, and back.

``readable(pd:EmailAddress)`` is "Email Address"; a GDPR article concept reads "Consent (Art. 6(1)(a))". The
reverse, :func:`resolve`, accepts what an analyst may type: that text, the ontology's label or altLabel, a CURIE,
``<IRI>``, "Anything (pd:EmailAddress)", or a bare article citation ("Art. 6(1)(f)", "6(1)(f)").
"""
from __future__ import annotations

import re
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ropa import resources
from ropa.graph.namespaces import EU_GDPR, PREFIXES, curie, iri

_ARTICLE = re.compile(r"^A(\d+)(?:-(\d+))?(?:-([a-z]))?$")
_LABEL_PREFIX = re.compile(r"^(?:Art\.?\s*\d+\s*\([^)]*\)|A\d+(?:-\d+)*(?:-[a-z])?)\s+")
_CITATION = re.compile(r"^(?:art(?:icle)?\.?\s*)?(\d+)\s*(?:\(\s*(\d+)\s*\)|[.-](\d+))?\s*(?:\(\s*([a-z])\s*\)|[.-]?([a-z]))?$",
                       re.IGNORECASE)
_TRAILING_CURIE = re.compile(r"\(([\w-]+:[\w./-]+)\)\s*$")


@cache
def ontology() -> Graph:
    g = Graph()
    if resources.ontology_file().is_file():
        g.parse(resources.ontology_file(), format="turtle")
    return g


def citation(node: URIRef) -> str | None:
    """``eu-gdpr:A6-1-a`` -> "Art. 6(1)(a)"; None for anything that is not a GDPR article concept."""
    s = str(node)
    if not s.startswith(str(EU_GDPR)):
        return None
    m = _ARTICLE.match(s[len(str(EU_GDPR)):])
    if not m:
        return None
    art, par, pt = m.groups()
    return f"Art. {art}" + (f"({par})" if par else "") + (f"({pt})" if pt else "")


@cache
def _labels() -> dict[URIRef, str]:
    out: dict[URIRef, str] = {}
    for prop in (SKOS.prefLabel, RDFS.label):
        for s, o in sorted(ontology().subject_objects(prop)):
            if isinstance(s, URIRef):
                out.setdefault(s, str(o))
    return out


def readable(node) -> str:
    """The words for a cell: the concept's label, with its article for GDPR concepts; a literal as it is."""
    if isinstance(node, Literal):
        return str(node)
    label = _labels().get(node)
    cite = citation(node)
    if cite:
        name = _LABEL_PREFIX.sub("", label or "").strip()
        return f"{name[:1].upper()}{name[1:]} ({cite})" if name else cite
    return label if label else curie(node)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().casefold()


@cache
def _index() -> dict[str, list[URIRef]]:
    """Normalised text -> concepts, readable labels first, then labels and altLabels, then CURIEs."""
    idx: dict[str, list[URIRef]] = {}
    g = ontology()
    concepts = sorted({s for s in g.subjects(RDFS.label, None) if isinstance(s, URIRef)}
                      | {s for s in g.subjects(SKOS.prefLabel, None) if isinstance(s, URIRef)})
    keys: list[tuple[str, URIRef]] = [(readable(c), c) for c in concepts]
    for prop in (SKOS.prefLabel, RDFS.label, SKOS.altLabel):
        keys += [(str(o), s) for s, o in sorted(g.subject_objects(prop)) if isinstance(s, URIRef)]
    keys += [(curie(c), c) for c in concepts]
    for text, c in keys:
        bucket = idx.setdefault(norm(text), [])
        if c not in bucket:
            bucket.append(c)
    return idx


def resolve(text: str) -> list[URIRef]:
    """The concepts ``text`` may name, best first (empty when none). Never raises."""
    t = text.strip()
    if not t:
        return []
    if t.startswith("<") and t.endswith(">") and re.fullmatch(r"<[a-zA-Z][\w+.-]*:[^\s<>\"{}|\\^`]*>", t):
        return [URIRef(t[1:-1])]
    hit = _index().get(norm(t))
    if hit:
        return list(hit)
    m = _TRAILING_CURIE.search(t)
    if m:
        found = _curie(m.group(1))
        if found is not None:
            return [found]
    return _from_citation(t)


def _curie(text: str) -> URIRef | None:
    prefix = text.partition(":")[0]
    if prefix not in PREFIXES:
        return None
    try:
        node = iri(text)
    except ValueError:
        return None
    return node if (node, None, None) in ontology() else None


def _from_citation(text: str) -> list[URIRef]:
    m = _CITATION.match(text.strip())
    if not m:
        return []
    art, par, par2, pt, pt2 = m.groups()
    local = "A" + art + (f"-{par or par2}" if (par or par2) else "") + (f"-{(pt or pt2).lower()}" if (pt or pt2) else "")
    node = EU_GDPR[local]
    return [node] if (node, None, None) in ontology() else []
