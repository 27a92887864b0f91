#!/usr/bin/env python3
"""Check that every DPV IRI the project uses exists in the DPV 2.3 release files.

Usage:
    python bench/check_dpv_iris.py DPV_DIR [--graph FILE ...] [--ontology FILE] [--lexicon DIR]
    python bench/check_dpv_iris.py DPV_DIR --stub pd:EmailAddress dpv:Marketing ...

DPV_DIR holds the DPV Turtle files (dpv.ttl, pd.ttl, eu-gdpr.ttl, loc.ttl, tech.ttl, legal.ttl; the *-owl.ttl
files are not read). Checked:

1. every IRI in a DPV namespace (https://w3id.org/dpv...) used in ontology/ropa.ttl, in the lexicon YAML files
   (CURIEs such as pd:EmailAddress, and the loc: code of each authority's country) and in any --graph file
   (TriG, N-Quads, Turtle, N-Triples, JSON-LD) is defined by DPV, i.e. is the subject of a triple there;
2. every DPV term ropa.ttl declares has the same skos:broader links (and rdfs:subPropertyOf links) as in DPV.

--stub prints a Turtle declaration to paste into ontology/ropa.ttl for each given DPV term: its types, label and
broader links read from DPV, with a definition left for you to write in your own words.

Exit codes: 0 all IRIs exist and all broader links match; 1 findings (listed); 2 bad input.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
DPV_BASE = "https://w3id.org/dpv"
PREFIXES = {
    "dpv": "https://w3id.org/dpv#",
    "pd": "https://w3id.org/dpv/pd#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "loc": "https://w3id.org/dpv/loc#",
    "tech": "https://w3id.org/dpv/tech#",
    "ropa": "https://w3id.org/ropa#",
}
DPV_FILES = ("dpv.ttl", "pd.ttl", "eu-gdpr.ttl", "loc.ttl", "tech.ttl", "legal.ttl")
CURIE = re.compile(r"^(dpv|pd|eu-gdpr|loc|tech|ropa):([A-Za-z][\w-]*)$")
GRAPH_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt",
                 ".jsonld": "json-ld", ".json": "json-ld"}


class InputError(Exception):
    """Unreadable input; the message says which file and what to do."""


def load_dpv(folder: Path) -> Graph:
    if not (folder / "dpv.ttl").is_file():
        raise InputError(f"{folder}: no dpv.ttl; pass the folder holding the DPV 2.3 Turtle files (e.g. ../shared/dpv)")
    g = Graph()
    for name in DPV_FILES:
        if (folder / name).is_file():
            g.parse(folder / name, format="turtle")
    return g


def is_dpv(node) -> bool:
    """An IRI in a DPV namespace that names a term (not a bare namespace or module IRI)."""
    s = str(node)
    return isinstance(node, URIRef) and s.startswith(DPV_BASE) and not s.endswith(("#", "/"))


def expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(PREFIXES[prefix] + local)


def shorten(node) -> str:
    s = str(node)
    for p, base in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if s.startswith(base):
            return f"{p}:{s[len(base):]}"
    return s


def lexicon_iris(folder: Path) -> dict[URIRef, set[str]]:
    """DPV IRIs named in the lexicon YAML files -> the files naming them."""
    found: dict[URIRef, set[str]] = defaultdict(set)

    def walk(x, where: str) -> None:
        if isinstance(x, dict):
            for v in x.values():
                walk(v, where)
        elif isinstance(x, list):
            for v in x:
                walk(v, where)
        elif isinstance(x, str) and (m := CURIE.match(x.strip())) and m.group(1) != "ropa":
            found[expand(x.strip())].add(where)

    for path in sorted(folder.glob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as err:
            raise InputError(f"{path}: not valid YAML ({err}); fix the file") from err
        walk(doc, path.name)
        for entry in doc.get("entries", []) if isinstance(doc, dict) else []:
            if isinstance(entry, dict) and "authority" in entry and entry.get("country"):
                found[expand(f"loc:{entry['country']}")].add(path.name)
    return found


def graph_iris(path: Path) -> set[URIRef]:
    fmt = GRAPH_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown graph format; use one of {', '.join(GRAPH_FORMATS)}")
    try:
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            ds.parse(path, format=fmt)
            quads = ds.quads((None, None, None, None))
            return {n for q in quads for n in q[:3] if is_dpv(n)}
        g = Graph()
        g.parse(path, format=fmt)
    except Exception as err:  # rdflib raises many kinds
        raise InputError(f"{path}: cannot parse as {fmt} ({err})") from err
    return {n for t in g for n in t if is_dpv(n)}


def broader_mismatches(ontology: Graph, dpv: Graph) -> list[str]:
    """Declared DPV terms whose skos:broader / rdfs:subPropertyOf links differ from DPV's."""
    out = []
    declared = {s for s in ontology.subjects(RDFS.label, None) if is_dpv(s)}
    for s in sorted(declared, key=str):
        for prop, name in ((SKOS.broader, "skos:broader"), (RDFS.subPropertyOf, "rdfs:subPropertyOf")):
            ours = set(ontology.objects(s, prop))
            theirs = {o for o in dpv.objects(s, prop) if is_dpv(o)}
            if ours != theirs:
                extra = ", ".join(sorted(shorten(o) for o in ours - theirs)) or "-"
                lacking = ", ".join(sorted(shorten(o) for o in theirs - ours)) or "-"
                out.append(f"{shorten(s)}: {name} differs from DPV (extra: {extra}; missing: {lacking})")
    return out


