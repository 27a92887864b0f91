"""The facets ``ropa compare`` compares, one query of ``queries/compare/`` each (no heavy imports: the CLI reads
this to build its help)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facet:
    """One dimension of the comparison: the query that yields its (notice, concept, activities) rows."""

    name: str
    title: str
    gdpr: str
    hierarchical: bool = False  # accepts ?depth (roll-up along skos:broader)
    order: str = "companies"    # column order: "companies" (most used first), "label", "months"


FACETS: dict[str, Facet] = {f.name: f for f in [
    Facet("data_subjects", "Data subjects", "Art. 30(1)(c)"),
    Facet("personal_data", "Personal data", "Art. 30(1)(c)", hierarchical=True),
    Facet("purposes", "Purposes", "Art. 13(1)(c)", hierarchical=True),
    Facet("legal_bases", "Legal bases", "Art. 13(1)(c), Art. 6"),
    Facet("recipients", "Recipients", "Art. 13(1)(e)"),
    Facet("data_sources", "Data sources", "Art. 14(2)(f)"),
    Facet("transfer_destinations", "Transfer destinations", "Art. 13(1)(f)"),
    Facet("transfer_safeguards", "Transfer safeguards", "Art. 13(1)(f), Art. 46/49"),
    Facet("retention", "Retention periods", "Art. 13(2)(a)", order="months"),
    Facet("rights", "Rights", "Art. 13(2)(b)-(d)", order="label"),
    Facet("art13_completeness", "Art. 13 completeness", "Art. 13", order="label"),
]}
