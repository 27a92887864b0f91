"""ROPA templates: the UK ICO controller template and the CNIL register, as lists of columns over the graph.

ICO: "Documentation template for controllers" (ico.org.uk, accountability and governance: documentation), the
Art. 30(1) record plus the items the ICO asks for beside it (lawful basis, Art. 9 condition, legitimate
interests, rights, source, retention, security, transfer safeguards). CNIL: "Modèle de registre des activités de
traitement" (cnil.fr), one "fiche" per processing activity; headers in French, values in the ontology's English.
Columns the graph cannot fill (links to contracts, DPIA progress) are left out rather than shown empty.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from ropa.export.columns import (
    Column,
    Concepts,
    Derived,
    Dpo,
    Literals,
    Retention,
    Rights,
    Row,
    Transfers,
    legal_basis_article,
    not_transfer,
)
from ropa.export.labels import readable
from ropa.graph.namespaces import DPV, OA, ROPA


def _joint(row: Row) -> str:
    c = row.controller
    return "Joint controllers mentioned in the notice" if c is not None and (c, ROPA.mentionsJointControllers, None) in row.g else ""


def _adm(row: Row) -> str:
    return "\n".join(sorted(str(o) for o in row.g.objects(row.notice, ROPA.automatedDecisionMaking))) if row.notice else ""


def _controller(row: Row) -> str:
    c = row.controller
    if c is None:
        return ""
    parts = [str(o) for p in (DPV.hasName, DPV.hasAddress, DPV.hasContact) for o in sorted(row.g.objects(c, p))]
    return "\n".join(p.removeprefix("mailto:") for p in parts)


def _dpo(row: Row) -> str:
    return Dpo("x").render(Row(row.g, row.controller, row.notice, row.controller)) if row.controller else ""


def _parent(row: Row) -> str:
    return "\n".join(sorted(str(n) for p in row.g.subjects(DPV.hasSubsidiary, row.subject) for n in row.g.objects(p, DPV.hasName)))


def _authority(row: Row) -> str:
    out = []
    for sa in sorted(row.g.objects(row.notice, DPV.hasAuthority)) if row.notice else []:
        name = ", ".join(sorted(str(n) for n in row.g.objects(sa, DPV.hasName)))
        where = ", ".join(sorted(readable(c) for c in row.g.objects(sa, DPV.hasCountry)))
        out.append(f"{name} ({where})" if name and where else name or where)
    return "\n".join(out)


def _source(row: Row) -> str:
    return ", ".join(sorted(str(o) for o in row.g.objects(row.notice, DCTERMS.source))) if row.notice else ""


ACTIVITY = "activity"
CONTROLLERS = "controllers"

ICO: list[Column] = [
    Literals("Business function / processing activity", DCTERMS.title, multi=False, width=28,
             help="the processing context the notice describes (dct:title)"),
    Concepts("Purpose of processing", DPV.hasPurpose, width=36),
    Derived("Name and contact details of joint controller (if applicable)", _joint, width=20),
    Concepts("Categories of individuals", DPV.hasDataSubject, width=26),
    Concepts("Categories of personal data", DPV.hasPersonalData, width=30),
    Concepts("Categories of recipients", DPV.hasRecipient, width=30),
    Transfers("Names of third countries or international organisations that personal data are transferred to "
              "(if applicable)", DPV.hasThirdCountry, owns_links=True, width=24),
    Transfers("Safeguards for exceptional transfers of personal data to third countries or international "
              "organisations (if applicable)", DPV.hasLegalBasis, owns_links=False, width=30),
    Retention("Retention schedule (if possible)", width=34),
    Concepts("General description of technical and organisational security measures (if possible)",
             DPV.hasTechnicalOrganisationalMeasure, width=28),
    Concepts("Article 6 lawful basis for processing personal data", DPV.hasLegalBasis, keep=legal_basis_article(6), width=30),
    Concepts("Article 9 basis for processing special category data", DPV.hasLegalBasis, keep=legal_basis_article(9),
             width=26),
    Rights("Rights available to individuals", width=30),
    Derived("Existence of automated decision-making, including profiling (if applicable)", _adm, width=22),
    Concepts("The source of the personal data (if applicable)", DPV.hasDataSource, width=28),
    Concepts("Processing operations", DPV.hasProcessing, keep=not_transfer, width=18),
    Concepts("Technologies used (e.g. cookies)", DPV.isImplementedUsingTechnology, width=20),
]

CNIL: list[Column] = [
    Literals("Nom du traitement", DCTERMS.title, multi=False, width=28),
    Derived("Responsable du traitement", _controller, width=28),
    Derived("Délégué à la protection des données", _dpo, width=22),
    Derived("Responsable(s) conjoint(s)", _joint, width=20),
    Concepts("Finalité(s) du traitement", DPV.hasPurpose, width=36),
    Concepts("Base(s) légale(s)", DPV.hasLegalBasis, keep=legal_basis_article(6), width=28),
    Concepts("Données sensibles : condition de l'article 9", DPV.hasLegalBasis, keep=legal_basis_article(9), width=24),
    Concepts("Catégories de personnes concernées", DPV.hasDataSubject, width=26),
    Concepts("Catégories de données personnelles", DPV.hasPersonalData, width=30),
    Concepts("Sources des données", DPV.hasDataSource, width=26),
    Retention("Durées de conservation", width=34),
    Concepts("Catégories de destinataires", DPV.hasRecipient, width=30),
    Transfers("Transferts hors UE : pays", DPV.hasThirdCountry, owns_links=True, width=24),
    Transfers("Transferts hors UE : garanties", DPV.hasLegalBasis, owns_links=False, width=28),
    Concepts("Mesures de sécurité", DPV.hasTechnicalOrganisationalMeasure, width=26),
    Rights("Droits des personnes", width=30),
    Concepts("Opérations de traitement", DPV.hasProcessing, keep=not_transfer, width=18),
    Concepts("Technologies (cookies, traceurs)", DPV.isImplementedUsingTechnology, width=20),
]

CONTROLLER_COLUMNS: list[Column] = [
    Literals("Controller", DPV.hasName, width=26, help="the controller's name (Art. 30(1)(a))"),
    Literals("Company / VAT / CVR number", DPV.hasIdentifier, width=16),
    Literals("Address", DPV.hasAddress, width=30),
    Concepts("Country", DPV.hasCountry, width=16),
    Literals("Contact details", DPV.hasContact, width=30),
    Dpo("Data protection officer (contact)", width=26),
    Derived("Parent company", _parent, width=20),
    Derived("Supervisory authority", _authority, width=28),
    Concepts("Rights granted by the notice", DPV.hasRight, subject="notice", width=34),
    Derived("Privacy notice (file)", _source, width=26),
    Literals("Notice last updated", DCTERMS.modified, subject="notice", width=14),
]

TEMPLATES = {"ico": ICO, "cnil": CNIL}


def template(name: str) -> list[Column]:
    from ropa.errors import UsageError

    if name not in TEMPLATES:
        raise UsageError(f"unknown ROPA template {name!r}; choose one of {', '.join(TEMPLATES)}")
    return TEMPLATES[name]


def columns_by_header() -> dict[str, Column]:
    """Every column of every template and of the Controllers sheet, by header (the importer reads sheets by it)."""
    out: dict[str, Column] = {}
    for cols in (*TEMPLATES.values(), CONTROLLER_COLUMNS):
        for c in cols:
            out.setdefault(c.header, c)
    return out


# --- reading the graph --------------------------------------------------------------------------------------------


@dataclass
class NoticeTable:
    """One notice's graph (evidence removed) with its controller and activity rows."""

    graph_id: URIRef
    g: Graph
    notice: URIRef | None
    controller: URIRef | None
    activities: list[URIRef]

    @property
    def name(self) -> str:
        names = sorted(str(o) for o in self.g.objects(self.controller, DPV.hasName)) if self.controller else []
        if names:
            return names[0]
        src = sorted(str(o) for o in self.g.objects(self.notice, DCTERMS.source)) if self.notice else []
        return f"(controller not named) {src[0] if src else self.graph_id}"

    def row(self, subject: URIRef) -> Row:
        return Row(self.g, subject, self.notice, self.controller)


def is_evidence(g: Graph, node) -> bool:
    return (node, RDF.type, RDF.Statement) in g and (node, OA.hasSelector, None) in g


def strip_evidence(g: Graph) -> Graph:
    """The graph without its evidence nodes (``rdf:Statement`` with ``oa:hasSelector``) and their selectors."""
    drop = {n for n in g.subjects(RDF.type, RDF.Statement) if is_evidence(g, n)}
    drop |= {sel for n in drop for sel in g.objects(n, OA.hasSelector)}
    out = Graph(identifier=g.identifier)
    for t in g:
        if t[0] not in drop:
            out.add(t)
    return out


def notice_table(graph_id: URIRef, g: Graph) -> NoticeTable | None:
    notice = next(iter(sorted(g.subjects(RDF.type, DPV.PrivacyNotice))), None)
    if notice is None:
        return None
    ctrl = next(iter(sorted(g.subjects(RDF.type, DPV.DataController))), None)
    acts = sorted(g.subjects(RDF.type, DPV.Process), key=str)  # an activity and its "-disclosure" row side by side
    return NoticeTable(graph_id, g, notice, ctrl, [a for a in acts if isinstance(a, URIRef)])
