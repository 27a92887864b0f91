"""The dataset follows the graph contract: one named graph per notice, evidence for every extracted triple with
offsets that point at its quote, DPV IRIs declared in the ontology, deterministic output, golden graphs."""
from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ropa import ingest, resources
from ropa.extract import DEFAULT, extract
from ropa.graph.build import _nt_literal, build_dataset, graph_iri, record_ntriples
from ropa.graph.io import load, save, serialize
from ropa.graph.namespaces import DPV, OA
from ropa.pipeline import extract_files

GOLDEN = Path(__file__).parent / "golden"
STRUCTURAL = {RDF.type, DCTERMS.source, DCTERMS.format, DCTERMS.title, PROV.wasGeneratedBy, DPV.hasNotice,
              DPV.hasDataController}


def evidence_index(g: Graph) -> dict:
    out: dict = {}
    for ev in g.subjects(RDF.type, RDF.Statement):
        key = (g.value(ev, RDF.subject), g.value(ev, RDF.predicate), g.value(ev, RDF.object))
        out.setdefault(key, []).append(ev)
    return out


def test_one_named_graph_per_notice(sample_build, sample_paths):
    sources = set()
    for g in sample_build.dataset.graphs():
        for n in g.subjects(RDF.type, DPV.PrivacyNotice):
            sources.add(str(g.value(n, DCTERMS.source)))
            assert g.identifier == graph_iri(str(g.value(n, DCTERMS.source)))
    assert sources == {p.name for p in sample_paths}


def test_every_extracted_triple_has_evidence_that_points_at_its_quote(sample_build):
    texts = {r.document.source: r.document.text for r in sample_build.records}
    for g in sample_build.dataset.graphs():
        notice = next(g.subjects(RDF.type, DPV.PrivacyNotice), None)
        if notice is None:
            continue
        text = texts[str(g.value(notice, DCTERMS.source))]
        index = evidence_index(g)
        for s, p, o in g:
            if str(p).startswith(str(DPV)) and p not in STRUCTURAL:
                assert (s, p, o) in index, f"no evidence for {s} {p} {o}"
        for evs in index.values():
            for ev in evs:
                quote = next(str(g.value(sel, OA.exact)) for sel in g.objects(ev, OA.hasSelector)
                             if (sel, RDF.type, OA.TextQuoteSelector) in g)
                pos = next(sel for sel in g.objects(ev, OA.hasSelector) if (sel, RDF.type, OA.TextPositionSelector) in g)
                start, end = int(g.value(pos, OA.start)), int(g.value(pos, OA.end))
                assert 0 <= start < end <= len(text)
                assert text[start:end] == quote
                assert g.value(ev, PROV.wasGeneratedBy) == URIRef(f"https://w3id.org/ropa/extractor/{DEFAULT}")


def test_emitted_dpv_iris_are_declared_in_the_ontology(sample_build):
    onto = Graph().parse(resources.ontology_file(), format="turtle")
    declared = set(onto.subjects())
    used = {t for g in sample_build.dataset.graphs() for triple in g for t in triple
            if isinstance(t, URIRef) and str(t).startswith("https://w3id.org/dpv")}
    assert used - declared == set()


def test_rebuild_in_any_order_is_isomorphic(sample_paths):
    a = build_dataset(extract_files(sample_paths))
    b = build_dataset(extract_files(list(reversed(sample_paths))))
    assert isomorphic(Graph().parse(data=serialize(a, "n-quads"), format="nquads"),
                      Graph().parse(data=serialize(b, "n-quads"), format="nquads"))
    assert set(serialize(a, "n-quads").splitlines()) == set(serialize(b, "n-quads").splitlines())  # no blank nodes


