"""``ropa compare``: companies side by side, a company x concept matrix per facet (a thin wrapper over
:func:`ropa.analyse.compare.compare`).

    ropa compare build/ropa.trig                                   # every facet in the terminal
    ropa compare build/ropa.trig --facet legal_bases --format csv  # one matrix as CSV
    ropa compare build/ropa.trig --format html -o build/compare.html
    ropa compare build/ropa.trig --format csv -o build/compare/    # every matrix and table, one CSV each

Exit codes: 0 success, 2 error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("text", "csv", "json", "html")


def register(subparsers) -> None:
    from ropa.analyse.compare_facets import FACETS

    p = subparsers.add_parser(
        "compare", help="compare companies: a company x concept matrix per facet, similarity, retention, completeness",
        description="Compare the companies (controllers) of a ropa dataset: for each facet a company x concept "
                    "matrix (cell = activities stating it), Jaccard similarity per facet and overall, what only "
                    "one company states, retention periods in months, and a completeness score. Every number "
                    "comes from a query in queries/compare/.")
    p.add_argument("graph", type=Path, help="a ropa dataset (.trig or .nq; .nq loads fastest)")
    p.add_argument("--facet", action="append", metavar="NAME",
                   help=f"only this facet; repeat for more ({', '.join(FACETS)})")
    p.add_argument("--depth", type=int, metavar="N",
                   help="roll personal data and purposes up the DPV hierarchy to depth N (1 = broadest)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    p.add_argument("-o", "--output",
                   help="write here instead of standard output; with --format csv a folder (ending in /) gets "
                        "one CSV per matrix and table")
    p.add_argument("--gaps", action="store_true",
                   help="score completeness from `ropa gaps` findings (slower) instead of the Art. 13 items")
    p.add_argument("--ontology", type=Path, help="Turtle with labels and skos:broader (default ontology/ropa.ttl)")
    p.add_argument("-q", "--quiet", action="store_true", help="with -o: print nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ropa.analyse import compare_render as render
    from ropa.analyse.compare import compare
    from ropa.errors import EXIT_OK, UsageError

    to_folder = args.output is not None and (args.output.endswith("/") or Path(args.output).is_dir())
    args.output = Path(args.output) if args.output is not None else None
    facets = [f.replace("-", "_") for arg in args.facet or [] for f in arg.split(",") if f]
    findings, checks = _findings(args.graph) if args.gaps else (None, None)
    cmp = compare(args.graph, facets=facets or None, depth=args.depth, ontology=args.ontology, findings=findings,
                  checks=checks)
    chosen = facets or None
    if args.format == "csv" and to_folder:
        written = _csv_folder(cmp, args.output)
        if not args.quiet:
            sys.stdout.write(f"wrote {len(written)} CSV files -> {args.output}\n")
        return EXIT_OK
    if args.format == "csv" and facets and len(facets) > 1:
        raise UsageError("--format csv prints one matrix: name one --facet, or write every matrix with -o DIR/")
    if args.format == "html":
        from ropa.viz.report import report

        text = report(cmp, chosen, title=f"ropa compare: {args.graph.name}")
    else:
        extra = f"\n{render.completeness_text(cmp)}\n" if facets and args.gaps else ""
        text = {"text": lambda: render.text(cmp, chosen) + extra,
                "csv": lambda: render.csv(cmp, facets[0] if facets else None),
                "json": lambda: render.to_json(cmp, chosen)}[args.format]()
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    from ropa.graph.io import write_atomic

    write_atomic(args.output, text.encode("utf-8"))
    if not args.quiet:
        sys.stdout.write(f"compared {len(cmp.companies)} companies on {len(cmp.matrices)} facets -> {args.output}\n")
    return EXIT_OK


def _csv_folder(cmp, folder: Path) -> list[Path]:
    from ropa.analyse.compare_render import tables
    from ropa.graph.io import write_atomic

    out = []
    for name, df in tables(cmp).items():
        path = folder / f"{name}.csv"
        write_atomic(path, df.to_csv().encode("utf-8"))
        out.append(path)
    return out


def _findings(graph: Path):
    """Gap-check findings and the number of checks run, for the completeness score."""
    from ropa.analyse.gaps import gaps

    report = gaps(graph)
    return report.findings, len(report.checks) or None
