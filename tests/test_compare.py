"""ropa compare: the queries of queries/compare/, the matrices, similarity, retention, completeness, the CLI.

The fixture is three small notices written by hand below (the graph contract's shape), with an ontology that gives
a two-level personal-data hierarchy, so every number can be checked by eye.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rdflib import Dataset

from ropa import resources
from ropa.analyse import compare_metrics as metrics
from ropa.analyse import compare_render as render
from ropa.analyse.compare import FACETS, compare, open_store, query, run
from ropa.cli import main

PREFIXES = """
@prefix dpv: <https://w3id.org/dpv#> . @prefix pd: <https://w3id.org/dpv/pd#> .
@prefix eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#> . @prefix loc: <https://w3id.org/dpv/loc#> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> . @prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix ropa: <https://w3id.org/ropa#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix d: <https://w3id.org/ropa/data/> .
"""

# Acme: consent + contract, SCC transfer to the US, 10 years; Beta: legitimate interest only, a transfer with no
# safeguard, until-event retention; the third notice names no controller (company = its file name).
TRIG = PREFIXES + """
<https://w3id.org/ropa/data/a.txt> {
  <https://w3id.org/ropa/data/a.txt/notice> a dpv:PrivacyNotice ; dct:source "a.txt" ;
      dpv:hasRight eu-gdpr:A15, eu-gdpr:A77, eu-gdpr:A7-3 .
  <https://w3id.org/ropa/data/a.txt/controller> a dpv:DataController ; dpv:hasName "Acme A/S" ;
      dpv:hasCountry loc:DK ; dpv:hasContact "mailto:p@acme.example" .
  <https://w3id.org/ropa/data/a.txt/activity/Customer> a dpv:Process ; dct:title "Customers" ;
      dpv:hasDataController <https://w3id.org/ropa/data/a.txt/controller> ;
      dpv:hasDataSubject dpv:Customer ; dpv:hasPersonalData pd:EmailAddress, pd:Name ;
      dpv:hasPurpose dpv:CustomerCare ; dpv:hasLegalBasis eu-gdpr:A6-1-b ;
      dpv:hasRecipient dpv:DataProcessor, <https://w3id.org/ropa/data/a.txt/google> ;
      dpv:hasStorageCondition [ a dpv:StorageDuration ; dpv:hasDuration "P10Y"^^xsd:duration ; ropa:bound "max" ] ;
      dpv:hasProcessing <https://w3id.org/ropa/data/a.txt/transfer/1> .
  <https://w3id.org/ropa/data/a.txt/google> a dpv:DataProcessor ; dpv:hasName "Google" .
  <https://w3id.org/ropa/data/a.txt/transfer/1> a dpv:CrossBorderTransfer ; dpv:hasThirdCountry loc:US ;
      dpv:hasLegalBasis eu-gdpr:A46-2-c .
  <https://w3id.org/ropa/data/a.txt/activity/Newsletter> a dpv:Process ; dct:title "Newsletter" ;
      dpv:hasDataController <https://w3id.org/ropa/data/a.txt/controller> ;
      dpv:hasDataSubject dpv:Customer ; dpv:hasPersonalData pd:EmailAddress ;
      dpv:hasPurpose dpv:DirectMarketing ; dpv:hasLegalBasis eu-gdpr:A6-1-a ;
      dpv:hasStorageCondition [ a dpv:StorageDuration ; dpv:hasDuration "P6M"^^xsd:duration ] .
  <https://w3id.org/ropa/data/a.txt/ev/1> a rdf:Statement ;
      rdf:subject <https://w3id.org/ropa/data/a.txt/activity/Customer> ;
      rdf:predicate dpv:hasLegalBasis ; rdf:object eu-gdpr:A6-1-b ;
      prov:wasDerivedFrom <https://w3id.org/ropa/data/a.txt/notice> ;
      oa:hasSelector <https://w3id.org/ropa/data/a.txt/ev/1/quote> .
  <https://w3id.org/ropa/data/a.txt/ev/1/quote> a oa:TextQuoteSelector ; oa:exact "to perform our contract" .
}
<https://w3id.org/ropa/data/b.txt> {
  <https://w3id.org/ropa/data/b.txt/notice> a dpv:PrivacyNotice ; dct:source "b.txt" ; dpv:hasRight eu-gdpr:A15 .
  <https://w3id.org/ropa/data/b.txt/controller> a dpv:DataController ; dpv:hasName "Beta Ltd" .
  <https://w3id.org/ropa/data/b.txt/activity/general> a dpv:Process ; dct:title "Processing described by the notice" ;
      dpv:hasDataController <https://w3id.org/ropa/data/b.txt/controller> ;
      dpv:hasDataSubject dpv:Customer, dpv:JobApplicant ; dpv:hasPersonalData pd:Name, pd:IPAddress ;
      dpv:hasPurpose dpv:CustomerCare ; dpv:hasLegalBasis eu-gdpr:A6-1-f ;
      dpv:hasRecipient <https://w3id.org/ropa/data/b.txt/g> ;
      dpv:hasStorageCondition [ a dpv:StorageDuration ;
          dpv:hasDuration [ a dpv:UntilEventDuration ; dct:description "until you unsubscribe"@en ] ] ;
      dpv:hasProcessing [ a dpv:Transfer ; dpv:hasThirdCountry loc:IN ] .
  <https://w3id.org/ropa/data/b.txt/g> a dpv:DataProcessor ; dpv:hasName "google" .
}
<https://w3id.org/ropa/data/c.txt> {
  <https://w3id.org/ropa/data/c.txt/notice> a dpv:PrivacyNotice ; dct:source "c.txt" .
  <https://w3id.org/ropa/data/c.txt/controller> a dpv:DataController .
  <https://w3id.org/ropa/data/c.txt/activity/general> a dpv:Process ;
      dpv:hasDataController <https://w3id.org/ropa/data/c.txt/controller> ;
      dpv:hasDataSubject dpv:Customer ; dpv:hasPersonalData pd:EmailAddress ; dpv:hasPurpose dpv:CustomerCare ;
      dpv:hasLegalBasis eu-gdpr:A6-1-b ;
      dpv:hasStorageCondition [ a dpv:StorageDuration ; dpv:hasDuration "P1Y6M"^^xsd:duration ] .
}
"""

ONTOLOGY = PREFIXES + """
pd:Contact skos:broader dpv:PersonalData ; skos:prefLabel "Contact"@en .
pd:EmailAddress skos:broader pd:Contact ; skos:prefLabel "Email Address"@en .
pd:Identifying skos:broader dpv:PersonalData ; skos:prefLabel "Identifying"@en .
pd:Name skos:broader pd:Identifying ; skos:prefLabel "Name"@en .
eu-gdpr:A6-1-a skos:prefLabel "Art.6(1-a) consent"@en .
eu-gdpr:A6-1-b skos:prefLabel "Art 6(1-b) contract"@en .
eu-gdpr:A46-2-c skos:prefLabel "Art 46(2-c) Standard Contractual Clauses (SCC) by EC"@en .
loc:US rdfs:label "United States of America"@en .
dpv:CustomerCare skos:broader dpv:Purpose ; skos:prefLabel "Customer Care"@en .
dpv:DirectMarketing skos:broader dpv:Marketing ; skos:prefLabel "Direct Marketing"@en .
dpv:Marketing skos:broader dpv:Purpose ; skos:prefLabel "Marketing"@en .
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("compare")
    (d / "ropa.trig").write_text(TRIG, encoding="utf-8")
    (d / "onto.ttl").write_text(ONTOLOGY, encoding="utf-8")
    return d / "ropa.trig", d / "onto.ttl"


