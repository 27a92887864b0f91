"""The store operations behind ``ropa query`` and ``ropa push``: open a store by location, run catalogue
queries with typed parameters, copy notice graphs from a file or store to another store or server."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from ropa.errors import GraphError, UsageError
from ropa.store.base import GraphData, Store
from ropa.store.catalogue import QueryFile
from ropa.store.embedded import EmbeddedStore, is_store
from ropa.store.memory import RdflibStore
from ropa.store.remote import DEFAULT_TIMEOUT, RemoteStore
from ropa.store.results import QueryResult
from ropa.store.sources import ONTOLOGY_GRAPH, file_format, graphs_in_file, ontology_graph
from ropa.store.terms import Term, check_varname, parse_term, variables

BACKENDS = ("oxigraph", "rdflib")


def open_store(location: str | Path | Dataset | None = None, *, writable: bool = False, backend: str | None = None,
               ontology: bool = True, timeout: float = DEFAULT_TIMEOUT) -> Store:
    """A store for ``location``:

    * ``None``: an empty in-memory Oxigraph store;
    * ``http(s)://...``: a remote SPARQL endpoint (its query URL);
    * a folder: an embedded Oxigraph store on disk (read-only unless ``writable``);
    * a dataset file (``.trig``, ``.nq``, ``.ttl``, ``.jsonld``): loaded into memory, with the ontology graph
      added (``ontology``), by Oxigraph or, with ``backend="rdflib"``, by rdflib;
    * an rdflib ``Dataset``: wrapped as it is.
    """
    if backend is not None and backend not in BACKENDS:
        raise UsageError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if isinstance(location, Dataset):
        return RdflibStore(location)
    if location is None:
        return EmbeddedStore()
    text = str(location)
    if text.startswith(("http://", "https://")):
        return RemoteStore(text, timeout=timeout)
    path = Path(location)
    if path.is_dir() or (writable and not path.suffix):
        if backend == "rdflib":
            raise UsageError("--backend rdflib reads dataset files, not store folders")
        return EmbeddedStore(path, read_only=not writable, create=writable)
    if not path.exists():
        raise GraphError("no such store folder or graph file; build one with `ropa build NOTICES --store DIR` "
                         "(or -o FILE)", path)
    return _file_store(path, backend or "oxigraph", ontology)


def _file_store(path: Path, backend: str, ontology: bool) -> Store:
    if backend == "rdflib":
        from ropa.graph.io import load

        store: Store = RdflibStore(load(path), location=str(path))
    else:
        store = EmbeddedStore()
        store.location = str(path)
        try:
            store._store.load(path=str(path), format=file_format(path))  # noqa: SLF001  (our own store)
        except (SyntaxError, ValueError, OSError) as err:
            raise GraphError(f"not a readable RDF file ({str(err).splitlines()[0][:160]}); rebuild it with "
                             "`ropa build`", path) from err
    onto = ontology_graph() if ontology else None
    if onto is not None:
        store.replace([onto])
    store.writable = False
    return store


# --- queries ------------------------------------------------------------------------------------------------


def terms_for(raw: Mapping[str, str | Sequence[str]], query: QueryFile | None = None) -> dict[str, list[Term]]:
    """Parameter values as given on the command line -> RDF terms, typed as the query's header declares.

    A query with a ``parameters`` header accepts only those names; ``required`` ones must be given."""
    out: dict[str, list[Term]] = {}
    for name, values in raw.items():
        var = check_varname(name)
        vals = [values] if isinstance(values, str) else list(values)
        param = query.param(var) if query is not None else None
        if query is not None and query.params and param is None:
            raise UsageError(f"query {query.id} has no parameter {var!r}; its parameters: "
                             f"{', '.join(p.name for p in query.params)}")
        kind = param.kind if param is not None else "any"
        out[var] = [parse_term(v, kind) for v in vals]
    if query is not None:
        missing = [p for p in query.params if p.required and p.name not in out]
        if missing:
            raise UsageError(f"query {query.id} needs --bind {missing[0].name}=VALUE ({missing[0].kind})")
    return out


def run_query(store: Store, query: QueryFile | str,
              raw: Mapping[str, str | Sequence[str]] | None = None) -> QueryResult:
    """Run a catalogue query (or SPARQL text) on ``store`` with parameters bound as RDF terms."""
    qf = query if isinstance(query, QueryFile) else None
    text = query.text if isinstance(query, QueryFile) else query
    return store.query(text, terms_for(raw or {}, qf) or None)


# --- pushing ------------------------------------------------------------------------------------------------


@dataclass
class PushReport:
    pushed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    triples: int = 0


def source_graphs(source: str | Path, ontology: bool = True) -> Iterable[GraphData]:
    """The named graphs of a dataset file or a store folder (plus the ontology graph, when a file lacks it)."""
    path = Path(source)
    if path.is_dir():
        if not is_store(path):
            raise GraphError("not a ropa store or graph file", path)
        with EmbeddedStore(path, read_only=True) as st:
            for name in st.graph_names():
                yield GraphData(name, st.export_graph(name))
        return
    have_onto = False
    for gd in graphs_in_file(path):
        have_onto |= gd.iri == ONTOLOGY_GRAPH
        yield gd
    onto = ontology_graph() if ontology and not have_onto else None
    if onto is not None:
        yield onto


def push(source: str | Path | None, target: Store, *, only_changed: bool = False, delete: Iterable[str] = (),
         progress: Callable[[str], None] | None = None) -> PushReport:
    """Write every named graph of ``source`` into ``target``, each replacing the graph of the same name.

    ``only_changed`` first asks ``target`` which notices it holds and skips graphs whose content hash and
    extractor are the same. ``delete``: graph IRIs to remove instead (nothing is pushed then)."""
    report = PushReport()
    delete = list(delete)
    if delete:
        target.drop(delete)
        report.deleted = delete
        return report
    if source is None:
        raise UsageError("nothing to push: name a dataset file or store")
    known = target.notices() if only_changed else {}
    for gd in source_graphs(source):
        state = known.get(gd.iri)
        if state is not None and _same(gd, state.content_hash, state.extractor):
            report.skipped.append(gd.iri)
            continue
        report.triples += target.replace([gd])
        report.pushed.append(gd.iri)
        if progress:
            progress(gd.iri)
    return report


def load_store(sources: Iterable[str | Path], store: Path) -> PushReport:
    """Load dataset files into the embedded store at ``store``. A new store is bulk-loaded straight from the
    files (Oxigraph's bulk loader, streaming, no transactions) aside and moved into place when complete -- the
    way to load N-Quads shards written by a distributed extraction; an existing store gets each graph replaced
    in its own transaction."""
    from ropa.store.embedded import bulk_create

    sources = [Path(s) for s in sources]
    if is_store(store):
        with EmbeddedStore(store) as st:
            report = PushReport()
            for src in sources:
                r = push(src, st)
                report.pushed += r.pushed
                report.triples += r.triples
            return report
    for src in sources:
        if not src.is_file():
            raise GraphError("a new store is loaded from dataset files; no such file", src)
        file_format(src)
    report = PushReport()
    with bulk_create(store) as st:
        for src in sources:
            st.bulk_load(src, file_format(src))
        onto = ontology_graph()
        if onto is not None:
            st.bulk_load(onto.ntriples.replace(b" .\n", f" <{onto.iri}> .\n".encode()))
        report.pushed = st.graph_names()
    return report


def _same(gd: GraphData, content_hash: str, extractor: str) -> bool:
    """Does this graph carry the same content hash and extractor as the target's copy?"""
    text = gd.ntriples
    return (f'"{content_hash}"'.encode() in text and
            (not extractor or f"<http://www.w3.org/ns/prov#wasGeneratedBy> <{extractor}>".encode() in text))



def query(source: str | Path | Store | None, query: str, bindings: Mapping[str, str | Sequence[str]] | None = None,
          *, sparql: bool = False, backend: str | None = None,
          timeout: float = DEFAULT_TIMEOUT) -> list[tuple[QueryFile | None, QueryResult]]:
    """``ropa query``: run the catalogue query (or queries: a group, a folder) named ``query`` -- or, with
    ``sparql=True``, the SPARQL text ``query`` -- on ``source`` (a store folder, a graph file, an endpoint URL or
    an open Store), with ``bindings`` typed by the query's header."""
    from ropa.store.catalogue import find

    files: list[QueryFile | None] = [None] if sparql else list(find(query))
    st = source if isinstance(source, Store) else open_store(source, backend=backend, timeout=timeout)
    try:
        if len(files) > 1 and bindings:  # a group: each query takes the parameters it uses
            def own(qf: QueryFile) -> dict[str, str | Sequence[str]]:
                takes = {p.name for p in qf.params} if qf.params else variables(qf.text)
                return {k: v for k, v in bindings.items() if k.lstrip("?$") in takes}

            unused = sorted(set(bindings) - {k for qf in files if qf is not None for k in own(qf)})
            if unused:
                raise UsageError(f"no query of {query!r} uses ?{unused[0].lstrip('?$')}")
            return [(qf, run_query(st, qf, own(qf))) for qf in files if qf is not None]
        return [(qf, run_query(st, qf if qf is not None else query, bindings)) for qf in files]
    finally:
        if st is not source:
            st.close()
