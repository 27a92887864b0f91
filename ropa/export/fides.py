"""``ropa export --format fides``: one fideslang system manifest (YAML) per controller.

Each processing activity becomes privacy declarations (one per fideslang data use its purposes map to) with the
activity's data categories and subjects; DPV concepts map to the fideslang default taxonomy through
``ontology/mappings/fides.yaml`` (a concept without an entry takes its nearest ``skos:broader`` ancestor's). What
maps to nothing is named in the system's ``meta.ropa_unmapped``, never dropped silently.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import yaml
from rdflib import Dataset, Node, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ropa import resources
from ropa.export.columns import Row, Transfers, is_transfer, retention_text
from ropa.export.labels import ontology, readable
from ropa.export.tables import notice_tables
from ropa.export.templates import NoticeTable
from ropa.graph.namespaces import DPV, EU_GDPR, ROPA, TECH, curie, iri

FACETS = {"data_categories": DPV.hasPersonalData, "data_uses": DPV.hasPurpose, "data_subjects": DPV.hasDataSubject}
# order in which a declaration's one legal basis is chosen when the activity states several
BASIS_ORDER = ["Contract", "Legal obligations", "Consent", "Legitimate interests", "Vital interests", "Public interest"]
SAFEGUARDS = {"A45-3": "Adequacy Decision", "A46-2-c": "SCCs", "A46-2-d": "SCCs", "A46-2-b": "BCRs", "A47": "BCRs",
              "A49-1-a": "Explicit consent (Art. 49(1)(a))"}


def mapping_file():
    return resources.home() / "ontology" / "mappings" / "fides.yaml"


@cache
def mapping() -> dict[str, Any]:
    with open(mapping_file(), encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return dict(data)


@cache
def _table(section: str) -> dict[URIRef, str]:
    return {iri(k): str(v) for k, v in (mapping().get(section) or {}).items()}


def fides_key_for(concept: Node, section: str) -> str | None:
    """The fideslang key of ``concept`` in ``section``: its own entry, else the nearest broader concept's."""
    table = _table(section)
    frontier, seen = [concept], {concept}
    while frontier:
        nxt = []
        for c in frontier:
            if c in table:
                return table[c]
            for parent in sorted(ontology().objects(c, SKOS.broader)):
                if parent not in seen:
                    seen.add(parent)
                    nxt.append(parent)
        frontier = nxt
    return None


def unmapped(concepts: Iterable[Node], section: str) -> list[str]:
    return sorted({curie(c) for c in concepts if isinstance(c, URIRef) and fides_key_for(c, section) is None})


def fides_key(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_") or "controller"


def _values(row: Row, prop: URIRef) -> list[Node]:
    return sorted({o for o in row.g.objects(row.subject, prop) if isinstance(o, URIRef)}, key=str)


def _mapped(row: Row, section: str, missing: set[str]) -> list[str]:
    out = []
    for c in _values(row, FACETS[section]):
        key = fides_key_for(c, section)
        if key is None:
            missing.add(curie(c))
        elif key not in out:
            out.append(key)
    return out


def _declarations(t: NoticeTable, act: URIRef, missing: set[str]) -> list[dict[str, Any]]:
    row = t.row(act)
    title = str(t.g.value(act, DCTERMS.title) or curie(act))
    cats, subjects = _mapped(row, "data_categories", missing), _mapped(row, "data_subjects", missing)
    bases = [str(b) for b in _values(row, DPV.hasLegalBasis)]
    lb = [v for k, v in _table("legal_bases").items() if str(k) in bases]
    special = [v for k, v in _table("special_category_legal_bases").items() if str(k) in bases]
    recipients = [readable(r) for r in _values(row, DPV.hasRecipient)]
    retention = [retention_text(t.g, sc) for sc in sorted(t.g.objects(act, DPV.hasStorageCondition))
                 if (sc, RDF.type, DPV.StorageDuration) in t.g]
    out = []
    for use in _mapped(row, "data_uses", missing):
        d: dict[str, Any] = {"name": f"{title}: {use}", "data_use": use, "data_categories": cats or ["user"],
                             "data_subjects": subjects}
        if lb:
            d["legal_basis_for_processing"] = min(lb, key=BASIS_ORDER.index)
        if special:
            d["processes_special_category_data"] = True
            d["special_category_legal_basis"] = special[0]
        if retention:
            d["retention_period"] = "; ".join(sorted(retention))
        if recipients:
            d["data_shared_with_third_parties"] = True
            d["third_parties"] = "; ".join(recipients)
        out.append(d)
    return out


def _transfers(t: NoticeTable) -> tuple[bool, list[str]]:
    col = Transfers("x", DPV.hasLegalBasis, owns_links=False)
    found, bases = False, set()
    for act in t.activities:
        row = t.row(act)
        if any(is_transfer(row, x) for x in t.g.objects(act, DPV.hasProcessing)):
            found = True
            for s in col.values(row):
                local = str(s).removeprefix(str(EU_GDPR))
                bases.add(SAFEGUARDS.get(local, readable(s)))
    return found, sorted(bases)


def system(t: NoticeTable) -> dict[str, Any]:
    g, c = t.g, t.controller
    missing: set[str] = set()
    decls = [d for act in t.activities for d in _declarations(t, act, missing)]
    transfers, transfer_bases = _transfers(t)
    source = sorted(str(s) for s in g.objects(t.notice, DCTERMS.source)) if t.notice else []
    sysd: dict[str, Any] = {
        "fides_key": fides_key(t.name if c is not None and (c, DPV.hasName, None) in g else (source or ["notice"])[0]),
        "name": t.name,
        "description": f"Record of processing activities of {t.name}, extracted by ropa from its privacy notice "
                       f"{source[0] if source else ''}".strip(),
        "system_type": "Controller processing record",
        "responsibility": ["Controller"] + (["Processor"] if c is not None and (c, ROPA.alsoActsAs, DPV.DataProcessor) in g else []),
        "privacy_declarations": decls,
        "does_international_transfers": transfers,
        "legal_basis_for_transfers": transfer_bases,
        "uses_cookies": any((a, DPV.isImplementedUsingTechnology, TECH.Cookie) in g for a in t.activities),
        "meta": {"ropa_graph": str(t.graph_id), "ropa_notice": source[0] if source else None,
                 "ropa_unmapped": sorted(missing)},
    }
    if c is not None:
        address = sorted(str(a) for a in g.objects(c, DPV.hasAddress))
        if address:
            sysd["legal_address"] = address[0]
        names = sorted(str(n) for n in g.objects(c, DPV.hasName))
        if names:
            sysd["legal_name"] = names[0]
        dpo = [str(x).removeprefix("mailto:") for d in g.objects(c, DPV.hasDataProtectionOfficer) for x in g.objects(d, DPV.hasContact)]
        if dpo:
            sysd["dpo"] = sorted(dpo)[0]
        if (c, ROPA.mentionsJointControllers, None) in g:
            sysd["joint_controller_info"] = "The notice mentions joint controllers."
    return sysd


def manifests(ds: Dataset) -> dict[str, bytes]:
    """File name -> manifest YAML (``system: [ ... ]``), one per controller; keys unique."""
    tables, _ = notice_tables(ds)
    out: dict[str, bytes] = {}
    for t in tables:
        sysd = system(t)
        key, n = sysd["fides_key"], 2
        while f"{key}.yml" in out:
            key, n = f"{sysd['fides_key']}_{n}", n + 1
        sysd["fides_key"] = key
        out[f"{key}.yml"] = yaml.safe_dump({"system": [sysd]}, sort_keys=False, allow_unicode=True, width=120).encode()
    return out
