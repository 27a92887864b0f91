"""``ropa gaps``: what each notice fails to tell, against GDPR Art. 13, 14 and 30 (a thin wrapper over
:func:`ropa.analyse.gaps.gaps`).

    ropa gaps build/ropa.trig                     # table: notice, finding, severity, article, evidence, fix
    ropa gaps build/ropa.trig --format html -o build/gaps.html --texts data/notices
    ropa gaps build/ropa.trig --notice 001_b5c1420042106783.txt --explain

Exit codes: 0 no violation, 1 violations found, 2 error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("table", "json", "csv", "html", "sarif")
REASONERS = ("hermit", "owlrl", "none")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "gaps", help="find what each notice fails to tell (GDPR Art. 13, 14, 30), with evidence and fixes",
        description="Check every notice of a ropa graph against GDPR Art. 13, 14 and 30 and report each missing or "
                    "defective item with its article, severity, evidence and fix. Exit code 0: no violation; "
                    "1: violations found; 2: error.")
    p.add_argument("graph", type=Path, nargs="?", help="a ropa dataset (.trig, .nq, .jsonld; .ttl/.nt too)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
    p.add_argument("-o", "--output", type=Path, help="write the report here instead of standard output")
    p.add_argument("--notice", action="append", metavar="NAME",
                   help="only this notice (file name, stem or a unique prefix such as 001); repeat for more")
    p.add_argument("--explain", action="store_true",
                   help="per finding: the article's words, how the check decides, the reasoning, all evidence")
    p.add_argument("--check", action="append", metavar="ID", help="only this check; repeat for more")
    p.add_argument("--min-severity", choices=("info", "warning", "violation"), default="info",
                   help="leave out findings below this severity (default info: all)")
    p.add_argument("--reasoner", choices=REASONERS, default="hermit",
                   help="hermit (owlready2, needs Java; default), owlrl (pure Python) or none")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="judge notice dates as of this day (default today)")
    p.add_argument("--texts", type=Path, metavar="DIR",
                   help="folder with the notice files: the HTML report then shows each notice's text, evidence marked")
    p.add_argument("--list-checks", action="store_true", help="list the checks (id, article, severity) and exit")
    p.add_argument("-q", "--quiet", action="store_true", help="with -o: print nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ropa.analyse.gaps import gaps
    from ropa.analyse.gaps_formats import render, summary_line
    from ropa.analyse.gaps_report import Severity
    from ropa.errors import UsageError

    if args.list_checks:
        return _list_checks()
    if args.graph is None:
        raise UsageError("name the graph to check, e.g. `ropa gaps build/ropa.trig`")
    report = gaps(args.graph, notices=args.notice, reasoner=args.reasoner, as_of=args.as_of, checks=args.check,
                  texts=args.texts)
    shown = report.filtered(Severity.parse(args.min_severity))
    text = render(shown, args.format, explain=args.explain)
    if args.output is None:
        sys.stdout.write(text)
    else:
        from ropa.graph.io import write_atomic

        write_atomic(args.output, text.encode("utf-8"))
        if not args.quiet:
            sys.stdout.write(f"{summary_line(report)} -> {args.output}\n")
    for note in report.notes if args.output is None and args.format != "table" else ():
        sys.stderr.write(f"ropa: note: {note}\n")
    return report.exit_code()


def _list_checks() -> int:
    from ropa.analyse.gaps_checks import load_catalogue
    from ropa.errors import EXIT_OK

    for c in load_catalogue().all:
        i = c.info
        sys.stdout.write(f"{i.id:<40} {i.article:<14} {i.severity.value:<9} {i.kind:<6} "
                         f"{'reasoner ' if i.requires_reasoner else '':<9}{i.title}\n")
    return EXIT_OK
