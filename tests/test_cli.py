"""End to end through the ``ropa`` command: build, export, show, eval, and bad input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from ropa.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "data" / "notices"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "ropa.trig"
    assert main(["build", str(NOTICES), "-o", str(out), "-q"]) == 0
    return out


def test_build_writes_one_graph_per_notice(built):
    ds = Dataset()
    ds.parse(built, format="trig")
    assert len([g for g in ds.graphs() if len(g)]) == 5


@pytest.mark.parametrize("fmt, suffix, parse_as", [("turtle", "ttl", "turtle"), ("json-ld", "jsonld", "json-ld"),
                                                   ("n-triples", "nt", "nt"), ("n-quads", "nq", "nquads")])
def test_export_formats(built, tmp_path, fmt, suffix, parse_as):
    out = tmp_path / f"x.{suffix}"
    assert main(["export", str(built), "--format", fmt, "-o", str(out), "-q"]) == 0
    g = Dataset() if parse_as in ("nquads", "json-ld") else Graph()
    g.parse(out, format=parse_as)
    assert len(g) > 0 or sum(len(x) for x in g.graphs()) > 0


def test_jsonld_round_trip_is_isomorphic(built, tmp_path):
    out = tmp_path / "x.jsonld"
    main(["export", str(built), "--format", "json-ld", "-o", str(out), "-q"])
    a, b = Dataset(), Dataset()
    a.parse(built, format="trig")
    b.parse(out, format="json-ld")
    for g in a.graphs():
        if len(g):
            assert isomorphic(g, b.graph(g.identifier))


def test_show_prints_a_table_per_activity(built, capsys):
    assert main(["show", str(built), "--notice", "004_078deb46ad01e314.txt"]) == 0
    out = capsys.readouterr().out
    assert "Controller:" in out and "Conscensia A/S" in out
    assert out.count("Activity:") >= 2


def test_show_unknown_notice_is_an_error(built, capsys):
    assert main(["show", str(built), "--notice", "nope.txt"]) == 2
    assert "nope.txt" in capsys.readouterr().err


def test_eval_prints_facets(built, capsys):
    assert main(["eval", str(built)]) == 0
    out = capsys.readouterr().out
    for facet in ("personal_data", "legal_bases", "rights"):
        assert facet in out


def one_line_error(capsys, *args: str) -> str:
    assert main(list(args)) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ropa: error:") and "\n" not in err
    return err


def test_bad_inputs_fail_cleanly_without_output(tmp_path, capsys):
    out = tmp_path / "out.trig"
    cases = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 10,
        "latin1.txt": "Privacy policy. We process your name and email address. Café".encode("utf-16-le")[:-1],
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        err = one_line_error(capsys, "build", str(tmp_path / name), "-o", str(out))
        assert name in err
        assert not out.exists()
    empty = tmp_path / "nothing"
    empty.mkdir()
    assert "no notices" in one_line_error(capsys, "build", str(empty), "-o", str(out))
    assert "does not exist" in one_line_error(capsys, "build", str(tmp_path / "missing.txt"), "-o", str(out))


def test_too_large_notice(tmp_path, capsys):
    big = tmp_path / "big.txt"
    big.write_bytes(b"We collect your email address. " * 40_000)  # ~1.2 MB
    err = one_line_error(capsys, "build", str(big), "-o", str(tmp_path / "o.trig"), "--max-size", "1")
    assert "big.txt" in err and "MB" in err


def test_unwritable_output_keeps_nothing(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "sub" / "x.trig"  # its parent cannot be created, even by root
    err = one_line_error(capsys, "build", str(NOTICES / "003_5f355bfe8382d069.txt"), "-o", str(target))
    assert "x.trig" in err and "-o" in err
    assert blocker.read_text() == "not a folder"


def test_output_path_that_is_a_directory(tmp_path, capsys):
    target = tmp_path / "adir.trig"
    target.mkdir()
    err = one_line_error(capsys, "build", str(NOTICES / "003_5f355bfe8382d069.txt"), "-o", str(target))
    assert "adir.trig" in err


def test_failed_build_leaves_previous_output_intact(tmp_path, capsys):
    out = tmp_path / "keep.trig"
    assert main(["build", str(NOTICES / "003_5f355bfe8382d069.txt"), "-o", str(out), "-q"]) == 0
    before = out.read_bytes()
    (tmp_path / "empty.txt").write_bytes(b"")
    one_line_error(capsys, "build", str(NOTICES / "003_5f355bfe8382d069.txt"), str(tmp_path / "empty.txt"), "-o", str(out))
    assert out.read_bytes() == before


def test_non_english_notice_warns(tmp_path, capsys):
    da = tmp_path / "da.txt"
    da.write_text("Vi behandler dine personoplysninger, når du besøger vores hjemmeside og kontakter os. "
                  "Du har ret til at få indsigt i de oplysninger, vi har om dig, og til at klage til Datatilsynet. " * 5,
                  encoding="utf-8")
    assert main(["build", str(da), "-o", str(tmp_path / "o.trig"), "-q"]) == 0
    assert "English" in capsys.readouterr().err


def test_console_script_runs():
    proc = subprocess.run([sys.executable, "-m", "ropa.cli", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "ropa" in proc.stdout


def test_json_is_not_an_input_format(tmp_path, capsys):
    (tmp_path / "a.json").write_text(json.dumps({"x": 1}))
    assert "no notices" in one_line_error(capsys, "build", str(tmp_path), "-o", str(tmp_path / "o.trig"))
