"""``ropa import``: an exported ROPA workbook, with an analyst's edits, back into a ropa dataset (a thin wrapper
over :func:`ropa.export.importer.import_workbook`).

    ropa import build/ropa.xlsx -o build/edited.trig                          # edits become curated facts
    ropa import build/ropa.xlsx -o build/edited.trig --curation curation.yaml --by "Jane Doe"
    ropa build data/notices/ -o build/ropa.trig --curation curation.yaml       # the edits survive a rebuild

Exit codes: 0 success (warnings on standard error), 2 error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import", help="read an exported ROPA workbook (ropa-xlsx) back; edited cells become curated facts",
        description="Rebuild the dataset an exported ROPA workbook came from (minus evidence) and apply the cells "
                    "the analyst changed as curated facts: asserted in (or removed from) the notice's graph and "
                    "recorded with who and when (PROV-O) in the notice's curation graph <graph>/curation.")
    p.add_argument("workbook", type=Path, help="a workbook written by `ropa export --format ropa-xlsx`")
    p.add_argument("-o", "--output", type=Path, required=True, help="the dataset to write (.trig, .nq, .jsonld)")
    p.add_argument("--curation", type=Path, metavar="YAML",
                   help="also append the changes to this overlay file, so `ropa build --curation YAML` re-applies "
                        "them after every rebuild")
    p.add_argument("--by", help="who made the changes (prov:wasAttributedTo; default $ROPA_CURATOR or the login name)")
    p.add_argument("--at", help="when (ISO 8601 date-time, prov:generatedAtTime; default now, UTC)")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=run)


def _who(by: str | None) -> str:
    import getpass
    import os

    if by:
        return by
    try:
        return os.environ.get("ROPA_CURATOR") or getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


def run(args: argparse.Namespace) -> int:
    from ropa.errors import EXIT_OK
    from ropa.export.curation import dump_overlay
    from ropa.export.importer import import_workbook
    from ropa.graph.io import save, write_atomic

    res = import_workbook(args.workbook, by=_who(args.by), at=args.at)
    save(res.dataset, args.output)
    if args.curation is not None and res.changes:
        write_atomic(args.curation, dump_overlay(res.changes, args.curation))
    for w in res.warnings:
        sys.stderr.write(f"ropa: warning: {w}\n")
    if not args.quiet:
        extra = f"; overlay {args.curation}" if args.curation is not None and res.changes else ""
        sys.stdout.write(f"imported {args.workbook}: {res.changed_cells} edited cell(s) curated -> {args.output}{extra}\n")
    return EXIT_OK
