"""``ropa query``: listing, formats, parameters, and injection attempts through --bind and through notice names."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from ropa.cli import main
from ropa.graph.io import save

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = 'acme" } } ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> "z" } #{.txt'


@pytest.fixture(scope="module")
def sample_trig(sample_build, tmp_path_factory):
    path = tmp_path_factory.mktemp("qcli") / "ropa.trig"
    save(sample_build.dataset, path)
    return path


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """A store with a notice whose file name carries quotes, braces and a SPARQL update."""
    base = tmp_path_factory.mktemp("hostile")
    folder = base / "n"
    folder.mkdir()
    src = sorted((ROOT / "data" / "notices").glob("*.txt"))[0]
    shutil.copy(src, folder / src.name)
    shutil.copy(src, folder / HOSTILE)
    assert main(["build", str(folder), "--store", str(base / "store"), "-q"]) == 0
    return base / "store"


def run(capsys, *args):
    code = main(list(map(str, args)))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list(capsys):
    code, out, _ = run(capsys, "query", "--list")
    assert code == 0 and "store/notices_in_store" in out and "parameters: source (literal)" in out
    code, out, _ = run(capsys, "query", "--list", "store")
    assert code == 0 and all(line.startswith(("store/", "    ")) for line in out.splitlines())


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_formats(capsys, sample_trig, fmt):
    code, out, _ = run(capsys, "query", sample_trig, "store/notices_in_store", "--format", fmt)
    assert code == 0
    if fmt == "json":
        assert len(json.loads(out)["results"]["bindings"]) == 5
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(out)))) == 5
    elif fmt == "table":
        assert out.rstrip().endswith("(5 rows)")
    else:
        assert out.splitlines()[0].startswith("?graph\t?source")


def test_sparql_text_construct_and_output_file(capsys, sample_trig, tmp_path):
    q = "CONSTRUCT { ?n a ?t } WHERE { GRAPH ?g { ?n a ?t . FILTER(?t = <https://w3id.org/dpv#PrivacyNotice>) } }"
    out_file = tmp_path / "n.nt"
    code, _, _ = run(capsys, "query", sample_trig, "--sparql", q, "--format", "n-triples", "-o", out_file)
    assert code == 0 and len(out_file.read_text().splitlines()) == 5


def test_bind_narrows_and_repeats(capsys, sample_trig):
    code, out, _ = run(capsys, "query", sample_trig, "activities_by_notice", "--format", "csv",
                       "--bind", "source=004_078deb46ad01e314.txt", "--bind", "source=000_96c7bd9739d54e4c.txt")
    sources = {r["source"] for r in csv.DictReader(io.StringIO(out))}
    assert code == 0 and sources == {"004_078deb46ad01e314.txt", "000_96c7bd9739d54e4c.txt"}


def test_injection_through_bind_is_one_literal(capsys, hostile_store):
    code, out, _ = run(capsys, "query", hostile_store, "store/notices_in_store", "--format", "csv",
                       "--bind", f"source={HOSTILE}")
    assert code == 0 and [r["source"] for r in csv.DictReader(io.StringIO(out))] == [HOSTILE]
    code, out, _ = run(capsys, "query", hostile_store, "activities_by_notice", "--format", "csv",
                       "--bind", 'company=x" } } ; DROP ALL ; #')
    assert code == 0 and list(csv.DictReader(io.StringIO(out))) == []
    code, out, _ = run(capsys, "query", hostile_store, "store/notices_in_store", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(out)))) == 2  # nothing was dropped


def test_bad_parameters_are_clear_errors(capsys, sample_trig):
    code, _, err = run(capsys, "query", sample_trig, "store/graph_triples")
    assert code == 2 and "needs --bind graph=VALUE (iri)" in err
    code, _, err = run(capsys, "query", sample_trig, "store/notices_in_store", "--bind", "company=x")
    assert code == 2 and "has no parameter 'company'" in err
    code, _, err = run(capsys, "query", sample_trig, "--sparql", "SELECT * { ?s ?p ?o }", "--bind", "x} DROP=1")
    assert code == 2 and "not a SPARQL variable name" in err
    code, _, err = run(capsys, "query", sample_trig, "store/graph_triples", "--bind", "graph=not an iri")
    assert code == 2 and "IRI" in err
    code, _, err = run(capsys, "query", sample_trig, "--bind", "novalue")
    assert code == 2


def test_usage_errors(capsys, sample_trig):
    assert run(capsys, "query")[0] == 2
    code, _, err = run(capsys, "query", sample_trig, "notices_in_stor")
    assert code == 2 and "did you mean" in err
    code, _, err = run(capsys, "query", sample_trig, "--sparql", "SELEC x")
    assert code == 2 and "not valid SPARQL" in err
    code, _, err = run(capsys, "query", sample_trig, "store", "--format", "csv")
    assert code == 2 and "one result" in err


def test_a_group_runs_every_query(capsys, sample_trig):
    code, out, _ = run(capsys, "query", sample_trig, "store", "--bind", "graph=data:004_078deb46ad01e314.txt")
    assert code == 0 and "== store/notices_in_store" in out and "== store/graph_triples" in out
