"""``ropa build`` and ``ropa export`` as library functions: notices -> dataset -> files."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from ropa import ingest
from ropa.errors import UsageError
from ropa.extract import DEFAULT, get
from ropa.graph.build import build_dataset
from ropa.graph.io import load, save
from ropa.model import NoticeRecord

DEFAULT_MAX_BYTES = 50 * 2**20


@dataclass
class BuildResult:
    dataset: Dataset
    records: list[NoticeRecord]
    warnings: list[str] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(len(g) for g in self.dataset.graphs())


def extract_files(paths: list[Path], extractor: str = DEFAULT, max_bytes: int = DEFAULT_MAX_BYTES,
                  progress: Callable[[Path], None] | None = None) -> list[NoticeRecord]:
    """Ingest and extract each notice, one at a time (memory stays bounded by the largest notice)."""
    ex = get(extractor)
    out = []
    for p in paths:
        if progress:
            progress(p)
        out.append(ex.extract(ingest.read(p, max_bytes=max_bytes)))
    return out


def build(inputs: list[Path], output: Path | None = None, *, extractor: str = DEFAULT, fmt: str | None = None,
          max_bytes: int = DEFAULT_MAX_BYTES, progress: Callable[[Path], None] | None = None) -> BuildResult:
    """Build the ROPA dataset of the notices in ``inputs`` (files or folders); write it to ``output`` if given.

    Nothing is written unless every notice was read: a bad notice raises before the output is touched.
    """
    paths = ingest.find_notices([Path(p) for p in inputs])
    _unique_names(paths)
    records = extract_files(paths, extractor, max_bytes, progress)
    ds = build_dataset(records)
    if output is not None:
        save(ds, Path(output), fmt)
    return BuildResult(ds, records, [w for r in records for w in r.document.warnings])


def _unique_names(paths: list[Path]) -> None:
    seen: dict[str, Path] = {}
    for p in paths:
        if p.name in seen:
            raise UsageError(f"{p}: has the same file name as {seen[p.name]}; a notice's graph is named after its file "
                             "name, so rename one of them")
        seen[p.name] = p


def export(graph_file: Path, output: Path, fmt: str) -> None:
    """Convert a ropa dataset file to another RDF format (atomic write)."""
    save(load(Path(graph_file)), Path(output), fmt)
