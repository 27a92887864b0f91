"""Exports of the five sample notices: XLSX and JSON-LD round trips compared as graphs, CSV and the CLI."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from ropa.cli import main
from ropa.export import export_dataset
from ropa.export.importer import import_workbook
from ropa.export.jsonld import compact
from ropa.export.templates import strip_evidence
from ropa.export.xlsx import to_xlsx
from ropa.graph.build import graph_iri
from ropa.graph.io import load, save
from ropa.graph.namespaces import DPV


@pytest.fixture(scope="module")
def ds(sample_build) -> Dataset:
    return sample_build.dataset


@pytest.fixture(scope="module", params=["ico", "cnil"])
def workbook(request, ds, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsx") / f"ropa-{request.param}.xlsx"
    out.write_bytes(to_xlsx(ds, request.param))
    return out


def notice_graphs(ds: Dataset):
    return [g for g in ds.graphs() if len(g)]


def test_xlsx_round_trip_is_isomorphic_minus_evidence(ds, workbook):
    res = import_workbook(workbook, by="tester", at="2024-01-01T00:00:00+00:00")
    assert res.changes == [] and res.warnings == []
    assert len(notice_graphs(res.dataset)) == len(notice_graphs(ds)) == 5
    for g in notice_graphs(ds):
        assert isomorphic(strip_evidence(g), res.dataset.graph(g.identifier)), g.identifier


def activities(g) -> int:
    return len(set(g.subjects(RDF.type, DPV.Process)))


def test_xlsx_reads_well(ds, workbook):
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames[0] == "Controllers" and "_rdf" in wb.sheetnames
    assert wb["_rdf"].sheet_state == "hidden"
    controllers = [n for n in wb.sheetnames if n not in ("Controllers", "About", "_rdf")]
    assert len(controllers) == 5 and "Flux AD A-S" in controllers
    ws = wb["Flux AD A-S"]
    assert ws.freeze_panes == "B2"
    header = [c.value for c in ws[1]]
    hidden = [h for h in header if h.startswith("[rdf] ")]
    assert hidden and all(ws.column_dimensions[openpyxl.utils.get_column_letter(header.index(h) + 1)].hidden
                          for h in hidden)
    assert ws.column_dimensions["A"].width >= 20 and ws["B2"].alignment.wrap_text
    flux = ds.graph(graph_iri("000_96c7bd9739d54e4c.txt"))
    assert ws.max_row == 1 + activities(flux)  # one row per activity of the Flux notice


def test_xlsx_cells_read_as_words(workbook):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Flux AD A-S"]
    visible = sum(1 for c in ws[1] if not str(c.value).startswith("[rdf] "))
    text = "\n".join(str(c.value) for row in ws.iter_rows(min_row=2, max_col=visible) for c in row if c.value)
    assert "Legitimate interest (Art. 6(1)(f))" in text or "Legitimate Interest (Art. 6(1)(f))" in text
    assert "Consent (Art. 6(1)(a))" in text and "Right of Access (Art. 15)" in text
    assert "pd:" not in text and "https://" not in text


def test_jsonld_compact_round_trip_is_isomorphic(ds):
    data = compact(ds)
    doc = json.loads(data)
    assert isinstance(doc["@context"], dict) and doc["@context"]["hasPersonalData"]["@id"] == "dpv:hasPersonalData"
    text = data.decode()
    assert '"hasPersonalData"' in text and '"https://w3id.org/dpv#hasPersonalData"' not in text
    back = Dataset()
    back.parse(data=data, format="json-ld")
    for g in notice_graphs(ds):
        assert isomorphic(g, back.graph(g.identifier)), g.identifier
    assert compact(ds) == data  # deterministic


def test_csv_has_one_row_per_activity(ds):
    from ropa.export.csv_ import to_csv

    rows = list(csv.reader(io.StringIO(to_csv(ds, "ico").decode("utf-8-sig"))))
    assert rows[0][:3] == ["Controller", "Privacy notice", "Business function / processing activity"]
    assert len(rows) - 1 == sum(activities(g) for g in notice_graphs(ds))
    cnil = list(csv.reader(io.StringIO(to_csv(ds, "cnil").decode("utf-8-sig"))))
    assert "Finalité(s) du traitement" in cnil[0]


def test_cli_exports_and_imports(ds, tmp_path, capsys):
    trig = tmp_path / "ropa.trig"
    save(ds, trig)
    for fmt, name in (("ropa-xlsx", "r.xlsx"), ("fides", "fides/")):
        assert main(["export", str(trig), "--format", fmt, "-o", str(tmp_path / name), "-q"]) == 0
    assert len(list((tmp_path / "fides").glob("*.yml"))) == 5
    assert main(["import", str(tmp_path / "r.xlsx"), "-o", str(tmp_path / "back.trig"), "-q"]) == 0
    back = load(tmp_path / "back.trig")
    for g in notice_graphs(ds):
        assert isomorphic(strip_evidence(g), back.graph(g.identifier))


def test_bad_template_and_format_are_usage_errors(ds, tmp_path):
    from ropa.errors import UsageError

    with pytest.raises(UsageError):
        export_dataset(ds, tmp_path / "x.xlsx", "ropa-xlsx", template="nope")
    with pytest.raises(UsageError):
        export_dataset(ds, tmp_path / "x", "nope")


def test_import_of_a_non_workbook_is_a_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert main(["import", str(bad), "-o", str(tmp_path / "out.trig")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ropa: error:") and "\n" not in err and not (tmp_path / "out.trig").exists()
