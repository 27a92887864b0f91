"""Every gaps check, on a notice graph that passes it and one that fails it (hand-written, see test_gaps_fixtures.py).

All cases go into one dataset (one named graph per case) and `gaps()` runs once over it, with the owlrl reasoner
(no Java needed) and the small test vocabulary; test_gaps_reasoning.py checks that HermiT agrees.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset
from test_gaps_fixtures import RIGHTS, dataset, ev, notice

from ropa.analyse.gaps import gaps
from ropa.analyse.gaps_checks import load_catalogue

VOCAB = Path(__file__).parent / "fixtures" / "gaps" / "vocabulary.ttl"
AS_OF = "2026-06-01"

# A single-context notice (one activity for everyone), with evidence: the shape of notice 002.
SINGLE = """N:act1 a dpv:Process ; dpv:hasNotice N:notice ; dpv:hasDataController N:ctrl ; dct:title "All processing" ;
    dpv:hasDataSubject dpv:Customer ; dpv:hasPersonalData pd:EmailAddress ; dpv:hasPurpose dpv:CustomerManagement ;
    dpv:hasLegalBasis eu-gdpr:A6-1-a , eu-gdpr:A6-1-b , eu-gdpr:A6-1-f ; dpv:hasStorageCondition N:sc1 ;
    dpv:hasDataSource dpv:DataSubjectDataSource ; dpv:hasTechnicalOrganisationalMeasure dpv:Encryption .
    N:sc1 a dpv:StorageDuration ; dpv:hasDuration "P5Y"^^xsd:duration ."""
ORDERS = "We process your data to manage orders."
PURPOSE_EV = ev("N:act1", "dpv:hasPurpose", "dpv:CustomerManagement", 0, 40, ORDERS, "p")
UNTIED_EV = " ".join([
    ev("N:act1", "dpv:hasLegalBasis", "eu-gdpr:A6-1-a", 500, 512, "Your consent.", "a"),
    ev("N:act1", "dpv:hasLegalBasis", "eu-gdpr:A6-1-b", 513, 545, "We have a contractual obligation.", "b"),
    ev("N:act1", "dpv:hasLegalBasis", "eu-gdpr:A6-1-f", 546, 575, "We have a legitimate interest.", "f"),
    PURPOSE_EV])
TIED_EV = " ".join([
    ev("N:act1", "dpv:hasLegalBasis", "eu-gdpr:A6-1-a", 0, 40, ORDERS, "a"),
    ev("N:act1", "dpv:hasLegalBasis", "eu-gdpr:A6-1-b", 0, 40, ORDERS, "b"),
    ev("N:act1", "dpv:hasLegalBasis", "eu-gdpr:A6-1-f", 546, 620,
       "We do this on the basis of our legitimate interest in answering your questions.", "f"),
    PURPOSE_EV])
TRACKER = """N:act3 dpv:hasRecipient ex:GoogleAnalytics ."""
NO_BASES = """N:act1 a dpv:Process ; dpv:hasNotice N:notice ; dpv:hasDataController N:ctrl ; dct:title "Customers" ;
    dpv:hasDataSubject dpv:Customer ; dpv:hasPersonalData pd:EmailAddress ; dpv:hasPurpose dpv:CustomerManagement ;
    dpv:hasDataSource dpv:DataSubjectDataSource ; dpv:hasStorageCondition N:sc1 ;
    dpv:hasTechnicalOrganisationalMeasure dpv:Encryption .
    N:sc1 a dpv:StorageDuration ; dpv:hasDuration "P5Y"^^xsd:duration ."""
LEGAL_OBLIGATION_ONLY = NO_BASES.replace('dct:title "Customers" ;',
                                         'dct:title "Customers" ; dpv:hasLegalBasis eu-gdpr:A6-1-c ;')


# check id -> (fail: notice parts, pass: notice parts). Parts: {"drop": (...), part name: replacement Turtle}.
CASES: dict[str, tuple[dict, dict]] = {
    "art13_1_a_controller_name": (
        {"controller": 'N:ctrl a dpv:DataController ; dpv:hasNotice N:notice ; dpv:hasContact "mailto:x@y.example" .'},
        {}),
    "art13_1_a_controller_contact": (
        {"controller": 'N:ctrl a dpv:DataController ; dpv:hasNotice N:notice ; dpv:hasName "Acme A/S" .'},
        {"controller": 'N:ctrl a dpv:DataController ; dpv:hasNotice N:notice ; dpv:hasName "Acme A/S" ; '
                       'dpv:hasAddress "Main Street 1" .'}),
    "art13_1_b_dpo_contact": (
        {"drop": ("dpo",)},
        {"drop": ("dpo",), "dpo_statement": 'N:ctrl ropa:dpoStatement "not appointed" .'}),
    "art13_1_c_purposes": (
        {"customers": NO_BASES.replace("dpv:hasPurpose dpv:CustomerManagement ;", "dpv:hasLegalBasis eu-gdpr:A6-1-b ;"),
         "drop": ("newsletter",)},
        {}),
    "art13_1_c_legal_basis": ({"customers": NO_BASES, "drop": ("newsletter",)}, {}),
    "art13_1_c_activity_legal_basis": (
        {"newsletter": """N:act2 a dpv:Process ; dpv:hasNotice N:notice ; dpv:hasDataController N:ctrl ;
            dct:title "Newsletter" ;
            dpv:hasDataSubject ropa:NewsletterSubscriber ; dpv:hasPersonalData pd:EmailAddress ;
            dpv:hasPurpose dpv:DirectMarketing ; dpv:hasStorageCondition N:sc2 .
            N:sc2 a dpv:StorageDuration ; dpv:hasDuration "P1Y"^^xsd:duration ."""},
        # the same people's basis stated in another activity (a context split in two) is enough
        {"split": """N:act4 a dpv:Process ; dpv:hasNotice N:notice ; dct:title "Customers: retention" ;
            dpv:hasDataSubject dpv:Customer ; dpv:hasStorageCondition N:sc1 ."""}),
    "art13_1_c_bases_not_tied": (
        {"drop": ("newsletter",), "customers": SINGLE, "ev": UNTIED_EV},
        {"drop": ("newsletter",), "customers": SINGLE, "ev": TIED_EV}),
    "art13_1_c_wrong_citation": (
        {"defect": 'N:act1 ropa:citationDefect "Article 6(2)(f) does not exist; Article 6(1)(f) was probably meant" .'},
        {}),
    "art13_1_d_legitimate_interests": (
        {"drop": ("newsletter",), "customers": SINGLE, "ev": UNTIED_EV},
        {"drop": ("newsletter",), "customers": SINGLE, "ev": TIED_EV}),
    "art13_1_e_recipients": ({"drop": ("disclosure",)}, {}),
    "art13_1_f_invalid_mechanism": (
        {"transfer": """N:act1 dpv:hasProcessing N:t1 . N:t1 a dpv:CrossBorderTransfer ; dpv:hasThirdCountry loc:US ;
            dpv:hasLegalBasis ex:PrivacyShieldSelfCertification ."""},
        {}),
    "art13_1_f_safeguard_copy": (
        {"transfer": """N:act1 dpv:hasProcessing N:t1 . N:t1 a dpv:CrossBorderTransfer ; dpv:hasThirdCountry loc:US ;
            dpv:hasLegalBasis eu-gdpr:SCCByCommission ."""},
        {}),
    "art13_1_f_trackers_without_transfer": ({"drop": ("transfer",), "tracker": TRACKER}, {"tracker": TRACKER}),
    "art13_1_f_transfer_safeguard": (
        {"transfer": "N:act1 dpv:hasProcessing N:t1 . N:t1 a dpv:CrossBorderTransfer ; dpv:hasThirdCountry loc:US ."},
        {}),
    "art13_1_f_transfers_not_mentioned": ({"drop": ("transfer",)}, {}),
    "art13_2_a_retention": (
        {"customers": NO_BASES.replace("dpv:hasStorageCondition N:sc1 ;", "dpv:hasLegalBasis eu-gdpr:A6-1-b ;"),
         "drop": ("newsletter",)},
        {}),
    "art13_2_a_retention_vague": (
        {"drop": ("newsletter",), "customers": NO_BASES.replace(
            'N:sc1 a dpv:StorageDuration ; dpv:hasDuration "P5Y"^^xsd:duration .',
            'N:sc1 a dpv:StorageDuration ; dpv:hasDuration N:d1 . N:d1 a dpv:UntilEventDuration ; '
            'dct:description "as long as necessary" . N:act1 dpv:hasLegalBasis eu-gdpr:A6-1-b .')},
        {}),
    "art13_2_b_rights": (
        {"rights": " ".join(f"N:notice dpv:hasRight eu-gdpr:{r} ." for r in RIGHTS if r not in ("A17", "A20"))},
        # portability is not required when the only basis is a legal obligation (Art. 20(1))
        {"drop": ("newsletter",), "customers": LEGAL_OBLIGATION_ONLY,
         "rights": " ".join(f"N:notice dpv:hasRight eu-gdpr:{r} ." for r in RIGHTS if r not in ("A20", "A21"))}),
    "art13_2_c_withdraw_consent": (
        # explicit consent (Art. 9(2)(a)) is consent too: the hierarchy expands to it
        {"rights": " ".join(f"N:notice dpv:hasRight eu-gdpr:{r} ." for r in RIGHTS if r != "A7-3"),
         "explicit": "N:act1 dpv:hasLegalBasis eu-gdpr:A9-2-a .", "drop": ("newsletter",)},
        {"rights": " ".join(f"N:notice dpv:hasRight eu-gdpr:{r} ." for r in RIGHTS if r != "A7-3"),
         "drop": ("newsletter",)}),
    "art13_2_d_complaint": (
        {"rights": " ".join(f"N:notice dpv:hasRight eu-gdpr:{r} ." for r in RIGHTS if r != "A77"),
         "drop": ("authority",)},
        {"rights": " ".join(f"N:notice dpv:hasRight eu-gdpr:{r} ." for r in RIGHTS if r != "A77")}),
    "art13_2_e_provision_requirement": (
        {"notice": 'N:notice a dpv:PrivacyNotice ; dct:source "NAME.txt" ; dct:modified "2026-01-10"^^xsd:date ; '
                   'ropa:automatedDecisionMaking "none" .'},
        {}),
    "art13_2_f_automated_decisions": (
        {"notice": 'N:notice a dpv:PrivacyNotice ; dct:source "NAME.txt" ; dct:modified "2026-01-10"^^xsd:date ; '
                   "ropa:statesProvisionRequirement true ."},
        {}),
    "art14_1_d_data_categories": (
        {"drop": ("newsletter",), "customers": NO_BASES.replace("dpv:hasPersonalData pd:EmailAddress ;",
                                                                "dpv:hasLegalBasis eu-gdpr:A6-1-b ;")},
        {}),
    "art14_2_f_sources": (
        # the person is the only source named: Art. 14(2)(f) asks about data from anyone else
        {"drop": ("newsletter",), "customers": NO_BASES.replace("dpv:hasDataSource dpv:DataSubjectDataSource ;",
                                                                "dpv:hasDataSource dpv:DataSubjectDataSource ; "
                                                                "dpv:hasLegalBasis eu-gdpr:A6-1-b ;")},
        {}),
    "art30_1_a_activity_controller": (
        {"orphan": 'N:act9 a dpv:Process ; dpv:hasNotice N:notice ; dct:title "Orphan" ; '
                   "dpv:hasDataSubject dpv:Customer ; dpv:hasLegalBasis eu-gdpr:A6-1-b ."},
        {}),
    "art30_1_b_activity_purpose": (
        {"newsletter": """N:act2 a dpv:Process ; dpv:hasNotice N:notice ; dpv:hasDataController N:ctrl ;
            dct:title "Newsletter" ; dpv:hasDataSubject ropa:NewsletterSubscriber ;
            dpv:hasPersonalData pd:EmailAddress ;
            dpv:hasLegalBasis eu-gdpr:A6-1-a ; dpv:hasStorageCondition N:sc1 ."""},
        {}),
    "art30_1_c_activity_personal_data": (
        {"newsletter": """N:act2 a dpv:Process ; dpv:hasNotice N:notice ; dpv:hasDataController N:ctrl ;
            dct:title "Newsletter" ; dpv:hasDataSubject ropa:NewsletterSubscriber ; dpv:hasPurpose dpv:DirectMarketing ;
            dpv:hasLegalBasis eu-gdpr:A6-1-a ; dpv:hasStorageCondition N:sc1 ."""},
        {}),
    "art30_1_c_data_subjects": (
        {"drop": ("newsletter", "disclosure"), "customers": NO_BASES.replace(
            "dpv:hasDataSubject dpv:Customer ;", "dpv:hasLegalBasis eu-gdpr:A6-1-b ;")},
        {}),
    "art30_1_e_transfer_country": (
        {"transfer": """N:act1 dpv:hasProcessing N:t1 . N:t1 a dpv:CrossBorderTransfer ;
            dpv:hasLegalBasis eu-gdpr:A46-2-c ; ropa:safeguardCopyAvailable true ."""},
        {}),
    "art30_1_f_activity_retention": (
        {"newsletter": """N:act2 a dpv:Process ; dpv:hasNotice N:notice ; dpv:hasDataController N:ctrl ;
            dct:title "Newsletter" ; dpv:hasDataSubject ropa:NewsletterSubscriber ;
            dpv:hasPersonalData pd:EmailAddress ;
            dpv:hasPurpose dpv:DirectMarketing ; dpv:hasLegalBasis eu-gdpr:A6-1-a ."""},
        # a notice-wide statement (an activity without data subjects) covers it
        {"newsletter": """N:act2 a dpv:Process ; dpv:hasNotice N:notice ; dpv:hasDataController N:ctrl ;
            dct:title "Newsletter" ; dpv:hasDataSubject ropa:NewsletterSubscriber ;
            dpv:hasPersonalData pd:EmailAddress ;
            dpv:hasPurpose dpv:DirectMarketing ; dpv:hasLegalBasis eu-gdpr:A6-1-a .""",
         "general": """N:act0 a dpv:Process ; dpv:hasNotice N:notice ; dct:title "Processing described by the notice" ;
            dpv:hasStorageCondition N:sc0 . N:sc0 a dpv:StorageDuration ; dpv:hasDuration "P2Y"^^xsd:duration ."""}),
    "art30_1_g_security_measures": (
        {"drop": ("newsletter",), "customers": NO_BASES.replace(
            "dpv:hasTechnicalOrganisationalMeasure dpv:Encryption .",
                                                                "dpv:hasLegalBasis eu-gdpr:A6-1-b .")},
        {}),
    "art4_11_consent_from_use": (
        {"defect": 'N:notice ropa:hasDefect "consent-from-use" . ' + ev(
            "N:notice", "ropa:hasDefect", '"consent-from-use"', 10, 60,
            "By accessing this website you are consenting to the way information is collected.", "d")},
        {}),
    "art9_special_category_condition": (
        # a project concept narrower than pd:HealthRecord (fixtures/gaps/vocabulary.ttl) is special category too
        {"health": "N:act1 dpv:hasPersonalData ex:BloodTestResult ."},
        {"health": "N:act1 dpv:hasPersonalData ex:BloodTestResult ; dpv:hasLegalBasis eu-gdpr:A9-2-a ."}),
    "art10_criminal_offence_data": (
        {"criminal": "N:act1 dpv:hasPersonalData ex:BackgroundCheckResult ."},
        {"criminal": "N:act1 dpv:hasPersonalData ex:BackgroundCheckResult ; dpv:hasLegalBasis eu-gdpr:A6-1-c ."}),
    "art12_notice_date": (
        {"notice": 'N:notice a dpv:PrivacyNotice ; dct:source "NAME.txt" ; dct:modified "2023-09"^^xsd:gYearMonth ; '
                   'ropa:statesProvisionRequirement true ; ropa:automatedDecisionMaking "none" .'},
        {}),
}


def _graphs() -> str:
    out = [notice("complete")]
    for cid, (fail, ok) in CASES.items():
        for name, parts in ((f"{cid}--fail", fail), (f"{cid}--pass", ok)):
            parts = dict(parts)
            drop = tuple(parts.pop("drop", ()))
            out.append(notice(name, drop, **parts))
    return dataset(*out)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    ds = Dataset()
    ds.parse(data=_graphs(), format="trig")
    return gaps(ds, reasoner="owlrl", as_of=AS_OF, vocabulary=[VOCAB], cache_dir=False)


def _one(report, check_id: str):
    """The finding of ``check_id`` on its failing notice."""
    return next(f for f in report.for_notice(f"{check_id}--fail.txt") if f.check == check_id)


def _ids(report, source: str) -> set[str]:
    return {f.check for f in report.for_notice(source)}


def test_every_check_has_a_passing_and_a_failing_case():
    assert set(CASES) == {c.id for c in load_catalogue().all}


def test_the_complete_notice_passes_every_check(report):
    found = report.for_notice("complete.txt")
    assert not found, [(f.check, f.message) for f in found]
    assert not report.skipped and report.reasoner.startswith("owlrl")


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_check_fails_on_its_failing_notice(report, check_id):
    assert check_id in _ids(report, f"{check_id}--fail.txt"), report.for_notice(f"{check_id}--fail.txt")


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_check_passes_on_its_passing_notice(report, check_id):
    hits = [f for f in report.for_notice(f"{check_id}--pass.txt") if f.check == check_id]
    assert not hits, [(f.message, f.evidence) for f in hits]


def test_each_missing_right_is_reported_once_with_the_right_as_subject(report):
    hits = [f for f in report.for_notice("art13_2_b_rights--fail.txt") if f.check == "art13_2_b_rights"]
    assert sorted(h.subject for h in hits) == ["https://w3id.org/dpv/legal/eu/gdpr#A17",
                                               "https://w3id.org/dpv/legal/eu/gdpr#A20"]
    assert "The right to erasure (Art. 17) is not mentioned." in {h.message for h in hits}


def test_findings_carry_article_severity_fix_and_evidence(report):
    f = _one(report, "art4_11_consent_from_use")
    assert (f.article, f.severity.value) == ("Art. 4(11)", "violation")
    assert f.fix and f.evidence[0].quote.startswith("By accessing this website")
    assert (f.evidence[0].start, f.evidence[0].end) == (10, 60)


def test_activity_findings_name_the_activity_and_its_classes(report):
    f = _one(report, "art9_special_category_condition")
    assert f.activity_title == "Customers" and "blood test result" in f.message
    assert "gaps:SpecialCategoryProcessing" in f.classes


def test_untied_bases_list_the_bases_as_evidence(report):
    f = _one(report, "art13_1_c_bases_not_tied")
    assert f.message.startswith("3 legal bases")
    assert {e.quote for e in f.evidence} >= {"Your consent.", "We have a legitimate interest."}
