"""The error catalogue (docs/errors.md): every error class is triggered through the ``ropa`` command here, and each
gives one line ``ropa: error: FILE: what is wrong; what to do`` on standard error and its documented exit code.

A test also checks that every error class in the package is in the catalogue and in :data:`CASES`, so a new class
cannot ship undocumented or untested.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ropa import resources
from ropa.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "data" / "notices" / "003_5f355bfe8382d069.txt"
CATALOGUE = ROOT / "docs" / "errors.md"


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("errors") / "g.trig"
    assert main(["build", str(NOTICE), "-o", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("errors") / "store"
    assert main(["build", str(NOTICE), "--store", str(out), "-q"]) == 0
    return out


HELD: list = []  # stores a case keeps open until the command ran


def _release() -> None:
    while HELD:
        HELD.pop().close()


def _ropa_error(tmp, graph, store, monkeypatch):
    return ["eval", graph, "--gold", tmp / "missing-gold.yaml"], "missing-gold.yaml", "--gold"


def _notice_error(tmp, graph, store, monkeypatch):
    (tmp / "empty.txt").write_bytes(b"")
    return ["build", tmp / "empty.txt", "-o", tmp / "o.trig"], "empty.txt", "nothing to extract"


def _no_notices_error(tmp, graph, store, monkeypatch):
    (tmp / "folder").mkdir()
    return ["build", tmp / "folder", "-o", tmp / "o.trig"], "folder", "point ropa at a folder of notices"


def _output_error(tmp, graph, store, monkeypatch):
    (tmp / "a-file").write_text("x")
    return ["build", NOTICE, "-o", tmp / "a-file" / "o.trig"], "o.trig", "choose a writable output path with -o"


def _graph_error(tmp, graph, store, monkeypatch):
    (tmp / "broken.trig").write_text("<a> <b> {{{ not trig", encoding="utf-8")
    return ["show", tmp / "broken.trig"], "broken.trig", "rebuild it with `ropa build`"


def _usage_error(tmp, graph, store, monkeypatch):
    return ["build", NOTICE, "-o", tmp / "o.trig", "--extractor", "rules.v0"], "rules.v0", "choose one of rules.v4"


def _check_error(tmp, graph, store, monkeypatch):
    gaps = tmp / "queries" / "gaps"
    gaps.mkdir(parents=True)
    (gaps / "broken_check.rq").write_text("# id: broken\nSELECT ?notice WHERE { ?notice ?p ?o }\n")
    monkeypatch.setattr(resources, "queries_dir", lambda: tmp / "queries")
    return ["gaps", graph, "--reasoner", "none"], "broken_check.rq", "add a line"


def _store_error(tmp, graph, store, monkeypatch):
    (tmp / "not-a-store").mkdir()
    (tmp / "not-a-store" / "x.txt").write_text("x")
    return ["query", tmp / "not-a-store", "store/notices_in_store"], "not-a-store", "build one with `ropa build"


def _store_locked_error(tmp, graph, store, monkeypatch):
    from ropa.store.embedded import EmbeddedStore

    HELD.append(EmbeddedStore(store))  # this process writes it, so a build must wait
    return ["build", NOTICE, "--store", store], store.name, "wait for it to finish or stop it"


def _endpoint_error(tmp, graph, store, monkeypatch):
    return (["query", "--endpoint", "http://127.0.0.1:9/sparql", "store/notices_in_store", "--timeout", "5"],
            "127.0.0.1:9", "is the server running")


# error class -> (exit code, case): the case returns the CLI arguments, the file the message must name, the fix.
CASES: dict[str, tuple[int, Callable]] = {
    "RopaError": (2, _ropa_error),
    "NoticeError": (2, _notice_error),
    "NoNoticesError": (2, _no_notices_error),
    "OutputError": (2, _output_error),
    "GraphError": (2, _graph_error),
    "UsageError": (2, _usage_error),
    "CheckError": (2, _check_error),
    "StoreError": (2, _store_error),
    "StoreLockedError": (2, _store_locked_error),
    "EndpointError": (2, _endpoint_error),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_error_class_through_the_cli(name, tmp_path, graph, store, monkeypatch, capsys):
    code, case = CASES[name]
    args, names_file, fix = case(tmp_path, graph, store, monkeypatch)
    try:
        got = main([str(a) for a in args])
    finally:
        _release()
    err = capsys.readouterr().err
    assert got == code, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ropa: error: "), err
    assert names_file in lines[0] and fix in lines[0], lines[0]
    assert ";" in lines[0], "the message says what to do after a ';'"


def test_the_class_raised_is_the_one_documented(tmp_path, graph, store, monkeypatch):
    """Call the library below the CLI and check each case raises exactly the class it documents."""
    from ropa import cli

    for name, (_, case) in CASES.items():
        folder = tmp_path / name
        folder.mkdir()
        args, _, _ = case(folder, graph, store, monkeypatch)
        ns = cli.parser().parse_args([str(a) for a in args])
        try:
            with pytest.raises(Exception) as info:
                ns.func(ns)
        finally:
            _release()
        assert type(info.value).__name__ == name
        monkeypatch.undo()


def test_interrupt_exits_130(monkeypatch, capsys, tmp_path):
    import ropa.pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ropa.pipeline, "build", interrupted)
    assert main(["build", str(NOTICE), "-o", str(tmp_path / "o.trig")]) == 130
    assert capsys.readouterr().err == "ropa: error: interrupted; nothing was written\n"
    assert not (tmp_path / "o.trig").exists()


def test_argument_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["build"])
    assert info.value.code == 2 and "usage: ropa build" in capsys.readouterr().err


def _error_classes() -> set[str]:
    """Every class in ropa/ that derives (directly or not) from RopaError, read from the source."""
    family = {"RopaError"}
    defs = []
    for path in (ROOT / "ropa").rglob("*.py"):
        defs += re.findall(r"^class (\w+)\(([\w.]+)\)", path.read_text(encoding="utf-8"), re.M)
    grew = True
    while grew:
        grew = False
        for name, base in defs:
            if base.split(".")[-1] in family and name not in family:
                family.add(name)
                grew = True
    return family


def test_every_error_class_is_catalogued_and_tested():
    classes = _error_classes()
    assert classes == set(CASES), f"add a case to CASES for {classes - set(CASES)}"
    doc = CATALOGUE.read_text(encoding="utf-8")
    for name in classes:
        assert f"`{name}`" in doc, f"docs/errors.md does not list {name}"
    for code in ("| 0 ", "| 1 ", "| 2 ", "| 130 "):
        assert code in doc
