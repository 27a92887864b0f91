"""The columns of a ROPA sheet: what each cell shows, which triples it owns, and how an edited cell changes them.

A column owns a set of triples of the row's subject (``covered``), shows them in words (``render``), and turns
an analyst's text back into triples to add and remove (``edit``). Exporters write ``render`` in the visible cell
and ``covered`` (as N-Triples) in a hidden one; the importer rebuilds the owned triples from the hidden cell and
only calls ``edit`` when the visible text differs from what ``render`` gives for them, so an untouched sheet comes
back exactly as it went out.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ropa.export.labels import norm, readable, resolve
from ropa.graph.namespaces import DPV, EU_GDPR, ROPA

Triple = tuple[Node, Node, Node]
TRANSFER_TYPES = (DPV.CrossBorderTransfer, DPV.Transfer)
_ISO_DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$")


@dataclass
class Row:
    """One row: the notice's graph, the row's own subject (an activity or a controller), its notice and
    controller."""

    g: Graph
    subject: URIRef
    notice: URIRef | None
    controller: URIRef | None

    def node(self, which: str) -> URIRef | None:
        return {"row": self.subject, "notice": self.notice, "controller": self.controller}[which]


@dataclass
class Edit:
    add: list[Triple] = field(default_factory=list)
    remove: list[Triple] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def lines(text: str) -> list[str]:
    """A cell's items: one per line (or separated by ';'), bullets and blank items dropped."""
    out = []
    for part in re.split(r"[\r\n;]+", text or ""):
        item = re.sub(r"^\s*(?:[-*\u2022\u2013]\s+)", "", part).strip()
        if item:
            out.append(item)
    return out


def same_text(a: str, b: str) -> bool:
    return [norm(x) for x in lines(a)] == [norm(x) for x in lines(b)]


class Column:
    """Base: a read-only column that owns nothing."""

    editable = False

    def __init__(self, header: str, width: int = 30, help: str = ""):
        self.header, self.width, self.help = header, width, help

    def covered(self, row: Row) -> list[Triple]:
        return []

    def render(self, row: Row) -> str:
        return ""

    def edit(self, row: Row, text: str) -> Edit:
        return Edit(warnings=[f"column {self.header!r} is read-only (derived from other cells); the change was "
                              "not imported"])


class Derived(Column):
    """A read-only column computed from the graph (e.g. the notice's automated decision-making statement)."""

    def __init__(self, header: str, fn: Callable[[Row], str], width: int = 30, help: str = ""):
        super().__init__(header, width, help)
        self.fn = fn

    def render(self, row: Row) -> str:
        return self.fn(row)


class Concepts(Column):
    """Concept IRIs that are values of ``prop`` on the row's subject (or its notice / controller), one per line."""

    editable = True

    def __init__(self, header: str, prop: URIRef, keep: Callable[[Row, Node], bool] | None = None, subject: str = "row",
                 width: int = 34, help: str = ""):
        super().__init__(header, width, help)
        self.prop, self.keep, self.subject = prop, keep, subject

    def values(self, row: Row) -> list[Node]:
        s = row.node(self.subject)
        if s is None:
            return []
        vals = [o for o in row.g.objects(s, self.prop) if isinstance(o, URIRef) and (self.keep is None or self.keep(row, o))]
        return sorted(set(vals), key=lambda o: (readable(o).casefold(), str(o)))

    def covered(self, row: Row) -> list[Triple]:
        s = row.node(self.subject)
        return [(s, self.prop, o) for o in self.values(row)] if s is not None else []

    def render(self, row: Row) -> str:
        return "\n".join(readable(o) for o in self.values(row))

    def wanted(self, row: Row, text: str, old: list[Node]) -> tuple[list[Node], list[str]]:
        """The concepts the analyst's text names (an item matching an old value keeps that value)."""
        by_text = {norm(readable(o)): o for o in old}
        out: list[Node] = []
        warnings = []
        for item in lines(text):
            hit = by_text.get(norm(item))
            if hit is None:
                found = [c for c in resolve(item) if self.keep is None or self.keep(row, c)] or resolve(item)
                hit = found[0] if found else None
            if hit is None:
                warnings.append(f"column {self.header!r}: {item!r} names no concept in ontology/ropa.ttl; write one of "
                                "its labels or a CURIE such as pd:EmailAddress (the item was not imported)")
            elif hit not in out:
                out.append(hit)
        return out, warnings

    def edit(self, row: Row, text: str) -> Edit:
        s = row.node(self.subject)
        if s is None:
            return Edit(warnings=[f"column {self.header!r}: the row has no {self.subject}; the change was not imported"])
        old = self.values(row)
        new, warnings = self.wanted(row, text, old)
        return Edit([(s, self.prop, o) for o in new if o not in old],
                    [(s, self.prop, o) for o in old if o not in new], warnings)


