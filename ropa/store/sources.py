"""Where named graphs come from: dataset files (TriG, N-Quads, ...), a store folder, and the ontology.

Graphs are read one at a time where the format allows (N-Quads files stream; a store exports graph by graph),
so pushing a large dataset does not hold it all in memory twice.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ropa import resources
from ropa.errors import GraphError, UsageError
from ropa.store.base import GraphData

ONTOLOGY_GRAPH = "https://w3id.org/ropa/ontology"
CONTENT_HASH = "https://w3id.org/ropa#contentHash"

# suffix -> (Oxigraph format, holds named graphs)
FILE_FORMATS = {
    ".trig": (ox.RdfFormat.TRIG, True), ".nq": (ox.RdfFormat.N_QUADS, True), ".nquads": (ox.RdfFormat.N_QUADS, True),
    ".ttl": (ox.RdfFormat.TURTLE, False), ".nt": (ox.RdfFormat.N_TRIPLES, False),
    ".jsonld": (ox.RdfFormat.JSON_LD, True), ".json": (ox.RdfFormat.JSON_LD, True),
}


def file_format(path: Path) -> ox.RdfFormat:
    fmt = FILE_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: cannot tell the RDF format from the suffix; use .trig, .nq, .ttl, .nt or .jsonld")
    return fmt[0]


def graphs_in_file(path: Path) -> Iterator[GraphData]:
    """The named graphs of a dataset file, one GraphData each. The file is parsed into an Oxigraph ``Dataset``
    (compact, in Rust); for files larger than memory use the server's own bulk loader (docs/stores.md).
    Default-graph triples are refused: a ropa dataset keeps every fact in its notice's graph."""
    path = Path(path)
    if not path.is_file():
        raise GraphError("no such graph file; run `ropa build` first or check the path", path)
    try:
        ds = ox.Dataset(ox.parse(path=str(path), format=file_format(path)))
    except (SyntaxError, ValueError, OSError) as err:
        raise GraphError(f"not a readable RDF file ({str(err).splitlines()[0][:160]})", path) from err
    if any(True for _ in ds.quads_for_graph_name(ox.DefaultGraph())):
        raise GraphError("holds triples outside any named graph; ropa pushes one named graph per notice "
                         "(write the file with `ropa build`)", path)
    names = sorted({q.graph_name.value for q in ds if isinstance(q.graph_name, ox.NamedNode)})
    for name in names:
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in ds.quads_for_graph_name(ox.NamedNode(name)))
        yield GraphData(name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")


def ontology_graph() -> GraphData | None:
    """``ontology/ropa.ttl`` as the named graph <https://w3id.org/ropa/ontology>, with its content hash (so a
    store reloads it only when it changed); None when the project has no ontology file."""
    try:
        path = resources.ontology_file()
        data = path.read_bytes()
    except (FileNotFoundError, OSError):
        return None
    try:
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri="https://w3id.org/ropa"))
    except SyntaxError as err:
        raise GraphError(f"the ontology is not valid Turtle ({err}); fix it or rebuild with the last good one",
                         path) from err
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    triples.append(ox.Triple(ox.NamedNode(ONTOLOGY_GRAPH), ox.NamedNode(CONTENT_HASH), ox.Literal(digest)))
    return GraphData(ONTOLOGY_GRAPH, ox.serialize(
        (ox.Triple(t.subject, t.predicate, t.object) for t in triples), format=ox.RdfFormat.N_TRIPLES) or b"")


def ontology_hash(data: GraphData) -> str:
    """The content hash ``ontology_graph`` recorded in the graph ("" if none)."""
    head = f"<{ONTOLOGY_GRAPH}> <{CONTENT_HASH}> \"".encode()
    for line in data.ntriples.splitlines():
        if line.startswith(head):
            return line[len(head):].split(b'"')[0].decode()
    return ""
