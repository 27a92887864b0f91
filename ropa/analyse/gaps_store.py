"""The embedded store ``ropa gaps`` runs its checks on (Oxigraph, in memory).

Notice graphs stay the named graphs they are in the input. The checks' vocabulary (``ontology/ropa.ttl`` and
``ontology/shapes/gaps_concepts.ttl``) and what the reasoner infers go into two extra named graphs of their own,
which every check query sees as its *default* graph; ``GRAPH ?g`` in a query sees only the notice graphs. So a
store handed in by the caller keeps its own default graph, and the two extra graphs are removed afterwards.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from ropa.errors import GraphError
from ropa.graph.io import guess_format

VOCABULARY = ox.NamedNode("urn:ropa:gaps:vocabulary")
INFERRED = ox.NamedNode("urn:ropa:gaps:inferred")
INPUT = ox.NamedNode("urn:ropa:gaps:input")  # where a single-graph file (Turtle, N-Triples) is put
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_FORMATS = {"trig": ox.RdfFormat.TRIG, "n-quads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE,
            "n-triples": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD}
_OWN = (VOCABULARY, INFERRED)

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term]


class GapsStore:
    """A pyoxigraph store plus the graphs the checks see."""

    def __init__(self, store: ox.Store, owned: bool):
        self.ox = store
        self.owned = owned  # created here (True) or the caller's (False: our extra graphs are removed on close)
        self.scope: list[ox.NamedNode | ox.BlankNode] | None = None  # notice graphs the queries see (None: all)

    @classmethod
    def open(cls, source: object) -> GapsStore:
        """A path to a dataset file, an rdflib ``Dataset``/``Graph`` or a ``pyoxigraph.Store``."""
        if isinstance(source, ox.Store):
            return cls(source, owned=False)
        store = ox.Store()
        if isinstance(source, str | Path):
            _load_file(store, Path(source))
        elif isinstance(source, Dataset):
            _load_rdflib(store, source)
        elif hasattr(source, "serialize"):  # a plain rdflib Graph
            store.load(source.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=INPUT)
        else:
            raise GraphError(f"cannot check a {type(source).__name__}; pass a dataset file, an rdflib Dataset or a "
                             "pyoxigraph Store")
        _move_default_graph(store)
        return cls(store, owned=True)

    def load_vocabulary(self, paths: Iterable[Path]) -> None:
        for p in paths:
            try:
                self.ox.load(path=str(p), format=ox.RdfFormat.TURTLE, to_graph=VOCABULARY)
            except (SyntaxError, ValueError, OSError) as err:
                raise GraphError(f"not readable Turtle ({str(err).splitlines()[0][:120]}); fix the file", p) from err

    def add_inferred(self, triples: Iterable[tuple[str, str, str]]) -> None:
        self.ox.extend(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), INFERRED) for s, p, o in triples)

    def select(self, query: str, **params: Term) -> list[Row]:
        """Rows of a SELECT as dicts (unbound variables left out); ``params`` pre-bind variables."""
        subs = {ox.Variable(k): v for k, v in params.items()}
        res = self.ox.query(query, default_graph=list(_OWN), named_graphs=self.notice_graphs(),
                            substitutions=subs or None)
        names = [v.value for v in res.variables]
        return [{n: sol[n] for n in names if sol[n] is not None} for sol in res]

    def construct(self, query: str) -> list[ox.Triple]:
        return list(self.ox.query(query, default_graph=list(_OWN), named_graphs=self.notice_graphs()))

    def notice_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        if self.scope is not None:
            return self.scope
        return [g for g in self.ox.named_graphs() if g not in _OWN]

    def objects(self, s: Term, p: ox.NamedNode, graph: object = None) -> Iterator[Term]:
        for q in self.ox.quads_for_pattern(s, p, None, graph):
            yield q.object

    def subjects(self, p: ox.NamedNode, o: Term, graph: object = None) -> Iterator[Term]:
        for q in self.ox.quads_for_pattern(None, p, o, graph):
            yield q.subject

    def value(self, s: Term, p: ox.NamedNode, graph: object = None) -> Term | None:
        return next(self.objects(s, p, graph), None)

    def close(self) -> None:
        """Remove the graphs added for the checks (from a caller's store, whose data stays as it was)."""
        for g in _OWN:
            if self.ox.contains_named_graph(g):
                self.ox.remove_graph(g)


def _load_file(store: ox.Store, path: Path) -> None:
    if not path.is_file():
        raise GraphError("no such graph file; run `ropa build` first or check the path", path)
    name = guess_format(path)
    try:
        store.load(path=str(path), format=_FORMATS[name],
                   to_graph=INPUT if name in ("turtle", "n-triples") else None)
    except (SyntaxError, ValueError) as err:
        raise GraphError(f"not a readable {name} graph ({str(err).splitlines()[0][:120]}); rebuild it with "
                         "`ropa build`", path) from err
    except OSError as err:
        raise GraphError(f"cannot read the graph file ({err}); check its permissions", path) from err


def _load_rdflib(store: ox.Store, ds: Dataset) -> None:
    buf = io.BytesIO()
    ds.serialize(buf, format="nquads", encoding="utf-8")
    store.load(buf.getvalue(), ox.RdfFormat.N_QUADS)


def _move_default_graph(store: ox.Store) -> None:
    """Triples in the default graph (a JSON-LD or N-Quads file without graph names) go to the ``INPUT`` graph, so
    that ``GRAPH ?g`` finds them like any notice graph."""
    quads = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if quads:
        store.extend(ox.Quad(q.subject, q.predicate, q.object, INPUT) for q in quads)
        store.clear_graph(ox.DefaultGraph())


def text(term: Term | None) -> str | None:
    """A term's lexical value (IRI, blank node id or literal text)."""
    return None if term is None else term.value


def node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)
