"""Namespaces, defined once. CURIEs from the lexicons expand here; an unknown prefix fails loudly."""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

DPV = Namespace("https://w3id.org/dpv#")
PD = Namespace("https://w3id.org/dpv/pd#")
EU_GDPR = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
LOC = Namespace("https://w3id.org/dpv/loc#")
TECH = Namespace("https://w3id.org/dpv/tech#")
OA = Namespace("http://www.w3.org/ns/oa#")
ROPA = Namespace("https://w3id.org/ropa#")
DATA = Namespace("https://w3id.org/ropa/data/")
EXTRACTOR = Namespace("https://w3id.org/ropa/extractor/")

PREFIXES: dict[str, Namespace] = {
    "dpv": DPV, "pd": PD, "eu-gdpr": EU_GDPR, "loc": LOC, "tech": TECH, "ropa": ROPA, "oa": OA,
    "dct": Namespace(str(DCTERMS)), "prov": Namespace(str(PROV)), "skos": Namespace(str(SKOS)),
    "rdfs": Namespace(str(RDFS)), "xsd": Namespace(str(XSD)), "rdf": Namespace(str(RDF)),
}


def iri(curie: str) -> URIRef:
    """``"pd:EmailAddress"`` -> its IRI."""
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIXES or not local:
        raise ValueError(f"unknown CURIE {curie!r}; known prefixes: {', '.join(PREFIXES)}")
    return PREFIXES[prefix][local]


def curie(node: URIRef) -> str:
    """The shortest CURIE for an IRI in a known namespace, else the IRI itself."""
    s = str(node)
    best = max(((p, str(ns)) for p, ns in PREFIXES.items() if s.startswith(str(ns))), key=lambda x: len(x[1]), default=None)
    return f"{best[0]}:{s[len(best[1]):]}" if best else s


def bind(graph) -> None:
    for p, ns in PREFIXES.items():
        graph.bind(p, ns, override=True)
