"""rules.v4 on short invented notices: which sentences state a legal basis, a transfer safeguard, a controller
contact or a right. (Every sentence here is made up for the test.)"""
from __future__ import annotations

import pytest

from ropa import ingest
from ropa.extract import extract, sections
from ropa.extract import lexicon as lex_mod
from ropa.model import NoticeRecord


def run(*paragraphs: str) -> NoticeRecord:
    return extract(ingest.from_text("\n\n".join(paragraphs) + "\n", "test.txt"))


def activity_values(r: NoticeRecord, facet: str) -> set[str]:
    return {f.value for a in r.activities for f in a.facts if f.facet == facet}


def bases(r: NoticeRecord) -> set[str]:
    return activity_values(r, "legal_bases")


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


@pytest.mark.parametrize("sentence", [
    "We will ask for your prior consent to any new use of your photos where we are required to do so by law.",
    "To the extent required by applicable law, we will obtain your consent before we send you offers.",
    "We will notify you of any material change to this notice as required by applicable law.",
])
def test_the_law_requiring_consent_or_a_notification_is_no_legal_obligation_basis(sentence):
    assert "eu-gdpr:A6-1-c" not in bases(run("Legal basis", sentence))
    assert "eu-gdpr:A6-1-c" in bases(run("Legal basis", "We keep your invoices where required by law."))


def test_the_public_good_is_the_public_interest():
    assert "eu-gdpr:A6-1-e" in bases(run("Legal basis", "We may use your data as may be required for the public good."))


def test_for_the_performance_of_a_contract_states_the_basis_itself():
    r = run("How we use your data", "For the performance of a contract: handling the orders you place in our shop.")
    assert bases(r) == {"eu-gdpr:A6-1-b"}


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


def destinations(r: NoticeRecord) -> set[str]:
    return {f.value for a in r.activities for t in a.transfers for f in t.destinations}


@pytest.mark.parametrize("sentence", [
    "Your account details may be moved to and kept on servers outside of your country, region or other jurisdiction.",
    "Some of our vendors may be located outside your jurisdiction, and we transfer order data to them.",
])
def test_outside_your_own_country_is_an_unnamed_third_country(sentence):
    assert destinations(run(sentence)) == {"ropa:ThirdCountriesUnspecified"}


def test_outside_your_state_alone_is_no_third_country():
    assert destinations(run("Your orders may be transferred to a warehouse outside your state.")) == set()


def test_adequate_controls_before_a_transfer_are_a_generic_safeguard():
    r = run("We will not transfer your data to another company abroad unless adequate controls are in place.")
    assert safeguards(r) == {"eu-gdpr:DataTransferTool"}


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


def contact_facts(r: NoticeRecord) -> list[tuple[str, str]]:
    return [(f.value, f.evidence.quote) for f in r.controller.facts if f.facet == "contact"]


def test_a_contact_printed_in_several_places_has_evidence_for_each():
    r = run("Newsletter", "To stop the newsletter, write to us at hello@example.org.",
            "Your rights", "To use your rights, email us at hello@example.org.")
    assert [v for v, _ in contact_facts(r)] == ["mailto:hello@example.org"] * 2


def test_labelled_contact_lines_give_the_controllers_contact():
    r = run("Other matters", "Email: hello@example.org", "Phone : (+31) 20 555 0123")
    assert {v for v, _ in contact_facts(r)} == {"mailto:hello@example.org", "tel:+31205550123"}


def test_a_public_bodys_phone_is_not_the_controllers():
    r = run("Questions", "Questions about cookie rules can be addressed to the National Trade Agency, tel. (+31) 20 555 0199.")
    assert contact_facts(r) == []


def controller_name(*paragraphs: str) -> str | None:
    return next((f.value for f in run(*paragraphs).controller.facts if f.facet == "name"), None)


@pytest.mark.parametrize(("paragraph", "name"), [
    ("bakerysoft built the Bread Timer app as a Free app. This SERVICE is provided by bakerysoft at no cost.",
     "bakerysoft"),
    ('This notice for Plum Orchard Ltd (doing business as Plum Pies) ("Plum Pies," "we," "us") explains our practices.',
     "Plum Pies"),
    ('Company (referred to as either "the Company", "We" or "Us" in this Agreement) refers to Plum Pies, 3 Plum Lane.',
     "Plum Pies"),
    ("Plum Media (“Developer”) cares about the privacy of the users of its apps.", "Plum Media"),
])
def test_generated_policy_openings_name_the_controller(paragraph, name):
    assert controller_name("Privacy Policy", paragraph) == name


@pytest.mark.parametrize("paragraph", [
    "BY INSTALLING OR USING THE SERVICES, YOU AGREE TO THIS POLICY.",  # "SE" in "SERVICES" is no legal form
    "Our app may link to sites that are not operated by Us. If You click a link, you leave the app.",
])
def test_words_that_only_look_like_a_company_name_name_no_controller(paragraph):
    assert controller_name("Privacy Policy", paragraph) is None


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


