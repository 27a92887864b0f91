"""The embedded store ``ropa gaps`` runs its checks on (Oxigraph, in memory).

Notice graphs stay the named graphs they are in the input; ``GRAPH ?g`` in a check query sees them. The checks'
vocabulary (``ontology/ropa.ttl``, ``ontology/shapes/gaps_concepts.ttl``) and what the reasoner infers go into
the store's *default* graph, which the queries read without ``GRAPH``. (Passing Oxigraph a list of named graphs
or default graphs per query makes every ``GRAPH ?g`` join loop over that list: 100x slower at 1,000 notices, so
the scope of a run is narrowed that way only when it names a few notices.)

A store handed in by the caller gets these triples in its default graph for the run; :meth:`GapsStore.close`
removes the ones that were not there before.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from ropa.errors import GraphError
from ropa.graph.io import guess_format

INPUT = ox.NamedNode("urn:ropa:gaps:input")  # where a single-graph file (Turtle, N-Triples) is put
DEFAULT = ox.DefaultGraph()
SCOPE_LIMIT = 50  # a run about more notices than this queries all graphs and filters afterwards
_FORMATS = {"trig": ox.RdfFormat.TRIG, "n-quads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE,
            "n-triples": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD}

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term]


class GapsStore:
    """A pyoxigraph store plus what the run added to its default graph."""

    def __init__(self, store: ox.Store, owned: bool):
        self.ox = store
        self.owned = owned  # created here (True) or the caller's (False: additions are undone on close)
        self.added: list[ox.Quad] = []
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
            tmp = ox.Store()
            try:
                tmp.load(path=str(p), format=ox.RdfFormat.TURTLE)
            except (SyntaxError, ValueError, OSError) as err:
                raise GraphError(f"not readable Turtle ({str(err).splitlines()[0][:120]}); fix the file", p) from err
            self._add(tmp.quads_for_pattern(None, None, None, DEFAULT))

    def add_inferred(self, triples: Iterable[tuple[str, str, str]]) -> None:
        self._add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), DEFAULT) for s, p, o in triples)

    def _add(self, quads: Iterable[ox.Quad]) -> None:
        if self.owned:
            self.ox.extend(quads)
            return
        new = [q for q in quads if q not in self.ox]
        self.ox.extend(new)
        self.added += new

    def select(self, query: str, **params: Term) -> list[Row]:
        """Rows of a SELECT as dicts (unbound variables left out); ``params`` pre-bind variables."""
        subs = {ox.Variable(k): v for k, v in params.items()}
        res = self.ox.query(query, substitutions=subs or None, **self._dataset())
        names = [v.value for v in res.variables]
        return [{n: sol[n] for n in names if sol[n] is not None} for sol in res]

    def construct(self, query: str) -> list[ox.Triple]:
        return list(self.ox.query(query, **self._dataset()))

    def _dataset(self) -> dict:
        if self.scope is not None and len(self.scope) <= SCOPE_LIMIT:
            return {"named_graphs": self.scope}
        return {}

    def notice_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        return list(self.scope) if self.scope is not None else list(self.ox.named_graphs())

    def objects(self, s: Term, p: ox.NamedNode, graph: object = None) -> Iterator[Term]:
        for q in self.ox.quads_for_pattern(s, p, None, graph):
            yield q.object

    def subjects(self, p: ox.NamedNode, o: Term, graph: object = None) -> Iterator[Term]:
        for q in self.ox.quads_for_pattern(None, p, o, graph):
            yield q.subject

    def value(self, s: Term, p: ox.NamedNode, graph: object = None) -> Term | None:
        return next(self.objects(s, p, graph), None)

    def close(self) -> None:
        """Undo the run's additions to a caller's store (its own data stays as it was)."""
        for q in self.added:
            self.ox.remove(q)
        self.added = []


def _load_file(store: ox.Store, path: Path) -> None:
    if not path.is_file():
        raise GraphError("no such graph file; run `ropa build` first or check the path", path)
    name = guess_format(path)
    try:  # lenient: IRIs are not re-validated (a third faster on large files; ropa wrote them)
        store.load(path=str(path), format=_FORMATS[name], lenient=True,
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
    that ``GRAPH ?g`` finds them like any notice graph, and the default graph is free for the vocabulary."""
    quads = list(store.quads_for_pattern(None, None, None, DEFAULT))
    if quads:
        store.extend(ox.Quad(q.subject, q.predicate, q.object, INPUT) for q in quads)
        store.clear_graph(DEFAULT)
