"""``ropa push``: copy notice graphs from a dataset file or a store into a SPARQL 1.1 server (Graph Store
Protocol PUT, one request per notice graph; or SPARQL UPDATE), or load dataset files into an embedded store.

    ropa push build/ropa.trig --endpoint http://localhost:7878/store
    ropa push build/store --endpoint http://localhost:3030/ds/update --method update
    ropa push --endpoint http://localhost:7878/store --delete acme-privacy.txt
    ropa push shards/*.nq --store build/store                # N-Quads shards into an embedded store
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ropa.errors import EXIT_OK, UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("push", description=__doc__.split("\n\n")[0],
                       help="copy notice graphs into a SPARQL server (Graph Store Protocol or UPDATE) or a store")
    p.add_argument("sources", nargs="*", type=Path, help="dataset files (.trig .nq .jsonld) or store folders")
    p.add_argument("--endpoint", metavar="URL",
                   help="the server's Graph Store Protocol URL (e.g. http://host:7878/store), or its update URL "
                        "with --method update")
    p.add_argument("--store", type=Path, metavar="DIR",
                   help="load into this embedded store instead (a new one is bulk-loaded)")
    p.add_argument("--method", choices=("gsp", "update"), default="gsp",
                   help="gsp: PUT each graph (default); update: DROP GRAPH + INSERT DATA per graph")
    p.add_argument("--query-endpoint", metavar="URL",
                   help="the server's query URL: skip notices it already holds unchanged (content hash, extractor)")
    p.add_argument("--delete", action="append", default=[], metavar="NOTICE",
                   help="delete this notice's graph (its file name, or the graph IRI); repeatable")
    p.add_argument("--user", help="user for HTTP basic authentication (password from $ROPA_SPARQL_PASSWORD)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each request (default 60)")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=cmd_push)


def cmd_push(args: argparse.Namespace) -> int:
    from ropa.store import RemoteStore, push
    from ropa.store.ops import load_store

    if (args.endpoint is None) == (args.store is None):
        raise UsageError("give --endpoint URL (a SPARQL server) or --store DIR (an embedded store)")
    if bool(args.sources) == bool(args.delete):
        raise UsageError("name the dataset files or stores to push, or --delete NOTICE (not both)")
    if args.store is not None:
        if args.delete:
            raise UsageError("to remove notices from an embedded store, rebuild it with --prune: "
                             "ropa build NOTICES --store DIR --prune")
        report = load_store(args.sources, args.store)
        _say(args, f"loaded {len(report.pushed)} graph(s) into {args.store}")
        return EXIT_OK
    target = RemoteStore(args.query_endpoint, gsp_url=args.endpoint if args.method == "gsp" else None,
                         update_url=args.endpoint if args.method == "update" else None, timeout=args.timeout,
                         user=args.user)
    if args.delete:
        push(None, target, delete=[_graph(d) for d in args.delete])
        _say(args, f"deleted {len(args.delete)} notice graph(s) from {args.endpoint}")
        return EXIT_OK
    done: list[str] = []
    try:
        for src in args.sources:
            report = push(src, target, only_changed=args.query_endpoint is not None, progress=done.append)
            skipped = f", {len(report.skipped)} unchanged skipped" if report.skipped else ""
            _say(args, f"pushed {len(report.pushed)} graph(s), {report.triples} triples: {src} -> {args.endpoint}"
                       f"{skipped}")
    except Exception:
        if done:
            sys.stderr.write(f"ropa: {len(done)} graph(s) were pushed completely before the error; re-running the "
                             "command is safe (each push replaces its graph)\n")
        raise
    return EXIT_OK


def _graph(notice: str) -> str:
    from ropa.graph.build import graph_iri

    return notice if notice.startswith(("http://", "https://", "urn:")) else str(graph_iri(notice))


def _say(args: argparse.Namespace, line: str) -> None:
    if not args.quiet:
        sys.stdout.write(line + "\n")