@pytest.fixture(scope="module")
def cmp(files):
    return compare(files[0], ontology=files[1])


def test_every_query_has_the_header_fields():
    for path in sorted((resources.queries_dir() / "compare").glob("*.rq")):
        header = query(path.stem).header
        assert header.get("name") == path.stem, path
        for key in ("description", "parameters", "gdpr"):
            assert header.get(key), f"{path}: no {key}"


def test_companies_are_named_by_controller_or_file(cmp):
    assert list(cmp.companies.index) == ["Acme A/S", "Beta Ltd", "c.txt"]
    assert cmp.companies.loc["Acme A/S", "country"] == "loc:DK"


def test_evidence_is_left_out_but_facts_stay(files):
    store = open_store(files[0], ontology=files[1])
    stmt = run(store, "companies")
    assert len(stmt) == 3
    assert not any("/ev/" in q.subject.value for q in store)


def test_nquads_and_trig_give_the_same_matrices(files, tmp_path, cmp):
    ds = Dataset()
    ds.parse(files[0], format="trig")
    nq = tmp_path / "ropa.nq"
    nq.write_bytes(ds.serialize(format="nquads", encoding="utf-8"))
    other = compare(nq, ontology=files[1])
    for facet in FACETS:
        pd.testing.assert_frame_equal(other.matrices[facet], cmp.matrices[facet])
    from_dataset = compare(ds, ontology=files[1], facets=["legal_bases"])
    pd.testing.assert_frame_equal(from_dataset.matrices["legal_bases"], cmp.matrices["legal_bases"])


