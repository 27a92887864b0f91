"""The reasoning behind the gaps checks: concept classification (HermiT, owlrl), the activity classification rules,
the cache, and what happens without Java."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from test_gaps_fixtures import dataset, notice

from ropa import resources
from ropa.analyse import reasoning
from ropa.analyse.gaps import gaps
from ropa.analyse.gaps_checks import GAPS
from ropa.analyse.gaps_classify import UnsupportedAxiom, definitions
from ropa.analyse.gaps_store import GapsStore

VOCAB = Path(__file__).parent / "fixtures" / "gaps" / "vocabulary.ttl"
EX, PD, EU = "https://example.org/vocab#", "https://w3id.org/dpv/pd#", "https://w3id.org/dpv/legal/eu/gdpr#"
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime")


def _view():
    store = GapsStore.open(Graph())
    store.load_vocabulary([VOCAB, resources.shapes_dir() / "gaps_concepts.ttl"])
    query = (resources.queries_dir() / "gaps" / "support" / "concept_view.rq").read_text()
    return [(t.subject.value, t.predicate.value, t.object.value) for t in store.construct(query)]


@pytest.fixture(scope="module")
def axioms():
    return reasoning.load_axioms(resources.shapes_dir() / "gaps_classes.ttl")


@pytest.fixture(scope="module")
def by_owlrl(axioms):
    return reasoning.classify_concepts(axioms, _view(), "owlrl", cache_dir=False)


def test_the_hierarchy_is_expanded(by_owlrl):
    t = by_owlrl.types
    assert str(GAPS.ContactData) in t[f"{EX}WorkEmail"]  # work e-mail < e-mail address < contact
    assert str(GAPS.SpecialCategoryData) in t[f"{EX}BloodTestResult"]  # < pd:HealthRecord (DPV special category)
    assert str(GAPS.ConsentBasis) in t[f"{EU}A9-2-a"]  # < ExplicitlyExpressedConsent < ... < dpv:Consent
    assert str(GAPS.InvalidatedMechanism) in t[f"{EX}PrivacyShieldSelfCertification"]
    assert str(GAPS.TrackerRecipient) in t[f"{EX}MetaPixel"]
    assert str(GAPS.ConsentBasis) not in t.get(f"{EU}A6-1-b", set())
    assert str(GAPS.InvalidatedMechanism) not in t.get(f"{EU}A45-3", set())  # broader of the shield: still valid


@needs_java
def test_hermit_and_owlrl_classify_the_concepts_alike(axioms, by_owlrl):
    by_hermit = reasoning.classify_concepts(axioms, _view(), "hermit", cache_dir=False)
    assert by_hermit.ok, by_hermit.note
    assert by_hermit.types == by_owlrl.types


def test_the_cache_spares_the_second_run(axioms, tmp_path, monkeypatch):
    first = reasoning.classify_concepts(axioms, _view(), "owlrl", cache_dir=tmp_path)
    monkeypatch.setattr(reasoning, "_run", lambda *a: pytest.fail("the reasoner ran again"))
    second = reasoning.classify_concepts(axioms, _view(), "owlrl", cache_dir=tmp_path)
    assert second.cached and second.types == first.types


def test_without_java_the_other_checks_still_run(monkeypatch):
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/java")
    ds = Dataset()
    ds.parse(data=dataset(notice("nojava", drop=("rights",), health="N:act1 dpv:hasPersonalData pd:Health .")),
             format="trig")
    report = gaps(ds, reasoner="hermit", vocabulary=[VOCAB], cache_dir=False, as_of="2026-06-01")
    assert any("no Java runtime" in n and "--reasoner owlrl" in n for n in report.notes)
    assert "art9_special_category_condition" in report.skipped
    checks = {f.check for f in report.findings}
    assert "art13_2_b_rights" in checks and "art9_special_category_condition" not in checks


def test_no_reasoner_skips_the_checks_that_need_one():
    ds = Dataset()
    ds.parse(data=dataset(notice("none")), format="trig")
    report = gaps(ds, reasoner="none", vocabulary=[VOCAB], cache_dir=False, as_of="2026-06-01")
    needing = {c.id for c in report.checks if c.requires_reasoner}
    assert needing and set(report.skipped) == needing


def _abox() -> Dataset:
    ds = Dataset()
    ds.parse(data=dataset(notice("abox", health="N:act1 dpv:hasPersonalData ex:BloodTestResult .",
                                 tracker="N:act3 dpv:hasRecipient ex:GoogleAnalytics .")), format="trig")
    return ds


def test_the_activity_rules_agree_with_owlrl_on_the_whole_abox(axioms, by_owlrl):
    """The defined classes applied by gaps_classify give what a full OWL RL closure of concepts + activities gives."""
    import owlrl

    from ropa.analyse import gaps_classify

    store = GapsStore.open(_abox())
    store.add_inferred(by_owlrl.triples())
    ours = gaps_classify.classify(store, axioms.graph)

    full = Graph()
    full += axioms.graph
    for c, ks in by_owlrl.types.items():
        for k in ks:
            full.add((URIRef(c), RDF.type, URIRef(k)))
    for s, p, o, _g in _abox().quads():
        full.add((s, p, o))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(full)
    defined = set(definitions(axioms.graph))
    theirs: dict[str, set[str]] = {}
    for s, o in full.subject_objects(RDF.type):
        if str(o) in defined and str(s).startswith("urn:test:"):
            theirs.setdefault(str(s), set()).add(str(o))
    mine = {x: {c for c in cs if c in defined} for x, cs in ours.items()}
    assert {k: v for k, v in mine.items() if v} == theirs
    assert str(GAPS.SpecialCategoryProcessing) in theirs["urn:test:abox/act1"]
    assert str(GAPS.TrackerProcessing) in theirs["urn:test:abox/act3"]


def test_a_definition_outside_the_fragment_is_refused():
    g = Graph()
    g.parse(data="""@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix ex: <https://example.org/x#> .
        ex:C owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:p ; owl:allValuesFrom ex:D ] .""",
            format="turtle")
    with pytest.raises(UnsupportedAxiom, match="outside the supported fragment"):
        definitions(g)


def test_an_unknown_reasoner_is_refused(axioms):
    with pytest.raises(ValueError, match="unknown reasoner"):
        reasoning.classify_concepts(axioms, [], "pellet")
