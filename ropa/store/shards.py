"""Scale-out beyond one machine: extraction as Dask tasks, each writing one N-Quads shard (one named graph per
notice, as everywhere) that any SPARQL server bulk-loads (docs/stores.md lists each server's loader).

    ropa build notices/ --shards out/shards --scheduler tcp://scheduler:8786     # a Dask cluster
    ropa build notices/ --shards out/shards --workers 8                          # Dask's local process pool
    ropa push out/shards/*.nq --store build/store                                # or: oxigraph load, tdb2.tdbloader

Each task gets a list of notice paths (the workers must see the same paths: a shared or object file system) and
writes ``shard-NNNNN.nq`` atomically, so a task retried by the scheduler overwrites its own shard and a failed
run leaves no half shard. ``ontology.nq`` holds the ontology's named graph; ``manifest.json`` lists the shards,
the notices in each and those that failed.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ropa.errors import UsageError
from ropa.extract import DEFAULT

DEFAULT_SHARD_SIZE = 250  # notices per shard (~60 MB of N-Quads)


def extract_shard(paths: list[str], out: str, extractor: str = DEFAULT, max_bytes: int = 50 * 2**20) -> dict:
    """One task: extract ``paths`` and write their graphs as N-Quads to ``out`` (temp file + rename)."""
    from ropa import pipeline

    if pipeline._worker.get("name") != extractor or pipeline._worker.get("max_bytes") != max_bytes:
        pipeline._init_worker(extractor, max_bytes)
    target = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    built, failed, quads = [], [], 0
    try:
        with os.fdopen(fd, "wb") as fh:
            for p in paths:
                ng = pipeline._notice_graph(Path(p))
                if ng.error:
                    failed.append(ng.error)
                    continue
                fh.write(ng.ntriples.replace(b" .\n", f" <{ng.graph}> .\n".encode()))
                quads += ng.ntriples.count(b"\n")
                built.append(p)
        os.chmod(tmp, 0o644)  # bulk loaders often run as another user
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return {"shard": target.name, "notices": built, "failed": failed, "quads": quads}


@dataclass
class ShardReport:
    folder: Path
    shards: list[Path] = field(default_factory=list)
    notices: int = 0
    quads: int = 0
    failed: list[str] = field(default_factory=list)


def extract_to_shards(inputs: list[Path], folder: Path, *, scheduler: Any = "processes", workers: int = 0,
                      shard_size: int = DEFAULT_SHARD_SIZE, extractor: str = DEFAULT,
                      max_bytes: int = 50 * 2**20) -> ShardReport:
    """Extract the notices in ``inputs`` on Dask into N-Quads shards in ``folder``.

    ``scheduler``: ``"processes"`` (local process pool; ``workers`` processes, 0 = one per CPU), ``"threads"``,
    ``"synchronous"``, a ``distributed.Client``, or a scheduler address (``tcp://host:8786``)."""
    try:
        import dask
    except ImportError as err:
        raise UsageError("scale-out needs Dask: pip install 'ropa[scale]' (or dask[distributed])") from err
    from ropa.extract import get
    from ropa.pipeline import notice_paths
    from ropa.store.sources import ontology_graph

    get(extractor)  # an unknown extractor fails here, not on every worker
    paths = [str(p.absolute()) for p in notice_paths(inputs)]  # not resolved: a symbolic link names its graph, as in `ropa build`
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    chunks = [paths[i:i + shard_size] for i in range(0, len(paths), max(1, shard_size))]
    tasks = [dask.delayed(extract_shard, pure=False)(c, str(folder / f"shard-{i:05d}.nq"), extractor, max_bytes)
             for i, c in enumerate(chunks)]
    results = _compute(dask, tasks, scheduler, workers)
    report = ShardReport(folder)
    onto = ontology_graph()
    if onto is not None:  # the concept hierarchy and labels, as a store built by ropa holds them
        (folder / "ontology.nq").write_bytes(onto.ntriples.replace(b" .\n", f" <{onto.iri}> .\n".encode()))
        report.shards.append(folder / "ontology.nq")
    for r in results:
        report.shards.append(folder / r["shard"])
        report.notices += len(r["notices"])
        report.quads += r["quads"]
        report.failed += r["failed"]
    (folder / "manifest.json").write_text(json.dumps({"shards": results}, indent=1), encoding="utf-8")
    return report


def _compute(dask: Any, tasks: list, scheduler: Any, workers: int) -> list[dict]:
    if isinstance(scheduler, str) and scheduler.startswith(("tcp://", "tls://", "ws://", "wss://")):
        from distributed import Client

        with Client(scheduler) as client:
            return list(client.gather(client.compute(tasks)))
    if isinstance(scheduler, str):
        if scheduler not in ("processes", "threads", "synchronous", "sync"):
            raise UsageError(f"unknown scheduler {scheduler!r}; use processes, threads, synchronous or tcp://HOST:PORT")
        kw = {"num_workers": workers} if workers > 0 and scheduler in ("processes", "threads") else {}
        return list(dask.compute(*tasks, scheduler=scheduler, **kw))
    return list(scheduler.gather(scheduler.compute(tasks)))  # a distributed.Client