class Literals(Column):
    """Literal values of ``prop`` (names, addresses, contacts, dates); ``multi`` splits the cell into lines."""

    editable = True

    def __init__(self, header: str, prop: URIRef, subject: str = "row", multi: bool = True, width: int = 30,
                 help: str = ""):
        super().__init__(header, width, help)
        self.prop, self.subject, self.multi = prop, subject, multi

    def values(self, row: Row) -> list[Literal]:
        s = row.node(self.subject)
        if s is None:
            return []
        return sorted({o for o in row.g.objects(s, self.prop) if isinstance(o, Literal)}, key=lambda o: (str(o), o.n3()))

    def covered(self, row: Row) -> list[Triple]:
        s = row.node(self.subject)
        return [(s, self.prop, o) for o in self.values(row)] if s is not None else []

    @staticmethod
    def shown(o: Literal) -> str:
        return str(o).removeprefix("mailto:")

    def render(self, row: Row) -> str:
        return "\n".join(self.shown(o) for o in self.values(row))

    def edit(self, row: Row, text: str) -> Edit:
        s = row.node(self.subject)
        if s is None:
            return Edit(warnings=[f"column {self.header!r}: the row has no {self.subject}; the change was not imported"])
        old = self.values(row)
        items = lines(text) if self.multi else ([" ".join(text.split())] if text.strip() else [])
        by_text = {norm(self.shown(o)): o for o in old}
        new = [by_text.get(norm(t)) or self.literal(t, old) for t in items]
        return Edit([(s, self.prop, o) for o in new if o not in old], [(s, self.prop, o) for o in old if o not in new])

    def literal(self, text: str, old: list[Literal]) -> Literal:
        if self.prop == DCTERMS.modified and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return Literal(text, datatype=XSD.date)
        if self.prop == DPV.hasContact and "@" in text and ":" not in text:
            return Literal("mailto:" + text)
        proto = old[0] if len(old) == 1 else None
        if proto is not None and (proto.language or proto.datatype):
            return Literal(text, lang=proto.language, datatype=None if proto.language else proto.datatype)
        return Literal(text)


def is_transfer(row: Row, node: Node) -> bool:
    return any((node, RDF.type, t) in row.g for t in TRANSFER_TYPES)


def not_transfer(row: Row, node: Node) -> bool:
    return not is_transfer(row, node)


