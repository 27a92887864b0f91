"""ropa.evaluate: tiny inline graphs scored against tiny golds (perfect, empty, wrong, lenient, optional, ext)."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from ropa.errors import RopaError
from ropa.evaluate import EvalReport, evaluate, load_gold, norm_duration, source_keys

PREFIXES = """
@prefix dpv: <https://w3id.org/dpv#> . @prefix pd: <https://w3id.org/dpv/pd#> .
@prefix eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#> . @prefix loc: <https://w3id.org/dpv/loc#> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/> .
"""

# One notice that states exactly the gold below.
PERFECT = """
ex:g1 {
  ex:notice a dpv:PrivacyNotice ; dct:source "acme.txt" ; dct:modified "2023-10-12"^^xsd:date ;
      dpv:hasRight eu-gdpr:A15, eu-gdpr:A77 ; dpv:hasAuthority ex:sa .
  ex:sa a eu-gdpr:DataProtectionAuthority ; dpv:hasCountry loc:DK .
  ex:ctrl a dpv:DataController ; dpv:hasName "Acme A/S" ; dpv:hasCountry loc:DK ; dpv:hasIdentifier "CVR 12345678" .
  ex:clients a dpv:Process ; dpv:hasDataController ex:ctrl ;
      dpv:hasDataSubject dpv:Customer ; dpv:hasPersonalData pd:Name, pd:EmailAddress ;
      dpv:hasPurpose dpv:CustomerRelationshipManagement ; dpv:hasLegalBasis eu-gdpr:A6-1-b ;
      dpv:hasRecipient dpv:DataProcessor ;
      dpv:hasStorageCondition [ a dpv:StorageDuration ; dpv:hasDuration "P5Y"^^xsd:duration ] ;
      dpv:hasProcessing ex:transfer .
  ex:transfer a dpv:CrossBorderTransfer ; dpv:hasThirdCountry loc:US ; dpv:hasLegalBasis eu-gdpr:A46-2-c .
}
"""


def gold(**changes: object) -> dict:
    """The gold of PERFECT, with top-level or facet entries replaced."""
    facets = {"data_subjects": ["dpv:Customer"], "personal_data": ["pd:Name", "pd:EmailAddress"],
              "purposes": ["dpv:CustomerRelationshipManagement"], "legal_bases": ["eu-gdpr:A6-1-b"],
              "recipients": ["dpv:DataProcessor"], "transfer_safeguards": ["eu-gdpr:A46-2-c"],
              "rights": ["eu-gdpr:A15", "eu-gdpr:A77"], "third_countries": ["US"], "retention_durations": ["P5Y"]}
    notice = {"controller": {"name": "Acme A/S", "country": "DK", "registration": "12345678"},
              "supervisory_authority": "DK", "last_updated": "2023-10-12", "facets": facets,
              "activities": [{"subjects": ["dpv:Customer"], "legal_bases": ["eu-gdpr:A6-1-b"]}]}
    for key, value in changes.items():
        (facets if key in facets else notice)[key] = value
    return {"ext_labels": {"ext:BusinessPartner": ["business partner", "collaborator"],
                           "ext:WebsiteVisitor": ["website visitor", "site visitor"]},
            "notices": {"acme": notice}}


def dataset(trig: str) -> Dataset:
    ds = Dataset()
    ds.parse(data=PREFIXES + trig, format="trig")
    return ds


def with_facts(turtle: str) -> Dataset:
    """PERFECT plus some triples inside its named graph."""
    return dataset(PERFECT.rstrip().rstrip("}") + turtle + "\n}")


def row(report: EvalReport, name: str) -> tuple[int, int, int]:
    r = next(r for r in [*report.facets, *report.fields, report.pairs] if r.name == name)
    return r.tp, r.fp, r.fn


def test_perfect_graph_scores_one() -> None:
    report = evaluate(dataset(PERFECT), gold())
    assert report.overall.f1 == 1.0 and report.overall.tp == 11
    assert all(r.f1 == 1.0 for r in report.fields)
    assert report.pairs.f1 == 1.0
    assert report.exact_matches == 11 and report.missing == []


def test_empty_dataset_gives_recall_zero_and_lists_the_notice() -> None:
    report = evaluate(Dataset(), gold())
    assert report.overall.recall == 0.0 and report.overall.fn == 11
    assert report.missing == ["acme"]
    assert row(report, "name") == (0, 0, 1) and row(report, "pairs") == (0, 0, 1)


def test_one_wrong_value_lowers_precision_only() -> None:
    report = evaluate(with_facts("ex:clients dpv:hasPersonalData pd:Fingerprint ."), gold())
    assert row(report, "personal_data") == (2, 1, 0)
    assert report.overall.precision < 1.0 and report.overall.recall == 1.0
    assert report.notices[0].false["personal_data"] == ["pd:Fingerprint"]


def test_one_broader_step_matches_either_way_but_two_do_not() -> None:
    ontology = Graph().parse(data=PREFIXES + """
        pd:EmailAddressWork skos:broader pd:EmailAddress . pd:EmailAddress skos:broader pd:Contact .
        pd:Contact skos:broader pd:Tracking .""", format="turtle")
    narrower = gold(personal_data=["pd:Name", "pd:EmailAddressWork"])
    assert row(evaluate(dataset(PERFECT), narrower, ontology), "personal_data") == (2, 0, 0)
    broader = gold(personal_data=["pd:Name", "pd:Contact"])
    assert row(evaluate(dataset(PERFECT), broader, ontology), "personal_data") == (2, 0, 0)
    two_steps = gold(personal_data=["pd:Name", "pd:Tracking"])
    assert row(evaluate(dataset(PERFECT), two_steps, ontology), "personal_data") == (1, 1, 1)
    assert row(evaluate(dataset(PERFECT), broader), "personal_data") == (1, 1, 1)  # no ontology, no link


def test_broader_links_inside_the_dataset_count_and_exact_matches_win() -> None:
    ds = with_facts("ex:clients dpv:hasPersonalData pd:EmailAddressWork . "
                    "pd:EmailAddressWork skos:broader pd:EmailAddress .")
    report = evaluate(ds, gold())
    assert row(report, "personal_data") == (2, 0, 0)  # the extra narrower value takes nothing: neither TP nor FP
    assert report.exact_matches == 11


def test_optional_values_never_count() -> None:
    report = evaluate(dataset(PERFECT), gold(personal_data=["pd:Name", "pd:EmailAddress?", "pd:Passport?"]))
    assert row(report, "personal_data") == (1, 0, 0)


def test_ext_values_match_labels_at_word_starts_only() -> None:
    ds = with_facts("""
        ex:clients dpv:hasDataSubject ex:Partner, ex:WebVisitor, dpv:User .
        ex:Partner rdfs:label "Business partner contact" ; skos:broader dpv:HumanSubject .
        ex:WebVisitor skos:prefLabel "Websitevisitors" .""")
    g = gold(data_subjects=["dpv:Customer", "ext:BusinessPartner", "ext:WebsiteVisitor"])
    report = evaluate(ds, g)
    assert row(report, "data_subjects") == (2, 2, 1)
    assert report.notices[0].missed["data_subjects"] == ["ext:WebsiteVisitor"]
    assert sorted(report.notices[0].false["data_subjects"]) == ["Websitevisitors", "dpv:User"]


def test_entities_match_through_their_names_and_types() -> None:
    ds = with_facts("""
        ex:clients dpv:hasRecipient ex:acmePartner .
        ex:acmePartner a dpv:ThirdParty ; dpv:hasName "Collaborators of Acme" .""")
    report = evaluate(ds, gold(recipients=["dpv:DataProcessor", "ext:BusinessPartner"]))
    assert row(report, "recipients") == (2, 0, 0)
    report = evaluate(ds, gold(recipients=["dpv:DataProcessor", "dpv:ThirdParty"]))
    assert row(report, "recipients") == (2, 0, 0)


def test_transfer_bases_are_safeguards_not_legal_bases() -> None:
    report = evaluate(dataset(PERFECT), gold(legal_bases=[], transfer_safeguards=[]))
    assert row(report, "legal_bases") == (0, 1, 0) and row(report, "transfer_safeguards") == (0, 1, 0)
    assert report.notices[0].false["transfer_safeguards"] == ["eu-gdpr:A46-2-c"]


def test_durations_in_months_equal_years_and_regions_are_not_countries() -> None:
    ds = with_facts("""ex:clients dpv:hasStorageCondition [ dpv:hasDuration "P24M"^^xsd:duration ] ,
                                                       [ dpv:hasDuration "until account closure" ] .
                       ex:transfer dpv:hasThirdCountry loc:EEA .""")
    report = evaluate(ds, gold(retention_durations=["P5Y", "P2Y"]))
    assert row(report, "retention_durations") == (2, 0, 0) and row(report, "third_countries") == (1, 0, 0)
    assert norm_duration("p12m") == "P1Y" and norm_duration("P18M") == "P18M"


def test_notice_fields_right_wrong_missing_and_unasked() -> None:
    ds = dataset(PERFECT.replace('"Acme A/S"', '"Globex Ltd"').replace('"2023-10-12"', '"2023-10"'))
    g = gold(supervisory_authority=None)
    g["notices"]["acme"]["controller"]["country"] = None
    report = evaluate(ds, g)
    assert row(report, "name") == (0, 1, 1)  # wrong: FP + FN
    assert row(report, "country") == (0, 1, 0) and row(report, "supervisory_authority") == (0, 1, 0)
    assert row(report, "registration") == (1, 0, 0)  # "CVR 12345678": a printed prefix is allowed
    assert row(report, "last_updated") == (1, 0, 0)  # prefix match


def test_activity_pairs_are_one_to_one_and_need_gold_activities() -> None:
    ds = with_facts("ex:clients dpv:hasLegalBasis eu-gdpr:A6-1-f .")
    g = gold(legal_bases=["eu-gdpr:A6-1-b", "eu-gdpr:A6-1-f"])
    assert row(evaluate(ds, g), "pairs") == (1, 1, 0)
    g["notices"]["acme"]["activities"] = [{"subjects": ["dpv:Customer"], "legal_bases": ["eu-gdpr:A6-1-b",
                                                                                        "eu-gdpr:A6-1-f?"]}]
    assert row(evaluate(ds, g), "pairs") == (1, 0, 0)
    g["notices"]["acme"]["activities"] = []
    assert row(evaluate(ds, g), "pairs") == (0, 0, 0)


def test_notices_are_found_by_file_name_stem_or_path() -> None:
    for source in ("acme", "data/notices/acme.txt", "acme.txt"):
        report = evaluate(dataset(PERFECT.replace('"acme.txt"', f'"{source}"')), gold())
        assert report.missing == [] and report.overall.f1 == 1.0
    assert source_keys("x/103_mailchimp.com") == {"103_mailchimp.com"}


def test_table_and_dict_report_every_row() -> None:
    report = evaluate(with_facts("ex:clients dpv:hasPersonalData pd:Fingerprint ."), gold())
    text = report.table()
    assert "personal_data" in text and "ALL facets (micro)" in text and "supervisory_authority" in text
    out = report.to_dict()
    assert out["overall"]["fp"] == 1 and len(out["facets"]) == 9 and len(out["fields"]) == 5
    assert out["notices"][0]["false"]["personal_data"] == ["pd:Fingerprint"]


def test_load_gold_quotes_bare_optional_values(tmp_path: Path) -> None:
    path = tmp_path / "gold.yaml"
    path.write_text("ext_labels: {ext:Supplier: [supplier]}\nnotices:\n  a:\n    facets:\n"
                    "      personal_data: [pd:Name, pd:Contact?,\n                      pd:Passport?]\n"
                    "      third_countries: [US?, CA]\n      recipients: [ext:Supplier?]\n", encoding="utf-8")
    facets = load_gold(path)["notices"]["a"]["facets"]
    assert facets == {"personal_data": ["pd:Name", "pd:Contact?", "pd:Passport?"], "third_countries": ["US?", "CA"],
                      "recipients": ["ext:Supplier?"]}


@pytest.mark.parametrize("body, message", [
    ("notices: {a: {facets: {purposes: [foo:Bar]}}}", "unknown prefix"),
    ("notices: {a: {facets: {recipients: [ext:Nobody]}}}", "ext_labels"),
    ("facets: []", "notices"),
    ("notices: [", "YAML"),
])
def test_load_gold_rejects_bad_files(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "gold.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RopaError, match=message):
        load_gold(path)
    with pytest.raises(RopaError, match="cannot read"):
        load_gold(tmp_path / "missing.yaml")


def test_the_seeds_gold_loads() -> None:
    doc = load_gold(Path(__file__).resolve().parents[1] / "data" / "gold" / "seeds-gold.yaml")
    assert len(doc["notices"]) == 5
    values = [v for n in doc["notices"].values() for vs in n["facets"].values() for v in vs]
    assert all(isinstance(v, str) for v in values) and any(v.endswith("?") for v in values)