def test_legal_bases_matrix_counts_activities(cmp):
    m = cmp.matrices["legal_bases"]
    assert m.loc["Acme A/S", "eu-gdpr:A6-1-a"] == 1
    assert m.loc["Acme A/S", "eu-gdpr:A6-1-b"] == 1
    assert m.loc["Beta Ltd", "eu-gdpr:A6-1-f"] == 1
    assert m.loc["c.txt", "eu-gdpr:A6-1-b"] == 1
    assert "eu-gdpr:A46-2-c" not in m.columns  # a transfer's safeguard is not a legal basis of the processing
    assert list(m.columns)[0] == "eu-gdpr:A6-1-b"  # most used first
    assert cmp.matrix("legal_bases").columns[0] == "Art 6(1-b) contract"


def test_personal_data_depth_rolls_up_the_hierarchy(files):
    leaves = compare(files[0], ontology=files[1], facets=["personal_data"]).matrices["personal_data"]
    assert set(leaves.columns) == {"pd:EmailAddress", "pd:Name", "pd:IPAddress"}
    assert leaves.loc["Acme A/S", "pd:EmailAddress"] == 2
    top = compare(files[0], ontology=files[1], facets=["personal_data"], depth=1).matrices["personal_data"]
    # IP address is not in the test ontology's hierarchy: it stays as it is
    assert set(top.columns) == {"pd:Contact", "pd:Identifying", "pd:IPAddress"}
    assert top.loc["Acme A/S", "pd:Contact"] == 2 and top.loc["Beta Ltd", "pd:Identifying"] == 1
    deep = compare(files[0], ontology=files[1], facets=["personal_data"], depth=5).matrices["personal_data"]
    assert set(deep.columns) == set(leaves.columns)


def test_purposes_depth(files):
    m = compare(files[0], ontology=files[1], facets=["purposes"], depth=1).matrices["purposes"]
    assert set(m.columns) == {"dpv:CustomerCare", "dpv:Marketing"}


def test_recipients_match_named_entities_across_notices(cmp):
    m = cmp.matrices["recipients"]
    assert m.loc["Acme A/S", "entity:google"] == 1 and m.loc["Beta Ltd", "entity:google"] == 1
    assert cmp.label("entity:google") in {"Google", "google"}


def test_transfers_show_destination_and_safeguard(cmp):
    t = cmp.transfers.set_index("company")
    assert t.loc["Acme A/S", "destination"] == "United States of America"
    assert t.loc["Acme A/S", "safeguard"].startswith("Art 46(2-c)")
    assert t.loc["Beta Ltd", "safeguard"] == "none stated"
    assert cmp.matrices["transfer_safeguards"].loc["Beta Ltd", "none stated"] == 1
    assert cmp.matrices["transfer_destinations"].loc["Beta Ltd", "loc:IN"] == 1


