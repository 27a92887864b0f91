"""A notice's structure as the extractor sees it: sentence units, the topics they sit under, and the
processing context (data-subject category) that each belongs to.

A heading that names a data-subject category ("Job applicants"), or a lead-in ("If you are our customer",
"When you visit our website"), opens a context that lasts until the next heading of the same or a higher level.
Headings and short lines ending in ':' ("Our legal bases for processing this personal data:") give topics.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import yaml

from ropa import resources
from ropa.extract import cues as cue_mod
from ropa.extract.lexicon import Entry, Facet, Lexicon, Match, Rx, _compile, _resolve
from ropa.ingest import sentences
from ropa.model import HEADING, LIST_ITEM, Block, Document, Evidence

# Topics after which a subject-naming heading is not a processing context ("Sharing with our customers").
NOT_CONTEXT_TOPICS = frozenset({"recipients", "transfers", "rights", "changes", "children", "cookies",
                                "security", "complaint", "dpo", "controller"})
LEAD_IN = re.compile(r"\s*(?:as an?|as (?:our|one of our)|if you are (?:an?|our|one of our)|if you are|for|to our"
                     r"|when you are (?:an?|our)|in case you are an?)\b", re.IGNORECASE)
MAX_LEAD_WORDS = 25
# the topics whose lead-in's short lines are its items, not headings of their own
ITEM_TOPICS = frozenset({"legal_bases", "recipients", "personal_data"})
MAX_CONTEXT_HEADING_WORDS = 16  # "If you are one of our suppliers, partners or other members of our network"
# "... is to: 1. Offer ..." : a lead-in ending in ':' with its numbered items run into one paragraph
INLINE_LEAD = re.compile(r":\s*(?:\(?\d{1,2}[.)]|\(?[a-h][.)])\s")
INLINE_ITEM = re.compile(r"\s*(?:\(?\d{1,2}[.)]|\(?[a-h][.)])\s")


@dataclass(frozen=True, slots=True)
class Context:
    """A processing context: the data-subject categories it is about and where it was named."""

    subjects: tuple[str, ...]
    title: str
    evidence: Evidence
    level: int

    @property
    def key(self) -> str:
        return "+".join(s.split(":", 1)[1] for s in self.subjects)


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence (or a heading) with what the extractor knows about where it sits."""

    start: int
    end: int
    block: Block
    topics: frozenset[str]
    context: Context | None
    heading: Block | None = None  # the nearest heading above

    @property
    def is_heading(self) -> bool:
        return self.block.kind == HEADING


@dataclass(frozen=True, slots=True)
class SectionCues:
    topics: dict[str, Rx]
    contexts: Facet


@cache
def cues() -> SectionCues:
    doc = yaml.safe_load((resources.lexicon_dir() / "sections.yaml").read_text(encoding="utf-8"))
    topics = {name: _compile(pats, False) for name, pats in doc["topics"].items()}

    entries = [Entry(c["subject"], _compile(c["patterns"], False), None) for c in doc["contexts"]]
    return SectionCues(topics, Facet("contexts", entries))


@lru_cache(maxsize=4096)  # headings recur within and across notices ("Your rights")
def topics_of(text: str) -> frozenset[str]:
    return frozenset(name for name, pat in cues().topics.items() if pat.search(text))


def _subjects(text: str, start: int, end: int, lexicon: Lexicon) -> list[Match]:
    found = lexicon["data_subjects"].find(text, start, end) + cues().contexts.find(text, start, end)
    return _resolve(found)  # "establishing a customer relationship" (a prospect) beats "customer"


def _context(doc: Document, start: int, end: int, level: int, lexicon: Lexicon,
             hits: list[Match] | None = None) -> Context | None:
    hits = _subjects(doc.text, start, end, lexicon) if hits is None else hits
    if not hits:
        return None
    subjects = tuple(dict.fromkeys(h.value for h in hits))
    return Context(subjects, doc.text[start:end], Evidence(start, end, doc.text[start:end]), level)


def _lead_in(doc: Document, spans: list[tuple[int, int]], level: int, lexicon: Lexicon) -> Context | None:
    """A paragraph (its sentence ``spans``) whose first sentence starts "As a client ..." / "When you visit our
    website ..." and says what we process. The cheap tests come first; each lookup is made once."""
    if not spans:
        return None
    s, e = spans[0]
    if not cue_mod.load().has("we_process", doc.text, s, e):
        return None
    head = doc.text[s:e]
    lead = LEAD_IN.match(head)
    named = None if lead else cues().contexts.find(doc.text, s, min(e, s + 80))  # "When you visit our website"
    if not (lead or named):
        return None
    lead_end = min(e, s + 120)
    hits = _subjects(doc.text, s, lead_end, lexicon)
    ctx = _context(doc, s, lead_end, level, lexicon, hits)
    if ctx and lead:  # the subject must come right after "As a ..." ("As an organisation, we ..." is no context)
        if hits[0].start - (s + lead.end()) > 8:
            return None
    if ctx and named and named[0].start - s > 12:
        return None
    return ctx and Context(ctx.subjects, _title(head), Evidence(s, e, head), level)


def _title(sentence: str, limit: int = 90) -> str:
    """A lead-in sentence's opening clause ("As a client or as a potential client")."""
    clause = re.split(r"[,:;]", sentence, maxsplit=1)[0].strip()
    return clause if len(clause) <= limit else clause[:limit].rsplit(" ", 1)[0] + " ..."


