"""``ropa export --format ropa-csv``: the activity rows of every controller in one CSV table (ICO or CNIL
columns), for tools that take a table rather than a workbook. Read-only: import goes through the XLSX."""
from __future__ import annotations

import csv
import io

from rdflib import Dataset

from ropa.export.tables import build_workbook

LEAD = {"ico": ["Controller", "Privacy notice"], "cnil": ["Responsable", "Politique de confidentialité"]}


def to_csv(ds: Dataset, template: str = "ico") -> bytes:
    book = build_workbook(ds, template)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    cols = book.activities[0].columns if book.activities else []
    w.writerow(LEAD[template] + [c.header for c in cols] + ["Activity IRI"])
    for table in book.activities:
        for row in table.rows:
            notice = row.graph_id.rsplit("/", 1)[-1]
            w.writerow([table.title, notice] + [v.replace("\n", "; ") for v in row.visible] + [row.subject])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV correctly
