"""``ropa show``: a readable summary of a notice's record, read back from the graph (not from the extractor),
so what an analyst sees is what the graph says."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from functools import cache

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ropa import resources
from ropa.errors import UsageError
from ropa.graph.namespaces import DPV, ROPA, curie

ROWS = [("Data subjects", DPV.hasDataSubject), ("Personal data", DPV.hasPersonalData), ("Purposes", DPV.hasPurpose),
        ("Legal bases", DPV.hasLegalBasis), ("Recipients", DPV.hasRecipient), ("Sources", DPV.hasDataSource),
        ("Technologies", DPV.isImplementedUsingTechnology)]


@cache
def labels() -> dict[URIRef, str]:
    g = Graph()
    if resources.ontology_file().is_file():
        g.parse(resources.ontology_file(), format="turtle")
    out: dict[URIRef, str] = {}
    for prop in (RDFS.label, SKOS.prefLabel):
        for s, o in g.subject_objects(prop):
            out.setdefault(s, str(o))  # type: ignore[arg-type]
    return out


def label(node) -> str:
    if isinstance(node, Literal):
        return str(node)
    known = labels().get(node)
    if known:
        return f"{known} ({curie(node)})"
    return curie(node)


@dataclass
class ActivitySummary:
    title: str
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class NoticeSummary:
    source: str
    header: list[tuple[str, str]]
    activities: list[ActivitySummary]


def _values(g: Graph, s, p) -> list[str]:
    return sorted({label(o) for o in g.objects(s, p)})


def _one(g: Graph, s, p) -> str:
    return ", ".join(sorted(str(o) for o in g.objects(s, p)))


def summarise(ds: Dataset, notice: str | None = None) -> list[NoticeSummary]:
    """One summary per notice (or only the notice whose file name or stem is ``notice``)."""
    out = []
    for g in ds.graphs():
        for n in g.subjects(RDF.type, DPV.PrivacyNotice):
            source = str(g.value(n, DCTERMS.source))
            if notice is None or notice in (source, source.rsplit(".", 1)[0]):
                out.append(_summary(g, n, source))
    if notice is not None and not out:
        raise UsageError(f"no notice named {notice!r} in the graph; `ropa show FILE` lists the notices it holds")
    return sorted(out, key=lambda s: s.source)


def _summary(g: Graph, n, source: str) -> NoticeSummary:
    ctrl = next(iter(g.subjects(RDF.type, DPV.DataController)), None)
    header = [("Notice", source), ("Last updated", _one(g, n, DCTERMS.modified) or "(not stated)")]
    if ctrl is not None:
        header += [("Controller", _one(g, ctrl, DPV.hasName) or "(not found)"),
                   ("Identifier", _one(g, ctrl, DPV.hasIdentifier)), ("Address", _one(g, ctrl, DPV.hasAddress)),
                   ("Country", ", ".join(_values(g, ctrl, DPV.hasCountry))), ("Contact", _one(g, ctrl, DPV.hasContact))]
        for p in g.objects(ctrl, DPV.hasDataProtectionOfficer):
            header.append(("DPO", _one(g, p, DPV.hasContact) or "named"))
        if (ctrl, ROPA.alsoActsAs, DPV.DataProcessor) in g:
            header.append(("Role", "also acts as a data processor"))
    header.append(("Rights", ", ".join(_values(g, n, DPV.hasRight)) or "(none stated)"))
    sas = [_one(g, sa, DPV.hasName) or ", ".join(_values(g, sa, DPV.hasCountry)) for sa in g.objects(n, DPV.hasAuthority)]
    header.append(("Supervisory authority", ", ".join(sorted(set(sas))) or "(not named)"))
    acts = [_activity(g, a) for a in sorted(g.subjects(RDF.type, DPV.Process), key=str)]
    return NoticeSummary(source, [(k, v) for k, v in header if v], acts)


def _activity(g: Graph, a) -> ActivitySummary:
    s = ActivitySummary(str(g.value(a, DCTERMS.title) or a))
    s.rows = [(name, _values(g, a, p)) for name, p in ROWS]
    conditions = list(g.objects(a, DPV.hasStorageCondition))
    s.rows.append(("Retention", sorted(_retention(g, sc) for sc in conditions if (sc, RDF.type, DPV.StorageDuration) in g)))
    s.rows.append(("Storage", sorted({label(t) for sc in conditions for t in g.objects(sc, RDF.type)
                                      if t != DPV.StorageDuration})))
    for t in g.objects(a, DPV.hasProcessing):
        if (t, RDF.type, DPV.CrossBorderTransfer) in g:
            where = ", ".join(_values(g, t, DPV.hasThirdCountry)) or "(destination not stated)"
            how = ", ".join(_values(g, t, DPV.hasLegalBasis)) or "(no safeguard stated)"
            s.rows.append(("Transfers", [f"{where} under {how}"]))
    s.rows = [(k, v) for k, v in s.rows if v]
    return s


def _retention(g: Graph, sc) -> str:
    parts = []
    for d in g.objects(sc, DPV.hasDuration):
        if isinstance(d, Literal):
            parts.append(str(d))
        else:
            desc = g.value(d, DCTERMS.description)
            parts.append(str(desc) if desc else label(g.value(d, RDF.type)))
    for prop, fmt in ((ROPA.bound, "({})"), (ROPA.trigger, "from {}"), (ROPA.legalReference, "per {}")):
        for v in g.objects(sc, prop):
            parts.append(fmt.format(v))
    return " ".join(parts)


def render(summaries: list[NoticeSummary], width: int = 110) -> str:
    """Plain-text tables: the notice header, then one table per activity."""
    out = []
    for s in summaries:
        out.append("=" * width)
        out += [f"{k + ':':<24}{v}" for k, v in s.header]
        for a in s.activities:
            out.append("-" * width)
            out.append(f"Activity: {a.title[:width - 10]}")
            for name, values in a.rows:
                wrapped = textwrap.wrap("; ".join(values), width - 24) or [""]
                out.append(f"  {name:<22}{wrapped[0]}")
                out += [" " * 24 + line for line in wrapped[1:]]
    return "\n".join(out)


def strip_curie(text: str) -> str:
    return re.sub(r"\s*\([\w-]+:[\w-]+\)", "", text)
