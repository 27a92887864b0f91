"""Reading and writing ropa datasets: TriG / N-Quads for the dataset, Turtle / JSON-LD / N-Triples for exports.

Writes are atomic (temp file in the target folder + rename): a failed or interrupted write never leaves half a
graph behind, and the previous file stays as it was.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.plugin import PluginException

from ropa.errors import GraphError, OutputError, UsageError
from ropa.graph import oxi
from ropa.graph.namespaces import bind

# format name -> (rdflib serializer, is a dataset format, file suffixes)
FORMATS = {
    "trig": ("trig", True, (".trig",)),
    "n-quads": ("nquads", True, (".nq", ".nquads")),
    "turtle": ("turtle", False, (".ttl",)),
    "n-triples": ("nt", False, (".nt",)),
    "json-ld": ("json-ld", True, (".jsonld", ".json")),
}
ALIASES = {"nquads": "n-quads", "ttl": "turtle", "nt": "n-triples", "jsonld": "json-ld", "ntriples": "n-triples"}


def format_name(name: str) -> str:
    name = ALIASES.get(name.lower(), name.lower())
    if name not in FORMATS:
        raise UsageError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return name


def guess_format(path: Path) -> str:
    for name, (_, _, suffixes) in FORMATS.items():
        if path.suffix.lower() in suffixes:
            return name
    raise UsageError(f"{path}: cannot tell the RDF format from the suffix; use .trig, .nq, .ttl, .nt or .jsonld")


def union_graph(ds: Dataset) -> Graph:
    """All named graphs merged into one graph (for single-graph formats such as Turtle)."""
    g = Graph()
    bind(g)
    for ctx in ds.graphs():
        for t in ctx:
            g.add(t)
    return g


def serialize(ds: Dataset, fmt: str) -> bytes:
    rdflib_fmt, is_dataset, _ = FORMATS[format_name(fmt)]
    if rdflib_fmt in oxi.FORMATS:
        return oxi.serialize(ds, rdflib_fmt)
    target = ds if is_dataset else union_graph(ds)
    data = target.serialize(format=rdflib_fmt, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file and rename; raise OutputError with the fix on failure."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(f"cannot write here ({err.strerror}); choose a writable output path with -o", path) from err
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write here ({err.strerror}); choose a writable output path with -o", path) from err
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(ds: Dataset, path: Path, fmt: str | None = None) -> None:
    write_atomic(path, serialize(ds, fmt or guess_format(Path(path))))


def load(path: Path, fmt: str | None = None) -> Dataset:
    """Read a dataset file (TriG, N-Quads, JSON-LD; Turtle / N-Triples into the default graph)."""
    path = Path(path)
    if not path.is_file():
        raise GraphError("no such graph file; run `ropa build` first or check the path", path)
    name = fmt or guess_format(path)
    ds = Dataset()
    rdflib_fmt = FORMATS[format_name(name)][0]
    try:
        if rdflib_fmt in oxi.FORMATS:
            oxi.parse_into(ds, path, rdflib_fmt)
        else:
            ds.parse(path, format=rdflib_fmt)
    except (SyntaxError, ValueError, PluginException, UnicodeDecodeError) as err:
        raise GraphError(f"not a readable {name} graph ({str(err).splitlines()[0][:120]}); rebuild it with `ropa build`",
                         path) from err
    except Exception as err:  # rdflib parsers raise a variety of errors on bad input
        raise GraphError(f"not a readable {name} graph ({type(err).__name__}); rebuild it with `ropa build`", path) from err
    bind(ds)
    return ds
