"""The ``ropa`` command: parse arguments, call one library function, print, map errors to exit codes.

Exit codes: 0 success, 1 findings (for checking commands), 2 error (bad input, unwritable output, bad usage).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ropa import __version__
from ropa.errors import EXIT_ERROR, EXIT_OK, RopaError, UsageError

DEFAULT_OUTPUT = Path("build/ropa.trig")
DEFAULT_GOLD = Path("data/gold/seeds-gold.yaml")


def _err(msg: str) -> None:
    print(f"ropa: error: {msg}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    if args.store is not None and args.shards is not None:
        raise UsageError("give --store or --shards, not both; load the shards afterwards with "
                         "`ropa push SHARDS/*.nq --store DIR`")
    if args.shards is not None:
        return _build_shards(args)
    if args.store is not None:
        return _build_store(args)
    from ropa.pipeline import build

    if args.force or args.prune:
        raise UsageError("--force and --prune apply to --store builds")
    output = args.output or DEFAULT_OUTPUT
    t0 = time.perf_counter()
    with _progress(args) as progress:
        res = build(args.inputs, output, extractor=args.extractor, fmt=args.format,
                    max_bytes=int(args.max_size * 2**20), workers=args.workers, progress=progress,
                    curation=args.curation)
    for w in res.warnings:
        print(f"ropa: warning: {w}", file=sys.stderr)
    if not args.quiet:
        acts = sum(len(r.activities) for r in res.records)
        print(f"built {len(res.records)} notices, {acts} activities, {res.triples} triples "
              f"-> {output} ({time.perf_counter() - t0:.2f} s, extractor {args.extractor})")
    return EXIT_OK


def _build_shards(args: argparse.Namespace) -> int:
    from ropa.store.shards import extract_to_shards

    if args.output is not None:
        raise UsageError("give --shards or -o, not both")
    t0 = time.perf_counter()
    rep = extract_to_shards(args.inputs, args.shards, scheduler=args.scheduler, workers=args.workers,
                            shard_size=args.shard_size, extractor=args.extractor,
                            max_bytes=int(args.max_size * 2**20))
    for f in rep.failed:
        _err(f)
    if not args.quiet:
        print(f"wrote {len(rep.shards)} N-Quads shards, {rep.notices} notices, {rep.quads} quads -> {args.shards} "
              f"({time.perf_counter() - t0:.2f} s, scheduler {args.scheduler}); load them with "
              f"`ropa push {args.shards}/*.nq --store DIR` or the server's bulk loader")
    return EXIT_ERROR if rep.failed else EXIT_OK


def _build_store(args: argparse.Namespace) -> int:
    from ropa.pipeline import build_store

    if args.output is not None:
        raise UsageError(f"give --store or -o, not both; to also get a file, export the store afterwards: "
                         f"ropa export {args.store} --format trig -o FILE.trig")
    t0 = time.perf_counter()
    with _progress(args) as progress:
        res = build_store(args.inputs, args.store, extractor=args.extractor, max_bytes=int(args.max_size * 2**20),
                          workers=args.workers, force=args.force, prune=args.prune, progress=progress)
    for w in res.warnings:
        print(f"ropa: warning: {w}", file=sys.stderr)
    for f in res.failed:
        _err(f)
    if not args.quiet:
        changed = len(res.built) - res.new
        pruned = f", removed {len(res.removed)}" if res.removed else ""
        failed = f", {len(res.failed)} failed (their previous graphs kept)" if res.failed else ""
        print(f"{'created' if res.created else 'updated'} store {res.store}: {len(res.built)} notices built "
              f"({res.new} new, {changed} changed), {len(res.skipped)} unchanged skipped{pruned}{failed}; "
              f"{res.activities} activities, {res.triples} triples in the built graphs, ontology {res.ontology} "
              f"({time.perf_counter() - t0:.2f} s, extractor {args.extractor}, {args.workers} worker(s))")
    return EXIT_ERROR if res.failed else EXIT_OK


@contextmanager
def _progress(args: argparse.Namespace) -> Iterator[Callable[[Path], None] | None]:
    """A progress bar on standard error while notices are extracted, only on a terminal and without -q."""
    if args.quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ropa.pipeline import notice_paths

    total = len(notice_paths(args.inputs))
    columns = (TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extracting", total=total)
        yield lambda _path: bar.advance(task)


def cmd_export(args: argparse.Namespace) -> int:
    from ropa.pipeline import export

    written = export(args.graph, args.output, args.format, template=args.template)
    if not args.quiet:
        where = args.output if len(written) == 1 else f"{len(written)} files in {args.output}"
        print(f"wrote {where} ({args.format})")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from ropa.graph.io import load
    from ropa.summary import render, summarise

    print(render(summarise(load(args.graph), args.notice)))
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from ropa.evaluate import evaluate, load_gold
    from ropa.graph.io import load

    if not args.gold.is_file():
        raise RopaError("gold file not found; pass --gold data/gold/seeds-gold.yaml", args.gold)
    report = evaluate(load(args.graph), load_gold(args.gold), _ontology())
    print(report.table())
    return EXIT_OK


def _ontology():
    from rdflib import Graph

    from ropa import resources

    g = Graph()
    g.parse(resources.ontology_file(), format="turtle")
    return g


def parser() -> argparse.ArgumentParser:
    from ropa.extract import DEFAULT

    p = argparse.ArgumentParser(prog="ropa", description="Privacy notices -> a GDPR ROPA knowledge graph (W3C DPV).")
    p.add_argument("--version", action="version", version=f"ropa {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="extract every notice into a DPV-aligned ROPA dataset (one named graph each)")
    b.add_argument("inputs", nargs="+", type=Path, help="notice files (.txt .md .html .pdf) or folders of them")
    b.add_argument("-o", "--output", type=Path, help=f"dataset file (default {DEFAULT_OUTPUT} unless --store)")
    b.add_argument("--store", type=Path, metavar="DIR",
                   help="build into a persistent embedded store (Oxigraph) instead of a file: incremental, "
                        "transactional, for any number of notices")
    b.add_argument("--format", help="trig (default from the suffix), n-quads, json-ld")
    b.add_argument("--extractor", default=DEFAULT, help=f"extractor name (default {DEFAULT})")
    b.add_argument("--max-size", type=float, default=50.0, help="largest notice to read, in MB (default 50)")
    b.add_argument("--workers", type=int, default=1, metavar="N",
                   help="extract over N processes (0 = one per CPU; default 1); the result is the same")
    b.add_argument("--shards", type=Path, metavar="DIR",
                   help="extract on Dask into N-Quads shards in DIR (for a cluster, or any server's bulk loader)")
    b.add_argument("--scheduler", default="processes",
                   help="with --shards: processes (default, --workers of them), threads, synchronous, or a Dask "
                        "scheduler address tcp://HOST:PORT")
    b.add_argument("--shard-size", type=int, default=250, metavar="N", help="with --shards: notices per shard (250)")
    b.add_argument("--curation", type=Path, metavar="YAML",
                   help="re-apply an analyst's corrections (the overlay `ropa import --curation` writes) after "
                        "extraction; see docs/exports.md")
    b.add_argument("--force", action="store_true", help="with --store: rebuild notices even when unchanged")
    b.add_argument("--prune", action="store_true",
                   help="with --store: remove the graphs of notices that are not among the inputs")
    b.add_argument("-q", "--quiet", action="store_true")
    b.set_defaults(func=cmd_build)

    e = sub.add_parser("export", help="convert a dataset to RDF (turtle, trig, ...), a ROPA spreadsheet (ropa-xlsx, "
                                      "ropa-csv), Fides manifests (fides) or compact JSON-LD (jsonld)")
    e.add_argument("graph", type=Path, help="a ropa dataset (.trig, .nq, ...) or a store folder")
    e.add_argument("--format", required=True,
                   help="turtle, n-triples, n-quads, trig; jsonld (= json-ld: compact, ropa's @context); ropa-xlsx "
                        "(workbook, one sheet per controller; edit it and `ropa import` it back); ropa-csv; fides "
                        "(fideslang system manifests, one per controller, -o DIR/)")
    e.add_argument("--template", choices=("ico", "cnil"), default="ico",
                   help="with ropa-xlsx / ropa-csv: the UK ICO (default) or the CNIL ROPA columns")
    e.add_argument("-o", "--output", type=Path, required=True, help="output file (a folder for fides)")
    e.add_argument("-q", "--quiet", action="store_true")
    e.set_defaults(func=cmd_export)

    s = sub.add_parser("show", help="a readable summary of each notice's record, a table per activity")
    s.add_argument("graph", type=Path)
    s.add_argument("--notice", help="only this notice (file name or stem)")
    s.set_defaults(func=cmd_show)

    v = sub.add_parser("eval", help="precision / recall / F1 per facet against a hand gold")
    v.add_argument("graph", type=Path)
    v.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help=f"gold YAML (default {DEFAULT_GOLD})")
    v.set_defaults(func=cmd_eval)
    _plugins(sub)
    return p


def _plugins(sub) -> None:
    """Register the subcommands of the modules in ``ropa.commands`` (sorted by module name)."""
    import importlib
    import pkgutil

    import ropa.commands

    for info in sorted(pkgutil.iter_modules(ropa.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"ropa.commands.{info.name}")
        if hasattr(module, "register"):
            module.register(sub)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except RopaError as err:
        _err(str(err))
        return err.exit_code
    except KeyboardInterrupt:
        _err("interrupted; nothing was written")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