# -- Art. 13(1)(e): a party named after "from" is no recipient, one named after "with" / "to" is ---------------------
@pytest.mark.parametrize(("sentence", "expected"), [
    ("We may share information we receive from other sources, including our partners and service providers.", set()),
    ("We may share data obtained from you with our service providers.", {"ropa:ServiceProviderRecipient"}),
    ("We may, from time to time, share your details with our partners.", {"ropa:PartnerRecipient"}),
    ("Apart from our payment providers, we share your card details with no one.", {"ropa:PaymentProvider"}),
])
def test_a_party_the_data_comes_from_is_no_recipient(sentence, expected):
    assert activity_values(run(sentence), "recipients") == expected


# -- lexicon phrasings: idioms, counterfactuals and near misses that name no data, purpose or group ---------------
def lexicon_values(facet: str, phrase: str) -> set[str]:
    return {v for m in lex_mod.default()[facet].find(phrase, 0, len(phrase)) for v in lex_mod.values(m.value)}


@pytest.mark.parametrize("facet, phrase, concept", [
    ("personal_data", "so that we get a fuller picture of your needs as a buyer", "pd:Picture"),
    ("personal_data", "we answer email requests within a week", "pd:PrivacyPreference"),
    ("personal_data", "our coach will give you written and oral feedback after the course", "pd:Opinion"),
    ("personal_data", "we log website access information such as page views", "pd:Authenticating"),
    ("personal_data", "personal data is information that can identify you", "pd:Identifying"),
    ("data_subjects", "your rights are the same as if you were a private individual", "ropa:MemberOfThePublic"),
    ("purposes", "we apply physical, technical and administrative procedures and measures to protect it",
     "dpv:DisputeManagement"),
    ("purposes", "to prevent unauthorised access to your account", "dpv:MisusePreventionAndDetection"),
    ("purposes", "to improve the user experience of our app", "dpv:OptimiseUserInterface"),
    ("purposes", "a supplier for the provision of IT, HR and payroll services", "dpv:HumanResourceManagement"),
])
def test_phrase_names_no_such_concept(facet, phrase, concept):
    assert concept not in lexicon_values(facet, phrase)


@pytest.mark.parametrize("facet, phrase, concept", [
    ("personal_data", "your account details and settings", "ropa:AccountData"),
    ("personal_data", "the results of personality tests", "pd:Personality"),
    ("personal_data", "the results of personality tests", "pd:ProfessionalEvaluation"),
    ("personal_data", "details in your profile on third-party social networks", "pd:SocialMedia"),
    ("personal_data", "Data that identifies you, such as your name", "pd:Identifying"),
    ("personal_data", "we keep a record of unsubscribe requests", "pd:PrivacyPreference"),
    ("purposes", "to prevent unauthorised access to your account", "dpv:EnforceAccessControl"),
    ("purposes", "cookies that make your browsing experience smoother", "dpv:OptimisationForConsumer"),
    ("purposes", "to improve the user-friendliness of the shop", "dpv:OptimisationForConsumer"),
    ("purposes", "usability testing of new screens", "dpv:OptimiseUserInterface"),
    ("purposes", "in administrative proceedings before the tax board", "dpv:DisputeManagement"),
    ("purposes", "to take pre-contractual and contractual steps with you", "dpv:EstablishContractualAgreement"),
    ("purposes", "the details needed to use the app", "dpv:ServiceProvision"),
    ("purposes", "our HR processes", "dpv:HumanResourceManagement"),
])
def test_phrase_names_the_concept(facet, phrase, concept):
    assert concept in lexicon_values(facet, phrase)


# -- structure: lead-ins run into a paragraph, scope phrases, long context headings ---------------------------------
def values(r: NoticeRecord, facet: str) -> set[str]:
    return {f.value for a in r.activities for f in a.facts if f.facet == facet}


def test_the_readers_own_cookie_controls_state_no_use_of_cookies():
    assert values(run("You can delete all cookies by changing your browser settings."), "technologies") == set()
    assert values(run("We set cookies to keep you signed in."), "technologies") == {"tech:Cookie"}


def test_names_listed_one_per_line_after_a_line_about_service_providers_are_recipients():
    r = run("Collection and use", "Our game also relies on some outside services.",
            "Privacy policies of the service providers the game works with", "AdMob", "Google Play Services",
            "Crash reports", "When the game crashes we collect a crash report.")
    assert values(r, "recipients") >= {"ropa:AdvertisingPartner", "ropa:ITServiceProvider"}


