"""A dataset as ROPA tables: a Controllers table, one activity table per controller, and the triples no column
shows (kept so that an exported sheet imports back without loss).

Shared by the XLSX and CSV writers and by the importer. Hidden cells carry the triples a column owns as
N-Triples, so the sheet itself holds the whole graph minus evidence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ropa.export.columns import Column, Row, Triple
from ropa.export.templates import CONTROLLER_COLUMNS, NoticeTable, notice_table, strip_evidence, template
from ropa.graph.oxi import from_ox, to_ox

GRAPH_HEADER = "[rdf] graph"
SUBJECT_HEADER = "[rdf] subject"
HIDDEN_PREFIX = "[rdf] "
_EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Table:
    """One sheet: a title, its columns and rows of (visible cells, hidden graph id, subject, owned triples)."""

    title: str
    columns: list[Column]
    rows: list[RowCells] = field(default_factory=list)

    def headers(self) -> list[str]:
        hidden = [HIDDEN_PREFIX + c.header for c in self.columns if c.editable]
        return [c.header for c in self.columns] + [GRAPH_HEADER, SUBJECT_HEADER] + hidden


@dataclass
class RowCells:
    visible: list[str]
    graph_id: str
    subject: str
    owned: list[str]  # N-Triples of each editable column, in column order

    def cells(self) -> list[str]:
        return self.visible + [self.graph_id, self.subject] + self.owned


@dataclass
class Workbook:
    controllers: Table
    activities: list[Table]
    extra: dict[str, str]  # graph id ('' for the default graph) -> N-Triples of the triples no column owns
    template: str


def excel_safe(text: str) -> str:
    return _EXCEL_ILLEGAL.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


def visible_safe(text: str) -> str:
    return _EXCEL_ILLEGAL.sub(" ", text)


def ntriples(triples: list[Triple]) -> str:
    """Sorted N-Triples, one per line, with characters Excel cannot hold escaped (valid N-Triples escapes)."""
    if not triples:
        return ""
    items = sorted({ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples}, key=str)
    data = ox.serialize(items, format=ox.RdfFormat.N_TRIPLES) or b""
    return excel_safe(data.decode("utf-8"))


def parse_ntriples(text: str) -> list[Triple]:
    if not text or not text.strip():
        return []
    return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
            for t in ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]


def notice_tables(ds: Dataset) -> tuple[list[NoticeTable], dict[str, Graph]]:
    """The notice graphs as tables (evidence removed), and every other graph (e.g. curation graphs) as it is."""
    tables, others = [], {}
    for g in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if not len(g):
            continue
        gid = "" if g.identifier == DATASET_DEFAULT_GRAPH_ID else str(g.identifier)
        t = notice_table(URIRef(gid), strip_evidence(g)) if gid else None
        if t is None:
            others[gid] = g
        else:
            tables.append(t)
    return tables, others


def _row_cells(t: NoticeTable, row: Row, columns: list[Column], owned: set[Triple]) -> RowCells:
    visible = [visible_safe(c.render(row)) for c in columns]
    per_col = []
    for c in columns:
        if c.editable:
            tr = c.covered(row)
            owned.update(tr)
            per_col.append(ntriples(tr))
    return RowCells(visible, str(t.graph_id), str(row.subject), per_col)


def build_workbook(ds: Dataset, template_name: str = "ico") -> Workbook:
    cols = template(template_name)
    tables, others = notice_tables(ds)
    ctrl = Table("Controllers", CONTROLLER_COLUMNS)
    acts: list[Table] = []
    extra: dict[str, str] = {gid: ntriples(list(g)) for gid, g in others.items()}
    for t in sorted(tables, key=lambda t: (t.name.casefold(), str(t.graph_id))):
        owned: set[Triple] = set()
        if t.controller is not None:
            ctrl.rows.append(_row_cells(t, t.row(t.controller), CONTROLLER_COLUMNS, owned))
        sheet = Table(t.name, cols)
        sheet.rows = [_row_cells(t, t.row(a), cols, owned) for a in t.activities]
        acts.append(sheet)
        extra[str(t.graph_id)] = ntriples([tr for tr in t.g if tr not in owned])
    return Workbook(ctrl, acts, extra, template_name)