class Transfers(Column):
    """The destinations (``dpv:hasThirdCountry``) or safeguards (``dpv:hasLegalBasis``) of the row's transfers.

    The destinations column also owns the links activity -> transfer. An added value goes to the first transfer (a
    new ``dpv:CrossBorderTransfer`` when there is none); a removed one is removed from every transfer."""

    editable = True

    def __init__(self, header: str, prop: URIRef, owns_links: bool, width: int = 30, help: str = ""):
        super().__init__(header, width, help)
        self.prop, self.owns_links = prop, owns_links

    def transfers(self, row: Row) -> list[URIRef]:
        return sorted(t for t in row.g.objects(row.subject, DPV.hasProcessing) if isinstance(t, URIRef) and is_transfer(row, t))

    def values(self, row: Row) -> list[Node]:
        vals = {o for t in self.transfers(row) for o in row.g.objects(t, self.prop) if isinstance(o, URIRef)}
        return sorted(vals, key=lambda o: (readable(o).casefold(), str(o)))

    def covered(self, row: Row) -> list[Triple]:
        ts = self.transfers(row)
        out: list[Triple] = [(row.subject, DPV.hasProcessing, t) for t in ts] if self.owns_links else []
        return out + [(t, self.prop, o) for t in ts for o in sorted(row.g.objects(t, self.prop)) if isinstance(o, URIRef)]

    def render(self, row: Row) -> str:
        return "\n".join(readable(o) for o in self.values(row))

    def edit(self, row: Row, text: str) -> Edit:
        old = self.values(row)
        new, warnings = Concepts(self.header, self.prop).wanted(row, text, old)
        ts = self.transfers(row)
        ed = Edit(warnings=warnings)
        ed.remove = [(t, self.prop, o) for t in ts for o in old if o not in new and (t, self.prop, o) in row.g]
        added = [o for o in new if o not in old]
        if added and not ts:
            t = URIRef(f"{row.subject}-transfer-curated")
            ed.add += [(row.subject, DPV.hasProcessing, t), (t, RDF.type, DPV.CrossBorderTransfer)]
            ts = [t]
        ed.add += [(ts[0], self.prop, o) for o in added]
        return ed


def retention_text(g: Graph, sc: Node) -> str:
    """One storage condition in words: "P5Y (max) from the last interaction per the Danish Bookkeeping Act"."""
    parts = []
    for d in sorted(g.objects(sc, DPV.hasDuration)):
        if isinstance(d, Literal):
            parts.append(str(d))
        else:
            desc = g.value(d, DCTERMS.description)
            parts.append(str(desc) if desc else readable(g.value(d, RDF.type)) if g.value(d, RDF.type) else "")
    for prop, fmt in ((ROPA.bound, "({})"), (ROPA.trigger, "from {}"), (ROPA.legalReference, "per {}")):
        parts += [fmt.format(v) for v in sorted(g.objects(sc, prop))]
    return " ".join(p for p in parts if p) or "(retention stated without a period)"


class Retention(Column):
    """Storage conditions: each line one period in words. A new line becomes a new ``dpv:StorageDuration``
    (an ISO 8601 duration when the text gives one, e.g. "P6Y" or "6 years", else an event-bound description)."""

    editable = True

    def conditions(self, row: Row) -> list[Node]:
        durations = {sc for sc in row.g.objects(row.subject, DPV.hasStorageCondition)
                     if (sc, RDF.type, DPV.StorageDuration) in row.g}  # not storage locations or deletion
        return sorted(durations, key=lambda sc: (retention_text(row.g, sc).casefold(), str(sc)))

    def covered(self, row: Row) -> list[Triple]:
        return [(row.subject, DPV.hasStorageCondition, sc) for sc in self.conditions(row)]

    def render(self, row: Row) -> str:
        return "\n".join(retention_text(row.g, sc) for sc in self.conditions(row))

    def edit(self, row: Row, text: str) -> Edit:
        old = {norm(retention_text(row.g, sc)): sc for sc in self.conditions(row)}
        items = lines(text)
        keep = {old[norm(t)] for t in items if norm(t) in old}
        ed = Edit(remove=[(row.subject, DPV.hasStorageCondition, sc) for sc in old.values() if sc not in keep])
        for t in items:
            if norm(t) not in old:
                ed.add += storage_triples(row.subject, t)
        return ed


