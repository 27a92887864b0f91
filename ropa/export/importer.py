"""``ropa import``: an exported ROPA workbook, possibly edited, back into a ropa dataset.

The hidden "[rdf] ..." cells and the hidden "_rdf" sheet rebuild the exported graph (minus evidence) exactly; a
visible cell whose text differs from what its hidden triples read as is an analyst's correction: its column turns
the text into triples to add and remove, applied to the notice graph and recorded, with who and when, in the
notice's curation graph (see :mod:`ropa.export.curation`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ropa.errors import GraphError
from ropa.export import curation
from ropa.export.columns import Column, same_text
from ropa.export.tables import GRAPH_HEADER, HIDDEN_PREFIX, SUBJECT_HEADER, parse_ntriples
from ropa.export.templates import columns_by_header, notice_table
from ropa.graph.namespaces import bind


@dataclass
class SheetRow:
    sheet: str
    row: int
    graph: URIRef
    subject: URIRef
    cells: dict[str, tuple[str, str]]  # header -> (visible text, cell reference)


@dataclass
class ImportResult:
    dataset: Dataset
    changes: list[curation.Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed_cells(self) -> int:
        return len(self.changes)


def _text(v) -> str:
    if v is None:
        return ""
    return v if isinstance(v, str) else str(v)


def read_workbook(path: Path):
    from openpyxl import load_workbook

    path = Path(path)
    if not path.is_file():
        raise GraphError("no such workbook; export one with `ropa export GRAPH --format ropa-xlsx -o FILE.xlsx`", path)
    try:
        return load_workbook(path, data_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError and XML errors on bad files
        raise GraphError(f"not a readable .xlsx workbook ({type(err).__name__}); export it again with "
                         "`ropa export GRAPH --format ropa-xlsx`", path) from err


def read_rows(wb, path: Path, graphs: dict[URIRef, Graph]) -> list[SheetRow]:
    """Rebuild the owned triples of every row into ``graphs``; return the rows with their visible cells."""
    from openpyxl.utils import get_column_letter

    rows = []
    for ws in wb.worksheets:
        header = [_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), [])]
        if GRAPH_HEADER not in header or SUBJECT_HEADER not in header:
            continue
        gi, si = header.index(GRAPH_HEADER), header.index(SUBJECT_HEADER)
        for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            vals = [_text(v) for v in values] + [""] * (len(header) - len(values))
            if not vals[gi] or not vals[si]:
                continue
            g = graphs.setdefault(URIRef(vals[gi]), Graph(identifier=URIRef(vals[gi])))
            cells = {}
            for i, h in enumerate(header):
                if h.startswith(HIDDEN_PREFIX) and h not in (GRAPH_HEADER, SUBJECT_HEADER):
                    for t in _parse(vals[i], path, ws.title, f"{get_column_letter(i + 1)}{r}"):
                        g.add(t)
                elif h and not h.startswith(HIDDEN_PREFIX):
                    cells[h] = (vals[i], f"{get_column_letter(i + 1)}{r}")
            rows.append(SheetRow(ws.title, r, URIRef(vals[gi]), URIRef(vals[si]), cells))
    return rows


def _parse(text: str, path: Path, sheet: str, ref: str):
    try:
        return parse_ntriples(text)
    except (SyntaxError, ValueError) as err:
        raise GraphError(f"sheet {sheet!r} cell {ref}: a hidden [rdf] cell was changed ({str(err).splitlines()[0][:80]}); "
                         "undo the change or export the workbook again", path) from err


def read_extra(wb, path: Path, graphs: dict[URIRef, Graph], default: Graph) -> None:
    if "_rdf" not in wb.sheetnames:
        raise GraphError("the hidden '_rdf' sheet is missing, so the workbook cannot be imported without loss; "
                         "export it again with `ropa export GRAPH --format ropa-xlsx`", path)
    ws = wb["_rdf"]
    for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        gid, text = (_text(v) for v in (list(values) + [None, None])[:2])
        g = graphs.setdefault(URIRef(gid), Graph(identifier=URIRef(gid))) if gid else default
        for t in _parse(text, path, "_rdf", f"B{r}"):
            g.add(t)


def find_changes(rows: list[SheetRow], graphs: dict[URIRef, Graph], workbook_name: str, by: str, at: str,
                 warnings: list[str]) -> list[curation.Change]:
    columns: dict[str, Column] = columns_by_header()
    tables = {gid: notice_table(gid, g) for gid, g in graphs.items()}
    out = []
    for sr in rows:
        t = tables.get(sr.graph)
        if t is None:
            continue
        row = t.row(sr.subject)
        for header, (text, ref) in sr.cells.items():
            col = columns.get(header)
            where = f"{workbook_name}, sheet {sr.sheet!r}, cell {ref}"
            if col is None or same_text(text, col.render(row)):
                continue
            ed = col.edit(row, text)
            warnings += [f"{where}: {w}" for w in ed.warnings]
            if ed.add or ed.remove:
                out.append(curation.Change(sr.graph, ed.add, ed.remove, by=by, at=at, source=where, text=text))
    return out


def import_workbook(path: Path, *, by: str = "analyst", at: str | None = None) -> ImportResult:
    """Read a ropa-xlsx workbook back into a dataset; edited cells become curated changes (PROV-O)."""
    path = Path(path)
    wb = read_workbook(path)
    graphs: dict[URIRef, Graph] = {}
    default = Graph()
    read_extra(wb, path, graphs, default)
    rows = read_rows(wb, path, graphs)
    res = ImportResult(Dataset())
    res.changes = find_changes(rows, graphs, path.name, by, at or curation.now(), res.warnings)
    ds = res.dataset
    bind(ds)
    for gid, g in graphs.items():
        target = ds.graph(gid)
        for t in g:
            target.add(t)
    for t in default:
        ds.graph(DATASET_DEFAULT_GRAPH_ID).add(t)
    res.warnings += curation.apply(ds, res.changes)
    return res