def test_round_trip_through_trig(tmp_path, sample_build):
    path = tmp_path / "ropa.trig"
    save(sample_build.dataset, path)
    back = load(path)
    assert sum(len(g) for g in back.graphs()) == sample_build.triples


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).parent.parent / "data" / "notices").glob("*.txt")))
def test_golden_graphs(name):
    """Each sample notice's graph equals its golden graph (regenerate with ROPA_REGEN_GOLDEN=1, on purpose)."""
    path = Path(__file__).parent.parent / "data" / "notices" / name
    got = serialize(build_dataset([extract(ingest.read(path))]), "n-quads")
    golden = GOLDEN / f"{path.stem}.nq"
    if os.environ.get("ROPA_REGEN_GOLDEN"):
        golden.write_bytes(got)
    assert golden.is_file(), f"{golden} missing; run ROPA_REGEN_GOLDEN=1 pytest tests/test_graph.py"
    want, have = Dataset(), Dataset()
    want.parse(golden, format="nquads")
    have.parse(data=got, format="nquads")
    for g in want.graphs():
        assert isomorphic(g, have.graph(g.identifier)), f"{name}: graph {g.identifier} differs from its golden file"
    assert len(list(want.graphs())) == len(list(have.graphs()))


def test_a_fact_repeated_thousands_of_times_keeps_its_first_evidence_places(tmp_path):
    """A notice repeating one sentence keeps MAX_EVIDENCE places per fact, the first ones, and stays linear."""
    from ropa.graph.build import MAX_EVIDENCE

    line = "We share your email address with our payment providers.\n"
    path = tmp_path / "rep.txt"
    path.write_text("Privacy Policy\n\n" + line * (MAX_EVIDENCE * 3))
    ds = build_dataset([extract(ingest.read(path))])
    g = ds.graph(graph_iri("rep.txt"))
    places = evidence_index(g)
    email = [evs for (s, p, o), evs in places.items() if o == URIRef("https://w3id.org/dpv/pd#EmailAddress")]
    assert email and all(len(evs) == MAX_EVIDENCE for evs in email)
    first = min(int(o) for ev in email[0] for sel in g.objects(ev, OA.hasSelector) for o in g.objects(sel, OA.start))
    assert first == path.read_text().index(line.strip()[:10])


def test_storage_locations_are_storage_conditions_but_not_retention_periods(tmp_path):
    from rdflib.namespace import RDF as R

    from ropa.summary import render, summarise

    path = tmp_path / "keep.txt"
    path.write_text("Privacy Policy\n\nHow long we keep your data\n\nWe keep your email address for 2 years and then "
                    "securely delete it. It is stored on our servers in Ireland.\n")
    ds = build_dataset([extract(ingest.read(path))])
    g = ds.graph(graph_iri("keep.txt"))
    kinds = {t for sc in g.objects(None, DPV.hasStorageCondition) for t in g.objects(sc, R.type)}
    assert {DPV.StorageDuration, DPV.StorageLocation, DPV.StorageDeletion} <= kinds
    text = render(summarise(ds, "keep.txt"))
    assert "Storage Location" in text and "P2Y" in text
    retention_line = next(line for line in text.splitlines() if line.strip().startswith("Retention"))
    assert "Storage" not in retention_line


def test_fast_ntriples_of_a_notice_equal_its_rdflib_graph(sample_build):
    """What a store build or a shard writes per notice (record_ntriples, no rdflib graph) is the notice's graph."""
    for rec in sample_build.records:
        want = sample_build.dataset.graph(graph_iri(rec.document.source))
        got = Graph().parse(data=record_ntriples(rec).decode("utf-8"), format="nt")
        assert len(got) == len(want) > 0
        assert isomorphic(got, want)


@given(st.one_of(st.text(max_size=200), st.integers(), st.booleans()), st.sampled_from([None, "en", "de-CH"]))
@settings(max_examples=300, deadline=None)
def test_fast_ntriples_literals_read_back_as_written(value, lang):
    lit = Literal(value, lang=lang) if lang and isinstance(value, str) else Literal(value)
    line = f"<urn:s> <urn:p> {_nt_literal(lit)} .\n"
    (quad,) = ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert quad.object.value == str(lit)
    assert (quad.object.language or None) == (lit.language.lower() if lit.language else None)  # tags are case-blind
    assert quad.object.datatype.value == str(lit.datatype or (RDF.langString if lit.language else XSD.string))
