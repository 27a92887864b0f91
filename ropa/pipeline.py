"""``ropa build`` and ``ropa export`` as library functions: notices -> dataset -> files or a store.

Two ways out:

* ``build(inputs, output)``: one dataset file (TriG, N-Quads, JSON-LD), written atomically once every notice was
  read; the whole dataset is held in memory, which suits up to a few thousand notices.
* ``build_store(inputs, store)``: a persistent embedded store (Oxigraph on disk) for any size. Incremental: a
  notice whose file (content hash) and extractor are unchanged is skipped; a changed one has its named graph
  replaced in one transaction. A new store is bulk-loaded aside and moved into place when complete.

Both extract over ``workers`` processes; results are the same for any number of workers (notices are handled in
input order and every IRI derives from the file name and content).
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from rdflib import Dataset, URIRef

from ropa import ingest
from ropa.errors import RopaError, UsageError
from ropa.extract import DEFAULT, get, names
from ropa.graph.build import build_dataset, extractor_iri, graph_iri, record_ntriples
from ropa.graph.io import load, save, write_atomic
from ropa.model import NoticeRecord

DEFAULT_MAX_BYTES = 50 * 2**20
BULK_BATCH_BYTES = 64 * 2**20  # N-Quads per bulk-load call into a new store

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class BuildResult:
    dataset: Dataset
    records: list[NoticeRecord]
    warnings: list[str] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(len(g) for g in self.dataset.graphs())


# --- extraction over worker processes -----------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(extractor: str, max_bytes: int) -> None:
    _worker["extractor"] = get(extractor)
    _worker["name"] = extractor
    _worker["max_bytes"] = max_bytes


def _extract_record(path: Path) -> NoticeRecord:
    return _worker["extractor"].extract(ingest.read(path, max_bytes=_worker["max_bytes"]))


def _run_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(x) for x in chunk]


class Workers:
    """A pool of extraction processes, each holding one extractor; ``map`` keeps input order.

    With ``n == 1`` everything runs in this process. Otherwise the processes are forked (where the platform can)
    as soon as the pool is entered, before the caller opens a store, so no child inherits a store's threads or
    locks; the lexicons are compiled once, here, and shared copy-on-write."""

    def __init__(self, n: int, extractor: str = DEFAULT, max_bytes: int = DEFAULT_MAX_BYTES, chunksize: int = 4):
        if n < 0:
            raise UsageError(f"--workers {n}: give a number of processes, or 0 for one per CPU")
        self.n = n if n > 0 else (os.cpu_count() or 1)
        self.extractor, self.max_bytes, self.chunksize = extractor, max_bytes, chunksize
        self._ex: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        if self.extractor not in names():
            get(self.extractor)  # raises the UsageError that lists the extractors
        if self.n > 1:
            get(self.extractor)  # compile the lexicons once, before forking: the workers share them
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._ex = ProcessPoolExecutor(self.n, mp_context=ctx, initializer=_init_worker,
                                           initargs=(self.extractor, self.max_bytes))
            self._ex.submit(int).result()  # start the processes now
        return self

    def __exit__(self, *exc: object) -> None:
        if self._ex is not None:
            self._ex.shutdown(wait=True, cancel_futures=True)
            self._ex = None

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``map(fn, items)`` in input order; at most ``4 * n`` chunks in flight, so results never pile up."""
        if self._ex is None:
            if _worker.get("name") != self.extractor or _worker.get("max_bytes") != self.max_bytes:
                _init_worker(self.extractor, self.max_bytes)  # lazily: an all-unchanged build compiles nothing
            yield from map(fn, items)
            return
        it = iter(items)
        chunks = iter(lambda: list(islice(it, self.chunksize)), [])
        window: deque[Future[list[R]]] = deque(self._ex.submit(_run_chunk, fn, c) for c in islice(chunks, 4 * self.n))
        while window:
            yield from window.popleft().result()
            nxt = next(chunks, None)
            if nxt is not None:
                window.append(self._ex.submit(_run_chunk, fn, nxt))


def extract_files(paths: list[Path], extractor: str = DEFAULT, max_bytes: int = DEFAULT_MAX_BYTES,
                  progress: Callable[[Path], None] | None = None, workers: int = 1) -> list[NoticeRecord]:
    """Ingest and extract each notice (memory per process stays bounded by the largest notice)."""
    out = []
    with Workers(workers, extractor, max_bytes) as pool:
        for p, rec in zip(paths, pool.map(_extract_record, paths), strict=True):
            if progress:
                progress(p)
            out.append(rec)
    return out


# --- to a file ------------------------------------------------------------------------------------------------