def starts_lead_in(text: str, start: int, end: int, lexicon: Lexicon | None = None) -> bool:
    """A sentence that opens like "As a registered user, ..." or "When you visit our website, ...".

    Given the lexicon, the subject must follow the opening word at once, as in a lead-in paragraph
    ("For how long do we keep data ... to answer enquiries" opens with "For" but names no group it is for).
    """
    head = text[start:min(end, start + 80)]
    lead = LEAD_IN.match(head)
    if lead and lexicon is not None:
        hits = _subjects(text, start, min(end, start + 120), lexicon)
        first = min((h.start for h in hits), default=-1)
        gap = text[start + lead.end():first] if first >= 0 else ","
        if len(gap.split()) <= 2 and not re.search(r"[,.;:?!]", gap):  # "As a registered user"
            return True
    elif lead:
        return True
    return any(m.start - start <= 12 for m in cues().contexts.find(text, start, min(end, start + 80)))


def _is_pseudo_heading(doc: Document, block: Block) -> bool:
    """A short paragraph that announces the lines after it: it ends in ':' ("We may share your data with:"), or
    it names recipients and stops without a full stop ("Links to the privacy policies of the service providers
    the app uses", followed by their names one per line)."""
    text = doc.block_text(block).rstrip()
    if block.kind == HEADING or len(text.split()) > MAX_LEAD_WORDS:
        return False
    return text.endswith(":") or _announces_names(text)


def _announces_names(text: str) -> bool:
    """A line about recipients that stops without a full stop ("Our service providers"): the lines after it
    name them."""
    return not text.rstrip().endswith((".", "!", "?", ";")) and "recipients" in topics_of(text)


def units(doc: Document, lexicon: Lexicon) -> Iterator[Unit]:
    """Every sentence of the notice, in order, with its topics and context."""
    stack: list[tuple[int, frozenset[str]]] = []
    ctx: Context | None = None
    lead_topics: frozenset[str] = frozenset()
    heading: Block | None = None
    items_open = False  # the block before was a lead-in ending in ':' (or one of its item lines)
    names_at = 0  # the level of a heading that announces recipients' names as the headings after it ("Our service providers")
    for block in doc.blocks:
        text = doc.block_text(block)
        items_open, was_open = False, items_open
        if block.kind == HEADING and names_at == (block.level or 2) and _is_item_line(text):
            yield Unit(block.start, block.end, _as_item(block), _union(stack), ctx, heading)  # a name in the list
            continue
        names_at = 0
        if block.kind != LIST_ITEM and was_open and lead_topics & ITEM_TOPICS and _is_item_line(text) \
                and not _new_section(text, lead_topics):
            items_open = True
            # "We may disclose your data in the good-faith belief that this is necessary to:" announces the grounds
            # as items, "Links to the privacy policies of our service providers" their names; the short lines after
            # it are those items (plain text sets each on its own line, read as a heading or a paragraph), not new
            # sections
            topics = _union(stack) | lead_topics
            for s, e in sentences(doc.text, block.start, block.end):
                yield Unit(s, e, _as_item(block), topics, ctx, heading)
            continue
        if block.kind == HEADING:
            level = block.level or 2
            stack = [(lv, t) for lv, t in stack if lv < level] + [(level, topics_of(text))]
            lead_topics = frozenset()
            if ctx and level <= ctx.level:
                ctx = None
            here, heading = stack[-1][1], block
            if _announces_names(text):
                names_at = level
            if not here & NOT_CONTEXT_TOPICS and len(text.split()) <= MAX_CONTEXT_HEADING_WORDS:
                ctx = _context(doc, block.start, block.end, level, lexicon) or ctx
            yield Unit(block.start, block.end, block, _union(stack), ctx, heading)
            continue
        spans = sentences(doc.text, block.start, block.end)
        if block.kind != LIST_ITEM:
            items_open = _is_pseudo_heading(doc, block)
            lead_topics = topics_of(text) if items_open else frozenset()
            base = stack[-1][0] if stack else 1
            new = _lead_in(doc, spans, base + 1, lexicon) if len(text) > 0 else None
            ctx = new or ctx
        topics = _union(stack) | lead_topics
        yield from _inline_items(doc, spans, block, topics, ctx, heading)


def _inline_items(doc: Document, spans: list[tuple[int, int]], block: Block, topics: frozenset[str],
                  ctx: Context | None, heading: Block | None) -> Iterator[Unit]:
    """A paragraph's sentences (``spans``); a lead-in run into the paragraph ("Our purposes are to: 1. Offer ... 2.
    Deliver ...") gives its topics to the numbered items that follow it, as a lead-in line ending in ':' does to
    its list."""
    inline: frozenset[str] = frozenset()
    for s, e in spans:
        sentence = doc.text[s:e]
        if inline and not INLINE_ITEM.match(sentence):
            inline = frozenset()
        yield Unit(s, e, block, topics | inline, ctx, heading)
        lead = INLINE_LEAD.search(sentence)
        if lead:
            inline = topics_of(sentence[:lead.start() + 1])


def _new_section(text: str, lead_topics: frozenset[str]) -> bool:
    """After a list of data categories, a line about another topic ("Information Sharing", "Data Controller") is
    the next section's heading, not one more category."""
    return "personal_data" in lead_topics and bool(topics_of(text) - lead_topics)


def _as_item(block: Block) -> Block:
    """A short line read as a heading that is an item of the lead-in above it."""
    return replace(block, kind=LIST_ITEM) if block.kind == HEADING else block


def _is_item_line(text: str) -> bool:
    return len(text.split()) <= MAX_LEAD_WORDS and not text.rstrip().endswith(":")


def _union(stack: list[tuple[int, frozenset[str]]]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for _, t in stack:
        out |= t
    return out
