#!/usr/bin/env python3
"""Realistic synthetic ROPA graphs, one named graph per company, for timing stores and queries at scale.

    python bench/synth.py 1000 -o /tmp/synth-1k.nq          # 1,000 companies as N-Quads (~1.5 M quads)
    python bench/synth.py 10000 --seed 3 -o /tmp/synth-10k.nq

    from synth import generate                              # bench/ on sys.path
    for graph_iri, nquads in generate(1000):                # streaming: one company at a time
        ...

Each company follows ../shared/GRAPH-CONTRACT.md and ropa/graph/build.py exactly as the extractor writes it (the
same IRI scheme, node kinds and properties): a notice (source, format, content hash, date), a controller (name,
country, identifier, address, contacts, sometimes a DPO or a parent), 3-8 processing activities with data
subjects, personal data, purposes, legal bases, recipients, sources, storage durations and cross-border transfers,
rights and a supervisory authority; every extracted triple is backed by an ``rdf:Statement`` evidence node with a
quote and offsets (about 85% of the triples, as in the real graphs). Concepts are drawn from the lexicons in
``ontology/lexicon/*.yaml``, so queries that join against the ontology find them.

Gaps appear at realistic rates so gap queries have something to find: ~10% of activities state no legal basis,
~25% of transfers no safeguard, ~30% of activities no retention, ~30% of notices no supervisory authority.
Company ``i`` depends only on ``(i, seed)``: any slice of a run can be regenerated alone.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import random
import re
import sys
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "ontology" / "lexicon"

NS = {
    "dpv": "https://w3id.org/dpv#", "pd": "https://w3id.org/dpv/pd#", "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "loc": "https://w3id.org/dpv/loc#", "tech": "https://w3id.org/dpv/tech#", "ropa": "https://w3id.org/ropa#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dct": "http://purl.org/dc/terms/", "prov": "http://www.w3.org/ns/prov#", "oa": "http://www.w3.org/ns/oa#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
DATA = "https://w3id.org/ropa/data/"
EXTRACTOR = "https://w3id.org/ropa/extractor/synth.v1"

# Used when a lexicon file is missing; the lexicons, when present, replace these.
FALLBACK = {
    "data_subjects": ["dpv:Customer", "dpv:JobApplicant", "dpv:Employee", "dpv:User", "ropa:WebsiteVisitor",
                      "ropa:BusinessPartner", "ropa:Supplier", "ropa:ProspectiveCustomer", "ropa:NewsletterSubscriber"],
    "personal_data": ["pd:Name", "pd:EmailAddress", "pd:TelephoneNumber", "pd:PhysicalAddress", "pd:IPAddress",
                      "pd:Financial", "pd:Purchase", "pd:CurrentEmployment", "pd:EmploymentHistory", "pd:MedicalHealth",
                      "pd:Location", "pd:Preference", "pd:Username", "pd:Password", "pd:BrowsingBehaviour"],
    "purposes": ["dpv:CustomerCare", "dpv:LegalCompliance", "dpv:DirectMarketing", "dpv:ServiceProvision",
                 "dpv:RecruitmentManagement", "dpv:EnforceSecurity", "dpv:ServiceUsageAnalytics",
                 "dpv:FulfilmentOfContractualObligation", "dpv:CustomerRelationshipManagement"],
    "legal_bases": ["eu-gdpr:A6-1-a", "eu-gdpr:A6-1-b", "eu-gdpr:A6-1-c", "eu-gdpr:A6-1-f", "eu-gdpr:A9-2-a"],
    "recipients": ["dpv:DataProcessor", "dpv:ThirdParty", "ropa:ITServiceProvider", "ropa:PaymentProvider",
                   "ropa:GroupCompany", "ropa:PublicAuthority", "ropa:ProfessionalAdviser"],
    "sources": ["dpv:DataSubjectDataSource", "dpv:ThirdPartyDataSource", "dpv:PublicDataSource"],
    "rights": ["eu-gdpr:A15", "eu-gdpr:A16", "eu-gdpr:A17", "eu-gdpr:A18", "eu-gdpr:A20", "eu-gdpr:A21",
               "eu-gdpr:A7-3", "eu-gdpr:A77"],
    "safeguards": ["eu-gdpr:A46-2-c", "eu-gdpr:A45-3", "eu-gdpr:A46-2-b", "eu-gdpr:A49-1-a"],
    "technologies": ["tech:Cookie", "tech:LocalStorage"],
}
# Weighted so common values are common (a few concepts dominate real notices, most are rare).
COMMON = {
    "personal_data": ["pd:Name", "pd:EmailAddress", "pd:TelephoneNumber", "pd:PhysicalAddress", "pd:Contact"],
    "purposes": ["dpv:LegalCompliance", "dpv:CustomerCare", "dpv:ServiceProvision",
                 "dpv:FulfilmentOfContractualObligation", "dpv:DirectMarketing"],
    "legal_bases": ["eu-gdpr:A6-1-b", "eu-gdpr:A6-1-f", "eu-gdpr:A6-1-c", "eu-gdpr:A6-1-a"],
}
COUNTRIES = ["DK", "DE", "FR", "NL", "SE", "IE", "ES", "IT", "BE", "AT", "PL", "FI", "NO", "PT", "CZ", "GB"]
THIRD = ["US", "GB", "IN", "CH", "CN", "JP", "CA", "AU", "SG", "BR"]
WORDS = ["Nordic", "Acme", "Blue", "Fjord", "Atlas", "Green", "Harbour", "Polar", "Summit", "Vertex", "Orbit",
         "Linden", "Birch", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Helix", "Iris", "Juniper", "Kestrel"]
TRADES = ["Logistics", "Software", "Consulting", "Retail", "Foods", "Health", "Energy", "Media", "Finance", "Travel"]
FORMS = ["A/S", "ApS", "GmbH", "B.V.", "AB", "Ltd", "S.A.", "Oy", "SE", "AG"]
ODD = ["O'Neill & Søn", 'The "Quoted" Company', "Brace {Curly} Ltd", "Back\\slash GmbH", "Ünïcødé Æblegrød"]
SENTENCE = ("We process {what} for the purpose of {why} on the basis described in this section, "
            "and we keep it only as long as necessary for that purpose.")


@cache
def concepts(facet: str) -> tuple[str, ...]:
    """The concept CURIEs of a lexicon facet (``- concept: pd:Name`` lines), or a fallback list."""
    path = LEXICON / f"{facet}.yaml"
    found: list[str] = []
    if path.is_file():
        found = re.findall(r"^\s*-\s*concept:\s*([\w-]+:[\w.-]+)", path.read_text(encoding="utf-8"), re.M)
    found = [c for c in dict.fromkeys(found) if c.split(":")[0] in NS]
    return tuple(found) or tuple(FALLBACK[facet])


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return f"<{NS[prefix]}{local}>"


def lit(text: str, datatype: str | None = None) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"^^{expand(datatype)}' if datatype else f'"{esc}"'


# Pre-expanded predicate and class IRIs: the generator's inner loop is string formatting only.
P = {c: expand(c) for c in (
    "rdf:type", "rdf:subject", "rdf:predicate", "rdf:object", "prov:wasDerivedFrom", "prov:wasGeneratedBy",
    "oa:hasSelector", "oa:exact", "oa:start", "oa:end", "oa:TextQuoteSelector", "oa:TextPositionSelector",
    "rdf:Statement", "dpv:PrivacyNotice", "dct:source", "dct:format", "ropa:contentHash", "dct:modified",
    "prov:SoftwareAgent", "rdfs:label", "dct:hasVersion", "dpv:DataController", "dpv:hasNotice", "dpv:hasName",
    "dpv:hasCountry", "dpv:hasIdentifier", "dpv:hasAddress", "dpv:hasContact", "dpv:hasDataProtectionOfficer",
    "dpv:DataProtectionOfficer", "dpv:Process", "dct:title", "dpv:hasDataController", "dpv:hasDataSubject",
    "dpv:hasPersonalData", "dpv:hasPurpose", "dpv:hasLegalBasis", "dpv:hasRecipient", "dpv:hasDataSource",
    "dpv:isImplementedUsingTechnology", "dpv:hasStorageCondition", "dpv:StorageDuration", "dpv:hasDuration",
    "dpv:UntilEventDuration", "dct:description", "ropa:bound", "ropa:trigger", "dpv:hasProcessing",
    "dpv:CrossBorderTransfer", "dpv:hasThirdCountry", "dpv:hasRight", "dpv:hasAuthority",
    "eu-gdpr:DataProtectionAuthority", "dpv:ParentLegalEntity", "dpv:hasSubsidiary")}
FACET_PROP = {"data_subjects": P["dpv:hasDataSubject"], "personal_data": P["dpv:hasPersonalData"],
              "purposes": P["dpv:hasPurpose"], "legal_bases": P["dpv:hasLegalBasis"],
              "recipients": P["dpv:hasRecipient"], "sources": P["dpv:hasDataSource"],
              "technologies": P["dpv:isImplementedUsingTechnology"]}


class _Company:
    """Writes one company's triples (N-Triples lines, no graph) in the shape ropa/graph/build.py produces."""

    def __init__(self, i: int, seed: int):
        self.rnd = random.Random(f"{seed}:{i}")
        self.source = f"synth-{seed}-{i:06d}.txt"
        self.base = DATA + self.source
        self.notice = f"<{self.base}/notice>"
        self.lines: list[str] = []
        self.offset = 0

    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .")

    def fact(self, s: str, p: str, o: str, quote: str) -> None:
        """A triple and its evidence node (13 triples), as ``_Writer.evidence`` writes them."""
        self.t(s, p, o)
        start = self.offset + self.rnd.randrange(20, 400)
        end = start + len(quote)
        self.offset = end
        key = hashlib.sha1(f"{s}|{p}|{o}|{start}|{end}".encode()).hexdigest()[:16]
        ev = f"{self.base}/ev/{key}"
        n, q, pos = f"<{ev}>", f"<{ev}/quote>", f"<{ev}/position>"
        t = self.t
        t(n, P["rdf:type"], P["rdf:Statement"])
        t(n, P["rdf:subject"], s)
        t(n, P["rdf:predicate"], p)
        t(n, P["rdf:object"], o)
        t(n, P["prov:wasDerivedFrom"], self.notice)
        t(n, P["prov:wasGeneratedBy"], f"<{EXTRACTOR}>")
        t(n, P["oa:hasSelector"], q)
        t(n, P["oa:hasSelector"], pos)
        t(q, P["rdf:type"], P["oa:TextQuoteSelector"])
        t(q, P["oa:exact"], lit(quote))
        t(pos, P["rdf:type"], P["oa:TextPositionSelector"])
        t(pos, P["oa:start"], lit(str(start), "xsd:integer"))
        t(pos, P["oa:end"], lit(str(end), "xsd:integer"))

    def pick(self, facet: str, k: int) -> list[str]:
        pool = concepts(facet)
        common = [c for c in COMMON.get(facet, ()) if c in pool] or list(pool[:3])
        out = {self.rnd.choice(common) if self.rnd.random() < 0.5 else self.rnd.choice(pool) for _ in range(k)}
        return sorted(out)

    def build(self) -> list[str]:
        r, t = self.rnd, self.t
        n = self.notice
        t(n, P["rdf:type"], P["dpv:PrivacyNotice"])
        t(n, P["dct:source"], lit(self.source))
        t(n, P["dct:format"], lit("text/plain"))
        t(n, P["ropa:contentHash"], lit("sha256:" + hashlib.sha256(self.source.encode()).hexdigest()))
        t(n, P["prov:wasGeneratedBy"], f"<{EXTRACTOR}>")
        t(f"<{EXTRACTOR}>", P["rdf:type"], P["prov:SoftwareAgent"])
        t(f"<{EXTRACTOR}>", P["rdfs:label"], lit("ropa extractor synth.v1 (synthetic graphs)"))
        t(f"<{EXTRACTOR}>", P["dct:hasVersion"], lit("0.1.0"))
        if r.random() < 0.8:
            date = f"20{r.randrange(18, 26)}-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}"
            self.fact(n, P["dct:modified"], lit(date, "xsd:date"), f"Last updated: {date}")
        ctrl = self.controller()
        for right in self.pick("rights", r.randrange(2, 9)):
            self.fact(n, P["dpv:hasRight"], expand(right), f"You have the right ({right.split(':')[1]}) to ask us.")
        if r.random() < 0.7:
            self.authority()
        for k in range(r.randrange(3, 9)):
            self.activity(ctrl, k)
        return self.lines

    def controller(self) -> str:
        r, t = self.rnd, self.t
        ctrl = f"<{self.base}/controller>"
        name = (r.choice(ODD) if r.random() < 0.01 else f"{r.choice(WORDS)} {r.choice(TRADES)}") + \
            f" {r.choice(FORMS)} {self.source[6:-4]}"
        t(ctrl, P["rdf:type"], P["dpv:DataController"])
        t(ctrl, P["dpv:hasNotice"], self.notice)
        self.fact(ctrl, P["dpv:hasName"], lit(name), f"{name} is the data controller.")
        country = r.choice(COUNTRIES)
        self.fact(ctrl, P["dpv:hasCountry"], f"<{NS['loc']}{country}>", f"registered in {country}")
        if r.random() < 0.7:
            self.fact(ctrl, P["dpv:hasIdentifier"], lit(str(r.randrange(10**7, 10**8))), "CVR no.")
        if r.random() < 0.6:
            self.fact(ctrl, P["dpv:hasAddress"], lit(f"{r.randrange(1, 200)} Harbour Street, {country}"), "Address")
        if r.random() < 0.9:
            self.fact(ctrl, P["dpv:hasContact"], lit(f"mailto:privacy@{self.source[:-4]}.example"), "Write to us")
        if r.random() < 0.4:
            dpo = f"<{self.base}/dpo>"
            t(dpo, P["rdf:type"], P["dpv:DataProtectionOfficer"])
            self.fact(ctrl, P["dpv:hasDataProtectionOfficer"], dpo, "Our data protection officer can be reached")
        if r.random() < 0.1:
            parent = f"<{self.base}/parent>"
            t(parent, P["rdf:type"], P["dpv:ParentLegalEntity"])
            self.fact(parent, P["dpv:hasName"], lit(f"{r.choice(WORDS)} Holding"), "part of the group")
            self.fact(parent, P["dpv:hasSubsidiary"], ctrl, "part of the group")
        return ctrl

    def authority(self) -> None:
        country = self.rnd.choice(COUNTRIES)
        sa = f"<{self.base}/authority/{country}>"
        self.fact(self.notice, P["dpv:hasAuthority"], sa, "You may complain to the supervisory authority")
        self.t(sa, P["rdf:type"], P["eu-gdpr:DataProtectionAuthority"])
        self.fact(sa, P["dpv:hasCountry"], f"<{NS['loc']}{country}>", f"the authority in {country}")
        self.fact(sa, P["dpv:hasName"], lit(f"Data Protection Authority of {country}"), "the authority")

    def activity(self, ctrl: str, k: int) -> None:
        r, t = self.rnd, self.t
        subjects = self.pick("data_subjects", r.randrange(1, 3))
        key = f"{subjects[0].split(':')[1]}-{k}"
        a = f"<{self.base}/activity/{key}>"
        t(a, P["rdf:type"], P["dpv:Process"])
        t(a, P["dct:title"], lit(f"If you are a {subjects[0].split(':')[1]}"))
        t(a, P["dpv:hasNotice"], self.notice)
        t(a, P["dpv:hasDataController"], ctrl)
        counts = {"data_subjects": 0, "personal_data": r.randrange(3, 13), "purposes": r.randrange(2, 7),
                  "legal_bases": 0 if r.random() < 0.1 else r.randrange(1, 3), "recipients": r.randrange(0, 4),
                  "sources": r.randrange(0, 2), "technologies": 1 if r.random() < 0.15 else 0}
        for s in subjects:
            self.fact(a, FACET_PROP["data_subjects"], expand(s), f"If you are a {s.split(':')[1]}")
        for facet, count in counts.items():
            for c in self.pick(facet, count) if count else ():
                self.fact(a, FACET_PROP[facet], expand(c), SENTENCE.format(what=c, why=key))
        for j in range(r.choices((0, 1, 2), (30, 55, 15))[0]):
            self.storage(a, j)
        for j in range(1 if r.random() < 0.3 else 0):
            self.transfer(a, j)

    def storage(self, a: str, j: int) -> None:
        r = self.rnd
        sc = f"<{a[1:-1]}/storage/{j:012x}>"
        self.t(sc, P["rdf:type"], P["dpv:StorageDuration"])
        self.fact(a, P["dpv:hasStorageCondition"], sc, "We keep your data for")
        if r.random() < 0.7:
            self.fact(sc, P["dpv:hasDuration"], lit(f"P{r.randrange(1, 11)}Y", "xsd:duration"), "for years")
            self.t(sc, P["ropa:bound"], lit("max"))
        else:
            dur = f"<{sc[1:-1]}/duration>"
            self.t(dur, P["rdf:type"], P["dpv:UntilEventDuration"])
            self.fact(sc, P["dpv:hasDuration"], dur, "until the end of the contract")
            self.t(dur, P["dct:description"], '"until the end of the contract"@en')
            self.t(sc, P["ropa:trigger"], lit("end of contract"))

    def transfer(self, a: str, j: int) -> None:
        r = self.rnd
        node = f"<{a[1:-1]}-transfer-{j}>"
        self.t(node, P["rdf:type"], P["dpv:CrossBorderTransfer"])
        self.fact(a, P["dpv:hasProcessing"], node, "We transfer data outside the EU/EEA")
        for c in sorted({r.choice(THIRD) for _ in range(r.randrange(1, 3))}):
            self.fact(node, P["dpv:hasThirdCountry"], f"<{NS['loc']}{c}>", f"to {c}")
        if r.random() < 0.75:
            for sg in self.pick("safeguards", 1):
                self.fact(node, P["dpv:hasLegalBasis"], expand(sg), "based on standard contractual clauses")