def stub(curie: str, dpv: Graph) -> str:
    s = expand(curie)
    if (s, None, None) not in dpv:
        return f"# {curie}: not in DPV; use a project concept (ropa:...) with skos:broader to a DPV concept instead\n"
    std = {str(RDFS.Class): "rdfs:Class", str(SKOS.Concept): "skos:Concept", str(RDF.Property): "rdf:Property"}
    types = sorted({std.get(str(o)) or shorten(o) for o in dpv.objects(s, RDF.type)
                    if str(o) in std or is_dpv(o)})
    label = dpv.value(s, SKOS.prefLabel) or dpv.value(s, RDFS.label) or curie.split(":")[1]
    lines = [f"{curie} a {', '.join(types)} ;", f'    rdfs:label "{label}"@en ;']
    broader = sorted(shorten(o) for o in dpv.objects(s, SKOS.broader) if is_dpv(o))
    if broader:
        lines.append(f"    skos:broader {', '.join(broader)} ;")
    sub = sorted(shorten(o) for o in dpv.objects(s, RDFS.subPropertyOf) if is_dpv(o))
    if sub:
        lines.append(f"    rdfs:subPropertyOf {', '.join(sub)} ;")
    ns = PREFIXES[curie.split(":")[0]]
    lines += [f"    rdfs:isDefinedBy <{ns}> ;", '    skos:definition "WRITE ONE LINE IN YOUR OWN WORDS"@en .']
    missing = sorted(b for b in broader if b.split(":")[0] in PREFIXES)
    note = f"# declare its broader terms too if ropa.ttl lacks them: {', '.join(missing)}\n" if missing else ""
    return note + "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dpv_dir", type=Path, help="folder with the DPV 2.3 Turtle files (e.g. ../shared/dpv)")
    p.add_argument("--graph", type=Path, action="append", default=[], help="a ropa graph to check (repeatable)")
    p.add_argument("--ontology", type=Path, default=ROOT / "ontology" / "ropa.ttl")
    p.add_argument("--lexicon", type=Path, default=ROOT / "ontology" / "lexicon")
    p.add_argument("--stub", nargs="+", metavar="CURIE", help="print Turtle declarations for these DPV terms and exit")
    return p.parse_args(argv)


def run(args: argparse.Namespace) -> int:
    dpv = load_dpv(args.dpv_dir)
    if args.stub:
        for curie in args.stub:
            if not CURIE.match(curie):
                raise InputError(f"{curie}: not a CURIE with a known prefix ({', '.join(PREFIXES)})")
            print(stub(curie, dpv))
        return 0
    defined = {s for s in dpv.subjects() if isinstance(s, URIRef)}
    uses: dict[URIRef, set[str]] = defaultdict(set)
    try:
        ontology = Graph().parse(args.ontology, format="turtle")
    except Exception as err:
        raise InputError(f"{args.ontology}: cannot parse as Turtle ({err})") from err
    for t in ontology:
        for n in t:
            if is_dpv(n):
                uses[n].add(args.ontology.name)
    for iri, where in lexicon_iris(args.lexicon).items():
        uses[iri] |= where
    for path in args.graph:
        for iri in graph_iris(path):
            uses[iri].add(path.name)
    unknown = sorted((iri for iri in uses if iri not in defined), key=str)
    mismatched = broader_mismatches(ontology, dpv)
    for iri in unknown:
        print(f"NOT IN DPV  {shorten(iri)}  ({', '.join(sorted(uses[iri]))})")
    for line in mismatched:
        print(f"BROADER     {line}")
    print(f"checked {len(uses)} DPV IRIs from {args.ontology.name}, {args.lexicon.name}/*.yaml"
          + (f" and {len(args.graph)} graph file(s)" if args.graph else "")
          + f" against {len(defined)} DPV terms: {len(unknown)} not in DPV, {len(mismatched)} broader mismatches")
    return 1 if unknown or mismatched else 0


def main(argv: list[str] | None = None) -> int:
    try:
        return run(parse_args(argv))
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