def build(inputs: list[Path], output: Path | None = None, *, extractor: str = DEFAULT, fmt: str | None = None,
          max_bytes: int = DEFAULT_MAX_BYTES, progress: Callable[[Path], None] | None = None,
          workers: int = 1, curation: Path | None = None) -> BuildResult:
    """Build the ROPA dataset of the notices in ``inputs`` (files or folders); write it to ``output`` if given.

    Nothing is written unless every notice was read: a bad notice raises before the output is touched.
    """
    paths = notice_paths(inputs)
    records = extract_files(paths, extractor, max_bytes, progress, workers)
    ds = build_dataset(records)
    warnings = [w for r in records for w in r.document.warnings]
    if curation is not None:  # an analyst's corrections, re-applied over the fresh extraction (docs/exports.md)
        from ropa.export.curation import apply_overlay_file

        warnings += apply_overlay_file(ds, Path(curation))
    if output is not None:
        save(ds, Path(output), fmt)
    return BuildResult(ds, records, warnings)


def notice_paths(inputs: Iterable[Path]) -> list[Path]:
    paths = ingest.find_notices([Path(p) for p in inputs])
    _unique_names(paths)
    return paths


def _unique_names(paths: list[Path]) -> None:
    """Refuse two notices whose graphs would share a name: 'a b.txt' and 'a-b.txt' both name graph <a-b.txt>."""
    seen: dict[URIRef, Path] = {}
    for p in paths:
        iri = graph_iri(p.name)
        if iri in seen:
            raise UsageError(f"{p}: its graph would be named like that of {seen[iri]} ({iri}); a notice's graph is "
                             "named after its file name, so rename one of them")
        seen[iri] = p


# --- to a store -----------------------------------------------------------------------------------------------


@dataclass
class NoticeGraph:
    """One extracted notice, ready for a store: its named graph as N-Triples (or the error that stopped it)."""

    path: Path
    graph: str
    ntriples: bytes = b""
    activities: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def _notice_graph(path: Path) -> NoticeGraph:
    """Worker: read, extract and serialise one notice. A notice that fails is reported, not raised, so one bad
    file among thousands does not stop the others."""
    gid = str(graph_iri(path.name))
    try:
        rec = _extract_record(path)
        data = record_ntriples(rec)
    except RopaError as err:
        return NoticeGraph(path, gid, error=str(err))
    except Exception as err:  # noqa: BLE001  (an extractor bug on one notice is reported with the notice)
        return NoticeGraph(path, gid, error=f"{path}: the extractor failed ({type(err).__name__}: {err}); "
                                            "please report it with this notice")
    return NoticeGraph(path, gid, data, len(rec.activities),
                       list(rec.document.warnings))


@dataclass
class StoreBuildResult:
    store: Path
    built: list[str] = field(default_factory=list)  # graph IRIs written
    new: int = 0
    skipped: list[str] = field(default_factory=list)  # unchanged notices (file and extractor)
    failed: list[str] = field(default_factory=list)  # one message per notice that could not be read
    removed: list[str] = field(default_factory=list)  # graphs pruned (notices no longer among the inputs)
    triples: int = 0
    activities: int = 0
    ontology: str = "absent"  # "loaded", "unchanged" or "absent"
    created: bool = False
    warnings: list[str] = field(default_factory=list)


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def build_store(inputs: list[Path], store: Path, *, extractor: str = DEFAULT, max_bytes: int = DEFAULT_MAX_BYTES,
                workers: int = 1, force: bool = False, prune: bool = False,
                progress: Callable[[Path], None] | None = None) -> StoreBuildResult:
    """Build the notices in ``inputs`` into the embedded store at ``store`` (created if absent).

    Incremental: notices whose file and extractor are unchanged are skipped (``force`` rebuilds them); a changed
    notice's graph is replaced in one transaction; ``prune`` drops the graphs of notices no longer among the
    inputs. Notices that cannot be read are listed in ``failed`` (their old graph, if any, is kept)."""
    from ropa.store.embedded import EmbeddedStore, bulk_create, is_store

    paths = notice_paths(inputs)
    store = Path(store)
    res = StoreBuildResult(store, created=not is_store(store))
    with Workers(workers, extractor, max_bytes) as pool:
        if res.created:
            with bulk_create(store) as st:
                _fill(st, paths, res, pool, progress, known={}, bulk=True)
            return res
        with EmbeddedStore(store) as st:
            known = st.notices()
            todo = _changed(paths, known, extractor, force, res)
            _fill(st, todo, res, pool, progress, known=known, bulk=False)
            if prune:
                wanted = {str(graph_iri(p.name)) for p in paths}
                res.removed = sorted(set(known) - wanted)
                st.drop(res.removed)
    return res


