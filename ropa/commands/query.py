"""``ropa query``: run catalogue queries (queries/**/*.rq) or SPARQL text on a store, a graph file or a remote
SPARQL endpoint, with parameters bound as RDF terms.

    ropa query --list
    ropa query build/store compare/legal_bases --format csv
    ropa query build/store --sparql 'SELECT ...' --bind company="Acme A/S"
    ropa query --endpoint http://localhost:7878/query gaps/art13_1_c_legal_basis
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ropa.errors import EXIT_OK, UsageError

FORMATS = ("table", "csv", "tsv", "json", "turtle", "n-triples")


def register(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser("query", description=__doc__.split("\n\n")[0],
                       help="run a query from queries/ (or SPARQL text) on a store, a graph file or an endpoint")
    q.add_argument("args", nargs="*", metavar="[SOURCE] QUERY",
                   help="a store folder or graph file (left out with --endpoint), then query names (gaps/NAME, "
                        "NAME, a group such as gaps) or .rq files")
    q.add_argument("--sparql", metavar="TEXT", help="run this SPARQL query text instead of a named query")
    q.add_argument("--bind", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a query parameter (repeat for more, or for several values of one); typed by the "
                        "query's header: literal, iri (IRI or CURIE such as eu-gdpr:A6-1-f), xsd:date, ...")
    q.add_argument("--format", default="table", choices=FORMATS, help="table (default), csv, tsv, json "
                   "(SPARQL results); turtle or n-triples for CONSTRUCT")
    q.add_argument("--endpoint", metavar="URL", help="a remote SPARQL 1.1 query endpoint instead of a local source")
    q.add_argument("--backend", choices=("oxigraph", "rdflib"), help="engine for a graph file (default oxigraph)")
    q.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a remote endpoint (default 60)")
    q.add_argument("--list", action="store_true", help="list the queries in queries/ with their parameters")
    q.add_argument("-o", "--output", type=Path, help="write the result here (atomically) instead of stdout")
    q.set_defaults(func=cmd_query)


def parse_binds(items: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--bind {item!r}: write NAME=VALUE, e.g. --bind company=\"Acme A/S\"")
        out.setdefault(name.strip(), []).append(value)
    return out


def cmd_query(args: argparse.Namespace) -> int:
    from ropa.store import catalogue, find_queries
    from ropa.store.ops import query
    from ropa.store.results import write

    if args.list:
        queries = [q for ref in args.args for q in find_queries(ref)] if args.args else catalogue()
        sys.stdout.write(listing(queries))
        return EXIT_OK
    if args.endpoint:
        source, refs = args.endpoint, list(args.args)
    else:
        source, refs = (args.args[0] if args.args else None), list(args.args[1:])
    if args.endpoint is None and source is None:
        raise UsageError("give a store folder or graph file (or --endpoint URL), then a query; "
                         "`ropa query --list` shows the queries")
    if args.sparql is not None and refs:
        raise UsageError("give --sparql TEXT or query names, not both")
    if args.sparql is None and not refs:
        raise UsageError("name a query (`ropa query --list` shows them) or give --sparql TEXT")
    if args.format != "table" and sum(len(find_queries(r)) for r in refs) > 1:
        raise UsageError(f"--format {args.format} writes one result; run one query at a time")
    binds = parse_binds(args.bind)
    results = []
    for ref in refs or [args.sparql]:
        results += query(source, ref, binds, sparql=args.sparql is not None, backend=args.backend,
                         timeout=args.timeout)
    parts = []
    for qf, res in results:
        if len(results) > 1 and qf is not None:
            parts.append(f"== {qf.id}: {qf.description}\n")
        parts.append(write(res, args.format))
    text = "\n".join(parts) if len(results) > 1 else "".join(parts)
    if args.output is not None:
        from ropa.graph.io import write_atomic

        write_atomic(args.output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return EXIT_OK


def listing(queries: list) -> str:
    lines = []
    for q in queries:
        params = ", ".join(f"{p.name} ({p.kind}{', required' if p.required else ''})" for p in q.params) or "none"
        lines.append(f"{q.id}\n    {q.description or '(no description)'}\n    parameters: {params}"
                     f"{'; GDPR ' + q.gdpr if q.gdpr else ''}\n")
    return "".join(lines) or "no queries found\n"