def company(i: int, seed: int = 0) -> tuple[str, str, list[str]]:
    """Company ``i``: ``(source file name, graph IRI, N-Triples lines of its graph)``."""
    c = _Company(i, seed)
    lines = c.build()
    return c.source, c.base, lines


def generate(n: int, seed: int = 0, start: int = 0) -> Iterator[tuple[str, str]]:
    """Yield ``(graph IRI, N-Quads text)`` for companies ``start .. start+n-1``, one company at a time."""
    for i in range(start, start + n):
        _, graph, lines = company(i, seed)
        g = f" <{graph}> .\n"
        yield graph, "".join(line[:-2] + g for line in lines)


def write(path: Path, n: int, seed: int = 0) -> int:
    """Write ``n`` companies to an N-Quads file (``.gz`` compresses); return the number of quads."""
    opener = gzip.open if str(path).endswith(".gz") else open
    quads = 0
    with opener(path, "wt", encoding="utf-8") as fh:  # type: ignore[operator]
        for _, nq in generate(n, seed):
            fh.write(nq)
            quads += nq.count("\n")
    return quads


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of companies")
    ap.add_argument("-o", "--output", type=Path, required=True, help="N-Quads file (.nq or .nq.gz)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    quads = write(args.output, args.n, args.seed)
    dt = time.perf_counter() - t0
    print(f"{args.n} companies, {quads} quads ({quads / args.n:.0f} per company) -> {args.output} "
          f"in {dt:.1f} s ({quads / dt / 1e6:.2f} M quads/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
