"""Curation: cells an analyst edits come back as curated facts (PROV-O who/when, in the notice's curation graph),
survive a rebuild through the YAML overlay, and the importer copes with any text in any cell."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from ropa.export.columns import Row
from ropa.export.curation import curation_graph_iri, dump_overlay, load_overlay
from ropa.export.importer import import_workbook
from ropa.export.tables import notice_tables
from ropa.export.templates import ICO, columns_by_header
from ropa.export.xlsx import to_xlsx
from ropa.graph.build import graph_iri
from ropa.graph.namespaces import DPV, PD, ROPA
from ropa.pipeline import build

NOTICES = Path(__file__).resolve().parent.parent / "data" / "notices"
FLUX = graph_iri("000_96c7bd9739d54e4c.txt")
PARTNER = URIRef(f"{FLUX}/activity/BusinessPartner")
AT = "2024-05-01T10:00:00+00:00"


@pytest.fixture(scope="module")
def edited(sample_build, tmp_path_factory) -> Path:
    """The ICO workbook with three cells changed by hand."""
    path = tmp_path_factory.mktemp("cur") / "edited.xlsx"
    path.write_bytes(to_xlsx(sample_build.dataset, "ico"))
    wb = openpyxl.load_workbook(path)
    ws = wb["Flux AD A-S"]
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["[rdf] subject"]).value == str(PARTNER))
    pd_cell = ws.cell(row, col["Categories of personal data"])
    pd_cell.value = pd_cell.value.replace("Current Employment\n", "") + "\nHealth\npd:Age"
    ws.cell(row, col["Retention schedule (if possible)"]).value = "6 years"
    ws.cell(row, col["Business function / processing activity"]).value = "Business partners"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def imported(edited):
    return import_workbook(edited, by="Jane Doe", at=AT)


def test_edited_cells_change_the_notice_graph(imported):
    g = imported.dataset.graph(FLUX)
    assert (PARTNER, DPV.hasPersonalData, PD.Health) in g and (PARTNER, DPV.hasPersonalData, PD.Age) in g
    assert (PARTNER, DPV.hasPersonalData, PD.CurrentEmployment) not in g
    assert (PARTNER, URIRef("http://purl.org/dc/terms/title"), Literal("Business partners")) in g
    durations = {str(d) for sc in g.objects(PARTNER, DPV.hasStorageCondition) for d in g.objects(sc, DPV.hasDuration)}
    assert "P6Y" in durations
    assert len(imported.changes) == 3 and not imported.warnings


def test_changes_are_marked_curated_with_who_and_when(imported):
    cg = imported.dataset.graph(curation_graph_iri(FLUX))
    recs = set(cg.subjects(RDF.type, ROPA.Curation))
    added = {r for r in recs if (r, RDF.object, PD.Health) in cg}
    assert added and all((r, ROPA.curationAction, Literal("added")) in cg for r in added)
    removed = [r for r in recs if (r, RDF.object, PD.CurrentEmployment) in cg]
    assert removed and (removed[0], ROPA.curationAction, Literal("removed")) in cg
    for r in recs:
        agent = cg.value(r, PROV.wasAttributedTo)
        assert (agent, RDF.type, PROV.Agent) in cg and str(cg.value(agent, RDFS.label)) == "Jane Doe"
        assert cg.value(r, PROV.generatedAtTime).toPython().year == 2024
    # the extracted facts stay as they were in the other notices, and no curation graph appears there
    assert not len(imported.dataset.graph(curation_graph_iri(graph_iri("004_078deb46ad01e314.txt"))))


def test_curation_survives_a_rebuild(imported, tmp_path):
    overlay = tmp_path / "curation.yaml"
    overlay.write_bytes(dump_overlay(imported.changes))
    assert len(load_overlay(overlay)) == 3
    res = build([NOTICES / "000_96c7bd9739d54e4c.txt"], curation=overlay)
    g = res.dataset.graph(FLUX)
    assert (PARTNER, DPV.hasPersonalData, PD.Health) in g
    assert (PARTNER, DPV.hasPersonalData, PD.CurrentEmployment) not in g
    assert len(res.dataset.graph(curation_graph_iri(FLUX)))
    # appending to an existing overlay keeps the earlier entries
    overlay.write_bytes(dump_overlay(imported.changes[:1], overlay))
    assert len(load_overlay(overlay)) == 4


def test_overlay_for_a_missing_notice_warns(imported, tmp_path):
    overlay = tmp_path / "curation.yaml"
    overlay.write_bytes(dump_overlay(imported.changes))
    res = build([NOTICES / "004_078deb46ad01e314.txt"], curation=overlay)
    assert any("no such notice graph" in w for w in res.warnings)


# --- any text in any cell ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def flux_rows(sample_build):
    tables, _ = notice_tables(sample_build.dataset)
    t = next(t for t in tables if t.graph_id == FLUX)
    return [t.row(a) for a in t.activities] + [t.row(t.controller)]


EXCEL_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x0b\x0c"
                                   + "".join(map(chr, range(1, 9))) + "".join(map(chr, range(14, 32)))), max_size=80)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=EXCEL_TEXT, col=st.sampled_from([c.header for c in ICO if c.editable]), i=st.integers(0, 20))
def test_any_cell_text_imports_without_crashing(flux_rows, text, col, i):
    row: Row = flux_rows[i % (len(flux_rows) - 1)]
    column = columns_by_header()[col]
    ed = column.edit(row, text)
    for s, p, o in ed.add:
        assert isinstance(s, URIRef) and isinstance(p, URIRef)
        if p in (DPV.hasPersonalData, DPV.hasPurpose, DPV.hasLegalBasis, DPV.hasDataSubject, DPV.hasRecipient):
            assert isinstance(o, URIRef)  # concept columns never assert text where a concept belongs
    assert all(t in row.g for t in ed.remove)
    assert all(isinstance(w, str) and "\n" not in w for w in ed.warnings)


@settings(max_examples=40, deadline=None)
@given(col=st.sampled_from([c for c in ICO if c.editable]), i=st.integers(0, 20))
def test_an_unchanged_cell_is_no_edit(flux_rows, col, i):
    row = flux_rows[i % (len(flux_rows) - 1)]
    ed = col.edit(row, col.render(row))
    assert not ed.add and not ed.remove


def test_arbitrary_text_through_the_workbook(sample_build, tmp_path):
    path = tmp_path / "odd.xlsx"
    path.write_bytes(to_xlsx(sample_build.dataset, "ico"))
    wb = openpyxl.load_workbook(path)
    ws = wb["Flux AD A-S"]
    odd = ["", "   ", "; ;\n\n", "Ünïcödé ☃ (pd:Nope)", "=SUM(A1:A2)", "x" * 500, "Art. 6(1)(f)\n6(1)(b)", "<not an iri>"]
    for j, text in enumerate(odd, start=2):
        ws.cell(2, j).value = text
    wb.save(path)
    res = import_workbook(path, by="fuzz", at=AT)
    assert len([g for g in res.dataset.graphs() if len(g)]) >= 5
