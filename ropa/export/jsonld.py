"""Compact JSON-LD with ropa's own ``@context`` (``ontology/context.jsonld``; DPV publishes none).

Keys read as plain JSON ("hasPersonalData": ["pd:EmailAddress"], "title": "Job applicants") and the context is
embedded, so any JSON-LD processor (rdflib, pyld, jsonld.js) reads the file back into the same graph offline.
"""
from __future__ import annotations

import json
from functools import cache
from typing import Any

from rdflib import Dataset

from ropa import resources


def context_file():
    return resources.home() / "ontology" / "context.jsonld"


@cache
def context() -> dict[str, Any]:
    """The ``@context`` object (the value, without the wrapping document)."""
    with open(context_file(), encoding="utf-8") as fh:
        return dict(json.load(fh)["@context"])


def compact(ds: Dataset) -> bytes:
    """The dataset as compact JSON-LD: one ``@graph`` entry per named graph, the ropa context inline."""
    data = ds.serialize(format="json-ld", context=context(), auto_compact=True)
    doc = _sorted(json.loads(data))
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _sorted(node: Any) -> Any:
    """Deterministic output: every ``@graph`` list ordered by node id (rdflib emits them in hash order)."""
    if isinstance(node, dict):
        return {k: _sorted(v) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted(v) for v in node]
        if all(isinstance(v, dict) for v in items):
            return sorted(items, key=lambda v: str(v.get("id", v.get("@id", ""))))
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True)) if all(isinstance(v, str) for v in items) else items
    return node