def test_data_categories_one_per_line_after_a_lead_in_are_items():
    r = run("About the app", "The types of personal data we collect when you sign up for the app include:",
            "Email address", "Phone number", "Sharing your data", "We give your details to our mail provider.")
    assert {"pd:EmailAddress", "pd:TelephoneNumber"} <= values(r, "personal_data")
    doc = ingest.from_text("\n\n".join(["Data we collect", "We may ask you for details such as:", "Email address",
                                         "Sharing your data", "We give it to our mail provider."]) + "\n", "t.txt")
    kinds = {doc.text[u.start:u.end]: u.is_heading for u in sections.units(doc, lex_mod.default())}
    assert kinds["Email address"] is False and kinds["Sharing your data"] is True  # another topic starts a section


def test_numbered_items_run_into_a_paragraph_take_the_topic_of_their_lead_in():
    r = run("Welcome to the bakery. Our purposes in doing so are to: 1. Bake the bread you ordered. "
            "2. Process quotes, orders, invoicing, payments and refunds. 3. Keep the oven warm.")
    assert {"dpv:CustomerOrderManagement", "dpv:PaymentManagement"} <= values(r, "purposes")


def test_numbered_items_after_a_plain_sentence_take_no_topic():
    r = run("Welcome to the bakery. We have two shops. 1. Process quotes, orders and payments at the counter.")
    assert "dpv:PaymentManagement" not in values(r, "purposes")


def test_in_your_role_as_names_the_groups_the_notice_covers():
    filler = "The bakery keeps its ovens warm all night and sells rye bread in the morning. " * 25
    r = run(filler, "We need some details about you in your role as a customer or as a user of our web shop.")
    assert "dpv:User" in values(r, "data_subjects")


def test_a_question_opening_with_for_is_no_lead_in():
    filler = "The bakery keeps its ovens warm all night and sells rye bread in the morning. " * 25
    r = run("This notice applies to our customers.", filler,
            "For how long we keep data depends on our need to answer enquiries from customers.")
    assert "ropa:Enquirer" not in values(r, "data_subjects")


def test_a_long_heading_that_names_a_group_opens_its_context():
    md = ("# Privacy notice\n\n## If you are one of our suppliers, partners or other members of our business network\n\n"
          "We collect your name and phone number. Our legal basis is our legitimate interests.\n")
    r = extract(ingest.from_text(md, "test.md", ingest.MARKDOWN))
    context = next(a for a in r.activities if "eu-gdpr:A6-1-f" in a.values("legal_bases"))
    assert context.key != "general" and "ropa:Supplier" in context.values("data_subjects")


def test_data_needed_to_use_the_service_is_for_providing_it():
    r = run("Product details", "In the kiosk app we collect the details needed to use the app, such as your email address.")
    assert "dpv:ServiceProvision" in values(r, "purposes")


# -- storage conditions beside the retention periods: where data is kept, how it is disposed of -----------------------
def test_storage_location_and_deletion_are_read_in_sentences_about_keeping_data():
    r = run("Privacy Policy", "How long we keep your data",
            "We keep order records for 6 years. After that we securely delete or anonymise them.",
            "Your data is stored on our own servers located in Ireland.")
    assert activity_values(r, "storage") == {"dpv:StorageLocation", "dpv:StorageDeletion"}


def test_a_request_to_delete_is_a_right_not_a_disposal_method():
    r = run("Privacy Policy", "Your rights", "You can ask us to delete your personal data at any time.")
    assert activity_values(r, "storage") == set()


# -- Art. 13(1)(a): controller names without a legal-form suffix -----------------------------------------------------
def names(r: NoticeRecord) -> list[str]:
    return [f.value for f in r.controller.facts if f.facet == "name"]


def test_the_at_name_accessible_from_opening_names_the_controller():
    r = run("Privacy Policy", "At bluefin, accessible from app.bluefin.example, the privacy of our visitors matters.")
    assert names(r) == ["bluefin"]


def test_a_name_followed_by_which_operates_names_the_controller():
    r = run("Privacy Policy", "Thank you for using the Step Counter app and Green Valley Trust for Sport, which "
            "manages and operates the application.")
    assert names(r) == ["Green Valley Trust for Sport"]


# -- negation scope: through a list, and not past a new clause -------------------------------------------------------
def test_a_negation_reaches_every_item_of_a_long_list():
    r = run("Information we collect", "We never ask for or keep any details of your racial or ethnic origin, religious "
            "beliefs, political views, trade union membership, physical or mental health, sex life or sexual "
            "orientation, or criminal record.")
    assert activity_values(r, "personal_data") == set()


def test_a_negation_ends_where_a_new_clause_with_its_own_subject_begins():
    r = run("Information we collect", "We never store card numbers in our systems, and we collect your name, "
            "email address and date of birth when you order.")
    assert {"pd:Name", "pd:EmailAddress", "pd:BirthDate"} <= activity_values(r, "personal_data")


def test_a_list_after_a_contrast_is_not_negated():
    r = run("Information we collect", "We do not sell your personal data to anyone, but we share your name, "
            "email address, postal address and phone number with our delivery partners.")
    assert {"pd:Name", "pd:EmailAddress", "pd:TelephoneNumber"} <= activity_values(r, "personal_data")