@pytest.mark.parametrize(("duration", "months"), [("P10Y", 120), ("P6M", 6), ("P1Y6M", 18), ("P30D", 0.99),
                                                    ("P2W", 0.46), ("until an event", None), ("P", None)])
def test_months(duration, months):
    assert metrics.months(duration) == months


def test_retention_side_by_side(cmp):
    s = cmp.retention_summary()
    assert s.loc["Acme A/S", "max_months"] == 120 and s.loc["Acme A/S", "min_months"] == 6
    assert s.loc["Beta Ltd", "until_event"] == 1 and pd.isna(s.loc["Beta Ltd", "max_months"])
    assert s.loc["c.txt", "periods"] == "18 months"
    assert list(cmp.matrices["retention"].columns) == ["P6M", "P1Y6M", "P10Y", "until an event"]
    row = cmp.retention[cmp.retention["duration"] == "P10Y"].iloc[0]
    assert row["bound"] == "max" and row["activity"] == "Customers"


def test_jaccard_by_hand():
    m = pd.DataFrame([[1, 1, 0], [0, 2, 1], [0, 0, 0]], index=["a", "b", "c"], columns=["x", "y", "z"])
    j = metrics.jaccard(m)
    assert j.loc["a", "b"] == pytest.approx(1 / 3)
    assert j.loc["a", "a"] == 1 and j.loc["c", "c"] == 0 and j.loc["a", "c"] == 0


def test_similarity_and_the_jaccard_query_agree(files, cmp):
    store = open_store(files[0], ontology=files[1])
    for other, company, expected in (("c.txt", "c.txt", 0.5), ("b.txt", "Beta Ltd", 0.0)):
        row = run(store, "jaccard", g1="https://w3id.org/ropa/data/a.txt", g2=f"https://w3id.org/ropa/data/{other}",
                  property="https://w3id.org/dpv#hasLegalBasis").iloc[0]
        assert float(row["jaccard"]) == pytest.approx(expected)
        assert cmp.similarity["legal_bases"].loc["Acme A/S", company] == pytest.approx(expected)
    row = run(store, "jaccard", g1="https://w3id.org/ropa/data/a.txt", g2="https://w3id.org/ropa/data/b.txt",
              property="https://w3id.org/dpv#hasRight").iloc[0]
    assert float(row["jaccard"]) == pytest.approx(cmp.similarity["rights"].loc["Acme A/S", "Beta Ltd"]) == 1 / 3
    s = cmp.similarity["overall"]
    assert np.allclose(s.to_numpy(), s.to_numpy().T) and s.loc["Acme A/S", "Acme A/S"] == 1


def test_unique_and_the_unique_query_agree(files, cmp):
    u = cmp.unique
    only = set(u[(u["facet"] == "legal_bases")]["concept"])
    assert only == {"eu-gdpr:A6-1-a", "eu-gdpr:A6-1-f"}
    store = open_store(files[0], ontology=files[1])
    rows = run(store, "unique", property="https://w3id.org/dpv#hasLegalBasis")
    assert {r.rsplit("#", 1)[1] for r in rows["concept"]} == {"A6-1-a", "A6-1-f"}
    assert set(rows["only"]) == {"Acme A/S", "Beta Ltd"}


def test_completeness_from_art13_items(cmp):
    c = cmp.completeness
    assert c.loc["Acme A/S", "score"] > c.loc["c.txt", "score"]
    assert "13(1)(a) controller identity" in c.loc["c.txt", "missing"]
    assert cmp.matrices["art13_completeness"].loc["Acme A/S", "13(1)(f) transfers and safeguards"] == 1
    assert cmp.matrices["art13_completeness"].loc["Beta Ltd", "13(1)(f) transfers and safeguards"] == 0


