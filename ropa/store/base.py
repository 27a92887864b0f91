"""The one interface every store implements: the embedded Oxigraph store (on disk or in memory), an rdflib
Dataset, and a remote SPARQL 1.1 server.

Conventions shared by all of them:

* **One named graph per notice.** Writes replace a notice's whole graph (``replace``), never add to it, so a
  rebuilt notice never keeps stale facts; each replacement is one transaction (or one Graph Store Protocol PUT).
* **The default graph is the union of the named graphs** when querying, so a query may match facts across
  notices without ``GRAPH``, or scope itself to one notice with ``GRAPH ?g``.
* **Parameters are RDF terms**, bound through a ``VALUES`` block (see ``terms.bind``), never pasted into text.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType

from ropa import resources
from ropa.store.results import QueryResult
from ropa.store.terms import Term

Bindings = Mapping[str, Sequence[Term]]


@dataclass(frozen=True)
class GraphData:
    """One named graph to write: its IRI and its triples as N-Triples (UTF-8)."""

    iri: str
    ntriples: bytes

    @property
    def triples(self) -> int:
        return self.ntriples.count(b"\n")


@dataclass(frozen=True)
class NoticeState:
    """What a store knows about a notice graph: enough to skip rebuilding an unchanged notice."""

    graph: str
    source: str
    content_hash: str  # "sha256:<hex>" of the raw notice file
    extractor: str  # the extractor's IRI (its name carries the version)


class Store(ABC):
    """A SPARQL dataset ropa can query and write notice graphs into."""

    kind: str = "store"
    location: str = ""
    writable: bool = False

    @abstractmethod
    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query (default graph = union of the named graphs) with ``bindings`` as VALUES."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update (one transaction where the engine has them)."""

    @abstractmethod
    def replace(self, graphs: Iterable[GraphData]) -> int:
        """Replace each named graph with the given triples, each replacement atomic; return triples written."""

    @abstractmethod
    def drop(self, graph_iris: Iterable[str]) -> None:
        """Remove these named graphs (missing ones are ignored)."""

    @abstractmethod
    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs in the store."""

    @abstractmethod
    def export_graph(self, graph_iri: str) -> bytes:
        """One named graph's triples as N-Triples."""

    def notices(self) -> dict[str, NoticeState]:
        """Graph IRI -> what the store holds about that notice (from ``queries/store/notices_in_store.rq``)."""
        text = (resources.queries_dir() / "store" / "notices_in_store.rq").read_text(encoding="utf-8")
        out = {}
        for row in self.query(text).dicts():
            g = str(row.get("graph", ""))
            if g and "hash" in row:
                out[g] = NoticeState(g, str(row.get("source", "")), str(row["hash"]), str(row.get("extractor", "")))
        return out

    def close(self) -> None:  # noqa: B027  (optional hook: most stores hold nothing to release)
        """Release the store (its lock, files, connections)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
