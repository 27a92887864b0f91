"""Query results, the same whichever store answered, and their output formats.

SELECT rows hold rdflib terms (``URIRef``, ``Literal``, ``BNode``, or None when unbound); ASK gives a boolean;
CONSTRUCT / DESCRIBE give N-Triples. Writers follow the W3C result formats: SPARQL 1.1 Query Results JSON, CSV
and TSV; ``table`` is for people (IRIs shortened to CURIEs, long values cut).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ropa.errors import UsageError
from ropa.graph.namespaces import DATA, bind, curie

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SELECT_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "n-triples", "table")


@dataclass
class QueryResult:
    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: bytes = b""  # N-Triples, for CONSTRUCT / DESCRIBE

    def __len__(self) -> int:
        if self.kind == "graph":
            return self.triples.count(b"\n")
        return len(self.rows) if self.kind == "select" else int(bool(self.boolean))

    def dicts(self) -> list[dict[str, Node]]:
        """Rows as ``{variable: term}`` (unbound variables left out)."""
        return [{v: t for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows]

    def column(self, var: str) -> list[Node | None]:
        i = self.variables.index(var)
        return [row[i] for row in self.rows]

    def graph(self) -> Graph:
        g = Graph()
        bind(g)
        if self.triples:
            g.parse(data=self.triples.decode("utf-8"), format="nt")
        return g


# --- from the engines ---------------------------------------------------------------------------------------


def from_ox_term(t: Any) -> Node | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        return Literal(t.value) if dt == XSD_STRING else Literal(t.value, datatype=URIRef(dt))
    raise TypeError(f"unsupported term {t!r}")  # RDF-star triples are not used by ropa


def from_oxigraph(res: Any) -> QueryResult:
    if isinstance(res, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        seen: dict[Any, Node | None] = {None: None}  # terms repeat down a column: convert each once

        def conv(t: Any) -> Node | None:
            node = seen.get(t, seen)
            if node is seen:
                node = seen[t] = from_ox_term(t)
            return node  # type: ignore[return-value]

        cols = range(len(names))
        rows = [tuple([conv(sol[i]) for i in cols]) for sol in res]
        return QueryResult("select", names, rows)
    return QueryResult("graph", triples=ox.serialize(res, format=ox.RdfFormat.N_TRIPLES) or b"")


def from_json(doc: dict) -> QueryResult:
    """A SPARQL 1.1 Query Results JSON document -> QueryResult."""
    if "boolean" in doc:
        return QueryResult("ask", boolean=bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    rows = [tuple(_json_term(b.get(v)) for v in names) for b in doc.get("results", {}).get("bindings", [])]
    return QueryResult("select", names, rows)


def _json_term(b: dict | None) -> Node | None:
    if b is None:
        return None
    kind, value = b.get("type"), b.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in b:
        return Literal(value, lang=b["xml:lang"])
    dt = b.get("datatype")
    return Literal(value, datatype=URIRef(dt)) if dt and dt not in (XSD_STRING, RDF_LANGSTRING) else Literal(value)


def from_rdflib(res: Any) -> QueryResult:
    if res.type == "ASK":
        return QueryResult("ask", boolean=bool(res.askAnswer))
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        data = res.graph.serialize(format="nt", encoding="utf-8")
        return QueryResult("graph", triples=data)
    names = [str(v) for v in res.vars]
    return QueryResult("select", names, [tuple(row) for row in res])


# --- to text ------------------------------------------------------------------------------------------------


def write(result: QueryResult, fmt: str = "table", *, max_width: int = 60) -> str:
    fmt = {"ttl": "turtle", "nt": "n-triples", "ntriples": "n-triples", "txt": "table"}.get(fmt, fmt)
    if result.kind == "graph":
        if fmt == "n-triples":
            return result.triples.decode("utf-8")
        if fmt in ("turtle", "table"):
            return result.graph().serialize(format="turtle")
        raise UsageError(f"a CONSTRUCT/DESCRIBE query gives a graph; use --format {' or '.join(GRAPH_FORMATS[:2])}")
    if fmt not in SELECT_FORMATS:
        raise UsageError(f"unknown result format {fmt!r}; choose one of {', '.join(SELECT_FORMATS)}")
    if result.kind == "ask":
        return _ask(result.boolean, fmt)
    return {"table": lambda r: table(r, max_width), "csv": to_csv, "tsv": to_tsv, "json": to_json}[fmt](result)


def _ask(value: bool | None, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": bool(value)}) + "\n"
    if fmt == "table":
        return "yes\n" if value else "no\n"
    return ("true" if value else "false") + "\n"


def cell(t: Node | None) -> str:
    if t is None:
        return ""
    if isinstance(t, URIRef):
        return "data:" + t[len(DATA):] if t.startswith(DATA) else curie(t)
    if isinstance(t, BNode):
        return f"_:{t}"
    return str(t)


def table(result: QueryResult, max_width: int = 60) -> str:
    def clip(s: str) -> str:
        s = " ".join(s.split())
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[clip(cell(t)) for t in row] for row in result.rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def to_csv(result: QueryResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(result.variables)
    for row in result.rows:
        w.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
    return buf.getvalue()


def to_tsv(result: QueryResult) -> str:
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join("" if t is None else t.n3() for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_cell(t: Node) -> dict[str, str]:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    assert isinstance(t, Literal)
    out = {"type": "literal", "value": str(t)}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype is not None:
        out["datatype"] = str(t.datatype)
    return out


def to_json(result: QueryResult) -> str:
    bindings = [{v: _json_cell(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"

