"""rules.v2 on short invented notices: which sentences state a legal basis, a transfer safeguard, a controller
contact or a right. (Every sentence here is made up for the test.)"""
from __future__ import annotations

import pytest

from ropa import ingest
from ropa.extract import extract
from ropa.extract import lexicon as lex_mod
from ropa.model import NoticeRecord


def run(*paragraphs: str) -> NoticeRecord:
    return extract(ingest.from_text("\n\n".join(paragraphs) + "\n", "test.txt"))


def bases(r: NoticeRecord) -> set[str]:
    return {f.value for a in r.activities for f in a.facts if f.facet == "legal_bases"}


def safeguards(r: NoticeRecord) -> set[str]:
    return {f.value for a in r.activities for t in a.transfers for f in t.safeguards}


def notice_values(r: NoticeRecord, facet: str) -> set[str]:
    return {f.value for f in r.notice_facts if f.facet == facet}


# -- Art. 13(1)(c): bases stated outright vs. named in passing ------------------------------------------------------
PASSING = "We may disclose your order history to the tax office where required by law."
OUTRIGHT = "We process your order details on the basis of our contract with you."


def test_a_basis_named_in_passing_is_dropped_when_the_notice_states_its_bases():
    assert bases(run(OUTRIGHT, PASSING)) == {"eu-gdpr:A6-1-b"}


def test_a_basis_named_in_passing_counts_when_the_notice_states_none():
    assert "eu-gdpr:A6-1-c" in bases(run(PASSING))


def test_consent_declared_by_conduct_is_in_passing_but_conditional_consent_is_not():
    conduct = "By downloading the app, you consent to our use of your location."
    conditional = "We print your photo in our member magazine only if you consent to it."
    assert "eu-gdpr:A6-1-a" not in bases(run(OUTRIGHT, conduct))
    assert "eu-gdpr:A6-1-a" in bases(run(OUTRIGHT, conditional))


def test_the_law_as_a_reason_to_keep_data_is_in_passing_but_consent_to_keep_it_is_not():
    keep_law = "We keep your invoices for as long as the law requires us to, as required by law."
    keep_consent = "We keep your CV in our talent pool if you have given your consent."
    assert bases(run(OUTRIGHT, keep_law)) == {"eu-gdpr:A6-1-b"}
    assert "eu-gdpr:A6-1-a" in bases(run(OUTRIGHT, keep_consent))


def test_contracts_that_safeguard_transfers_or_bind_processors_are_no_contract_basis():
    r = run("Legal basis", "We rely on our legitimate interests; our vendors are bound by data processing agreements "
            "and transfers rely on contractual safeguards.")
    assert bases(r) == {"eu-gdpr:A6-1-f"}


def test_grounds_listed_after_a_good_faith_lead_in():
    r = run("Disclosure", "We may disclose your data in the good faith belief that such action is necessary to:",
            "Comply with a legal obligation", "Protect and defend our rights or property")
    assert {"eu-gdpr:A6-1-c", "eu-gdpr:A6-1-f"} <= bases(r)


# -- Art. 45 / 46 / 49 ----------------------------------------------------------------------------------------------
def test_adequate_protection_as_the_aim_of_clauses_is_no_adequacy_decision():
    r = run("When we transfer your data outside the EEA we sign standard contractual clauses to ensure that it "
            "receives an adequate level of protection.")
    assert safeguards(r) == {"eu-gdpr:A46-2-c"}


def test_a_finding_of_adequacy_is_art_45():
    r = run("We transfer your data to countries recognised by the European Commission as providing an adequate "
            "level of protection.")
    assert "eu-gdpr:A45-3" in safeguards(r)


def test_unnamed_safeguards_give_a_generic_transfer_tool():
    r = run("Your data may be transferred to service providers outside the EEA; we put appropriate safeguards in "
            "place for such transfers.")
    assert safeguards(r) == {"eu-gdpr:DataTransferTool"}


def test_where_data_comes_from_is_no_destination():
    r = run("Data collected from users in Switzerland is transferred to our servers in the United States.")
    places = {f.value for a in r.activities for t in a.transfers for f in t.destinations}
    assert "loc:US" in places and "loc:CH" not in places


@pytest.mark.parametrize("sentence", [
    "This data is necessary for the adequate performance of our contract with you.",        # no transfer spoken of
    "By using our services you consent to the transfer of your data to the United States.",  # consent from use
])
def test_no_derogation(sentence):
    assert not {s for s in safeguards(run(sentence)) if s.startswith("eu-gdpr:A49")}


# -- Art. 13(1)(a): the controller's contact details ------------------------------------------------------------------
def test_a_contact_us_sentence_anywhere_gives_the_controllers_contact():
    r = run("Marketing", "We send a monthly newsletter. To stop it, contact us at hello@example.org at any time.")
    assert "mailto:hello@example.org" in {f.value for f in r.controller.facts if f.facet == "contact"}


def test_a_dpo_sentence_is_not_the_controllers_contact():
    r = run("Questions", "You can contact our data protection officer at dpo@example.org.")
    assert "mailto:dpo@example.org" not in {f.value for f in r.controller.facts if f.facet == "contact"}


def test_a_postal_address_in_a_contact_section():
    r = run("Intro", "We run a bakery website.", "How to reach us",
            "You may write to us at the following address:\nPrivacy Desk, 12 Baker Street, Springfield 40210")
    assert any(f.facet == "address" and "Baker Street" in f.value for f in r.controller.facts)


# -- rights in coordinated lists ----------------------------------------------------------------------------------
def test_rights_listed_with_semicolons():
    r = run("Your rights", "You may access; correct; port; delete; restrict; or object to our processing of your data.")
    assert {"eu-gdpr:A15", "eu-gdpr:A16", "eu-gdpr:A17", "eu-gdpr:A18", "eu-gdpr:A20", "eu-gdpr:A21"} <= notice_values(r, "rights")


@pytest.mark.parametrize("sentence", [
    "You can download your data from the settings page.",
    "You have the right to receive an electronic copy of the information you gave us.",
    "You may ask us to have that information passed to an organisation of your choice.",
])
def test_portability_in_plain_words(sentence):
    assert "eu-gdpr:A20" in notice_values(run("Your rights", sentence), "rights")


# -- special categories: words that name no data held ---------------------------------------------------------------
@pytest.mark.parametrize("phrase, concept", [
    ("where notice would create a risk of injury or bodily harm", "pd:Health"),
    ("we may create a unique fingerprint of your browser", "pd:Fingerprint"),
    ("kept until the prescription of any contractual liability", "pd:Prescription"),
])
def test_not_special_category_data(phrase, concept):
    assert concept not in {m.value for m in lex_mod.default()["personal_data"].find(phrase, 0, len(phrase))}


# -- Art. 14(2)(f): a party is a source only where the data comes from it -------------------------------------------
def sources(r: NoticeRecord) -> set[str]:
    return {f.value for a in r.activities for f in a.facts if f.facet == "sources"}


def test_a_partner_we_share_with_is_no_source():
    assert "dpv:ThirdPartyDataSource" not in sources(run("We collect your email address and share it with our partners."))


@pytest.mark.parametrize("sentence", [
    "We also receive information about you from our advertising partners.",
    "Our partners may share details of your purchases with us.",
    "The app uses third-party services that may collect information used to identify you.",
])
def test_a_party_the_data_comes_from_is_a_source(sentence):
    assert "dpv:ThirdPartyDataSource" in sources(run(sentence))
