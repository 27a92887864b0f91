"""Scale-out: extraction on Dask (local mode) into N-Quads shards, loaded into a store (ropa/store/shards.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ropa.cli import main
from ropa.pipeline import build_store
from ropa.store import EmbeddedStore

pytest.importorskip("dask")

NOTICES = Path(__file__).resolve().parent.parent / "data" / "notices"


def quads(store: Path) -> set:
    with EmbeddedStore(store, read_only=True) as st:
        return set(st._store)


@pytest.mark.slow
def test_dask_local_processes_give_the_same_store(tmp_path, capsys):
    """Dask's local process scheduler (what a cluster runs, on one machine): 3 shards of 2 notices."""
    from ropa.store.shards import extract_to_shards

    rep = extract_to_shards([NOTICES], tmp_path / "shards", scheduler="processes", workers=2, shard_size=2)
    assert rep.notices == 5 and not rep.failed
    assert sorted(p.name for p in rep.shards) == ["ontology.nq", "shard-00000.nq", "shard-00001.nq", "shard-00002.nq"]
    manifest = json.loads((tmp_path / "shards" / "manifest.json").read_text())
    assert sum(len(s["notices"]) for s in manifest["shards"]) == 5
    assert main(["push", *map(str, rep.shards), "--store", str(tmp_path / "from-shards"), "-q"]) == 0
    build_store([NOTICES], tmp_path / "direct")
    assert quads(tmp_path / "from-shards") == quads(tmp_path / "direct")


def test_cli_shards_synchronous(tmp_path, capsys):
    code = main(["build", str(NOTICES), "--shards", str(tmp_path / "s"), "--scheduler", "synchronous"])
    assert code == 0 and "wrote 2 N-Quads shards, 5 notices" in capsys.readouterr().out
    assert main(["build", str(NOTICES), "--shards", str(tmp_path / "s"), "--scheduler", "nope"]) == 2
    assert main(["build", str(NOTICES), "--shards", str(tmp_path / "s"), "--store", str(tmp_path / "x")]) == 2


@pytest.mark.slow
def test_dask_distributed_local_cluster(tmp_path):
    """The same through a distributed scheduler (a LocalCluster on 127.0.0.1, no dashboard)."""
    distributed = pytest.importorskip("distributed")
    from ropa.store.shards import extract_to_shards

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                  processes=True) as cluster, distributed.Client(cluster) as client:
        rep = extract_to_shards([NOTICES], tmp_path / "shards", scheduler=client, shard_size=3)
        rep2 = extract_to_shards([NOTICES], tmp_path / "shards2", scheduler=cluster.scheduler_address, shard_size=3)
    assert rep.notices == rep2.notices == 5 and len(rep.shards) == 3
    a, b = ((t / "shard-00000.nq").read_text().splitlines() for t in (tmp_path / "shards", tmp_path / "shards2"))
    assert sorted(a) == sorted(b)


def test_a_symbolic_link_names_its_graph_in_shards_as_in_a_build(tmp_path):
    """Corpora are often folders of links; a shard names each graph after the file it was given, like `ropa build`."""
    from ropa.store.shards import extract_to_shards

    folder = tmp_path / "links"
    folder.mkdir()
    source = next(NOTICES.glob("*.txt"))
    for name in ("copy-a.txt", "copy-b.txt"):
        (folder / name).symlink_to(source)
    rep = extract_to_shards([folder], tmp_path / "shards", scheduler="synchronous")
    assert rep.notices == 2 and not rep.failed
    text = "".join(p.read_text() for p in rep.shards if p.name.startswith("shard-"))
    assert "/data/copy-a.txt>" in text and "/data/copy-b.txt>" in text
    assert f"/data/{source.name}>" not in text
