"""Typed records that flow from ingestion through extraction to the graph.

No rdflib here: concept values are CURIEs (``"pd:EmailAddress"``) or project concepts (``"ropa:WebsiteVisitor"``),
and every extracted value carries the evidence it came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Block kinds recovered from a document's structure.
HEADING, PARAGRAPH, LIST_ITEM = "heading", "paragraph", "list_item"


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of the ingested text: a heading, a paragraph or a list item.

    ``start``/``end`` are code-point offsets into ``Document.text``; ``level`` is the heading level
    (1 = top) for headings and the nesting depth for list items (0 otherwise).
    """

    kind: str
    start: int
    end: int
    level: int = 0


@dataclass(slots=True)
class Document:
    """One ingested notice: its text as ingested (all offsets point here) and its structure."""

    source: str  # the input file's name exactly as given (no directories)
    text: str
    blocks: list[Block]
    media_type: str = "text/plain"
    sha256: str = ""  # of the raw input bytes
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: ``text[start:end] == quote``."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True, slots=True)
class Fact:
    """One extracted value of a facet, e.g. ``Fact("personal_data", "pd:EmailAddress", ev)``.

    ``value`` is a CURIE for concept facets, or a literal string (names, numbers, ISO 8601 durations).
    ``detail`` holds facet-specific extras (a duration's bound or trigger, a legal reference, a label).
    """

    facet: str
    value: str
    evidence: Evidence
    detail: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str | None = None) -> str | None:
        return dict(self.detail).get(key, default)


@dataclass(slots=True)
class Transfer:
    """A third-country transfer: destinations (``loc:`` CURIEs or region concepts) and safeguards."""

    key: str
    destinations: list[Fact] = field(default_factory=list)
    safeguards: list[Fact] = field(default_factory=list)
    statements: list[Fact] = field(default_factory=list)  # e.g. "safeguard_copy": how to get a copy


@dataclass(slots=True)
class Activity:
    """One processing context of a notice (clients, job applicants, website visitors, ...)."""

    key: str  # stable within the notice, e.g. "clients" or "general"
    title: str
    span: tuple[int, int]  # the section the activity was read from
    facts: list[Fact] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    discloses: bool = False  # an activity that describes disclosure to recipients

    def values(self, facet: str) -> list[str]:
        seen: dict[str, None] = {}
        for f in self.facts:
            if f.facet == facet:
                seen.setdefault(f.value, None)
        return list(seen)


@dataclass(slots=True)
class Controller:
    """The controller's identity; each field a list of facts (several evidence places are fine)."""

    facts: list[Fact] = field(default_factory=list)

    def first(self, facet: str) -> str | None:
        return next((f.value for f in self.facts if f.facet == facet), None)


@dataclass(slots=True)
class NoticeRecord:
    """Everything extracted from one notice: the ROPA entries plus notice-wide facts."""

    document: Document
    extractor: str  # e.g. "rules.v4"
    controller: Controller
    activities: list[Activity]
    notice_facts: list[Fact] = field(default_factory=list)  # rights, authority, date, DPO, processor role
