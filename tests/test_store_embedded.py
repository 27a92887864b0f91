"""The embedded store (Oxigraph on disk): incremental and transactional builds, locks, read-only folders, export."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from ropa import pipeline
from ropa.cli import main
from ropa.graph.build import graph_iri
from ropa.pipeline import build_store
from ropa.store import ONTOLOGY_GRAPH, EmbeddedStore, StoreError, StoreLockedError, is_store, open_store
from ropa.store.catalogue import find
from ropa.store.ops import run_query

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "data" / "notices").glob("*.txt"))


def graphs(store: Path) -> dict[str, frozenset]:
    """Every named graph of a store as a set of quads."""
    with EmbeddedStore(store, read_only=True) as st:
        return {g: frozenset(st._store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
                for g in st.graph_names()}


@pytest.fixture
def notices(tmp_path) -> Path:
    folder = tmp_path / "notices"
    folder.mkdir()
    for p in SAMPLES:
        shutil.copy(p, folder / p.name)
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, frozenset]]:
    """A store built from the sample notices once (copied by the tests that change it)."""
    base = tmp_path_factory.mktemp("built")
    folder = base / "notices"
    folder.mkdir()
    for p in SAMPLES:
        shutil.copy(p, folder / p.name)
    res = build_store([folder], base / "store")
    assert res.created and res.new == len(SAMPLES) and not res.failed
    return base / "store", graphs(base / "store")


def copy_store(built, tmp_path) -> Path:
    dst = tmp_path / "store"
    shutil.copytree(built[0], dst, ignore=shutil.ignore_patterns("ropa.lock", "LOCK"))
    return dst


def test_a_new_store_holds_every_notice_and_the_ontology(built):
    store, gs = built
    assert is_store(store)
    assert {str(graph_iri(p.name)) for p in SAMPLES} <= set(gs)
    assert ONTOLOGY_GRAPH in gs and len(gs[ONTOLOGY_GRAPH]) > 100
    assert not list(store.parent.glob(".store.partial-*"))  # built aside, moved into place
    with open_store(store) as st:
        rows = run_query(st, find("store/notices_in_store")[0]).dicts()
    assert sorted(str(r["source"]) for r in rows) == [p.name for p in SAMPLES]
    assert all(str(r["hash"]).startswith("sha256:") for r in rows)


def test_rebuild_skips_unchanged_and_replaces_only_a_changed_notice(built, notices, tmp_path):
    store = copy_store(built, tmp_path)
    res = build_store([notices], store)
    assert not res.created and not res.built and len(res.skipped) == len(SAMPLES)
    changed = notices / SAMPLES[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\nWe keep your data for 3 years.\n", encoding="utf-8")
    res = build_store([notices], store)
    g0 = str(graph_iri(SAMPLES[0].name))
    assert res.built == [g0] and res.new == 0 and len(res.skipped) == len(SAMPLES) - 1
    after = graphs(store)
    assert after[g0] != built[1][g0]
    assert all(after[g] == q for g, q in built[1].items() if g != g0)  # the others untouched


def test_force_rebuild_writes_nothing_new_and_prune_drops_removed_notices(built, notices, tmp_path):
    store = copy_store(built, tmp_path)
    res = build_store([notices], store, force=True)
    assert len(res.built) == len(SAMPLES) and res.new == 0
    assert graphs(store) == built[1]
    (notices / SAMPLES[-1].name).unlink()
    res = build_store([notices], store, prune=True)
    assert res.removed == [str(graph_iri(SAMPLES[-1].name))]
    assert str(graph_iri(SAMPLES[-1].name)) not in graphs(store)


def test_an_interrupted_build_leaves_every_graph_whole(built, notices, tmp_path, monkeypatch):
    """Stop a rebuild of changed notices after the first one: that one is new, the others as they were."""
    store = copy_store(built, tmp_path)
    for p in SAMPLES:
        f = notices / p.name
        f.write_text(f.read_text(encoding="utf-8") + "\nWe keep your data for 3 years.\n", encoding="utf-8")
    real = pipeline._notice_graph
    calls = []

    def stop_after_one(path):
        calls.append(path)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return real(path)

    monkeypatch.setattr(pipeline, "_notice_graph", stop_after_one)
    with pytest.raises(KeyboardInterrupt):
        build_store([notices], store)
    after = graphs(store)
    first = str(graph_iri(SAMPLES[0].name))
    assert after[first] != built[1][first]
    assert all(after[g] == q for g, q in built[1].items() if g != first)


def test_an_interrupted_new_store_leaves_nothing(notices, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "_notice_graph", lambda p: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        build_store([notices], tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists() and not list(tmp_path.glob(".fresh.partial-*"))


@pytest.mark.slow
def test_a_killed_build_leaves_a_readable_store(built, notices, tmp_path):
    """SIGKILL a rebuild midway (RocksDB's write-ahead log): each notice graph is the old or the new one."""
    store = copy_store(built, tmp_path)
    many = tmp_path / "many"
    many.mkdir()
    for i in range(4):
        for p in SAMPLES:
            text = p.read_text(encoding="utf-8") + f"\nWe keep your data for {i + 2} years.\n"
            (many / (p.name if i == 0 else f"{i}-{p.name}")).write_text(text, encoding="utf-8")
    def wal() -> int:
        return sum(f.stat().st_size for f in store.glob("*.log"))

    start = wal()
    proc = subprocess.Popen([sys.executable, "-m", "ropa.cli", "build", str(many), "--store", str(store), "-q"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while wal() <= start + 100_000 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)  # until the first notice transaction is committed to the write-ahead log
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    after = graphs(store)  # opens: the store is readable
    assert built[1][ONTOLOGY_GRAPH] == after[ONTOLOGY_GRAPH]
    changed = [g for g in after if after[g] != built[1].get(g)]
    assert 0 < len(changed) < 4 * len(SAMPLES)  # killed midway
    res = build_store([many], store)  # and finishing the build completes it
    assert not res.failed
    final = graphs(store)
    for g, quads in after.items():
        assert quads == built[1].get(g) or quads == final[g]  # never half a graph


def test_a_store_open_for_writing_refuses_a_second_writer_and_readers(built, tmp_path, notices, capsys):
    store = copy_store(built, tmp_path)
    with EmbeddedStore(store):
        with pytest.raises(StoreLockedError, match="another process"):
            EmbeddedStore(store)
        with pytest.raises(StoreLockedError):
            EmbeddedStore(store, read_only=True)
        proc = subprocess.run([sys.executable, "-m", "ropa.cli", "build", str(notices), "--store", str(store)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and "another process" in proc.stderr
    assert graphs(store) == built[1]  # nothing lost


def test_a_reader_blocks_a_writer_but_not_another_reader(built, tmp_path):
    store = copy_store(built, tmp_path)
    with EmbeddedStore(store, read_only=True), EmbeddedStore(store, read_only=True) as r2:
        assert r2.graph_names()
        with pytest.raises(StoreLockedError, match="ropa serve"):
            build_store([SAMPLES[0]], store)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_store_folder_is_a_clear_error(built, tmp_path, notices):
    store = copy_store(built, tmp_path)
    (notices / SAMPLES[0].name).write_text("changed", encoding="utf-8")
    mode = store.stat().st_mode
    for p in [store, *store.iterdir()]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        with pytest.raises(StoreError, match="not writable"):
            build_store([notices], store)
        assert run_query(open_store(store), find("store/notices_in_store")[0]).rows  # still readable
    finally:
        store.chmod(mode)
        for p in store.iterdir():
            p.chmod(0o644)


def test_permission_errors_say_what_to_do(tmp_path, monkeypatch):
    def denied(*a, **k):
        raise OSError("IO error: While open a file for appending: /x/000001.log: Permission denied")

    monkeypatch.setattr(ox, "Store", denied)
    with pytest.raises(StoreError, match="not writable.*permissions"):
        EmbeddedStore(tmp_path / "s")


def test_not_a_store(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["query", str(tmp_path / "empty"), "store/notices_in_store"]) == 2
    assert "not a ropa store" in capsys.readouterr().err
    assert main(["query", str(tmp_path / "missing"), "store/notices_in_store"]) == 2
    assert "ropa build" in capsys.readouterr().err


def test_export_a_store_and_load_shards_into_a_new_one(built, tmp_path, capsys):
    out = tmp_path / "all.nq"
    assert main(["export", str(built[0]), "--format", "n-quads", "-o", str(out)]) == 0
    half = out.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "a.nq").write_text("".join(half[: len(half) // 2]), encoding="utf-8")
    (tmp_path / "b.nq").write_text("".join(half[len(half) // 2:]), encoding="utf-8")
    assert main(["push", str(tmp_path / "a.nq"), str(tmp_path / "b.nq"), "--store", str(tmp_path / "new")]) == 0
    assert graphs(tmp_path / "new") == built[1]
    assert main(["export", str(built[0]), "--format", "trig", "-o", str(tmp_path / "all.trig")]) == 0
    assert main(["export", str(built[0]), "--format", "turtle", "-o", str(tmp_path / "x.ttl")]) == 2


def test_cli_build_store_reports_and_refuses_store_with_output(notices, tmp_path, capsys):
    assert main(["build", str(notices), "--store", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert "created store" in out and f"{len(SAMPLES)} new" in out and "ontology loaded" in out
    assert main(["build", str(notices), "--store", str(tmp_path / "s")]) == 0
    assert f"{len(SAMPLES)} unchanged skipped" in capsys.readouterr().out
    assert main(["build", str(notices), "--store", str(tmp_path / "s"), "-o", str(tmp_path / "x.trig")]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["build", str(notices), "--force"]) == 2
