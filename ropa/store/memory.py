"""An rdflib ``Dataset`` behind the store interface: for small graphs, for code that already holds a Dataset
(the builder, SHACL validation), and as a second engine the tests compare Oxigraph's answers against."""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ropa.store.base import Bindings, GraphData, Store
from ropa.store.errors import StoreError
from ropa.store.results import QueryResult, from_rdflib
from ropa.store.terms import bind


class RdflibStore(Store):
    kind = "rdflib"

    def __init__(self, dataset: Dataset | None = None, location: str = "(rdflib)"):
        self.dataset = dataset if dataset is not None else Dataset()
        self.dataset.default_union = True
        self.location = location
        self.writable = True

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryResult:
        try:
            return from_rdflib(self.dataset.query(bind(sparql, bindings)))
        except Exception as err:  # rdflib's parser raises pyparsing errors of several kinds
            if type(err).__name__ in ("ParseException", "ParseSyntaxException"):
                raise StoreError(f"the query is not valid SPARQL 1.1: {err}") from err
            raise

    def update(self, sparql: str) -> None:
        self.dataset.update(sparql)

    def replace(self, graphs: Iterable[GraphData]) -> int:
        n = 0
        for gd in graphs:
            ctx = self.dataset.graph(URIRef(gd.iri))
            self.dataset.remove_graph(ctx)
            ctx = self.dataset.graph(URIRef(gd.iri))
            ctx.parse(data=gd.ntriples.decode("utf-8"), format="nt")
            n += gd.triples
        return n

    def drop(self, graph_iris: Iterable[str]) -> None:
        for iri in graph_iris:
            self.dataset.remove_graph(self.dataset.graph(URIRef(iri)))

    def graph_names(self) -> list[str]:
        return sorted(str(g.identifier) for g in self.dataset.graphs()
                      if g.identifier != DATASET_DEFAULT_GRAPH_ID and isinstance(g.identifier, URIRef) and len(g))

    def export_graph(self, graph_iri: str) -> bytes:
        data = self.dataset.graph(URIRef(graph_iri)).serialize(format="nt", encoding="utf-8")
        return data if isinstance(data, bytes) else data.encode("utf-8")