def _changed(paths: list[Path], known: dict, extractor: str, force: bool, res: StoreBuildResult) -> list[Path]:
    ex = str(extractor_iri(extractor))
    todo = []
    for p in paths:
        state = known.get(str(graph_iri(p.name)))
        if not force and state is not None and state.extractor == ex and state.content_hash == file_hash(p):
            res.skipped.append(state.graph)
        else:
            todo.append(p)
    return todo


def _fill(st: Any, paths: list[Path], res: StoreBuildResult, pool: Workers, progress: Callable[[Path], None] | None,
          *, known: dict, bulk: bool) -> None:
    from ropa.store.base import GraphData
    from ropa.store.sources import ONTOLOGY_GRAPH, ontology_graph, ontology_hash

    onto = ontology_graph()
    if onto is not None:
        current = None if bulk else st.content_hash(ONTOLOGY_GRAPH)
        if current != ontology_hash(onto):
            _write(st, [onto], bulk)
            res.ontology = "loaded"
        else:
            res.ontology = "unchanged"
    batch: list[bytes] = []
    size = 0
    # A new store loads each batch in a thread (Oxigraph releases the GIL) while this one keeps collecting the
    # workers' graphs: without it the workers idle whenever a batch loads. One batch loads while the next fills.
    with ThreadPoolExecutor(1, thread_name_prefix="ropa-load") as loader:
        loading: Future | None = None
        for ng in pool.map(_notice_graph, paths):
            if progress:
                progress(ng.path)
            if ng.error:
                res.failed.append(ng.error)
                continue
            res.warnings.extend(ng.warnings)
            res.activities += ng.activities
            res.built.append(ng.graph)
            res.new += ng.graph not in known
            res.triples += ng.ntriples.count(b"\n")
            if bulk:
                batch.append(ng.ntriples.replace(b" .\n", f" <{ng.graph}> .\n".encode()))
                size += len(batch[-1])
                if size >= BULK_BATCH_BYTES:
                    if loading is not None:
                        loading.result()  # raises what the load raised
                    loading = loader.submit(st.bulk_load, b"".join(batch))
                    batch, size = [], 0
            else:
                st.replace([GraphData(ng.graph, ng.ntriples)])
        if loading is not None:
            loading.result()
    if batch:
        st.bulk_load(b"".join(batch))


def _write(st: Any, graphs: list, bulk: bool) -> None:
    if not bulk:
        st.replace(graphs)
        return
    st.bulk_load(b"".join(g.ntriples.replace(b" .\n", f" <{g.iri}> .\n".encode()) for g in graphs))


# --- export ---------------------------------------------------------------------------------------------------


def export(graph_file: Path, output: Path, fmt: str, *, template: str = "ico") -> list[Path]:
    """Convert a ropa dataset file, or a store folder, to another RDF format or to a governance export
    (ropa-xlsx, ropa-csv, fides, jsonld: see :mod:`ropa.export`); atomic writes. Returns the files written."""
    from ropa import export as exports

    src = Path(graph_file)
    if exports.format_name(fmt) is not None:
        return exports.export_dataset(_load_any(src), Path(output), fmt, template=template)
    if src.is_dir():
        _export_store(src, Path(output), fmt)
        return [Path(output)]
    save(load(src), Path(output), fmt)
    return [Path(output)]


def _load_any(src: Path) -> Dataset:
    """A dataset file, or a store folder read whole into memory."""
    if not src.is_dir():
        return load(src)
    import io

    import pyoxigraph as ox

    from ropa.graph.oxi import from_ox
    from ropa.store.embedded import EmbeddedStore

    buf = io.BytesIO()
    with EmbeddedStore(src, read_only=True) as st:
        st.dump(buf, ox.RdfFormat.N_QUADS)
    ds = Dataset()
    for q in ox.parse(input=buf.getvalue(), format=ox.RdfFormat.N_QUADS):
        g = ds.default_graph if isinstance(q.graph_name, ox.DefaultGraph) else ds.graph(from_ox(q.graph_name))
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return ds


def _export_store(src: Path, output: Path, fmt: str) -> None:
    import io

    import pyoxigraph as ox

    from ropa.graph.io import format_name
    from ropa.store.embedded import EmbeddedStore

    name = format_name(fmt)
    ox_fmt = {"trig": ox.RdfFormat.TRIG, "n-quads": ox.RdfFormat.N_QUADS}.get(name)
    if ox_fmt is None:
        raise UsageError(f"a store exports as trig or n-quads (it holds one named graph per notice), not {name}")
    buf = io.BytesIO()
    with EmbeddedStore(src, read_only=True) as st:
        st.dump(buf, ox_fmt)
    write_atomic(output, buf.getvalue())