def storage_triples(activity: URIRef, text: str) -> list[Triple]:
    from ropa.extract.durations import temporal

    key = hashlib.sha1(norm(text).encode()).hexdigest()[:12]
    sc = URIRef(f"{activity}/storage/curated-{key}")
    out: list[Triple] = [(activity, DPV.hasStorageCondition, sc), (sc, RDF.type, DPV.StorageDuration)]
    iso = text.strip().upper() if _ISO_DURATION.match(text.strip().upper()) else None
    if iso is None:
        found = [d for d in temporal(text, 0, len(text)) if (d.iso or "").startswith("P")]
        iso = found[0].iso if found else None
        if found:
            d = found[0]
            out += [(sc, prop, Literal(v)) for prop, v in ((ROPA.bound, d.bound), (ROPA.trigger, d.trigger),
                                                          (ROPA.legalReference, d.law)) if v]
    if iso:
        return out + [(sc, DPV.hasDuration, Literal(iso, datatype=XSD.duration))]
    dur = URIRef(f"{sc}/duration")
    return out + [(sc, DPV.hasDuration, dur), (dur, RDF.type, DPV.UntilEventDuration),
                  (dur, DCTERMS.description, Literal(text.strip(), lang="en"))]


class Rights(Concepts):
    """Rights on an activity row: the notice's rights plus the activity's own. Added rights go on the activity; a
    notice-wide right is removed on the Controllers sheet."""

    def __init__(self, header: str, width: int = 30, help: str = ""):
        super().__init__(header, DPV.hasRight, width=width, help=help)

    def inherited(self, row: Row) -> list[Node]:
        return [o for o in row.g.objects(row.notice, DPV.hasRight)] if row.notice is not None else []

    def render(self, row: Row) -> str:
        vals = set(self.values(row)) | set(self.inherited(row))
        return "\n".join(readable(o) for o in sorted(vals, key=lambda o: (readable(o).casefold(), str(o))))

    def edit(self, row: Row, text: str) -> Edit:
        own, inherited = self.values(row), self.inherited(row)
        new, warnings = self.wanted(row, text, own + inherited)
        ed = Edit([(row.subject, DPV.hasRight, o) for o in new if o not in own and o not in inherited],
                  [(row.subject, DPV.hasRight, o) for o in own if o not in new], warnings)
        for o in inherited:
            if o not in new and o not in own:
                ed.warnings.append(f"column {self.header!r}: {readable(o)!r} is granted by the whole notice; remove it "
                                   "in the Rights column of the Controllers sheet")
        return ed


class Dpo(Column):
    """The DPO's contact (the controller's ``dpv:hasDataProtectionOfficer`` node); "named" when it has none."""

    editable = True

    def dpos(self, row: Row) -> list[Node]:
        return sorted(row.g.objects(row.subject, DPV.hasDataProtectionOfficer))

    def covered(self, row: Row) -> list[Triple]:
        return [(d, DPV.hasContact, c) for d in self.dpos(row) for c in sorted(row.g.objects(d, DPV.hasContact))]

    def render(self, row: Row) -> str:
        out = [str(c).removeprefix("mailto:") for d in self.dpos(row) for c in sorted(row.g.objects(d, DPV.hasContact))]
        if not out and self.dpos(row):
            out = ["named"]
        return "\n".join(out)

    def edit(self, row: Row, text: str) -> Edit:
        dpos = self.dpos(row)
        ed = Edit(remove=self.covered(row))
        items = [t for t in lines(text) if norm(t) != "named"]
        if not dpos and lines(text):
            d = URIRef(f"{row.subject}".rsplit("/", 1)[0] + "/dpo")
            ed.add += [(row.subject, DPV.hasDataProtectionOfficer, d), (d, RDF.type, DPV.DataProtectionOfficer)]
            dpos = [d]
        for t in items:
            lit = Literal("mailto:" + t if "@" in t and ":" not in t else t)
            ed.add.append((dpos[0], DPV.hasContact, lit))
        ed.remove = [t for t in ed.remove if t not in ed.add]
        ed.add = [t for t in ed.add if t not in self.covered(row)]
        return ed


def legal_basis_article(n: int) -> Callable[[Row, Node], bool]:
    def keep(row: Row, o: Node) -> bool:
        art = str(o).removeprefix(str(EU_GDPR))
        is_n = str(o).startswith(str(EU_GDPR)) and re.match(rf"A{n}(?:-|$)", art) is not None
        return is_n if n == 9 else not (str(o).startswith(str(EU_GDPR)) and re.match(r"A9(?:-|$)", art))
    return keep
