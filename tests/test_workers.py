"""``ropa build --workers N``: extraction over processes gives the same dataset and store as one process."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ropa.cli import main
from ropa.errors import UsageError
from ropa.pipeline import Workers, build, build_store
from ropa.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "data" / "notices"


def quads(store: Path) -> set:
    with EmbeddedStore(store, read_only=True) as st:
        return set(st._store)


def test_two_workers_build_the_same_dataset(sample_build):
    res = build([NOTICES], workers=2)
    assert [r.document.source for r in res.records] == [r.document.source for r in sample_build.records]
    assert set(res.dataset.quads()) == set(sample_build.dataset.quads())  # no blank nodes: equal as sets


def test_two_workers_build_the_same_store(tmp_path):
    one = build_store([NOTICES], tmp_path / "one", workers=1)
    two = build_store([NOTICES], tmp_path / "two", workers=2)
    assert one.built == two.built and one.triples == two.triples
    assert quads(tmp_path / "one") == quads(tmp_path / "two")


def test_a_bad_notice_is_reported_and_the_others_built(tmp_path, capsys):
    folder = tmp_path / "n"
    shutil.copytree(NOTICES, folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    assert main(["build", str(folder), "--store", str(tmp_path / "s"), "--workers", "2"]) == 2
    cap = capsys.readouterr()
    assert "broken.pdf" in cap.err and "1 failed" in cap.out and "5 new" in cap.out


def test_workers_must_be_a_count():
    with pytest.raises(UsageError, match="--workers"):
        Workers(-1).__enter__()
    with Workers(0) as pool:
        assert pool.n >= 1
    with Workers(2) as pool:  # input order, whatever order the processes finish in
        assert list(pool.map(abs, [-1, -2, 3, -4, 5, -6, 7, -8, 9, -10] * 3)) == list(range(1, 11)) * 3
