"""The ontology (ontology/ropa.ttl) and the lexicons (ontology/lexicon/*.yaml) are consistent.

Runs without the DPV release files: checking IRIs against DPV itself is bench/check_dpv_iris.py's job.
"""
from __future__ import annotations

import re
import time
from functools import cache
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ropa.extract.lexicon import expand_macros

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "ropa.ttl"
LEXICON = ROOT / "ontology" / "lexicon"
PREFIXES = {
    "dpv": "https://w3id.org/dpv#",
    "pd": "https://w3id.org/dpv/pd#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "loc": "https://w3id.org/dpv/loc#",
    "tech": "https://w3id.org/dpv/tech#",
    "ropa": "https://w3id.org/ropa#",
}
ROPA = PREFIXES["ropa"]
DPV_BASE = "https://w3id.org/dpv"
CURIE = re.compile(r"^(dpv|pd|eu-gdpr|loc|tech|ropa):[A-Za-z][\w-]*$")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

# Terms the graph builder emits (GRAPH-CONTRACT.md) and the GDPR articles ropa/extract/legal.py can cite.
CONTRACT_TERMS = """
dpv:PrivacyNotice dpv:DataController dpv:Process dpv:Transfer dpv:CrossBorderTransfer dpv:StorageDuration
dpv:TemporalDuration dpv:UntilEventDuration dpv:IndeterminateDuration dpv:EndlessDuration dpv:DataProtectionOfficer
dpv:ParentLegalEntity dpv:JointDataControllers dpv:DataProcessor dpv:Organisation dpv:LegalEntity
eu-gdpr:DataProtectionAuthority dpv:Disclose dpv:PersonalData dpv:DataSubject dpv:Purpose dpv:LegalBasis dpv:Recipient
dpv:ThirdParty dpv:DataSource dpv:Right dpv:ThirdCountry dpv:SpecialCategoryPersonalData
dpv:hasName dpv:hasCountry dpv:hasIdentifier dpv:hasAddress dpv:hasContact dpv:hasDataProtectionOfficer
dpv:hasDataController dpv:hasJointDataControllers dpv:hasDataSubject dpv:hasPersonalData dpv:hasPurpose
dpv:hasLegalBasis dpv:hasRecipient dpv:hasDataSource dpv:hasStorageCondition dpv:hasDuration dpv:hasProcessing
dpv:hasThirdCountry dpv:hasRight dpv:hasAuthority dpv:isImplementedUsingTechnology dpv:hasNotice
""".split()
GDPR_ARTICLES = [f"eu-gdpr:A6-1-{x}" for x in "abcdef"] + [f"eu-gdpr:A9-2-{x}" for x in "abcdefghij"] + [
    "eu-gdpr:A6-1-a-explicit-consent", "eu-gdpr:A6-1-a-non-explicit-consent", "eu-gdpr:A6-1-b-contract-performance",
    "eu-gdpr:A6-1-b-enter-into-contract", "eu-gdpr:A6-1-d-data-subject", "eu-gdpr:A6-1-d-natural-person",
    "eu-gdpr:A6-1-e-official-authority", "eu-gdpr:A6-1-e-public-interest", "eu-gdpr:A6-1-f-controller",
    "eu-gdpr:A6-1-f-third-party", "eu-gdpr:A45-3", "eu-gdpr:AdequacyDecision",
] + [f"eu-gdpr:A46-2-{x}" for x in "abcdef"] + ["eu-gdpr:A46-3-a", "eu-gdpr:A46-3-b"] + [
    f"eu-gdpr:A49-1-{x}" for x in "abcdefg"] + ["eu-gdpr:A49-2"] + [
    f"eu-gdpr:A{n}" for n in ("7-3", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "77", "78", "79")]
PROJECT_PROPERTIES = ["ropa:invalidatedOn", "ropa:bound", "ropa:trigger", "ropa:legalReference"]


