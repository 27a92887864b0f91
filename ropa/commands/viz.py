"""``ropa viz``: the graph as pictures (a thin wrapper over :func:`ropa.viz.viz`).

    ropa viz build/ropa.trig -o build/graph.html                   # interactive, self-contained, works offline
    ropa viz build/ropa.trig --notice 004_078deb46ad01e314.txt --png build/004.png
    ropa viz build/ropa.trig --view similarity --png build/similarity.png --export build/similarity.graphml

Exit codes: 0 success, 2 error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "viz", help="draw the graph: interactive HTML (offline), PNG/SVG, GraphML/GEXF for Gephi or Cytoscape",
        description="Draw a ropa dataset as a network: company - activity - concept (--view network, default), "
                    "company - concept (--view companies) or company similarity (--view similarity). Writes a "
                    "self-contained interactive HTML page (-o), a static PNG or SVG (--png/--svg) and GraphML or "
                    "GEXF (--export). Large graphs are aggregated and sampled in the HTML page, which says so.")
    p.add_argument("graph", type=Path, help="a ropa dataset (.trig or .nq)")
    p.add_argument("-o", "--output", type=Path, help="interactive HTML page (default build/graph.html when no "
                                                     "other output is named)")
    p.add_argument("--view", choices=("network", "companies", "similarity"), default="network")
    p.add_argument("--notice", metavar="NAME", help="only this notice (file name, stem or company name)")
    p.add_argument("--png", type=Path, metavar="PATH", help="static picture (PNG)")
    p.add_argument("--svg", type=Path, metavar="PATH", help="static picture (SVG)")
    p.add_argument("--export", type=Path, metavar="PATH", help="the view as .graphml or .gexf")
    p.add_argument("--max-nodes", type=int, default=2500, help="aggregate / sample the HTML page above this")
    p.add_argument("--ontology", type=Path, help="Turtle with labels (default ontology/ropa.ttl)")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ropa.errors import EXIT_OK
    from ropa.viz import viz

    output = args.output
    if output is None and not (args.png or args.svg or args.export):
        output = Path("build/graph.html")
    res = viz(args.graph, output, name=args.view, notice=args.notice, picture=args.png or args.svg,
              export=args.export, ontology=args.ontology, max_nodes=args.max_nodes)
    if args.png and args.svg:
        from ropa.viz import draw

        draw.save(_figure(res, args), args.svg)
        res.written.append(args.svg)
    for note in res.notes:
        sys.stderr.write(f"ropa: note: {note}\n")
    if not args.quiet:
        g = res.graph
        sys.stdout.write(f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges -> "
                         f"{', '.join(map(str, res.written))}\n")
    return EXIT_OK


def _figure(res, args):
    from ropa.viz.api import _title, static

    return static(res.graph, args.view, _title(res.graph, args.view, args.notice), res.notes)
