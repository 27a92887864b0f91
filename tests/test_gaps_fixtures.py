"""Hand-written notice graphs for the gaps tests: a complete notice, and variants that each break one item.

``notice(name, **parts)`` returns the TriG of one notice graph. The complete notice is made of named parts
(controller, rights, activities, transfer ...); a test case replaces or drops a part to make a check fail or pass.
Every value is a DPV 2.3 concept (or a ropa: concept of ontology/ropa.ttl, or ex: of fixtures/gaps/vocabulary.ttl).
"""
from __future__ import annotations

PREFIXES = """@prefix dct: <http://purl.org/dc/terms/> .
@prefix dpv: <https://w3id.org/dpv#> .
@prefix pd: <https://w3id.org/dpv/pd#> .
@prefix eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#> .
@prefix loc: <https://w3id.org/dpv/loc#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix ropa: <https://w3id.org/ropa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/vocab#> .
"""

RIGHTS = ("A15", "A16", "A17", "A18", "A20", "A21", "A7-3", "A77")

PARTS = {
    "notice": """N:notice a dpv:PrivacyNotice ; dct:source "NAME.txt" ; dct:modified "2026-01-10"^^xsd:date ;
        ropa:statesProvisionRequirement true ; ropa:automatedDecisionMaking "none" .""",
    "rights": " ".join(f"N:notice dpv:hasRight eu-gdpr:{r} ." for r in RIGHTS),
    "authority": """N:notice dpv:hasAuthority N:sa .
        N:sa a eu-gdpr:DataProtectionAuthority ; dpv:hasCountry loc:DK .""",
    "controller": """N:ctrl a dpv:DataController ; dpv:hasNotice N:notice ; dpv:hasName "Acme A/S" ;
        dpv:hasAddress "Main Street 1, 1000 Copenhagen" ; dpv:hasContact "mailto:privacy@acme.example" .""",
    "dpo": """N:ctrl dpv:hasDataProtectionOfficer N:dpo . N:dpo a dpv:DataProtectionOfficer ;
        dpv:hasContact "mailto:dpo@acme.example" .""",
    "customers": """N:act1 a dpv:Process ; dpv:hasNotice N:notice ; dpv:hasDataController N:ctrl ;
        dct:title "Customers" ;
        dpv:hasDataSubject dpv:Customer ; dpv:hasPersonalData pd:EmailAddress ; dpv:hasPurpose dpv:CustomerManagement ;
        dpv:hasLegalBasis eu-gdpr:A6-1-b ; dpv:hasDataSource dpv:DataSubjectDataSource , ropa:EmployerSource ;
        dpv:hasStorageCondition N:sc1 ; dpv:hasTechnicalOrganisationalMeasure dpv:Encryption .
        N:sc1 a dpv:StorageDuration ; dpv:hasDuration "P5Y"^^xsd:duration .""",
    "newsletter": """N:act2 a dpv:Process ; dpv:hasNotice N:notice ; dpv:hasDataController N:ctrl ;
        dct:title "Newsletter" ;
        dpv:hasDataSubject ropa:NewsletterSubscriber ; dpv:hasPersonalData pd:EmailAddress ;
        dpv:hasPurpose dpv:DirectMarketing ; dpv:hasLegalBasis eu-gdpr:A6-1-a ; dpv:hasStorageCondition N:sc2 .
        N:sc2 a dpv:StorageDuration ; dpv:hasDuration "P1Y"^^xsd:duration .""",
    "disclosure": """N:act3 a dpv:Process ; dpv:hasNotice N:notice ; dpv:hasDataController N:ctrl ;
        dct:title "Disclosure: Customers" ; dpv:hasProcessing dpv:Disclose ; dpv:hasDataSubject dpv:Customer ;
        dpv:hasRecipient dpv:DataProcessor .""",
    "transfer": """N:act1 dpv:hasProcessing N:t1 . N:t1 a dpv:CrossBorderTransfer ; dpv:hasThirdCountry loc:US ;
        dpv:hasLegalBasis eu-gdpr:A46-2-c ; ropa:safeguardCopyAvailable true .""",
}


def ev(s: str, p: str, o: str, start: int, end: int, quote: str, key: str) -> str:
    """An evidence statement (rdf:Statement with quote and position selectors) for ``s p o``."""
    q = quote.replace('"', '\\"')
    return (f"N:ev-{key} a rdf:Statement ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ; "
            f"oa:hasSelector N:ev-{key}-q , N:ev-{key}-p . N:ev-{key}-q a oa:TextQuoteSelector ; oa:exact \"{q}\" . "
            f"N:ev-{key}-p a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} .")


def notice(name: str, drop: tuple[str, ...] = (), **replace: str) -> str:
    """The TriG of notice ``name``: the complete notice without the ``drop`` parts, with ``replace`` parts
    replaced (or added, for a new part name)."""
    parts = {k: v for k, v in PARTS.items() if k not in drop}
    parts.update(replace)
    body = "\n".join(parts.values()).replace("NAME", name)
    return f"<urn:test:{name}> {{\n{_expand(body, name)}\n}}\n"


def _expand(body: str, name: str) -> str:
    import re

    return re.sub(r"\bN:([A-Za-z0-9_-]+)", lambda m: f"<urn:test:{name}/{m.group(1)}>", body)


def dataset(*graphs: str) -> str:
    return PREFIXES + "\n".join(graphs)


def test_the_fixture_notices_are_valid_trig():
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(data=dataset(notice("a"), notice("b", drop=("rights", "dpo"), extra="N:act1 dct:title \"x\" .")),
             format="trig")
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert {"urn:test:a", "urn:test:b"} <= graphs