def iri(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(PREFIXES[prefix] + local)


def is_dpv_term(node) -> bool:
    s = str(node)
    return isinstance(node, URIRef) and s.startswith(DPV_BASE) and not s.endswith(("#", "/"))


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@cache
def lexicon_docs() -> dict[str, dict]:
    """Facet lexicons: the YAML files with an `entries` list (sections.yaml and cues.yaml hold structure cues)."""
    docs = {}
    for path in sorted(LEXICON.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and "entries" in doc:
            docs[path.name] = expand_macros(doc)
    return docs


def all_yaml_curies() -> dict[str, set[str]]:
    """Every string in any lexicon folder YAML that is a whole CURIE, plus loc: codes of authorities."""
    found: dict[str, set[str]] = {}

    def walk(x, where):
        if isinstance(x, dict):
            for v in x.values():
                walk(v, where)
        elif isinstance(x, list):
            for v in x:
                walk(v, where)
        elif isinstance(x, str) and CURIE.match(x.strip()):
            found.setdefault(x.strip(), set()).add(where)

    for path in sorted(LEXICON.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        walk(doc, path.name)
        for e in (doc or {}).get("entries", []) if isinstance(doc, dict) else []:
            if isinstance(e, dict) and "authority" in e:
                found.setdefault(f"loc:{e['country']}", set()).add(path.name)
    return found


def compile_patterns(patterns: list[str], case_sensitive: bool) -> re.Pattern[str]:
    """As the extractor's loader does: alternatives wrapped in word boundaries."""
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", 0 if case_sensitive else re.IGNORECASE)


def entry_value(entry: dict) -> str:
    return entry.get("concept") or entry.get("country") or "|".join(entry.get("concepts") or [])


@cache
def _compiled(file_name: str) -> list[tuple[str, re.Pattern[str], re.Pattern[str] | None]]:
    return [(entry_value(e), compile_patterns(e["patterns"], bool(e.get("case_sensitive"))),
             compile_patterns(e["unless"], False) if e.get("unless") else None)
            for e in lexicon_docs()[file_name]["entries"]]


def facet_find(file_name: str, text: str) -> list[tuple[str, int, int]]:
    """The extractor's matching semantics: unless-vetoes, then longest match first, then leftmost, then file order."""
    hits = []
    for value, pat, unless in _compiled(file_name):
        for m in pat.finditer(text):
            lo, hi = max(0, m.start() - 60), min(len(text), m.end() + 60)
            if unless and any(u.start() < m.end() and m.start() < u.end() for u in unless.finditer(text, lo, hi)):
                continue
            hits.append((value, m.start(), m.end()))
    hits.sort(key=lambda h: (-(h[2] - h[1]), h[1]))
    taken: list[tuple[str, int, int]] = []
    for h in hits:
        if all(h[2] <= t[1] or t[2] <= h[1] for t in taken):
            taken.append(h)
    return sorted(taken, key=lambda h: h[1])


def entries_with_examples():
    for name, doc in lexicon_docs().items():
        for i, e in enumerate(doc["entries"]):
            for ex in e.get("examples", []) or []:
                yield pytest.param(name, i, ex, id=f"{name}:{entry_value(e)}:{ex[:40]}")


# --- ropa.ttl ---------------------------------------------------------------------------------------------

def test_ontology_parses_and_has_a_header():
    g = ontology()
    onto = URIRef("https://w3id.org/ropa")
    assert (onto, RDF.type, OWL.Ontology) in g
    assert g.value(onto, OWL.versionInfo) is not None
    assert g.value(onto, URIRef("http://purl.org/dc/terms/license")) is not None
    assert g.value(onto, URIRef("http://purl.org/dc/terms/title")) is not None


def test_every_lexicon_curie_is_declared_in_the_ontology():
    g = ontology()
    undeclared = sorted(f"{c} ({', '.join(sorted(w))})" for c, w in all_yaml_curies().items()
                        if (iri(c), RDFS.label, None) not in g)
    hint = "declare these in ontology/ropa.ttl (bench/check_dpv_iris.py --stub helps): "
    assert not undeclared, hint + "; ".join(undeclared)


@pytest.mark.parametrize("curie", CONTRACT_TERMS + GDPR_ARTICLES + PROJECT_PROPERTIES)
def test_graph_builder_terms_are_declared(curie):
    assert (iri(curie), RDFS.label, None) in ontology(), f"{curie} is used by the graph builder; declare it"


def test_no_dpv_iri_in_the_ontology_lacks_a_label():
    g = ontology()
    used = {n for t in g for n in t if is_dpv_term(n)}
    unlabelled = sorted(str(n) for n in used if (n, RDFS.label, None) not in g)
    assert not unlabelled, unlabelled


def test_declared_dpv_terms_carry_definition_and_source():
    g = ontology()
    for s in {s for s in g.subjects(RDFS.label, None) if is_dpv_term(s)}:
        assert g.value(s, SKOS.definition), f"{s} needs a skos:definition in the project's own words"
        defined_by = str(g.value(s, RDFS.isDefinedBy) or "")
        assert defined_by.startswith(DPV_BASE), f"{s} needs rdfs:isDefinedBy its DPV namespace"
        assert (s, RDF.type, None) in g, f"{s} needs its DPV type"


def test_every_ropa_iri_used_is_declared():
    g = ontology()
    used = {n for t in g for n in t if isinstance(n, URIRef) and str(n).startswith(ROPA) and str(n) != ROPA}
    undeclared = sorted(str(n) for n in used if (n, RDFS.label, None) not in g)
    assert not undeclared, undeclared


def ropa_concepts() -> list[URIRef]:
    g = ontology()
    return sorted(s for s in g.subjects(RDF.type, SKOS.Concept) if str(s).startswith(ROPA))


def test_project_concepts_have_labels_definitions_and_reach_dpv():
    g = ontology()
    concepts = ropa_concepts()
    assert concepts
    for c in concepts:
        assert g.value(c, RDFS.label) and g.value(c, SKOS.prefLabel), f"{c} needs rdfs:label and skos:prefLabel"
        assert g.value(c, SKOS.definition), f"{c} needs a skos:definition"
        seen, frontier, reached = {c}, [c], False
        while frontier:
            node = frontier.pop()
            for parent in g.objects(node, SKOS.broader):
                if not str(parent).startswith(ROPA):
                    reached = True
                elif parent not in seen:
                    seen.add(parent)
                    frontier.append(parent)
        assert reached, f"{c} has no skos:broader path to a DPV concept"


def test_project_properties_are_declared():
    g = ontology()
    for curie in PROJECT_PROPERTIES:
        assert (iri(curie), RDF.type, RDF.Property) in g
        assert g.value(iri(curie), SKOS.definition)


@pytest.mark.parametrize("curie, date", [("ropa:EUUSPrivacyShield", "2020-07-16"), ("ropa:SafeHarbor", "2015-10-06")])
def test_invalidated_transfer_frameworks_carry_their_date(curie, date):
    g = ontology()
    assert (iri(curie), iri("ropa:invalidatedOn"), Literal(date, datatype=XSD_DATE)) in g
    assert (iri(curie), SKOS.broader, iri("eu-gdpr:A45-3")) in g
    assert g.value(iri(curie), RDFS.comment)


# --- lexicons ------------------------------------------------------------------------------------------------

def test_lexicon_files_are_well_formed():
    docs = lexicon_docs()
    assert len(docs) >= 11
    facets = [d.get("facet") for d in docs.values()]
    assert all(isinstance(f, str) and f for f in facets)
    assert len(set(facets)) == len(facets), "two files claim the same facet"
    for name, doc in docs.items():
        assert isinstance(doc["entries"], list) and doc["entries"], name
        values = []
        for e in doc["entries"]:
            value = entry_value(e)
            assert value, f"{name}: an entry needs `concept` (or `authority` + `country`): {e}"
            if "authority" in e:
                assert re.fullmatch(r"[A-Z]{2}", e["country"]), f"{name}: country must be an ISO 3166 alpha-2 code: {e}"
            else:
                assert all(CURIE.match(v) for v in value.split("|")), f"{name}: {value!r} is not a CURIE"
            assert e.get("patterns") and all(isinstance(p, str) and p for p in e["patterns"]), \
                f"{name}: {value}: patterns must be non-empty strings (quote a pattern holding ': ')"
            assert all(isinstance(p, str) for p in e.get("unless") or []), f"{name}: {value}: unless: strings only"
            assert not any(p.lstrip("(?:").startswith(".*") for p in e["patterns"]), f"{name}: {value}: no leading .*"
            compile_patterns(e["patterns"], bool(e.get("case_sensitive")))
            if e.get("unless"):
                compile_patterns(e["unless"], False)
            if "concept" in e:
                values.append(value)
        dupes = {v for v in values if values.count(v) > 1}
        assert not dupes, f"{name}: a concept may appear in one entry only: {sorted(dupes)}"


@pytest.mark.parametrize("name, index, example", list(entries_with_examples()))
def test_each_example_is_matched_by_its_own_entry(name, index, example):
    doc = lexicon_docs()[name]
    entry = doc["entries"][index]
    found = facet_find(name, example)
    assert any(v == entry_value(entry) for v, _, _ in found), \
        f"{name}: {entry_value(entry)} should match {example!r}; the facet found {found}"


def test_every_entry_has_an_example():
    lacking = [f"{n}:{entry_value(e)}" for n, d in lexicon_docs().items()
               for e in d["entries"] if not e.get("examples")]
    assert not lacking, lacking


@pytest.mark.parametrize("facet, text, expected, absent", [
    ("personal_data", "We collect your name, IP address and email address.",
     {"pd:Name", "pd:IPAddress", "pd:EmailAddress"}, {"pd:PhysicalAddress"}),
    ("personal_data", "Please e-mail us or contact us by email.", set(), {"pd:EmailAddress"}),
    ("countries", "Contact us. We transfer data to the US and the UK.", {"loc:US", "loc:GB"}, set()),
    ("countries", "CONTACT US at privacy@example.com", set(), {"loc:US"}),
    ("countries", "to countries outside the EU/EEA", {"loc:non-EEA"}, {"loc:non-EU"}),
    ("countries", "offices in New Jersey", set(), {"loc:JE"}),
    ("data_subjects", "visitors to our offices and websites", {"ropa:PremisesVisitor", "ropa:WebsiteVisitor"}, set()),
    ("data_subjects", "customers’ end users", {"ropa:EndUser"}, {"dpv:Customer"}),
    ("safeguards", "the EU-U.S. Privacy Shield and the Swiss-U.S. Privacy Shield",
     {"ropa:EUUSPrivacyShield", "ropa:SwissUSPrivacyShield"}, set()),
    ("safeguards", "countries that may not provide an adequate level of data protection", set(), {"eu-gdpr:A45-3"}),
    ("legal_bases", "Legal interest: We process your personal data", {"eu-gdpr:A6-1-f"}, set()),
    ("legal_bases", "we do not need your consent", set(), {"eu-gdpr:A6-1-a"}),
    ("recipients", "our social media, advertising and analytics partners",
     {"ropa:SocialMediaPlatform", "ropa:AdvertisingPartner", "ropa:AnalyticsProvider"}, set()),
])
def test_resolution_between_entries(facet, text, expected, absent):
    name = next(n for n, d in lexicon_docs().items() if d["facet"] == facet)
    found = {v for v, _, _ in facet_find(name, text)}
    assert expected <= found, f"{text!r}: expected {expected}, found {found}"
    assert not (absent & found), f"{text!r}: {absent & found} should not match"


def test_matching_stays_fast_on_a_long_text():
    """No catastrophic backtracking: every facet scans 30k characters of notice-like text quickly."""
    words = ("we may collect and process your personal data such as name email address phone number and "
             "share it with our service providers for marketing purposes based on your consent or our legitimate "
             "interests and transfer it to the United States under standard contractual clauses , ( ) ; ")
    text = (words * 200)[:30_000]
    for name, doc in lexicon_docs().items():
        _compiled(name)
        t0 = time.perf_counter()
        facet_find(name, text)
        assert time.perf_counter() - t0 < 10, f"{doc['facet']} is too slow; look for nested quantifiers"


def test_extractor_loader_accepts_the_lexicon_folder():
    lexicon = pytest.importorskip("ropa.extract.lexicon")
    if not hasattr(lexicon, "load_folder"):
        pytest.skip("extractor loader not available")
    loaded = lexicon.load_folder(LEXICON)
    for doc in lexicon_docs().values():
        assert loaded[doc["facet"]].entries, doc["facet"]
