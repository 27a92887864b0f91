"""Exports for governance tools, chosen by name: ROPA spreadsheets (ICO / CNIL), Fides manifests, compact JSON-LD.

``export_dataset(ds, output, fmt)`` writes one of :data:`FORMATS`; the plain RDF formats (turtle, trig, ...) stay
in :mod:`ropa.graph.io`. Every file is written atomically; a folder output (fides) is filled file by file.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset

from ropa.errors import UsageError
from ropa.graph.io import write_atomic

FORMATS = {
    "ropa-xlsx": "ROPA workbook: Controllers sheet + one sheet per controller (--template ico|cnil)",
    "ropa-csv": "ROPA table, one row per processing activity (--template ico|cnil)",
    "fides": "fideslang system manifests, one YAML per controller, in the folder -o DIR/",
    "jsonld": "compact JSON-LD with ropa's @context (json-ld is the same)",
}
ALIASES = {"xlsx": "ropa-xlsx", "csv": "ropa-csv", "json-ld": "jsonld", "fideslang": "fides"}
TEMPLATES = ("ico", "cnil")


def format_name(fmt: str) -> str | None:
    """The export format ``fmt`` names, or None when it is a plain RDF format."""
    name = fmt.lower()
    name = ALIASES.get(name, name)
    return name if name in FORMATS else None


def export_dataset(ds: Dataset, output: Path, fmt: str, *, template: str = "ico") -> list[Path]:
    """Write ``ds`` as ``fmt`` to ``output``; returns the files written."""
    name = format_name(fmt)
    if name is None:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if template not in TEMPLATES:
        raise UsageError(f"unknown ROPA template {template!r}; choose one of {', '.join(TEMPLATES)}")
    writers: dict[str, Callable[[], list[Path]]] = {
        "ropa-xlsx": lambda: _one(output, _xlsx(ds, template)),
        "ropa-csv": lambda: _one(output, _csv(ds, template)),
        "jsonld": lambda: _one(output, _jsonld(ds)),
        "fides": lambda: _fides(ds, Path(output)),
    }
    return writers[name]()


def _one(output: Path, data: bytes) -> list[Path]:
    write_atomic(Path(output), data)
    return [Path(output)]


def _xlsx(ds: Dataset, template: str) -> bytes:
    from ropa.export.xlsx import to_xlsx

    return to_xlsx(ds, template)


def _csv(ds: Dataset, template: str) -> bytes:
    from ropa.export.csv_ import to_csv

    return to_csv(ds, template)


def _jsonld(ds: Dataset) -> bytes:
    from ropa.export.jsonld import compact

    return compact(ds)


def _fides(ds: Dataset, folder: Path) -> list[Path]:
    from ropa.export.fides import manifests

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: --format fides writes one manifest per controller into a folder; give -o DIR/")
    out = []
    for name, data in manifests(ds).items():
        write_atomic(folder / name, data)
        out.append(folder / name)
    return out
