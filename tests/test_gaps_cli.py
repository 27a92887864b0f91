"""`ropa gaps` on the command line: exit codes, output formats (table, explain, JSON, CSV, SARIF, HTML), options."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_gaps_fixtures import dataset, ev, notice

from ropa.cli import main

VOCAB = Path(__file__).parent / "fixtures" / "gaps" / "vocabulary.ttl"
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("ROPA_CACHE_DIR", str(tmp_path / "cache"))


def _write(tmp_path: Path, name: str, *graphs: str) -> Path:
    path = tmp_path / name
    path.write_text(dataset(*graphs), encoding="utf-8")
    return path


@pytest.fixture
def clean(tmp_path) -> Path:
    return _write(tmp_path, "clean.trig", notice("clean"))


@pytest.fixture
def bad(tmp_path) -> Path:
    return _write(tmp_path, "bad.trig", notice("clean"), notice(
        "bad", drop=("rights",),
        defect='N:notice ropa:hasDefect "consent-from-use" . ' + ev(
            "N:notice", "ropa:hasDefect", '"consent-from-use"', 4, 60, HOSTILE, "d")))


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    """The CLI without a reasoner (these tests are about the command, test_gaps_checks.py about the checks)."""
    code = main(["gaps", *argv, "--reasoner", "none", "--as-of", "2026-06-01"])
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_code_0_without_violations(capsys, clean):
    code, out, _ = _run(capsys, str(clean))
    assert code == 0 and "0 violations" in out


def test_exit_code_1_with_violations(capsys, bad):
    code, out, _ = _run(capsys, str(bad))
    assert code == 1
    assert "bad.txt" in out and "Art. 13(2)(b)" in out and "Art. 4(11)" in out


def test_exit_code_2_on_a_missing_graph(capsys, tmp_path):
    code, _, err = _run(capsys, str(tmp_path / "nope.trig"))
    assert code == 2 and "run `ropa build` first" in err


def test_exit_code_2_on_a_bad_date_or_notice(capsys, clean):
    assert main(["gaps", str(clean), "--as-of", "June"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    code, _, err = _run(capsys, str(clean), "--notice", "other.txt")
    assert code == 2 and "clean.txt" in err


def test_exit_code_2_on_an_unreadable_graph(capsys, tmp_path):
    broken = tmp_path / "broken.trig"
    broken.write_text("<a> <b> .", encoding="utf-8")
    code, _, err = _run(capsys, str(broken))
    assert code == 2 and "rebuild it" in err


def test_notice_filter_and_explain(capsys, bad):
    code, out, _ = _run(capsys, str(bad), "--notice", "bad", "--explain")
    assert code == 1 and "clean.txt" not in out
    assert "law" in out and "how" in out and "fix" in out and "@4-60" in out


def test_min_severity_and_check_filters(capsys, bad):
    _, out, _ = _run(capsys, str(bad), "--format", "json", "--check", "art13_2_b_rights")
    assert {f["check"] for f in json.loads(out)["findings"]} == {"art13_2_b_rights"}
    _, out, _ = _run(capsys, str(bad), "--format", "json", "--min-severity", "violation")
    assert {f["severity"] for f in json.loads(out)["findings"]} == {"violation"}


def test_json_is_machine_readable(capsys, bad):
    _, out, _ = _run(capsys, str(bad), "--format", "json")
    doc = json.loads(out)
    assert doc["counts"]["violation"] >= 7 and doc["as_of"] == "2026-06-01"
    f = next(f for f in doc["findings"] if f["check"] == "art4_11_consent_from_use")
    assert f["article"] == "Art. 4(11)" and f["evidence"][0]["start"] == 4 and f["fix"]


def test_csv_has_one_row_per_finding(capsys, bad):
    _, out, _ = _run(capsys, str(bad), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and set(rows[0]) >= {"notice", "check", "article", "severity", "evidence", "fix"}
    assert any(r["check"] == "art13_2_b_rights" and r["notice"] == "bad.txt" for r in rows)


def test_sarif_2_1_0(capsys, bad, tmp_path):
    out_file = tmp_path / "gaps.sarif"
    code, out, _ = _run(capsys, str(bad), "--format", "sarif", "-o", str(out_file))
    assert code == 1 and "->" in out
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    assert doc["version"] == "2.1.0" and "sarif" in doc["$schema"]
    run = doc["runs"][0]
    rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert run["columnKind"] == "unicodeCodePoints"
    for r in run["results"]:
        assert r["ruleId"] in rules and r["level"] in ("error", "warning", "note") and r["locations"]
    located = next(r for r in run["results"] if r["ruleId"] == "art4_11_consent_from_use")
    assert located["locations"][0]["physicalLocation"]["region"]["charOffset"] == 4


def test_html_escapes_notice_text_and_is_self_contained(capsys, bad, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "bad.txt").write_text("Hi. " + HOSTILE + " and more text.", encoding="utf-8")
    out_file = tmp_path / "gaps.html"
    code, _, _ = _run(capsys, str(bad), "--format", "html", "-o", str(out_file), "--texts", str(texts))
    page = out_file.read_text(encoding="utf-8")
    assert code == 1 and page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "<link" not in page  # no external files
    assert 'href="#n1-at-4-60"' in page and 'id="n1-at-4-60"' in page and "<mark>" in page
    assert page.index("<h3>Violations") < page.index("<h3>Warnings") if "<h3>Warnings" in page else True


def test_list_checks(capsys):
    assert main(["gaps", "--list-checks"]) == 0
    out = capsys.readouterr().out
    assert "art13_1_c_legal_basis" in out and "Art. 13(1)(c)" in out and "violation" in out


def test_the_python_api_mirrors_the_cli(bad):
    from ropa.analyse.gaps import gaps

    report = gaps(bad, reasoner="none", as_of="2026-06-01", notices=["bad.txt"])
    assert report.exit_code() == 1 and {n.source for n in report.notices} == {"bad.txt"}


def test_a_callers_store_is_left_as_it_was(tmp_path):
    import pyoxigraph as ox

    from ropa.analyse.gaps import gaps

    store = ox.Store()
    store.load(dataset(notice("mine", drop=("rights",))).encode(), ox.RdfFormat.TRIG)
    before = len(store)
    report = gaps(store, reasoner="none", as_of="2026-06-01")
    assert report.exit_code() == 1 and len(store) == before
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def test_a_single_graph_turtle_file_is_checked(tmp_path):
    from rdflib import Dataset

    from ropa.analyse.gaps import gaps

    ds = Dataset()
    ds.parse(data=dataset(notice("flat")), format="trig")
    ttl = tmp_path / "flat.ttl"
    ds.graph(next(g.identifier for g in ds.graphs() if "flat" in str(g.identifier))).serialize(ttl, format="turtle")
    report = gaps(ttl, reasoner="none", as_of="2026-06-01")
    assert [n.source for n in report.notices] == ["flat.txt"] and report.exit_code() == 0


def test_a_changed_notice_text_is_not_marked(tmp_path):
    from ropa.analyse.gaps import gaps

    graph = _write(tmp_path, "h.trig", notice("h", hash='N:notice ropa:contentHash "sha256:00" .'))
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "h.txt").write_text("a different text", encoding="utf-8")
    report = gaps(graph, reasoner="none", as_of="2026-06-01", texts=texts)
    assert report.notices[0].text is None and any("changed since the graph was built" in n for n in report.notes)