def test_completeness_from_findings(cmp):
    class Sev:
        value = "violation"

    class F:
        def __init__(self, notice, check, severity):
            self.notice, self.check, self.severity = notice, check, severity

    findings = [F("a.txt", "dpo", Sev()), {"notice": "b", "check": "dpo", "severity": "warning"},
                {"notice": "b.txt", "check": "retention", "severity": "info"}]
    c = metrics.completeness(cmp.companies, None, findings, checks=4)
    assert c.loc["Acme A/S", "score"] == 0.75
    assert c.loc["Beta Ltd", "score"] == pytest.approx(1 - 0.5 / 4)
    assert c.loc["c.txt", "score"] == 1.0 and c["basis"].iloc[0] == "gap checks"


def test_average_linkage_joins_the_closest_first():
    sim = pd.DataFrame([[1, .9, .1, .1], [.9, 1, .2, .1], [.1, .2, 1, .8], [.1, .1, .8, 1]], index=list("abcd"),
                       columns=list("abcd"))
    z = metrics.average_linkage(sim)
    assert z[0, :2].tolist() == [0, 1] and z[0, 2] == pytest.approx(0.1)
    assert z[1, :2].tolist() == [2, 3] and z[1, 2] == pytest.approx(0.2)
    assert z[2, 2] == pytest.approx(1 - np.mean([.1, .2, .1, .1])) and z[2, 3] == 4
    assert metrics.leaf_order(z, 4) == [0, 1, 2, 3]


def test_text_shows_what_a_reader_sees(cmp):
    out = render.text(cmp)
    assert "Rely on consent (Art. 6(1)(a)): 1 of 3: Acme A/S" in out
    assert "Acme A/S: to United States of America under Art 46(2-c)" in out
    assert "Beta Ltd: to loc:IN under none stated" in out
    assert "Longest retention: 10 years (120 mo): Acme A/S" in out
    assert "== Legal bases" in out and "== Retention periods side by side" in out


def test_csv_and_json(cmp):
    wide = render.csv(cmp, "legal_bases").splitlines()
    assert wide[0].startswith("company,Art 6(1-b) contract")
    assert render.long(cmp).query("facet == 'rights'")["activities"].min() >= 1
    doc = json.loads(render.to_json(cmp))
    assert doc["facets"]["legal_bases"]["matrix"]["Acme A/S"]["eu-gdpr:A6-1-a"] == 1
    assert {t["company"] for t in doc["transfers"]} == {"Acme A/S", "Beta Ltd"}


def test_many_companies_switch_to_counts(cmp, monkeypatch):
    monkeypatch.setattr(render, "GRID_MAX", 2)
    out = render.facet_text(cmp, "legal_bases")
    assert "3 companies: how many state each concept" in out


def test_cli_text_csv_folder_json_html(files, tmp_path, capsys):
    graph, onto = map(str, files)
    assert main(["compare", graph, "--ontology", onto, "--facet", "legal_bases"]) == 0
    assert "Art.6(1-a) consent" in capsys.readouterr().out
    assert main(["compare", graph, "--ontology", onto, "--format", "csv", "-o", f"{tmp_path}/csv/"]) == 0
    assert (tmp_path / "csv" / "matrix_legal_bases.csv").is_file()
    assert (tmp_path / "csv" / "similarity_overall.csv").is_file()
    assert main(["compare", graph, "--ontology", onto, "--format", "json", "-o", str(tmp_path / "c.json")]) == 0
    assert json.loads((tmp_path / "c.json").read_text())["companies"]
    assert main(["compare", graph, "--ontology", onto, "--facet", "legal_bases,rights", "--format", "html",
                 "-o", str(tmp_path / "c.html")]) == 0
    page = (tmp_path / "c.html").read_text()
    assert "data:image/png;base64," in page and "Acme A/S" in page and "<script" not in page


def test_cli_errors(files, capsys):
    assert main(["compare", str(files[0]), "--facet", "nope"]) == 2
    assert "unknown facet" in capsys.readouterr().err
    assert main(["compare", "missing.trig"]) == 2
